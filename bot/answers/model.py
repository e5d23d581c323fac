"""The answer engine's data: a question as understood, and the answer it gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.attribution import Speaker, Statement
from bot.documents import Document
from bot.sentences import Sentence

QuestionKind = Literal["topic", "speaker", "claim", "empty"]

# What became of a question: answered, or why nobody is quoted.
Status = Literal[
    "answered",
    "empty",  # nothing was asked
    "no_terms",  # only question words ("who said what about the?")
    "unknown_speaker",  # the speaker the question names is not quoted in the corpus
    "speaker_silent",  # the speaker is quoted, but not on the topic
    "not_quoted",  # the topic is in the corpus, but nobody is quoted on it
    "not_found",  # the topic is not in the corpus at all
]


@dataclass(frozen=True)
class Question:
    """A question as understood: its kind and the words that fill its slots."""

    text: str  # as asked, on one line, without control characters
    kind: QuestionKind
    speaker: str | None = None  # the speaker as the question names them ("Zakharova")
    topic: str | None = None  # the topic or the claim, in the question's words
    bare: bool = False  # no question frame: a bare name or topic ("Azaz")


@dataclass(frozen=True)
class Result:
    """One statement of the answer, with its source and the words to show."""

    statement: Statement
    speaker: Speaker
    sentence: Sentence
    document: Document
    excerpt: str  # the statement's words exactly as published
    highlights: tuple[tuple[int, int], ...]  # spans of the question's terms in `excerpt`
    score: float


@dataclass(frozen=True)
class SpeakerGroup:
    """One speaker's statements in the answer, in document order."""

    speaker: Speaker
    results: tuple[Result, ...]

    @property
    def role(self) -> str | None:
        """The role the speaker's first statement gives them, else one seen elsewhere."""
        for result in self.results:
            if result.statement.role:
                return result.statement.role
        return self.speaker.roles[0] if self.speaker.roles else None


@dataclass(frozen=True)
class Answer:
    """The reply to one question: statements grouped by speaker, or why there are none."""

    question: Question
    status: Status
    groups: tuple[SpeakerGroup, ...] = ()
    speakers: tuple[Speaker, ...] = ()  # the speakers the question named, as found (for a
    # topic nobody is quoted on: the speakers the topic names, who are quoted themselves)
    mentioned_in: tuple[Document, ...] = ()  # not_quoted: where the topic appears
    others_quoted: int = 0  # statements by others on the topic (speaker_silent), or about
    # the name asked alone (answered with what that speaker said)
    suggestions: tuple[str, ...] = ()  # close words or speakers of the corpus
    omitted: int = 0  # relevant statements left out by the result limit

    @property
    def results(self) -> tuple[Result, ...]:
        """Every result in reading order: speaker by speaker."""
        return tuple(result for group in self.groups for result in group.results)


@dataclass(frozen=True)
class SpeakerEntry:
    speaker: Speaker
    statements: int
    documents: int


@dataclass(frozen=True)
class SpeakerListing:
    """Everyone quoted in the corpus, most quoted first."""

    entries: tuple[SpeakerEntry, ...]


@dataclass(frozen=True)
class SourceEntry:
    document: Document
    sentences: int
    statements: int
    speakers: int


@dataclass(frozen=True)
class SourceListing:
    """The corpus's documents, newest first."""

    entries: tuple[SourceEntry, ...]
    skipped: int = 0  # files that could not be loaded
