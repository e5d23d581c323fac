"""Replies: a question in, an Answer out, with statements grouped by speaker or a reason why not.

When nobody is quoted the answer says which case it is: the speaker named is not in the
corpus, the speaker is quoted but not on the topic, the topic is mentioned but nobody is quoted
on it (and where), or the topic is not in the corpus at all (with close words and speakers).
"""

from __future__ import annotations

import html
import re
from datetime import date

from rapidfuzz import fuzz, process

from bot.answers.model import Answer, Question, Result, SpeakerGroup
from bot.answers.questions import read_question
from bot.answers.retrieval import (
    SENTENCE_SHARE,
    Found,
    Topic,
    about_topic,
    by_speakers,
    making_claim,
    read_topic,
)
from bot.answers.speakers import (
    Fit,
    close_speaker_names,
    find_speakers,
    is_generic,
    names_speaker,
)
from bot.attribution import Speaker
from bot.corpus import Corpus
from bot.documents import Document
from bot.terms import analyze, fold

DEFAULT_MAX_RESULTS = 30
MAX_MENTIONS = 5  # documents named for a topic nobody is quoted on
MAX_SUGGESTIONS = 5
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"\s+")
_CLOSE_WORD_CUTOFF = 80  # rapidfuzz ratio for "did you mean" words
_MIN_SUGGESTED_WORD = 4
MENTION_SENTENCES = 200  # sentences read for where a topic nobody is quoted on appears


def answer(corpus: Corpus, question: str, max_results: int = DEFAULT_MAX_RESULTS) -> Answer:
    """The statements that answer a question, grouped by speaker; never raises on any text."""
    asked = read_question(question, lambda phrase: names_speaker(corpus, phrase))
    if asked.kind == "empty":
        return Answer(asked, "empty")
    speaker_keys: frozenset[str] | None = None
    named: tuple[Speaker, ...] = ()
    if asked.speaker and not is_generic(asked.speaker):
        named = tuple(match.speaker for match in find_speakers(corpus, asked.speaker))
        if not named:
            suggestions = close_speaker_names(corpus, asked.speaker, MAX_SUGGESTIONS)
            return Answer(asked, "unknown_speaker", suggestions=suggestions)
        speaker_keys = frozenset(speaker.key for speaker in named)
    topic = read_topic(corpus, asked.topic) if asked.topic else None
    if topic is not None and not topic.terms:
        topic = None
    if topic is None and speaker_keys is None:
        return Answer(asked, "no_terms")
    found = _retrieve(corpus, asked, topic, speaker_keys)
    if not found:
        return _nobody_quoted(corpus, asked, topic, named)
    groups, omitted = _groups(corpus, found, topic, max_results)
    others = _others_on_bare_name(corpus, asked, speaker_keys)
    return Answer(asked, "answered", groups, named, others_quoted=others, omitted=omitted)


def _others_on_bare_name(
    corpus: Corpus, asked: Question, speaker_keys: frozenset[str] | None
) -> int:
    """For a bare name ("Russia"), answered with what that speaker said: how many statements
    by others are about it, so the reply can offer them too."""
    if not asked.bare or asked.topic or not asked.speaker or speaker_keys is None:
        return 0
    topic = read_topic(corpus, asked.speaker)
    if not topic.known:
        return 0
    return sum(1 for f in about_topic(corpus, topic) if f.statement.speaker_key not in speaker_keys)


def _retrieve(
    corpus: Corpus, asked: Question, topic: Topic | None, speaker_keys: frozenset[str] | None
) -> list[Found]:
    if topic is None:
        return by_speakers(corpus, speaker_keys or frozenset())
    if asked.kind == "claim":
        return making_claim(corpus, topic, speaker_keys)
    return about_topic(corpus, topic, speaker_keys)


def _nobody_quoted(
    corpus: Corpus, asked: Question, topic: Topic | None, named: tuple[Speaker, ...]
) -> Answer:
    if named or topic is None:
        others = len(about_topic(corpus, topic)) if topic and topic.known else 0
        return Answer(asked, "speaker_silent", speakers=named, others_quoted=others)
    mentioned = where_mentioned(corpus, topic, asked.topic or "")
    if mentioned:
        # A topic that is a speaker's name: nobody speaks of them, but they speak.
        speaking = tuple(
            match.speaker
            for match in find_speakers(corpus, asked.topic or "")
            if match.fit >= Fit.NAME
        )
        return Answer(asked, "not_quoted", speakers=speaking, mentioned_in=mentioned)
    suggestions = close_words(corpus, topic, asked.topic or "") + close_speaker_names(
        corpus, asked.topic or "", MAX_SUGGESTIONS
    )
    return Answer(
        asked, "not_found", suggestions=tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS]
    )


