"""Sentences: split body paragraphs with NLTK's Punkt, trained on the corpus being loaded.

No NLTK data package is used: Punkt learns abbreviations, collocations and sentence starters
from the corpus text itself, and a built-in list of news abbreviations (lexicon) makes sure
"Maj. Gen. Igor Konashenkov said" is never cut. A sentence never spans a paragraph break.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped]
from nltk.tokenize import punkt
from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
    PunktTrainer,
)

from bot import lexicon
from bot.documents import Document, Paragraph

# Punkt learns well from a few hundred thousand characters (a corpus is sampled evenly to
# about this, see bot.corpus.processing); more only costs serial time on a large archive.
TRAINING_CHARACTERS = 500_000
# Candidate boundaries whose decision a splitter remembers: news copy repeats "said. The".
REMEMBERED_CONTEXTS = 100_000


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document's body, with where it stands in the published text."""

    sentence_id: int  # position in the corpus
    doc_index: int  # position of its document in the corpus
    paragraph: int  # paragraph number in the document body
    position: int  # sentence number within the paragraph
    text: str  # cleaned text
    offset: int  # where `text` starts in its paragraph's cleaned text
    start: int  # offsets in the document's published text
    end: int

    def source_span(self, paragraph: Paragraph, start: int, end: int) -> tuple[int, int]:
        """Published-text offsets of a stretch of this sentence's text."""
        return paragraph.source_span(self.offset + start, self.offset + end)


def _unguarded(pattern: Any) -> Any:
    """One of Punkt's own patterns, compiled by the same engine with the same flags, without
    nltk's per-call ReDoS timeout: on a single word the timeout costs several times the match.
    Punkt's patterns are fixed (nltk made them linear); the guard is for caller-supplied ones."""
    return regex.compile(pattern.pattern, pattern.flags)


_WORD_TOKENIZER = _unguarded(PunktLanguageVars()._word_tokenizer_re())
_PERIOD_CONTEXT = _unguarded(PunktLanguageVars().period_context_re())
_NON_PUNCT = _unguarded(punkt._re_non_punct)
_BOUNDARY_REALIGNMENT = _unguarded(PunktLanguageVars.re_boundary_realignment)
# The last whitespace character Punkt looks for before a candidate (string.whitespace).
_LAST_SPACE = regex.compile(r"(?r)[ \t\n\r\x0b\x0c]")


class _LanguageVars(PunktLanguageVars):  # type: ignore[misc]
    """Punkt's English settings, with its patterns unguarded."""

    re_boundary_realignment = _BOUNDARY_REALIGNMENT

    def _word_tokenizer_re(self) -> Any:
        return _WORD_TOKENIZER

    def period_context_re(self) -> Any:
        return _PERIOD_CONTEXT


