"""Questions: read what is asked into a kind (topic, speaker, claim) and the words of its slots.

The frames are data (bot.questions_lexicon). A question no frame fits is a bare name or topic
("Zakharova", "Azaz", "Zakharova on Turkey"); whether a name is a speaker's is for the caller
to say, since only the corpus knows its speakers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from bot import questions_lexicon
from bot.answers.model import Question, QuestionKind

MAX_QUESTION_CHARS = 500  # longer input is cut here (at a word) before it is read
MAX_NAME_WORDS = 8  # a longer phrase standing alone is not taken for a speaker's name

_SLOT = re.compile(r"\{(\w+)\}")
_PUNCTUATION_EDGES = " \t?!.,;:…¿¡\"'«»“”„()[]{}*_~`"
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|[*_~`|]{2,}|(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_CHARACTER_FIXES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
# Control, format, surrogate and private-use characters, and unassigned code points: never
# part of a question, and some cannot even be printed.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

# Terminal colour and cursor codes ("\x1b[31m"), pasted from a console along with the text.
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[@-Z\\-_]")

IsSpeaker = Callable[[str], bool]


def clean(text: str) -> str:
    """The question on one line: no control characters, single spaces, at most ~500 chars."""
    visible = "".join(
        " " if unicodedata.category(c) in _INVISIBLE_CATEGORIES else c
        for c in _TERMINAL_ESCAPE.sub(" ", text)
    )
    line = _SPACES.sub(" ", visible).strip()
    if len(line) <= MAX_QUESTION_CHARS:
        return line
    cut = line[:MAX_QUESTION_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def read_question(text: str, is_speaker: IsSpeaker) -> Question:
    """What a question asks. `is_speaker` says whether a phrase names a speaker of the corpus."""
    cleaned = clean(text)
    core = _core(cleaned)
    if not core:
        return Question(cleaned, "empty")
    for kind, pattern in _frames():
        match = pattern.match(core + " ")
        if match is None:
            continue
        slots = {name: _slot_text(value) for name, value in match.groupdict().items() if value}
        if any(not value for value in slots.values()):
            continue
        return Question(
            cleaned, kind, slots.get("speaker"), slots.get("topic") or slots.get("claim")
        )
    return _bare(cleaned, core, is_speaker)


def _bare(cleaned: str, core: str, is_speaker: IsSpeaker) -> Question:
    """A question without a frame: a speaker's name, "speaker on topic", or a topic."""
    if _could_be_name(core) and is_speaker(core):
        return Question(cleaned, "speaker", speaker=core, bare=True)
    for match in _SPEAKER_ON_TOPIC.finditer(core):
        speaker, topic = _slot_text(core[: match.start()]), _slot_text(core[match.end() :])
        if not _could_be_name(speaker):
            break
        if topic and is_speaker(speaker):
            return Question(cleaned, "speaker", speaker=speaker, topic=topic, bare=True)
    return Question(cleaned, "topic", topic=core, bare=True)


def _could_be_name(phrase: str) -> bool:
    return 0 < len(phrase.split()) <= MAX_NAME_WORDS


_SPEAKER_ON_TOPIC = re.compile(r"\s*(?::|\s(?:on|about|regarding|re)\s)\s*", re.IGNORECASE)


def _core(text: str) -> str:
    """The question without markup, request words ("please tell me"), edge punctuation or
    quotes: what is left to read."""
    unmarked = _SPACES.sub(" ", _MARKUP.sub(" ", text))
    core = unmarked.translate(_CHARACTER_FIXES).strip(_PUNCTUATION_EDGES)
    core = _CONTRACTION.sub(lambda m: questions_lexicon.CONTRACTIONS[m.group().casefold()], core)
    changed = True
    while changed and core:
        changed = False
        for pattern in (_OPENERS, _CLOSERS):
            stripped = pattern.sub("", core).strip(_PUNCTUATION_EDGES)
            if stripped != core:
                core, changed = stripped, True
    return core


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)  # longest first: "has been" before "has"
    return "(?:" + "|".join(re.escape(w) for w in ordered) + ")"


_CONTRACTION = re.compile(
    r"(?<!\w)" + _alternatives(list(questions_lexicon.CONTRACTIONS)) + r"(?!\w)", re.IGNORECASE
)
_OPENERS = re.compile(
    r"^" + _alternatives(list(questions_lexicon.REQUEST_OPENERS)) + r"\b[\s,:]*", re.IGNORECASE
)
_CLOSERS = re.compile(
    r"[\s,]*\b" + _alternatives(list(questions_lexicon.REQUEST_CLOSERS)) + r"$", re.IGNORECASE
)


def _slot_text(text: str) -> str:
    return text.strip(_PUNCTUATION_EDGES)


@lru_cache(maxsize=1)
def _frames() -> tuple[tuple[QuestionKind, re.Pattern[str]], ...]:
    return tuple((_KINDS[kind], _compile(template)) for kind, template in questions_lexicon.FRAMES)


_KINDS: dict[str, QuestionKind] = {"topic": "topic", "speaker": "speaker", "claim": "claim"}


def _compile(template: str) -> re.Pattern[str]:
    """A frame template as an anchored, case-insensitive pattern over a question + " "."""
    pattern = ""
    for token in template.split():
        optional = token.endswith("?")
        choices = [_choice(choice) for choice in token.rstrip("?").split("|")]
        piece = "(?:" + "|".join(choices) + r")\s"
        pattern += f"(?:{piece})?" if optional else piece
    return re.compile(pattern + "$", re.IGNORECASE)


def _choice(choice: str) -> str:
    if choice.startswith("<") and choice.endswith(">"):
        return _alternatives(questions_lexicon.FRAME_WORDS[choice[1:-1]])
    pieces = []
    position = 0
    for slot in _SLOT.finditer(choice):
        pieces.append(re.escape(choice[position : slot.start()]))
        pieces.append(f"(?P<{slot.group(1)}>.+?)")
        position = slot.end()
    pieces.append(re.escape(choice[position:]))
    return "".join(pieces)
