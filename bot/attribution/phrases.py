"""Speaker phrases: tokenize a sentence, find the noun phrase that names a speaker, and read it.

There is no parser: a speaker's phrase is a run of tokens that can belong to a name or a
description (capitalised words, name particles, role words such as "spokesman", possessives,
"of" between names), bounded by anything else. Reading the phrase splits it into the proper
name, the role around it and, for descriptions, the head noun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import lexicon
from bot.attribution.model import Gender, Mention, SpeakerKind, Token

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., U.N.
    r"|[^\W_]+(?:[-‐][^\W_]+)*(?:['’][^\W_s][^\W_]*)*"  # words, hyphenated, O'Brien
    r"|['’]s\b|['’](?=\s)"  # possessive 's and plural possessive '
    r"|\S",
)
_ABBREVIATION_WORDS = {a for a in lexicon.NEWS_ABBREVIATIONS if "." not in a}

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her"})
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


def tokenize(text: str) -> list[Token]:
    """Words and marks of a sentence; "Gen." keeps its period, "Russia's" splits off "'s"."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        end = match.end()
        if word.casefold() in _ABBREVIATION_WORDS and text[end : end + 1] == ".":
            end += 1
        tokens.append(Token(text[match.start() : end], match.start(), end))
    return [t for i, t in enumerate(tokens) if not (t.text == "." and _inside(tokens, i))]


def _inside(tokens: list[Token], index: int) -> bool:
    """A period already taken by the abbreviation before it."""
    return index > 0 and tokens[index - 1].end > tokens[index].start


def is_name_word(token: Token) -> bool:
    """A word that can be part of a proper name."""
    return token.is_word and (token.is_capitalized or token.lower in lexicon.NAME_PARTICLES)


def can_be_in_phrase(token: Token) -> bool:
    """A token that may belong to a speaker's noun phrase."""
    lower = token.lower
    return (
        is_name_word(token)
        or lower in lexicon.ROLE_WORDS
        or lower in DETERMINERS
        or lower in NUMBERS
        or lower in _POSSESSIVE
        or lower in lexicon.PRONOUN_GENDER
        or lower in lexicon.ANONYMOUS_HEADS
        or lower.replace("-", "") in lexicon.ROLE_WORDS
        or lower.startswith("ex-")
        or lower in {"(", ")"}
    )


def phrase_before(tokens: Sequence[Token], end: int) -> int:
    """Start index of the speaker phrase that ends just before token `end`.

    Walks left over phrase tokens; a connector ("of", "for") is taken only between two
    phrase tokens, so "Observatory for Human Rights" holds together.
    """
    start = end
    while start > 0:
        token = tokens[start - 1]
        if can_be_in_phrase(token):
            start -= 1
            continue
        if (
            token.lower in CONNECTORS - {"and"}
            and start - 2 >= 0
            and start < end
            and is_name_word(tokens[start - 2])
            and is_name_word(tokens[start])
        ):
            start -= 1
            continue
        break
    # a determiner is only a phrase's first word: "the" inside stops it ("... of the WHO")
    while start < end and tokens[start].lower in _POSSESSIVE:
        start += 1
    return _trim_left(tokens, start, end)


def phrase_after(tokens: Sequence[Token], start: int) -> int:
    """End index (exclusive) of the speaker phrase that starts at token `start`."""
    end = start
    while end < len(tokens):
        token = tokens[end]
        if can_be_in_phrase(token) and not (end > start and token.lower in DETERMINERS):
            end += 1
            continue
        if token.lower in CONNECTORS - {"and"} and end > start and end + 1 < len(tokens):
            following = tokens[end + 1]
            if is_name_word(following) or following.lower in DETERMINERS:
                end += 1
                continue
        break
    while end > start and tokens[end - 1].lower in CONNECTORS | DETERMINERS:
        end -= 1
    return end


def _trim_left(tokens: Sequence[Token], start: int, end: int) -> int:
    """Drop what cannot begin a phrase: a sentence-initial capital that is not a name."""
    while start < end and tokens[start].lower in {")", "'s", "’s"}:
        start += 1
    return start


