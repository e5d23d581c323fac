"""Speakers named in a question, found among the corpus's speakers by any of their names.

Names are compared case- and accent-insensitively, word by word through the one analyzer (so
"Russian" is "Russia" and "Defence" is "Defense" give or take a letter), with a typo allowed in
longer words ("Zaharova"), by family name for people ("Mr Blair", "Lord Goldsmith"), by acronym
("WHO" is the "World Health Organization"), through the usual other names of a body ("Moscow"
for Russia, "the army" for "the military"; bot.questions_lexicon), and, for a person described
by office ("the French president"), by their roles. A body named in the question also finds the
bodies inside it: "Russia" finds the "Russian Defense Ministry".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot import lexicon, questions_lexicon
from bot.attribution import Speaker
from bot.corpus import Corpus
from bot.terms import analyze, fold

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")
_SUGGESTION_CUTOFF = 80  # rapidfuzz ratio for "did you mean" speaker names


class Fit(IntEnum):
    """How well a speaker's name fits the name in a question; higher is closer."""

    ROLE = 0  # the question describes the person by office ("the French president")
    PART = 1  # a body inside the one asked about ("Russia": its ministry), or named more fully
    NAME = 2  # the same person by family name, or the same name but for a typo
    EXACT = 3  # the same name, spelling variant or acronym


@dataclass(frozen=True)
class SpeakerMatch:
    speaker: Speaker
    fit: Fit


@dataclass(frozen=True)
class _Name:
    """A name read for comparison: its words, their index terms, and its acronym."""

    words: tuple[str, ...]  # folded, without articles and possessive endings
    terms: tuple[str, ...]  # one term per word (stem, demonym folded)
    acronym: str  # the name as an acronym ("who"), or its initials ("sohr")
    written_as_acronym: bool


def find_speakers(corpus: Corpus, phrase: str) -> tuple[SpeakerMatch, ...]:
    """The corpus's speakers a phrase names, closest first; empty when it names nobody."""
    name = _read(phrase)
    if not name.words or is_generic(phrase):
        return ()
    matches = []
    for speaker in corpus.speakers.values():
        fit = _best_fit(name, speaker)
        if fit is not None:
            matches.append(SpeakerMatch(speaker, fit))
    matches.sort(key=lambda match: (-match.fit, match.speaker.name))
    return tuple(matches)


def names_speaker(corpus: Corpus, phrase: str) -> bool:
    """Whether a phrase on its own is a speaker's name (not just part of one)."""
    return any(match.fit >= Fit.NAME for match in find_speakers(corpus, phrase))


def is_generic(phrase: str) -> bool:
    """Whether a phrase names no one in particular ("officials", "people", "anyone")."""
    words = [w for w in fold(phrase).split() if w not in questions_lexicon.SPEAKER_DETERMINERS]
    return bool(words) and all(w in questions_lexicon.GENERIC_SPEAKERS for w in words)


def close_speaker_names(corpus: Corpus, phrase: str, limit: int = 3) -> tuple[str, ...]:
    """Speakers' names that look like a phrase, for a "did you mean" reply: the phrase against
    each name and alias, and against each person's family name."""
    names: dict[str, str] = {}
    for speaker in corpus.speakers.values():
        for alias in (speaker.name, *speaker.aliases):
            names.setdefault(fold(alias), speaker.name)
        if speaker.kind == "person":
            names.setdefault(fold(speaker.name).split()[-1], speaker.name)
    found = process.extract(
        fold(phrase), list(names), scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF, limit=20
    )
    return tuple(dict.fromkeys(names[choice] for choice, _, _ in found))[:limit]


def _best_fit(name: _Name, speaker: Speaker) -> Fit | None:
    person = speaker.kind == "person"
    best: Fit | None = None
    for alias in dict.fromkeys((speaker.name, *speaker.aliases)):
        fit = _fit(name, _read(alias), person)
        if fit is not None and (best is None or fit > best):
            best = fit
    # Part of a person's name is their name ("Maria"); part of a person's alias may be a
    # role ("Russian President Vladimir Putin"), and a role does not make Putin "Russia".
    if best is None and _contains(_read(speaker.name).terms, name.terms):
        best = Fit.PART
    if best is None and person and _describes_office(name) and _holds_office(speaker, name):
        best = Fit.ROLE
    return best


