"""Listings: who is quoted in the corpus, and which documents it holds (/speakers, /sources)."""

from __future__ import annotations

from collections import Counter

from bot.answers.model import SourceEntry, SourceListing, SpeakerEntry, SpeakerListing
from bot.corpus import Corpus


def speakers_listing(corpus: Corpus) -> SpeakerListing:
    """Every speaker with their statement and document counts, most quoted first."""
    statements = Counter(statement.speaker_key for statement in corpus.statements)
    documents = Counter(key for key, _ in {(s.speaker_key, s.doc_index) for s in corpus.statements})
    entries = [
        SpeakerEntry(corpus.speakers[key], count, documents[key])
        for key, count in statements.items()
        if key in corpus.speakers
    ]
    entries.sort(key=lambda entry: (-entry.statements, entry.speaker.name.casefold()))
    return SpeakerListing(tuple(entries))


def sources_listing(corpus: Corpus) -> SourceListing:
    """Every document with its sentence, statement and speaker counts, newest first."""
    sentences = Counter(sentence.doc_index for sentence in corpus.sentences)
    statements = Counter(statement.doc_index for statement in corpus.statements)
    speakers = Counter(doc for doc, _ in {(s.doc_index, s.speaker_key) for s in corpus.statements})
    entries = [
        SourceEntry(document, sentences[index], statements[index], speakers[index])
        for index, document in enumerate(corpus.documents)
    ]
    undated = [entry for entry in entries if not entry.document.date]
    dated = sorted(
        (entry for entry in entries if entry.document.date),
        key=lambda entry: entry.document.date or "",
        reverse=True,
    )
    return SourceListing(tuple(dated + undated), skipped=len(corpus.skipped))
