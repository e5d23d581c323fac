"""Speaker phrases: tokenize a sentence, find the noun phrase that names a speaker, and read it.

There is no parser: a speaker's phrase is a run of tokens that can belong to a name or a
description (capitalised words, name particles, role words such as "spokesman", possessives,
"of" between names), bounded by anything else. Reading the phrase splits it into the proper
name, the role around it and, for descriptions, the head noun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import attrgetter, itemgetter, lt

from bot import lexicon
from bot.attribution.model import Gender, Mention, SpeakerKind, Token

# Written for the regex engine's speed (no counted group repeat; possessive runs, which never
# need to give back: nothing after them in their branch can match what they hold).
_TOKEN_PATTERN = (
    r"[A-Za-z]\.[A-Za-z]\.(?:[A-Za-z]\.)*"  # U.S., U.N.
    r"|[^\W_]++(?:[-‐][^\W_]++)*+(?:['’][^\W_s][^\W_]*+)*+"  # words, hyphenated, O'Brien
    r"|['’](?:s\b|(?=\s))"  # possessive 's and plural possessive '
    r"|\S"
)
# each token with the spaces before it: offsets are the running sum of lengths, no gaps
_SPACED_TOKEN = re.compile(r"(\s*+)(" + _TOKEN_PATTERN + ")")
_ABBREVIATION_WORDS = {a for a in lexicon.NEWS_ABBREVIATIONS if "." not in a}
REMEMBERED_PHRASES = 100_000  # speaker phrases whose reading a process keeps
REMEMBERED_WORDS = 200_000  # words whose part in names a process keeps

DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
NUMBERS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "both",
        "several",
        "some",
    ]
)
CONNECTORS = frozenset({"of", "for", "and", "on", "into", "in"})
PREPOSITIONS = frozenset(
    [
        "in",
        "with",
        "to",
        "at",
        "from",
        "by",
        "into",
        "on",
        "for",
        "about",
        "during",
        "after",
        "before",
        "over",
        "under",
        "of",
        "via",
    ]
)
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_NAME_CONNECTORS = CONNECTORS - {"and"}  # inside one name: "Observatory for Human Rights"
_NOT_PHRASE_ENDS = CONNECTORS | DETERMINERS
_DETERMINERS_AND_NUMBERS = DETERMINERS | NUMBERS


def tokenize(text: str) -> list[Token]:
    """Words and marks of a sentence; "Gen." keeps its period, "Russia's" splits off "'s"."""
    # one pass of the pattern, the tokens built by C-level maps: a sentence has many
    spaced_words = _SPACED_TOKEN.findall(text)
    offsets = list(accumulate(map(len, chain.from_iterable(spaced_words))))
    starts = offsets[0::2]
    ends = offsets[1::2]
    words = list(map(_second, spaced_words))
    # without a curly apostrophe, a word's lexicon form is its casefolding alone
    lowers = list(map(str.casefold, words)) if "’" not in text else list(map(_lower, words))
    tokens = list(map(_new_token, repeat(Token), zip(words, starts, ends, lowers, strict=True)))
    # an abbreviation takes the period that follows it: "Gen." is one token, the "." none
    taken_periods: list[int] = []
    period = -1
    for _ in range(words.count(".")):
        period = words.index(".", period + 1)
        word = period - 1
        if (
            period
            and ends[word] == starts[period]
            and words[word].casefold() in _ABBREVIATION_WORDS
        ):
            start, end = starts[word], ends[period]
            taken = text[start:end]
            tokens[word] = _new_token(Token, (taken, start, end, _lower(taken)))
            taken_periods.append(period)
    for period in reversed(taken_periods):
        del tokens[period]
    return tokens


_second = itemgetter(1)


def _lower(text: str) -> str:
    """The form the lexicon's tables hold: casefolded, with straight apostrophes."""
    return text.casefold().replace("’", "'")


_new_token = tuple.__new__  # a Token without its Python-level constructor: tokens are many


def is_name_word(token: Token) -> bool:
    """A word that can be part of a proper name (not a weekday or a month)."""
    return _is_name_word(token.text)


@lru_cache(maxsize=REMEMBERED_WORDS)
def _is_name_word(word: str) -> bool:
    """What `is_name_word` says of a token, which only its text decides."""
    lower = _lower(word)
    if not word[0].isalnum() or lower in _CALENDAR_WORDS:
        return False
    if word[0].isupper() or lower in lexicon.NAME_PARTICLES:
        return True
    if "-" not in word:
        return False
    particle, _, rest = word.partition("-")  # "al-Muallem", "bin-Salman"
    return particle.casefold() in lexicon.NAME_PARTICLES and rest[:1].isupper()


_CALENDAR_WORDS = frozenset(lexicon.WEEKDAYS) | (frozenset(lexicon.MONTHS) - {"may", "march"})


@lru_cache(maxsize=REMEMBERED_WORDS)
def _can_be_in_phrase(word: str) -> bool:
    """Whether a token may belong to a speaker's noun phrase, which only its text decides."""
    lower = _lower(word)
    return (
        _is_name_word(word)
        or lower in _PHRASE_WORDS
        or lower.replace("-", "") in lexicon.ROLE_WORDS
        or lower.startswith("ex-")
    )


_PHRASE_WORDS = frozenset().union(
    lexicon.ROLE_WORDS,
    DETERMINERS,
    NUMBERS,
    _POSSESSIVE,
    lexicon.ANONYMOUS_HEADS,
    lexicon.DESCRIPTION_HEADS,
    lexicon.ORGANISATION_HEADS,
    lexicon.PROXY_HEADS,
    lexicon.GROUP_HEADS,
    {"(", ")"},
)


def phrase_before(tokens: Sequence[Token], end: int) -> int:
    """Start index of the speaker phrase that ends just before token `end`.

    Walks left over phrase tokens; a connector ("of", "for") is taken only between two
    phrase tokens, so "Observatory for Human Rights" holds together.
    """
    if end > 0 and tokens[end - 1].lower in lexicon.PRONOUN_GENDER:
        return end - 1  # "he said": a pronoun is a whole phrase
    start = end
    while start > 0:
        token = tokens[start - 1]
        if token.text == ")" and not _closes_acronym(tokens, start - 1):
            break  # "(TRT World and Agencies) International leaders": not one phrase
        if _can_be_in_phrase(token.text):
            start -= 1
            continue
        if (
            token.lower in _NAME_CONNECTORS
            and start - 2 >= 0
            and start < end
            and _is_name_word(tokens[start - 2].text)
            and _is_name_word(tokens[start].text)
        ):
            start -= 1
            continue
        break
    # a determiner is only a phrase's first word: "the" inside stops it ("... of the WHO")
    while start < end and tokens[start].lower in _POSSESSIVE:
        start += 1
    return _trim_left(tokens, start, end)