def _holds_office(speaker: Speaker, name: _Name) -> bool:
    return any(_contains(_read(role).terms, name.terms) for role in speaker.roles)


def _describes_office(name: _Name) -> bool:
    """Whether a phrase describes a person by office: "the Russian foreign ministry
    spokeswoman", not "Russia's Foreign Ministry" (a body) nor "Zakharova" (a name)."""
    return bool(name.words) and name.words[-1] in questions_lexicon.PERSON_ROLE_HEADS


def _fit(asked: _Name, known: _Name, person: bool) -> Fit | None:
    if not known.words:
        return None
    if _same_terms(asked.terms, known.terms) or _same_acronym(asked, known):
        return Fit.EXACT
    if person and _same_person(asked.words, known.words):
        return Fit.NAME
    if not person and (_contains(known.terms, asked.terms) or _narrower(asked, known)):
        return Fit.PART
    return None


def _narrower(asked: _Name, known: _Name) -> bool:
    """Whether the question names a body more fully than the corpus does: "the Syrian army's
    General Command" for "General Command" (the same head noun, and every word of a known
    name of two words or more) but not "the Russian Defense Ministry" for "Russia", nor "the
    Israeli army" for a body once called "the army"."""
    return (
        2 <= len(known.terms) < len(asked.terms)
        and _similar(known.terms[-1], asked.terms[-1])
        and _contains(asked.terms, known.terms)
    )


def _same_terms(asked: tuple[str, ...], known: tuple[str, ...]) -> bool:
    return len(asked) == len(known) and _contains(known, asked) and _contains(asked, known)


def _contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return bool(part) and all(any(_similar(p, w) for w in whole) for p in part)


def _same_acronym(asked: _Name, known: _Name) -> bool:
    if asked.written_as_acronym and not known.written_as_acronym:
        return len(asked.acronym) >= 2 and asked.acronym == known.acronym
    if known.written_as_acronym and not asked.written_as_acronym:
        return len(known.acronym) >= 2 and asked.acronym == known.acronym
    return False


def _same_person(asked: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Same family name, and no given names that differ ("Peter Goldsmith", "Lord Goldsmith")."""
    asked_given, asked_family = _person_parts(asked)
    known_given, known_family = _person_parts(known)
    if not asked_family or not known_family or not _similar(asked_family, known_family):
        return False
    if not asked_given or not known_given:
        return True
    first, other = asked_given[0], known_given[0]
    if len(first) == 1 or len(other) == 1:  # an initial: "J. Clapper"
        return first[0] == other[0]
    return _similar(first, other)


def _person_parts(words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
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


@lru_cache(maxsize=50_000)
def _read(text: str) -> _Name:
    raw_words = _WORD.findall(_PHRASES.sub(_phrase, text.replace("’", "'")))
    while raw_words and raw_words[0].casefold() in questions_lexicon.SPEAKER_DETERMINERS:
        raw_words.pop(0)
    written_as_acronym = len(raw_words) == 1 and _looks_like_acronym(raw_words[0])
    words: list[str] = []
    terms: list[str] = []
    for raw in raw_words:
        word = fold(raw).rstrip(".")
        word = word[:-2] if word.endswith("'s") else word
        word = word.replace("'", "")
        words.append(word)
        if word not in questions_lexicon.ACRONYM_SKIPS:
            synonym = questions_lexicon.SPEAKER_SYNONYMS.get(word)
            terms.append(_term(synonym, synonym) if synonym else _term(raw, word))
    if written_as_acronym:
        acronym = raw_words[0].replace(".", "").lower()
    else:
        skips = questions_lexicon.ACRONYM_SKIPS
        acronym = "".join(w[0] for w in words if w not in skips and w[0].isalpha())
    return _Name(tuple(words), tuple(terms), acronym, written_as_acronym)


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


def _similar(a: str, b: str) -> bool:
    """The same word, or the same but for a typo in a word long enough to tell."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 5 or a[0] != b[0]:
        return False
    allowed = 1 if shortest < 9 else 2
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed
