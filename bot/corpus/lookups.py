"""Lookups: what the answer engine looks up in a corpus, built once with its snapshot.

A question must not cost a scan of the whole corpus: each speaker's statements, the document
of each sentence, every speaker name read for comparison and keyed by its words, the names a
"did you mean" reply offers and the folded titles and captions are built here, once, from what
the snapshot already holds (no sentence text is read). The corpus's capitalised words come
from each file's, found when the file was processed (`capitalised_words`) and cached with it;
they are merged the first time a question needs them ("Alepo"), never at start-up.

Speaker names are read here as the answer engine compares them (bot.answers.speakers): words
folded, one index term per word, and the name's acronym. A reload's speaker tables start from
the last snapshot's and change only where its speakers do.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import cast

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot import lexicon, questions_lexicon
from bot.attribution import Speaker
from bot.terms import analyze, fold

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")
# Words a question may misspell; files keep theirs in the cache (see pipeline_version).
CAPITALISED = re.compile(r"\b[^\W\d_a-z][^\W\d_]{3,}(?:-[^\W\d_]+)*")
_TITLE_SEPARATOR = "\x00"  # never part of a folded word, so no match spans two texts
MIN_FUZZY_KEY = 5  # shorter words match only exactly (see `similar`)


# --- Names read for comparison ----------------------------------------------------------------

# Every module a name's reading depends on, from the package: a change to any is a new reader
# (see bot.corpus.processing.reader_version).
READER_MODULES = ("corpus/lookups", "questions_lexicon", "lexicon", "terms")


@dataclass(frozen=True)
class Name:
    """A name read for comparison: its words, their index terms, and its acronym."""

    words: tuple[str, ...]  # folded, without articles and possessive endings
    terms: tuple[str, ...]  # one term per word (stem, demonym folded)
    acronym: str  # the name as an acronym ("who"), or its initials ("sohr")
    written_as_acronym: bool


def read_name(text: str) -> Name:
    """A speaker's name or a question's phrase, read for comparison."""
    return _read_phrased(_phrased(text))


def _phrased(text: str) -> str:
    """The text with the usual multi-word names in the one form ("United Nations": "UN")."""
    return _PHRASES.sub(_phrase, text.replace("’", "'"))


# Names read and persons' parts are kept: a reload reads again only the names it has not seen.
_READ_NAMES = 1 << 17


@lru_cache(maxsize=_READ_NAMES)
def _read_phrased(text: str) -> Name:
    raw_words = _WORD.findall(text)
    while raw_words and raw_words[0].casefold() in questions_lexicon.SPEAKER_DETERMINERS:
        raw_words.pop(0)
    written_as_acronym = len(raw_words) == 1 and _looks_like_acronym(raw_words[0])
    words: list[str] = []
    terms: list[str] = []
    for raw in raw_words:
        word, term = _word_and_term(raw)
        words.append(word)
        if term is not None:
            terms.append(term)
    if written_as_acronym:
        acronym = raw_words[0].replace(".", "").lower()
    else:
        skips = questions_lexicon.ACRONYM_SKIPS
        acronym = "".join(w[0] for w in words if w not in skips and w[0].isalpha())
    return Name(tuple(words), tuple(terms), acronym, written_as_acronym)


@lru_cache(maxsize=50_000)
def _word_and_term(raw: str) -> tuple[str, str | None]:
    """A word of a name folded, and its term (None for a word acronyms skip: "of", "the")."""
    word = fold(raw).rstrip(".")
    word = word[:-2] if word.endswith("'s") else word
    word = word.replace("'", "")
    if word in questions_lexicon.ACRONYM_SKIPS:
        return word, None
    synonym = questions_lexicon.SPEAKER_SYNONYMS.get(word)
    return word, _term(synonym, synonym) if synonym else _term(raw, word)


_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(re.escape(p) for p in sorted(questions_lexicon.SPEAKER_PHRASES, key=len)[::-1])
    + r")\b",
    re.IGNORECASE,
)


def _phrase(match: re.Match[str]) -> str:
    return questions_lexicon.SPEAKER_PHRASES[match.group().casefold()]


def _looks_like_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _term(raw: str, word: str) -> str:
    """A word's index term; a word the analyzer drops (a stopword like "who") stands as is."""
    terms = analyze(raw)
    return terms[0] if terms else word.replace(".", "")


@lru_cache(maxsize=_READ_NAMES)
def person_parts(words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """A person's given names and family name, without titles, roles and particles."""
    kept = [_without_particle(w) for w in words if not _describes(w)]
    if not kept:
        return (), None
    return tuple(kept[:-1]), kept[-1]


def _describes(word: str) -> bool:
    """A word of a person's alias that is not their name: "Mr", "the", "Russian", "Jr"."""
    return (
        word in lexicon.TITLES
        or word in lexicon.ROLE_WORDS
        or word in lexicon.DEMONYMS
        or word in lexicon.NAME_PARTICLES
        or word in questions_lexicon.NAME_SUFFIXES
        or word in questions_lexicon.SPEAKER_DETERMINERS
    )


def _without_particle(word: str) -> str:
    """A family name without a particle joined to it: "al-muallem" is "muallem"."""
    particle, _, rest = word.partition("-")
    return rest if rest and particle in lexicon.NAME_PARTICLES else word


def similar(a: str, b: str) -> bool:
    """The same word, or the same but for a typo in a word long enough to tell."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < MIN_FUZZY_KEY or a[0] != b[0]:
        return False
    allowed = 1 if shortest < 9 else 2
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


# --- Keyed tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyTable:
    """Speakers (by position) under words of their names, found by any `similar` word."""

    positions: Mapping[str, AbstractSet[int]]
    fuzzy_keys: Mapping[str, tuple[str, ...]]  # keys long enough for a typo, by first letter

    @classmethod
    def of(cls, positions: Mapping[str, AbstractSet[int]]) -> KeyTable:
        fuzzy: dict[str, list[str]] = {}
        for key in positions:
            if len(key) >= MIN_FUZZY_KEY:
                fuzzy.setdefault(key[0], []).append(key)
        return cls(positions, {initial: tuple(keys) for initial, keys in fuzzy.items()})

    def similar(self, word: str) -> set[int]:
        """The positions under every key `similar` to the word."""
        found = set(self.positions.get(word, ()))
        if len(word) < MIN_FUZZY_KEY:
            return found
        close = process.extract(
            word,
            self.fuzzy_keys.get(word[0], ()),
            scorer=Levenshtein.distance,
            score_cutoff=2,
            limit=None,
        )
        for key, _, _ in close:
            if similar(word, key):
                found.update(self.positions[key])
        return found


@dataclass(frozen=True)
class SpeakerNames:
    """Every speaker's names read once, and tables to find speakers by them."""

    speakers: tuple[Speaker, ...]  # in the corpus's order; positions index this
    read: Mapping[str, Name]  # every alias, and every person's role, read
    by_term: KeyTable  # terms of every alias
    by_last_term: KeyTable  # last term of a body's alias of two terms or more
    by_family: KeyTable  # a person's family name in any alias
    by_role_term: KeyTable  # terms of a person's roles
    by_acronym: Mapping[str, tuple[int, ...]]  # acronym or initials of every alias
    suggestions: tuple[str, ...]  # folded names, aliases and family names, for "did you mean"
    suggested_names: tuple[str, ...]  # the speaker's name each of `suggestions` stands for
    suggestion_ends: tuple[int, ...] = field(repr=False)  # how many, after each speaker

    def aliases(self, position: int) -> tuple[Name, ...]:
        """A speaker's name, then its other aliases, read."""
        speaker = self.speakers[position]
        return tuple(self.read[alias] for alias in dict.fromkeys((speaker.name, *speaker.aliases)))

    def roles(self, position: int) -> tuple[Name, ...]:
        """A person's roles, read (only persons are found by office)."""
        return tuple(self.read[role] for role in self.speakers[position].roles)


# The tables of SpeakerNames that speakers are found in, by field name.
_KEY_TABLES = ("by_term", "by_last_term", "by_family", "by_role_term")
_TABLES = (*_KEY_TABLES, "by_acronym")
Entry = tuple[str, str]  # a table of _TABLES and a key in it


def _speaker_names(speakers: Iterable[Speaker], known: Mapping[str, Name]) -> SpeakerNames:
    """The speakers' names and tables; the names `known` (read before) are not read again."""
    ordered = tuple(speakers)
    # Each distinct alias and role once, with the speakers who bear it, persons apart.
    # (defaultdicts: no new list or set made for a key already there, tens of thousands.)
    persons_named: defaultdict[str, list[int]] = defaultdict(list)
    bodies_named: defaultdict[str, list[int]] = defaultdict(list)
    roles: defaultdict[str, list[int]] = defaultdict(list)
    for position, speaker in enumerate(ordered):
        person = speaker.kind == "person"
        named = persons_named if person else bodies_named
        named[speaker.name].append(position)
        for alias in speaker.aliases:
            if alias != speaker.name:
                named[alias].append(position)
        if person:
            for role in speaker.roles:
                roles[role].append(position)
    read = _read_all([*persons_named, *bodies_named, *roles], known)
    tables: dict[str, defaultdict[str, set[int]]] = {name: defaultdict(set) for name in _TABLES}
    for named, person in ((persons_named, True), (bodies_named, False)):
        for alias, positions in named.items():
            for table, key in _alias_entries(read[alias], person):
                tables[table][key].update(positions)
    for role, positions in roles.items():
        for table, key in _role_entries(read[role]):
            tables[table][key].update(positions)
    return _speaker_names_of(ordered, read, tables, {}, _suggestions(ordered, 0, {}, []))


def _speaker_names_since(previous: SpeakerNames, speakers: Iterable[Speaker]) -> SpeakerNames:
    """`_speaker_names(speakers)`, from the tables of `previous`: only the positions whose
    speaker differs are taken out of the tables and put back in, and the suggestions made
    again from the first of them on."""
    ordered = tuple(speakers)
    old = previous.speakers
    changed = [
        position
        for position in range(max(len(old), len(ordered)))
        if position >= len(old)
        or position >= len(ordered)
        or (old[position] is not ordered[position] and old[position] != ordered[position])
    ]
    read = _read_all(_texts(ordered), previous.read)
    tables: dict[str, dict[str, Collection[int]]] = {
        name: dict(getattr(previous, name).positions) for name in _KEY_TABLES
    }
    tables["by_acronym"] = dict(previous.by_acronym)
    copies: dict[Entry, set[int]] = {}  # the groups changed, copied: previous stays as it is

    def group(table: str, key: str) -> set[int]:
        found = copies.get((table, key))
        if found is None:
            found = copies[table, key] = set(tables[table].get(key, ()))
        return found

    for position in changed:
        if position < len(old):
            for entry in _entries(old[position], previous.read):
                group(*entry).discard(position)
        if position < len(ordered):
            for entry in _entries(ordered[position], read):
                group(*entry).add(position)
    for (table, key), found in copies.items():
        if found:
            tables[table][key] = found
        else:
            del tables[table][key]
    unchanged = {
        name: getattr(previous, name)
        for name in _KEY_TABLES
        if not any(table == name for table, _ in copies)
    }
    start = changed[0] if changed else len(ordered)
    kept = previous.suggestion_ends[start - 1] if start else 0
    names = dict(zip(previous.suggestions[:kept], previous.suggested_names[:kept], strict=True))
    ends = list(previous.suggestion_ends[:start])
    suggestions = _suggestions(ordered, start, names, ends)
    return _speaker_names_of(ordered, read, tables, unchanged, suggestions)


def _texts(speakers: Sequence[Speaker]) -> list[str]:
    """Every distinct name and alias of the speakers, and every role of a person."""
    texts = dict.fromkeys(speaker.name for speaker in speakers)
    texts.update(dict.fromkeys(itertools.chain.from_iterable(s.aliases for s in speakers)))
    persons = (s.roles for s in speakers if s.kind == "person")
    texts.update(dict.fromkeys(itertools.chain.from_iterable(persons)))
    return list(texts)


def _entries(speaker: Speaker, read: Mapping[str, Name]) -> Iterator[Entry]:
    """Where a speaker is found, by its aliases and, for a person, roles."""
    person = speaker.kind == "person"
    for alias in dict.fromkeys((speaker.name, *speaker.aliases)):
        yield from _alias_entries(read[alias], person)
    if person:
        for role in speaker.roles:
            yield from _role_entries(read[role])


def _alias_entries(name: Name, person: bool) -> list[Entry]:
    """Where the bearer of an alias is found: its terms, its acronym, a person's family name,
    the last term of a body's alias of two terms or more."""
    entries = [("by_term", term) for term in name.terms]
    if len(name.acronym) >= 2:
        entries.append(("by_acronym", name.acronym))
    family = person_parts(name.words)[1] if person else None
    if family:
        entries.append(("by_family", family))
    elif not person and len(name.terms) >= 2:
        entries.append(("by_last_term", name.terms[-1]))
    return entries


def _role_entries(role: Name) -> list[Entry]:
    """Where a person holding a role is found: its terms."""
    return [("by_role_term", term) for term in role.terms]


def _speaker_names_of(
    speakers: tuple[Speaker, ...],
    read: dict[str, Name],
    tables: Mapping[str, Mapping[str, Collection[int]]],
    unchanged: Mapping[str, KeyTable],
    suggestions: _Suggestions,
) -> SpeakerNames:
    """The speaker names over their tables; `unchanged` key tables are kept as they are."""

    def key_table(name: str) -> KeyTable:
        positions = cast(dict[str, AbstractSet[int]], tables[name])  # sets, as they were made
        return unchanged.get(name) or KeyTable.of(dict(positions))

    names, ends = suggestions
    return SpeakerNames(
        speakers=speakers,
        read=read,
        by_term=key_table("by_term"),
        by_last_term=key_table("by_last_term"),
        by_family=key_table("by_family"),
        by_role_term=key_table("by_role_term"),
        by_acronym={key: tuple(found) for key, found in tables["by_acronym"].items()},
        suggestions=tuple(names),
        suggested_names=tuple(names.values()),
        suggestion_ends=tuple(ends),
    )


def read_names(texts: Iterable[str], known: Mapping[str, Name]) -> dict[str, Name]:
    """`read_name` of each of the texts not `known`, all of them in one pass."""
    return _read_fresh([text for text in dict.fromkeys(texts) if text not in known])


def _read_all(texts: Iterable[str], known: Mapping[str, Name]) -> dict[str, Name]:
    """`read_name` of many texts, those not `known` read with their multi-word names
    replaced in one pass over them all."""
    ordered = list(texts)
    fresh = _read_fresh([text for text in ordered if text not in known])
    return {text: known.get(text) or fresh[text] for text in ordered}


def _read_fresh(ordered: list[str]) -> dict[str, Name]:
    if not ordered or any("\n" in text for text in ordered):  # "".split() is [""]
        return {text: read_name(text) for text in ordered}
    phrased = _phrased("\n".join(ordered)).split("\n")
    return {text: _read_phrased(line) for text, line in zip(ordered, phrased, strict=True)}


_Suggestions = tuple[dict[str, str], list[int]]


def _suggestions(
    speakers: Sequence[Speaker], start: int, names: dict[str, str], ends: list[int]
) -> _Suggestions:
    """Each folded name and alias, and each person's folded family name, with the speaker's
    name, first come first kept: the choices of a "did you mean" speaker reply. From the
    speaker numbered `start` on, `names` and `ends` being those of the speakers before;
    `ends` says how many suggestions there are after each speaker."""
    for speaker in speakers[start:]:
        folded = _fold_all((speaker.name, *speaker.aliases))
        for alias in folded:
            names.setdefault(alias, speaker.name)
        if speaker.kind == "person":
            names.setdefault(folded[0].split()[-1], speaker.name)
        ends.append(len(names))
    return names, ends


def _fold_all(texts: Iterable[str]) -> list[str]:
    """`fold` of each text; an ASCII text folds to its lower case, far faster."""
    return [text.lower() if text.isascii() else fold(text) for text in texts]


# --- The lookups of one snapshot -------------------------------------------------------------


@dataclass(frozen=True)
class TitleTexts:
    """Every document's title and captions, folded into one searchable text."""

    texts: tuple[str, ...]  # as written, title before captions, documents in order
    documents: NDArray[np.int32]  # the document of each text
    folded: str  # the folded texts joined by _TITLE_SEPARATOR
    starts: NDArray[np.int64]  # where each folded text starts in `folded`

    def containing(self, words: Iterable[str]) -> list[int]:
        """Positions of the texts whose folded form contains any of the folded words."""
        found: set[int] = set()
        for word in words:
            start = self.folded.find(word)
            while start >= 0:
                position = int(np.searchsorted(self.starts, start, side="right")) - 1
                found.add(position)
                following = position + 1
                # Once found in a text, go on from the next one.
                start = (
                    self.folded.find(word, int(self.starts[following]))
                    if following < len(self.starts)
                    else -1
                )
        return sorted(found)


def _title_texts(headings: Iterable[tuple[str | None, Sequence[str]]]) -> TitleTexts:
    """From each document's title and captions, in document order."""
    texts: list[str] = []
    owners: list[int] = []
    for doc_index, (title, captions) in enumerate(headings):
        for text in (title or "", *captions):
            texts.append(text)
            owners.append(doc_index)
    folded = _fold_all(texts)
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 1
    starts = np.zeros(len(folded), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return TitleTexts(
        texts=tuple(texts),
        documents=np.array(owners, dtype=np.int32),
        folded=_TITLE_SEPARATOR.join(folded),
        starts=starts,
    )


def capitalised_words(texts: Iterable[str]) -> dict[str, str]:
    """Folded word to its written form, of the capitalised words of the texts (the names and
    places a question might misspell): the form met first stands for the folded word."""
    written = dict.fromkeys(CAPITALISED.findall("\n".join(texts)))
    words: dict[str, str] = {}
    for word in written:
        words.setdefault(fold(word), word)
    return words


def merged_words(parts: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Several texts' `capitalised_words` as those of the texts one after another."""
    words: dict[str, str] = {}
    for part in parts:
        add_words(words, part)
    return words


def add_words(words: dict[str, str], part: Mapping[str, str]) -> None:
    """The `capitalised_words` of a text after those of `words`: a word's first form stays."""
    if not words:
        words.update(part)
        return
    words.update({key: word for key, word in part.items() if key not in words})


@dataclass(frozen=True, eq=False)
class Lookups:
    """What questions look up in a corpus, built once per snapshot by `build_lookups`."""

    statements_by_speaker: StatementsBySpeaker
    sentence_documents: NDArray[np.int32]  # the document of each sentence
    speaker_names: SpeakerNames
    titles: TitleTexts
    file_words: Sequence[Mapping[str, str]] = field(repr=False)  # each file's capitalised
    speakers: Mapping[str, Speaker] = field(repr=False)

    @cached_property
    def capitalised_words(self) -> Mapping[str, str]:
        """Folded word to its written form: the capitalised words of every sentence of the
        corpus, in corpus order, and its speakers' names. Merged from the files' on first use."""
        words = merged_words(self.file_words)
        for name in dict.fromkeys(speaker.name for speaker in self.speakers.values()):
            words.setdefault(fold(name), name)
        return words


def build_lookups(
    headings: Iterable[tuple[str | None, Sequence[str]]],
    sentence_documents: NDArray[np.int32],
    statement_speakers: tuple[NDArray[np.int64], Sequence[str]],
    file_words: Sequence[Mapping[str, str]],
    speakers: Mapping[str, Speaker],
    *,
    previous: Lookups | None,
    known_names: Mapping[str, Name],
) -> Lookups:
    """The lookups of a snapshot, from what its columns give without making its items:
    each document's title and captions, each sentence's document, each statement's
    canonical speaker (a number into the speaker keys), each file's `capitalised_words`.
    The speaker names start from a `previous` snapshot's, changed where the speakers are;
    without one, the names `known` (read before, by the same `reader_version`) are not read
    again."""
    return Lookups(
        statements_by_speaker=_statements_by_speaker(*statement_speakers),
        sentence_documents=sentence_documents,
        speaker_names=_speaker_names(speakers.values(), known_names)
        if previous is None
        else _speaker_names_since(previous.speaker_names, speakers.values()),
        titles=_title_texts(headings),
        file_words=file_words,
        speakers=speakers,
    )


@dataclass(frozen=True)
class StatementsBySpeaker:
    """Each speaker's statement ids, ascending: one sorted array, a slice per speaker."""

    ids: NDArray[np.int32]  # statement ids, grouped by speaker
    spans: Mapping[str, tuple[int, int]]  # a speaker's slice of `ids`

    def of(self, speaker_key: str) -> NDArray[np.int32]:
        """The speaker's statement ids, ascending; none for a speaker never quoted."""
        start, end = self.spans.get(speaker_key, (0, 0))
        return self.ids[start:end]


def _statements_by_speaker(codes: NDArray[np.int64], keys: Sequence[str]) -> StatementsBySpeaker:
    """Statement ids (positions in `codes`, each statement's speaker as a number into `keys`)
    sorted by speaker, stably: one sort, no Python list per speaker."""
    ids = np.argsort(codes, kind="stable").astype(np.int32)
    counts = np.bincount(codes, minlength=len(keys))[: len(keys)]  # [] when empty
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends][:-1]
    return StatementsBySpeaker(ids, dict(zip(keys, zip(starts, ends, strict=True), strict=True)))
