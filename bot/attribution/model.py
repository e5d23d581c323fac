"""The attribution stage's data: speakers, the phrases that name them, and statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Kind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "group"]
Gender = Literal["male", "female", "neuter", "plural", "unknown"]


class Token(NamedTuple):
    """A word or punctuation mark of a sentence, with its offsets in the sentence text and
    `lower`, the form the lexicon's tables hold (casefolded, with straight apostrophes).

    A named tuple: a sentence has many tokens, and a tuple is the cheapest to make."""

    text: str
    start: int
    end: int
    lower: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class QuotePiece:
    """The part of a quotation inside one sentence: offsets of the quoted words (marks
    excluded), and whether the quotation began before or goes on after this sentence."""

    start: int
    end: int
    quote_id: int  # the same for every piece of one quotation
    opened_before: bool
    continues_after: bool


@dataclass(frozen=True)
class Mention:
    """The phrase that names a speaker in a sentence, read without a parser.

    `name` is the proper name inside it ("Igor Konashenkov"), `role` the words describing
    the speaker ("Russia's Defense Ministry spokesman"), `head` the last common noun of a
    description ("official" in "the Russian official").
    """

    text: str
    form: Literal["name", "pronoun", "description", "anonymous"]
    name: str | None = None
    role: str | None = None
    head: str | None = None
    kind: SpeakerKind = "person"
    gender: Gender = "unknown"
    count: int | None = None  # speakers a counted group stands for ("Two former officials")


@dataclass(frozen=True)
class Speaker:
    """One person or body across the corpus, with every name and role seen for it."""

    key: str
    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """Something a speaker said, as found in one sentence of one document."""

    statement_id: int
    doc_index: int
    sentence_id: int
    speaker_key: str
    speaker_name: str
    mention: str  # how the sentence names the speaker ("she", "the Russian official")
    role: str | None  # the speaker's role in this document
    kind: Kind
    quote: str  # the quoted words (direct) or the reported clause
    quote_start: int  # offsets of `quote` in the document's published text
    quote_end: int
    reporting_verb: str | None
    confidence: float