def read_mention(tokens: Sequence[Token]) -> Mention | None:
    """What a speaker phrase says: a name (with role), a pronoun, a description or nobody."""
    words = [t for t in tokens if t.text not in {"(", ")"}]
    while words and words[0].lower in DETERMINERS | NUMBERS:
        words = words[1:]
    if not words:
        return None
    text = _join(tokens)
    lowers = [w.lower for w in words]
    if len(words) == 1 and lowers[0] in lexicon.PRONOUN_GENDER:
        return Mention(text, "pronoun", gender=_pronoun_gender(lowers[0]))
    head = lowers[-1]
    if head in lexicon.ANONYMOUS_HEADS and not _names_a_body(words[:-1], head):
        return Mention(text, "anonymous", head=head)
    name_start = _proper_name_start(words)
    if name_start is None:
        return _description(text, words)
    name_words = words[name_start:]
    role_words = words[:name_start]
    titles: list[Token] = []
    while name_words and name_words[0].lower.rstrip(".") in {t.rstrip(".") for t in lexicon.TITLES}:
        titles.append(name_words[0])
        name_words = name_words[1:]
    if not name_words:
        return _description(text, words)
    kind = _kind(name_words, role_words, titles)
    if kind != "person":
        whole = words if not _is_person_role(role_words) else name_words
        return Mention(
            text,
            "name",
            name=_join(_strip_determiners(whole)),
            kind=kind,
            gender="neuter" if kind == "organisation" else "plural",
        )
    keep_title = [t for t in titles if t.lower in lexicon.NAME_KEEPING_TITLES]
    if keep_title and len(name_words) == 1:
        name_words = keep_title[-1:] + name_words
    role = _join(role_words) or _join([t for t in titles if t not in keep_title]) or None
    return Mention(
        text,
        "name",
        name=_join(name_words),
        role=role,
        kind="person",
        gender=_gender(words, name_words),
    )


def _names_a_body(modifiers: Sequence[Token], head: str) -> bool:
    """'U.S. officials' name a body; 'local sources' and 'army sources' do not."""
    if head not in {"official", "officials"}:
        return False
    return any(m.is_capitalized and m.lower not in DETERMINERS for m in modifiers)


def _proper_name_start(words: Sequence[Token]) -> int | None:
    """Index where the trailing run of name words begins, or None if the phrase has none."""
    index = len(words)
    while index > 0:
        word = words[index - 1]
        if is_name_word(word) and word.lower not in lexicon.ROLE_WORDS - lexicon.TITLES:
            index -= 1
            continue
        if (
            word.lower in {"of", "for", "and"}
            and index < len(words)
            and index - 1 > 0
            and is_name_word(words[index - 2])
        ):
            index -= 1
            continue
        break
    if index == len(words):
        # the phrase ends in a role word: "Russia's Defense Ministry" or "the WHO spokesman"
        capitalised = [w for w in words if w.is_capitalized]
        if capitalised and words[-1].lower in lexicon.ORGANISATION_HEADS:
            return _organisation_start(words)
        return None
    while index < len(words) and words[index].lower in {"of", "for", "and"}:
        index += 1
    return index if index < len(words) else None


def _organisation_start(words: Sequence[Token]) -> int:
    """An organisation's name reaches back over its capitalised words and possessives."""
    index = len(words)
    while index > 0 and (
        words[index - 1].is_capitalized
        or words[index - 1].lower in _POSSESSIVE
        or words[index - 1].lower in {"of", "for"}
    ):
        index -= 1
    return index


def _kind(
    name_words: Sequence[Token], role_words: Sequence[Token], titles: Sequence[Token]
) -> SpeakerKind:
    lowers = [w.lower for w in name_words]
    if titles or _first_name_gender(lowers[0]) != "unknown":
        return "person"
    if any(w in lexicon.ORGANISATION_HEADS for w in lowers):
        return "organisation"
    if len(lowers) == 1 and (
        lowers[0] in lexicon.PLACES_AS_SPEAKERS or name_words[0].text.isupper()
    ):
        return "organisation"
    if any(_known_outlet(_join(name_words))):
        return "organisation"
    if lowers[-1] in {"officials", "leaders", "democrats", "republicans", "conservatives"}:
        return "group"
    return "person"


def _known_outlet(name: str) -> list[str]:
    folded = name.casefold()
    return [o for o in lexicon.OUTLETS if o.casefold() == folded]


def _is_person_role(role_words: Sequence[Token]) -> bool:
    return any(w.lower in {"spokesman", "spokeswoman", "spokesperson"} for w in role_words)


def _description(text: str, words: Sequence[Token]) -> Mention | None:
    head = words[-1].lower
    if head in lexicon.DESCRIPTION_HEADS or head in lexicon.ORGANISATION_HEADS:
        gender = lexicon.GENDER_WORDS.get(head, "unknown")
        kind: SpeakerKind = "organisation" if head in lexicon.ORGANISATION_HEADS else "person"
        role = _join(_strip_determiners(words))
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
    for gender in ("female", "male"):
        if word in lexicon.FIRST_NAMES[gender]:
            return gender
    return "unknown"


def _pronoun_gender(pronoun: str) -> Gender:
    return lexicon.PRONOUN_GENDER[pronoun]  # type: ignore[return-value]


def _join(tokens: Sequence[Token]) -> str:
    """The tokens as written, with single spaces where the text had space."""
    out = ""
    previous_end: int | None = None
    for token in tokens:
        if previous_end is not None and token.start > previous_end:
            out += " "
        out += token.text
        previous_end = token.end
    return out