def _groups(
    corpus: Corpus, found: list[Found], topic: Topic | None, max_results: int
) -> tuple[tuple[SpeakerGroup, ...], int]:
    """The best `max_results` statements (one at least), grouped by speaker: speakers by
    their best statement, statements in document order."""
    ranked = sorted(found, key=lambda f: _rank(corpus, f))
    kept = ranked[: max(max_results, 1)]
    by_speaker: dict[str, list[Found]] = {}
    for item in kept:
        by_speaker.setdefault(item.statement.speaker_key, []).append(item)
    terms = frozenset(topic.search_terms) if topic else frozenset()
    groups = []
    for key, items in by_speaker.items():
        items.sort(
            key=lambda f: (f.statement.doc_index, f.statement.sentence_id, f.statement.quote_start)
        )
        results = tuple(_result(corpus, item, terms) for item in items)
        groups.append(SpeakerGroup(corpus.speakers[key], results))
    return tuple(groups), len(ranked) - len(kept)


def _rank(corpus: Corpus, found: Found) -> tuple[float, int, int]:
    """Best first; among equals, the newest document first, then reading order."""
    newest = -_day_number(corpus.document_of(found.statement).date)
    return (-found.score, newest, found.statement.statement_id)


def _day_number(iso: str | None) -> int:
    """Days since year 1 of an ISO date; 0 for no date or one that is not a real day."""
    try:
        return date.fromisoformat(iso).toordinal() if iso else 0
    except ValueError:
        return 0


def _result(corpus: Corpus, found: Found, terms: frozenset[str]) -> Result:
    statement = found.statement
    document = corpus.document_of(statement)
    excerpt = display_excerpt(document.excerpt(statement.quote_start, statement.quote_end))
    return Result(
        statement=statement,
        speaker=corpus.speakers[statement.speaker_key],
        sentence=corpus.sentence_of(statement),
        document=document,
        excerpt=excerpt,
        highlights=highlights(excerpt, terms),
        score=found.score,
    )


def display_excerpt(published: str) -> str:
    """Published words as a reader saw them: entities decoded, one line, no trailing comma."""
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), published)
    return _SPACES.sub(" ", text).strip().rstrip(",").rstrip()


def highlights(text: str, terms: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Spans of the words of `text` that are among the question's terms."""
    if not terms:
        return ()
    return tuple(m.span() for m in _WORD.finditer(text) if terms.intersection(analyze(m.group())))


def where_mentioned(corpus: Corpus, topic: Topic, topic_text: str) -> tuple[Document, ...]:
    """Documents whose text, title or captions carry most of the topic, best first."""
    shares: dict[int, float] = {}
    for hit in corpus.index.top(topic.search_terms, MENTION_SENTENCES):
        sentence = corpus.sentences[hit.sentence_id]
        share = topic.share(analyze(sentence.text))
        shares[sentence.doc_index] = max(share, shares.get(sentence.doc_index, 0.0))
    # Titles and captions are not indexed: a quick look for the topic's words comes first.
    titles = corpus.lookups.titles
    words = [fold(word) for word in _WORD.findall(topic_text) if len(word) >= 3]
    for position in titles.containing(words):
        doc_index = int(titles.documents[position])
        share = topic.share(analyze(titles.texts[position]))
        shares[doc_index] = max(share, shares.get(doc_index, 0.0))
    ranked = sorted(
        (doc for doc, share in shares.items() if share >= SENTENCE_SHARE),
        key=lambda doc: (-shares[doc], doc),
    )
    return tuple(corpus.documents[doc] for doc in ranked[:MAX_MENTIONS])


def close_words(corpus: Corpus, topic: Topic, text: str) -> tuple[str, ...]:
    """Words of the corpus that look like the question's unknown words ("Alepo": "Aleppo")."""
    known = set(topic.known)
    asked = [
        word
        for word in _WORD.findall(text)
        if len(word) >= _MIN_SUGGESTED_WORD and analyze(word) and not known & set(analyze(word))
    ]
    if not asked:
        return ()
    vocabulary = corpus.lookups.capitalised_words
    close: list[str] = []
    for word in asked:
        found = process.extract(
            fold(word),
            list(vocabulary),
            scorer=fuzz.ratio,
            score_cutoff=_CLOSE_WORD_CUTOFF,
            limit=3,
        )
        close.extend(vocabulary[choice] for choice, _, _ in found if choice != fold(word))
    return tuple(dict.fromkeys(close))
