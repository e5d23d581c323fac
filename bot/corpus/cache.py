"""The corpus cache: processed files as JSON keyed by content hash, the index as .npy arrays.

Nothing here is pickled: a cache a user can write to is read as data only. Every record names
the cache format and the pipeline version that wrote it; a record that is missing, corrupted
or written by other code is ignored (and rebuilt), never trusted and never fatal.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson
from nltk.tokenize.punkt import PunktParameters

from bot.attribution import ArticleSpeaker, ArticleStatement
from bot.corpus.processing import ProcessedArticle, ProcessedFile
from bot.documents import Document, Paragraph, SkippedFile, TextMap
from bot.index import BM25Index, IndexFormatError
from bot.sentences import Sentence, parameters_from_json, parameters_to_json

FORMAT = 1
log = logging.getLogger(__name__)


class CorpusCache:
    """One folder: splitter.json, files/<sha256>.json, index/ (arrays and their key)."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = version

    # splitter parameters ---------------------------------------------------------------

    def splitter_parameters(self) -> PunktParameters | None:
        data = self._read_json(self.folder / "splitter.json")
        if data is None:
            return None
        try:
            return parameters_from_json(data["parameters"])
        except (KeyError, TypeError, ValueError):
            log.warning("cache: splitter.json is damaged; retraining")
            return None

    def save_splitter_parameters(self, parameters: PunktParameters) -> None:
        self._write_json(
            self.folder / "splitter.json", {"parameters": parameters_to_json(parameters)}
        )

    # processed files -------------------------------------------------------------------

    def processed_file(self, path: Path, doc_id: str, content_hash: str) -> ProcessedFile | None:
        data = self._read_json(self._file_record(content_hash))
        if data is None:
            return None
        try:
            articles = tuple(_article_from_json(a, path) for a in data["articles"])
            skipped = tuple(SkippedFile(path, reason) for reason in data["skipped"])
        except (KeyError, TypeError, ValueError, IndexError):
            log.warning("cache: the record for %s is damaged; processing it again", path)
            return None
        return ProcessedFile(path, doc_id, content_hash, articles, skipped)

    def save_file(self, processed: ProcessedFile) -> None:
        self._write_json(
            self._file_record(processed.content_hash),
            {
                "articles": [_article_to_json(a) for a in processed.articles],
                "skipped": [s.reason for s in processed.skipped],
            },
        )

    def forget_files_except(self, content_hashes: Iterable[str]) -> None:
        """Remove records of files that are no longer in the corpus."""
        keep = {f"{h}.json" for h in content_hashes}
        folder = self.folder / "files"
        if folder.is_dir():
            for record in folder.glob("*.json"):
                if record.name not in keep:
                    record.unlink(missing_ok=True)

    def _file_record(self, content_hash: str) -> Path:
        return self.folder / "files" / f"{content_hash}.json"

    # index -----------------------------------------------------------------------------

    def index(self, key: str) -> BM25Index | None:
        folder = self.folder / "index"
        meta = self._read_json(folder / "index.json")
        if meta is None or meta.get("key") != key:
            return None
        try:
            return BM25Index.load(folder)
        except IndexFormatError as error:
            log.warning("cache: the index is damaged (%s); rebuilding it", error)
            return None

    def save_index(self, key: str, index: BM25Index) -> None:
        folder = self.folder / "index"
        (folder / "index.json").unlink(missing_ok=True)  # the key goes last: arrays first
        index.save(folder)
        self._write_json(folder / "index.json", {"key": key})

    # plumbing ----------------------------------------------------------------------------

    def _read_json(self, path: Path) -> dict[str, Any] | None:
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as error:
            log.warning("cache: cannot read %s (%s); rebuilding it", path, error)
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        if data.get("version") != self.version:
            return None
        return data

    def _write_json(self, path: Path, data: Mapping[str, Any]) -> None:
        """Write atomically: a crash mid-write leaves the old record or none, never half."""
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"format": FORMAT, "version": self.version, **data}
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(orjson.dumps(record))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# --- JSON forms of the processed data -------------------------------------------------------


def _article_to_json(article: ProcessedArticle) -> dict[str, Any]:
    document = article.document
    return {
        "document": {
            "doc_id": document.doc_id,
            "source_text": document.source_text,
            "paragraphs": [
                [p.text, p.text_map.clean_anchors, p.text_map.source_anchors]
                for p in document.paragraphs
            ],
            "captions": document.captions,
            "title": document.title,
            "date": document.date,
            "outlet": document.outlet,
            "url": document.url,
        },
        "sentences": [
            [s.paragraph, s.position, s.offset, len(s.text), s.start, s.end]
            for s in article.sentences
        ],
        "statements": [
            [
                s.sentence_position,
                [s.speaker.key, s.speaker.kind, s.speaker.names, s.speaker.roles],
                s.mention,
                s.kind,
                s.content_start,
                s.content_end,
                s.quote_start,
                s.quote_end,
                s.reporting_verb,
                s.confidence,
            ]
            for s in article.statements
        ],
        "terms": article.terms,
    }


def _statement_from_json(fields: list[Any]) -> ArticleStatement:
    position, (key, kind, names, roles), mention, statement_kind, *offsets, verb, confidence = (
        fields
    )
    content_start, content_end, quote_start, quote_end = offsets
    return ArticleStatement(
        sentence_position=position,
        speaker=ArticleSpeaker(key, kind, tuple(names), tuple(roles)),
        mention=mention,
        kind=statement_kind,
        content_start=content_start,
        content_end=content_end,
        quote_start=quote_start,
        quote_end=quote_end,
        reporting_verb=verb,
        confidence=confidence,
    )


def _article_from_json(data: dict[str, Any], path: Path) -> ProcessedArticle:
    fields = data["document"]
    paragraphs = tuple(
        Paragraph(text, TextMap(tuple(clean), tuple(source)))
        for text, clean, source in fields["paragraphs"]
    )
    document = Document(
        doc_id=fields["doc_id"],
        path=path,
        source_text=fields["source_text"],
        paragraphs=paragraphs,
        captions=tuple(fields["captions"]),
        title=fields["title"],
        date=fields["date"],
        outlet=fields["outlet"],
        url=fields["url"],
    )
    sentences = tuple(
        Sentence(
            sentence_id=number,
            doc_index=0,
            paragraph=paragraph,
            position=position,
            text=paragraphs[paragraph].text[offset : offset + length],
            offset=offset,
            start=start,
            end=end,
        )
        for number, (paragraph, position, offset, length, start, end) in enumerate(
            data["sentences"]
        )
    )
    statements = tuple(_statement_from_json(fields) for fields in data["statements"])
    terms = tuple(tuple(t) for t in data["terms"])
    return ProcessedArticle(document, sentences, statements, terms)