class _Token(PunktToken):  # type: ignore[misc]
    """Punkt's token, with its patterns unguarded."""

    __slots__ = ()
    _RE_ELLIPSIS = _unguarded(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _unguarded(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _unguarded(PunktToken._RE_INITIAL)
    _RE_ALPHA = _unguarded(PunktToken._RE_ALPHA)

    @property
    def is_non_punct(self) -> Any:
        """As Punkt's (a number or a word, what training asks of every pair of tokens)."""
        return _NON_PUNCT.search(self.type)


class Splitter(PunktSentenceTokenizer):  # type: ignore[misc]
    """Punkt's sentence tokenizer with its decisions remembered, and the same spans found
    in one pass.

    Whether a candidate boundary's context ("said. The", "Gen. Igor") holds a sentence break
    depends only on that context and the learned parameters, and news text repeats the same
    contexts, so each is decided once per splitter (per worker process). A context whose word
    before the full stop can only end a sentence ("warned. Kafe") is decided without Punkt.
    """

    def __init__(self, parameters: PunktParameters) -> None:
        super().__init__(parameters, lang_vars=_LanguageVars(), token_cls=_Token)
        self._contains_break = lru_cache(maxsize=REMEMBERED_CONTEXTS)(self._decide)
        self._next_type = lru_cache(maxsize=REMEMBERED_CONTEXTS)(self._type_as_next_token)
        self._collocation_starts = frozenset(first for first, _ in parameters.collocations)

    def text_contains_sentbreak(self, text: str) -> bool:
        return bool(self._contains_break(text))

    def _decide(self, text: str) -> bool:
        return self._breaks_after_plain_word(text) or bool(super().text_contains_sentbreak(text))

    def _breaks_after_plain_word(self, text: str) -> bool:
        """Whether Punkt breaks after the first word of a context such as "warned. Kafe": a
        word of two or more letters, a full stop, a space and the start of a token, on one
        line. Punkt's first pass breaks after the word unless it is an abbreviation, and its
        second pass keeps that break unless the word and the next token's type make a
        collocation (its other rules are for initials, numbers and abbreviations)."""
        word, space, rest = text.partition(". ")
        if not space or len(word) < 2 or not word.isalpha() or rest[:1] not in _TOKEN_STARTS:
            return False
        if "\n" in rest or word.lower() in self._params.abbrev_types:
            return False
        word_type = (word + ".").lower()[:-1]
        if word_type not in self._collocation_starts:
            return True
        next_token = _WORD_TOKENIZER.match(text, len(word) + 2).group()
        return (word_type, self._next_type(next_token)) not in self._params.collocations

    def _type_as_next_token(self, token: str) -> str:
        """A token's type as Punkt's second pass reads it after a full stop: from the first
        pass alone, without a full stop that pass took for a sentence break."""
        annotated = self._Token(token)
        self._first_pass_annotation(annotated)
        return str(annotated.type_no_sentperiod)

    def span_tokenize(
        self, text: str, realign_boundaries: bool = True
    ) -> Iterator[tuple[int, int]]:
        if not realign_boundaries:
            return iter(super().span_tokenize(text, realign_boundaries))
        return iter(_realigned(text, self._break_slices(text)))

    def _break_slices(self, text: str) -> list[tuple[int, int]]:
        """Punkt's _slices_from_text over its _match_potential_end_contexts: each candidate's
        context runs from the start of the word before it (the whole of the previous
        candidate's word when no whitespace comes between) through the token after it, and a
        candidate whose word overlaps the next one's is not decided."""
        candidates: list[tuple[Any, int]] = []
        previous_start = previous_stop = 0
        for match in _PERIOD_CONTEXT.finditer(text):
            match_start = match.start()
            space = _LAST_SPACE.search(text, previous_stop, match_start)
            word_start = space.end() if space and space.start() > previous_stop else previous_start
            if candidates and previous_stop > word_start:
                candidates.pop()
            candidates.append((match, word_start))
            previous_start, previous_stop = word_start, match_start
        slices: list[tuple[int, int]] = []
        last_break = 0
        for match, word_start in candidates:
            if self._contains_break(text[word_start : match.end("after_tok")]):
                slices.append((last_break, match.end()))
                next_token = match.start("next_tok")
                last_break = next_token if next_token >= 0 else match.end()
        slices.append((last_break, len(text.rstrip())))
        return slices


# What can follow "word. " in a context and start a token of its own, never a multi-character
# one beginning at the full stop (". . ." is Punkt's ellipsis token).
_TOKEN_STARTS = frozenset(string.ascii_letters + string.digits + "\"'“‘«([")


def _realigned(text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt's _realign_boundaries: closing punctuation after a break ("(Sent1.) Sent2.")
    joins the sentence before it; empty sentences are dropped."""
    spans: list[tuple[int, int]] = []
    realign = 0
    last = len(slices) - 1
    for number, (start, stop) in enumerate(slices):
        start += realign
        if number == last:
            if start < stop:
                spans.append((start, stop))
            break
        next_start, next_stop = slices[number + 1]
        closing = _BOUNDARY_REALIGNMENT.match(text, next_start, next_stop)
        if closing:
            spans.append((start, next_start + len(closing.group(0).rstrip())))
            realign = closing.end() - next_start
        else:
            realign = 0
            if start < stop:
                spans.append((start, stop))
    return spans


def train_splitter(documents: Iterable[Document]) -> Splitter:
    """A Punkt tokenizer trained on the documents' body text plus the news abbreviations."""
    return Splitter(
        train_parameters(
            "\n\n".join(paragraph.text for paragraph in document.paragraphs)
            for document in documents
        )
    )


def train_parameters(texts: Iterable[str]) -> PunktParameters:
    """Punkt's learned parameters from texts (their first TRAINING_CHARACTERS), with the
    news abbreviations added; plain data that can be saved and shared with workers."""
    trainer = PunktTrainer(lang_vars=_LanguageVars(), token_cls=_Token)
    trainer.INCLUDE_ALL_COLLOCS = True
    budget = TRAINING_CHARACTERS
    for text in texts:
        if budget <= 0:
            break
        if text:
            trainer.train(text[:budget], finalize=False)
            budget -= len(text)
    trainer.finalize_training()
    parameters = trainer.get_params()
    parameters.abbrev_types.update(lexicon.NEWS_ABBREVIATIONS)
    return parameters


def parameters_to_json(parameters: PunktParameters) -> dict[str, object]:
    return {
        "abbrev_types": sorted(parameters.abbrev_types),
        "collocations": sorted(list(pair) for pair in parameters.collocations),
        "sent_starters": sorted(parameters.sent_starters),
        "ortho_context": dict(sorted(parameters.ortho_context.items())),
    }


def parameters_from_json(data: Mapping[str, Any]) -> PunktParameters:
    parameters = PunktParameters()
    parameters.abbrev_types = set(data["abbrev_types"])
    parameters.collocations = {tuple(pair) for pair in data["collocations"]}
    parameters.sent_starters = set(data["sent_starters"])
    for word, flags in data["ortho_context"].items():
        parameters.ortho_context[word] = int(flags)
    return parameters


def split_documents(
    documents: Sequence[Document], splitter: PunktSentenceTokenizer
) -> tuple[Sentence, ...]:
    """Every sentence of every document, numbered across the corpus."""
    sentences: list[Sentence] = []
    for doc_index, document in enumerate(documents):
        for paragraph_number, paragraph in enumerate(document.paragraphs):
            spans = split_paragraph(paragraph.text, splitter)
            for position, (start, end) in enumerate(spans):
                source_start, source_end = paragraph.source_span(start, end)
                sentences.append(
                    Sentence(
                        sentence_id=len(sentences),
                        doc_index=doc_index,
                        paragraph=paragraph_number,
                        position=position,
                        text=paragraph.text[start:end],
                        offset=start,
                        start=source_start,
                        end=source_end,
                    )
                )
    return tuple(sentences)


# Matched where a piece of a paragraph starts, or ends (as if the paragraph ended there).
_STARTS_WITH_PUNCTUATION = re.compile(r"[,;)\]]")
_ENDS_IN_QUESTION = re.compile(r"[?!][\"'”’»]?\s*$")
# After `...?"`, these start the same sentence: `"Why?" she asked.` / `"Why?" asked Smith.`
_ATTRIBUTION_START = re.compile(r"[\"”’»]?\s*[a-z]")


def split_paragraph(text: str, splitter: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, with `"...?" she said` kept as one sentence."""
    spans: list[tuple[int, int]] = []
    for punkt_start, punkt_end in splitter.span_tokenize(text):
        for start, end in _missed_boundaries(text, punkt_start, punkt_end):
            if spans and _continues_previous(text, spans[-1], start):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


# A full stop (or ? !), then the gap: perhaps a closing quote, and space, before a capital or
# an opening quote.
_BOUNDARY = re.compile(r"[.!?]([\"”’]?\s+)(?=[\"“]?[A-Z])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]$")


def _missed_boundaries(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split where Punkt, trained on a small corpus, took a word for an abbreviation
    ("advice to the PM. The government") or let a closing quote run on ("way." He said):
    a boundary counts unless the word before it is a known abbreviation or an initial."""
    search_start = max(start - 1, 0)  # the full stop before a gap that starts the sentence
    if not _BOUNDARY.search(text, search_start, end):
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for boundary in _BOUNDARY.finditer(text, search_start, end):
        gap = boundary.start(1)
        word = _WORD_BEFORE.search(text, piece_start, gap)
        before = word.group(1).casefold() if word else ""
        ellipsis = before.endswith("..")  # "... these investigations... It's" ends there
        abbreviation = before in lexicon.NEWS_ABBREVIATIONS or len(before) == 1 or "." in before
        if abbreviation and not ellipsis:
            continue
        close = gap + (1 if text[gap] in '"”’' else 0)
        pieces.append((piece_start, close))
        piece_start = boundary.end()
    pieces.append((piece_start, end))
    return pieces


def _continues_previous(text: str, previous: tuple[int, int], start: int) -> bool:
    if _STARTS_WITH_PUNCTUATION.match(text, start):
        return True
    return bool(_ATTRIBUTION_START.match(text, start) and _ENDS_IN_QUESTION.search(text, *previous))