def crosses_title_seam(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether tokens[start:end] run on past a glued page title's site name ("... in Idlib
    - YouTube Opposition demands ..."): what follows the site is a headline, not a speaker."""
    first = max(start, 1)
    if _DASHES.isdisjoint(map(_token_text, tokens[first - 1 : end - 1])):
        return False  # most phrases hold no dash: checked in C
    for index in range(first, end):
        if tokens[index - 1].text not in _DASHES:
            continue
        for size in range(1, _LONGEST_SITE + 1):
            if index + size < end and text_of(tokens[index : index + size]) in _TITLE_SITES:
                return True
    return False


_DASHES = frozenset({"-", "–", "—", "|"})
_TITLE_SITES = frozenset((*lexicon.TITLE_SITES, *lexicon.OUTLETS))
_LONGEST_SITE = max(len(site.split()) for site in _TITLE_SITES)


def _closes_acronym(tokens: Sequence[Token], index: int) -> bool:
    """The ")" of "(SOHR)"."""
    return index >= 2 and tokens[index - 2].text == "(" and tokens[index - 1].text.isupper()


def phrase_after(tokens: Sequence[Token], start: int) -> int:
    """End index (exclusive) of the speaker phrase that starts at token `start`."""
    if start < len(tokens) and tokens[start].lower in lexicon.PRONOUN_GENDER:
        return start + 1
    end = start
    while end < len(tokens):
        token = tokens[end]
        if _can_be_in_phrase(token.text) and not (end > start and token.lower in DETERMINERS):
            end += 1
            continue
        if token.lower in _NAME_CONNECTORS and end > start and end + 1 < len(tokens):
            following = tokens[end + 1]
            if _is_name_word(following.text) or following.lower in DETERMINERS:
                end += 1
                continue
        break
    while end > start and tokens[end - 1].lower in _NOT_PHRASE_ENDS:
        end -= 1
    return end


def _trim_left(tokens: Sequence[Token], start: int, end: int) -> int:
    """Drop what cannot begin a phrase: a sentence-initial capital that is not a name."""
    while start < end and tokens[start].lower in {")", "'s", "’s"}:
        start += 1
    return start


def read_mention(tokens: Sequence[Token]) -> Mention | None:
    """What a speaker phrase says: a name (with role), a pronoun, a description or nobody."""
    words = tuple(map(_token_text, tokens))
    # a space between two tokens: the left one ends before the right one starts
    spaced = tuple(map(lt, map(_token_end, tokens), map(_token_start, tokens[1:])))
    return _read_phrase(words, spaced)


@lru_cache(maxsize=REMEMBERED_PHRASES)
def _read_phrase(words: tuple[str, ...], spaced: tuple[bool, ...]) -> Mention | None:
    """A phrase's reading depends only on its words and where spaces stand between them,
    and news names the same speakers again and again: each phrase is read once."""
    return _read(_phrase_tokens(words, spaced))


def _phrase_tokens(words: Sequence[str], spaced: Sequence[bool]) -> list[Token]:
    """Tokens of the words, with offsets that have a space where the phrase had one."""
    tokens: list[Token] = []
    start = 0
    for index, word in enumerate(words):
        start += index > 0 and spaced[index - 1]
        tokens.append(Token(word, start, start + len(word), _lower(word)))
        start += len(word)
    return tokens


def _read(tokens: Sequence[Token]) -> Mention | None:
    words = _content_words(tokens)
    if not words:
        return None
    text = text_of(tokens)
    if len(words) == 1 and words[0].lower in lexicon.DEMONYMS:
        return None  # "the Syrian" alone names nobody
    if tokens[0].lower in NUMBERS and words[-1].lower in lexicon.GROUP_HEADS:
        # "Two former top U.S. intelligence officials": nobody yet, maybe named next
        count = lexicon.GROUP_COUNTS.get(tokens[0].lower)
        return Mention(text, "anonymous", head=words[-1].lower, kind="group", count=count)
    lowers = [w.lower for w in words]
    if len(words) == 1 and lowers[0] in lexicon.PRONOUN_GENDER:
        return Mention(text, "pronoun", gender=_pronoun_gender(lowers[0]))
    head = lowers[-1]
    if len(words) >= 3 and head in lexicon.PROXY_HEADS and lowers[-2] in _POSSESSIVE:
        return read_mention(words[:-2])  # "Mr Sands' book suggests": Mr Sands speaks
    if len(words) == 1 and head in lexicon.AUTHORED_WORKS:
        return Mention(text, "description", role=head, head=head)  # "The book says"
    if head in lexicon.ANONYMOUS_HEADS and not _names_a_body(words[:-1], head):
        return Mention(text, "anonymous", head=head)
    modifiers = lowers[:-1]
    if head in lexicon.GROUP_HEADS and modifiers and set(modifiers) <= lexicon.GENERIC_GROUP_WORDS:
        return Mention(text, "anonymous", head=head)  # "International leaders", "World leaders"
    while len(words) > 1 and words[-1].lower in lexicon.POST_NOMINALS:
        words = words[:-1]
    name_start = _trailing_name_start(words)
    if name_start == len(words) or (
        name_start > 0 and words[name_start - 1].lower in {"of", "the"}
    ):
        # "Peter Salama Executive Director of the WHO": the name stands first
        person = _leading_person(words)
        if person is not None:
            return _person(text, words, person[0], person[1])
        if name_start == len(words):
            return _description(text, words)
    if words[-1].lower in lexicon.ORGANISATION_HEADS:
        name_start = _organisation_start(words, name_start)
    person_start = _person_start(words, name_start)
    if person_start is not None:
        return _person(text, words, person_start, len(words))
    return _body(text, words, name_start)


def person_mentions(tokens: Sequence[Token]) -> list[Mention]:
    """People named in full ("Philippe Sands QC", "Lord Falconer"), wherever they stand;
    only names whose first name or honorific tells a gender count."""
    found: list[Mention] = []
    if _GENDERED_WORDS.isdisjoint(map(_token_lower, tokens)):
        return found  # no first name or honorific: nobody a name vouches for
    name_words = list(map(_is_name_word, map(_token_text, tokens)))
    index = 1  # a run that starts the sentence is taken from its second word
    while index < len(tokens):
        if not name_words[index]:
            index += 1
            continue
        end = index
        while end < len(tokens) and name_words[end]:
            end += 1
        run = tokens[max(index - 1, 0) : end]
        if not any(t.lower in _GENDERED_WORDS for t in run):
            index = end
            continue  # no first name or honorific: cannot vouch for a person
        mention = read_mention(run)
        if (
            mention is not None
            and mention.kind == "person"
            and mention.name
            and " " in mention.name
            and mention.gender in ("male", "female")  # a first name or honorific vouches
        ):
            found.append(mention)
        index = end
    return found


_token_text = attrgetter("text")  # a token's fields read in C: a sentence has many tokens
_token_lower = attrgetter("lower")
_token_start = attrgetter("start")
_token_end = attrgetter("end")
_GENDERED_WORDS = (
    frozenset(lexicon.GENDER_WORDS)
    | frozenset(lexicon.FIRST_NAMES["female"])
    | frozenset(lexicon.FIRST_NAMES["male"])
)


def _content_words(tokens: Sequence[Token]) -> list[Token]:
    """The phrase without brackets, leading determiners and sentence adverbs ("However")."""
    words = [
        token
        for index, token in enumerate(tokens)
        if token.text not in {"(", ")"} and not _bracketed_acronym(tokens, index)
    ]
    while words and (
        words[0].lower in _DETERMINERS_AND_NUMBERS or words[0].lower in lexicon.SENTENCE_ADVERBS
    ):
        words = words[1:]
    return words


def _bracketed_acronym(tokens: Sequence[Token], index: int) -> bool:
    """The "(SOHR)" after a body's full name: an alias, not part of the name."""
    return (
        0 < index < len(tokens) - 1
        and tokens[index - 1].text == "("
        and tokens[index + 1].text == ")"
        and tokens[index].text.isupper()
    )


def _is_title(word: Token) -> bool:
    return word.lower.rstrip(".") in _TITLES


_TITLES = frozenset(t.rstrip(".") for t in lexicon.TITLES)


def _trailing_name_start(words: Sequence[Token]) -> int:
    """Start of the trailing run of capitalised words (titles excluded), joined by "of",
    "for", "and" or a possessive: "Russia's Defense Ministry", "Observatory for Human Rights"."""
    index = len(words)
    while index > 0:
        word = words[index - 1]
        if (_is_name_word(word.text) and not _is_title(word)) or (
            word.lower in {"of", "for", "and", *_POSSESSIVE}
            and index < len(words)
            and index - 1 > 0
            and _is_name_word(words[index - 2].text)
            and not _is_title(words[index - 2])
        ):
            index -= 1
        else:
            break
    return index


def _organisation_start(words: Sequence[Token], start: int) -> int:
    """A body's name also takes capitalised titles: "The General Command"."""
    while start > 0 and words[start - 1].is_capitalized:
        start -= 1
    return start


def _person_start(words: Sequence[Token], name_start: int) -> int | None:
    """Where a person's name begins inside the trailing run, if the run names a person:
    it holds a known first name, or a title or role stands before it."""
    run = words[name_start:]
    for offset, word in enumerate(run):
        if _first_name_gender(word.lower) != "unknown" and offset + 1 < len(run):
            return name_start + offset
    lowers = [w.lower for w in run]
    if any(w in lexicon.ORGANISATION_HEADS or w in lexicon.PLACES_AS_SPEAKERS for w in lowers):
        return None
    if " ".join(lowers) in lexicon.PLACES_AS_SPEAKERS:
        return None
    if len(run) == 1 and (run[0].text.isupper() or is_known_outlet(run[0].text)):
        return None
    if is_known_outlet(text_of(run)) or lowers[-1] in lexicon.GROUP_HEADS:
        return None
    if name_start > 0 and (
        _is_title(words[name_start - 1]) or words[name_start - 1].lower in lexicon.ROLE_WORDS
    ):
        return name_start
    return name_start if all(w.is_capitalized for w in run) else None


def _leading_person(words: Sequence[Token]) -> tuple[int, int] | None:
    """A person named first and described after: "Peter Salama Executive Director of ..."."""
    end = 0
    while (
        end < len(words)
        and _is_name_word(words[end].text)
        and words[end].lower not in lexicon.ROLE_WORDS
    ):
        end += 1
    if end >= 2 and _first_name_gender(words[0].lower) != "unknown":
        return 0, end
    return None


def _person(text: str, words: Sequence[Token], start: int, end: int) -> Mention:
    name_words = list(words[start:end])
    role_words = list(words[:start]) + list(words[end:])
    titles = [w for w in words[:start] if _is_title(w)]
    keep = [t for t in titles if t.lower.rstrip(".") in lexicon.NAME_KEEPING_TITLES]
    if keep and len(name_words) == 1:
        name_words = keep[-1:] + name_words
    role_words = [w for w in role_words if w.lower not in _HONORIFICS and w not in keep]
    return Mention(
        text,
        "name",
        name=text_of(name_words),
        role=text_of(role_words) or None,
        kind="person",
        gender=_gender(words, name_words),
    )


_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir"})


def _body(text: str, words: Sequence[Token], name_start: int) -> Mention:
    """An organisation, government, country or group: its name is the capitalised run,
    with a lowercase head that ends it ("the Russian army", "U.S. officials")."""
    name_words = list(words[name_start:])
    kind: SpeakerKind = "group" if name_words[-1].lower in lexicon.GROUP_HEADS else "organisation"
    return Mention(
        text,
        "name",
        name=text_of(name_words),
        role=text_of(words[:name_start]) or None,
        kind=kind,
        gender="plural" if kind == "group" else "neuter",
    )


def _names_a_body(modifiers: Sequence[Token], head: str) -> bool:
    """'U.S. officials' name a body; 'local sources' and 'army sources' do not."""
    if head not in {"official", "officials"}:
        return False
    return any(m.is_capitalized and m.lower not in DETERMINERS for m in modifiers)


def is_known_outlet(name: str) -> bool:
    """A news outlet's name, whatever its case ("Reuters", "REUTERS")."""
    return name.casefold() in _FOLDED_OUTLETS


_FOLDED_OUTLETS = frozenset(outlet.casefold() for outlet in lexicon.OUTLETS)


def _description(text: str, words: Sequence[Token]) -> Mention | None:
    """A phrase without a name: "the Russian official", "the ministry", "the Russian army"."""
    head = words[-1].lower
    capitalised = [w for w in words if w.is_capitalized]
    named = any(w.lower not in lexicon.DEMONYMS for w in capitalised)  # more than "Syrian"
    if capitalised and head in lexicon.ORGANISATION_HEADS:
        return _body(text, words, words.index(capitalised[0]))
    if named and head in lexicon.GROUP_HEADS:
        # "U.S. officials", "Senate Democrats": a group tied to a body
        name = text_of(words[words.index(capitalised[0]) :])
        return Mention(text, "name", name=name, kind="group", gender="plural")
    if named and head in lexicon.SPOKESPERSON_HEADS:
        # "A Russian Defence Ministry spokesman", "The NDF official": the body speaks
        body = _body(text, words[:-1], words.index(capitalised[0]))
        return replace(body, head=head)
    if head in lexicon.DESCRIPTION_HEADS or head in lexicon.ORGANISATION_HEADS:
        gender = lexicon.GENDER_WORDS.get(head, "unknown")
        kind: SpeakerKind = "organisation" if head in lexicon.ORGANISATION_HEADS else "person"
        role = text_of(_strip_determiners(words))
        return Mention(text, "description", role=role, head=head, kind=kind, gender=gender)  # type: ignore[arg-type]
    return None


def _strip_determiners(words: Sequence[Token]) -> list[Token]:
    words = list(words)
    while words and words[0].lower in DETERMINERS:
        words = words[1:]
    return words


def _gender(words: Sequence[Token], name_words: Sequence[Token]) -> Gender:
    for word in words:
        gender = lexicon.GENDER_WORDS.get(word.lower)
        if gender == "male":
            return "male"
        if gender == "female":
            return "female"
    return _first_name_gender(name_words[0].lower) if len(name_words) > 1 else "unknown"


def _first_name_gender(word: str) -> Gender:
    return _FIRST_NAME_GENDER.get(word, "unknown")


# the gender a known first name tells
_FIRST_NAME_GENDER: dict[str, Gender] = {
    name: gender for gender in ("male", "female") for name in lexicon.FIRST_NAMES[gender]
}


def _pronoun_gender(pronoun: str) -> Gender:
    return lexicon.PRONOUN_GENDER[pronoun]  # type: ignore[return-value]


def text_of(tokens: Sequence[Token]) -> str:
    """The tokens as written, with single spaces where the text had space."""
    out = ""
    previous_end: int | None = None
    for token in tokens:
        if previous_end is not None and token.start > previous_end:
            out += " "
        out += token.text
        previous_end = token.end
    return out
