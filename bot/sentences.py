"""Sentences: split body paragraphs with NLTK's Punkt, trained on the corpus being loaded.

No NLTK data package is used: Punkt learns abbreviations, collocations and sentence starters
from the corpus text itself, and a built-in list of news abbreviations (lexicon) makes sure
"Maj. Gen. Igor Konashenkov said" is never cut. A sentence never spans a paragraph break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
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


class _LanguageVars(PunktLanguageVars):  # type: ignore[misc]
    """Punkt's English settings, with its patterns unguarded."""

    re_boundary_realignment = _unguarded(PunktLanguageVars.re_boundary_realignment)

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
    """Punkt's sentence tokenizer with its decisions remembered.

    Whether a candidate boundary's context ("said. The", "Gen. Igor") holds a sentence break
    depends only on that context and the learned parameters, and news text repeats the same
    contexts, so each is decided once per splitter (per worker process).
    """

    def __init__(self, parameters: PunktParameters) -> None:
        super().__init__(parameters, lang_vars=_LanguageVars(), token_cls=_Token)
        self._contains_break = lru_cache(maxsize=REMEMBERED_CONTEXTS)(
            super().text_contains_sentbreak
        )

    def text_contains_sentbreak(self, text: str) -> bool:
        return bool(self._contains_break(text))


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


_STARTS_WITH_PUNCTUATION = re.compile(r"^[,;)\]]")
_ENDS_IN_QUESTION = re.compile(r"[?!][\"'”’»]?\s*$")
# After `...?"`, these start the same sentence: `"Why?" she asked.` / `"Why?" asked Smith.`
_ATTRIBUTION_START = re.compile(r"^[\"”’»]?\s*[a-z]")


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


# A full stop (or ? !), perhaps a closing quote, space, then a capital or an opening quote.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“]?[A-Z])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]$")


def _missed_boundaries(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split where Punkt, trained on a small corpus, took a word for an abbreviation
    ("advice to the PM. The government") or let a closing quote run on ("way." He said):
    a boundary counts unless the word before it is a known abbreviation or an initial."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for boundary in _BOUNDARY.finditer(text, start, end):
        word = _WORD_BEFORE.search(text, piece_start, boundary.start())
        before = word.group(1).casefold() if word else ""
        ellipsis = before.endswith("..")  # "... these investigations... It's" ends there
        abbreviation = before in lexicon.NEWS_ABBREVIATIONS or len(before) == 1 or "." in before
        if abbreviation and not ellipsis:
            continue
        close = boundary.start() + (1 if text[boundary.start()] in '"”’' else 0)
        pieces.append((piece_start, close))
        piece_start = boundary.end()
    pieces.append((piece_start, end))
    return pieces


def _continues_previous(text: str, previous: tuple[int, int], start: int) -> bool:
    after = text[start:]
    if _STARTS_WITH_PUNCTUATION.match(after):
        return True
    before = text[previous[0] : previous[1]]
    return bool(_ENDS_IN_QUESTION.search(before) and _ATTRIBUTION_START.match(after))
