"""Answers: read a question, retrieve with BM25, and return the attributed statements.

First cut: the question's terms retrieve sentences; the statements in them are the answer,
best first. Question forms, speaker filters and the relevance cut-off come with issue 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.attribution import Statement
from bot.corpus import Corpus
from bot.documents import Document
from bot.sentences import Sentence
from bot.terms import analyze

RETRIEVED_SENTENCES = 50


class QuestionError(ValueError):
    """A question that cannot be answered as asked; the message says what to ask instead."""


@dataclass(frozen=True)
class Result:
    statement: Statement | None
    sentence: Sentence
    document: Document
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    results: tuple[Result, ...]


def answer(corpus: Corpus, question: str) -> Answer:
    """The statements that best match a question."""
    terms = analyze(question)
    if not question.strip():
        raise QuestionError("The question is empty: ask e.g. 'who said what about Azaz?'")
    results: list[Result] = []
    for hit in corpus.index.top(terms, RETRIEVED_SENTENCES):
        sentence = corpus.sentences[hit.sentence_id]
        document = corpus.documents[sentence.doc_index]
        for statement in corpus.statements_by_sentence.get(hit.sentence_id, ()):
            results.append(Result(statement, sentence, document, hit.score))
    return Answer(question, tuple(results))
