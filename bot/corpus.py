"""The corpus snapshot: documents, sentences, statements, speakers and the index, built once.

A snapshot is immutable. Reloading builds a new one beside the old and the caller swaps one
reference, so questions are answered from a complete corpus at every moment.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.attribution import Speaker, Statement, attribute
from bot.documents import Document, SkippedFile, load_documents
from bot.index import BM25Index, SearchIndex
from bot.sentences import Sentence, split_documents, train_splitter
from bot.terms import analyze


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    sentences: tuple[Sentence, ...]
    statements: tuple[Statement, ...]
    speakers: dict[str, Speaker]
    index: SearchIndex
    skipped: tuple[SkippedFile, ...] = ()
    build_seconds: float = 0.0
    statements_by_sentence: dict[int, tuple[Statement, ...]] = field(default_factory=dict)

    def document_of(self, statement: Statement | Sentence) -> Document:
        return self.documents[statement.doc_index]

    def sentence_of(self, statement: Statement) -> Sentence:
        return self.sentences[statement.sentence_id]


def build_corpus(paths: Sequence[Path], max_file_bytes: int) -> Corpus:
    """Load, clean, split, attribute and index every corpus file under `paths`."""
    started = time.perf_counter()
    loaded = load_documents(paths, max_file_bytes)
    splitter = train_splitter(loaded.documents)
    sentences = split_documents(loaded.documents, splitter)
    attribution = attribute(loaded.documents, sentences)
    index = BM25Index.build([analyze(sentence.text) for sentence in sentences])
    by_sentence: dict[int, list[Statement]] = {}
    for statement in attribution.statements:
        by_sentence.setdefault(statement.sentence_id, []).append(statement)
    return Corpus(
        documents=loaded.documents,
        sentences=sentences,
        statements=attribution.statements,
        speakers=attribution.speakers,
        index=index,
        skipped=loaded.skipped,
        build_seconds=time.perf_counter() - started,
        statements_by_sentence={k: tuple(v) for k, v in by_sentence.items()},
    )
