"""Processing: one corpus file to its articles' sentences, statements and index terms.

The work of one file depends only on the file and the sentence splitter's parameters, so files
are processed in parallel worker processes and their results cached by content hash.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from bot.attribution import ArticleStatement, attribute_article
from bot.corpus.lookups import CAPITALISED, READER_MODULES
from bot.documents import (
    ARCHIVE_SUFFIX,
    Document,
    SkippedFile,
    archive_lines,
    load_file,
    read_text,
)
from bot.index.segment import TermSender
from bot.sentences import TRAINING_CHARACTERS, Sentence, Splitter, split_documents
from bot.terms import analyze

# Every module whose output a cached result holds: a change to any of them is a new version.
_PIPELINE_MODULES = ("documents", "sentences", "terms", "lexicon", "attribution")


@dataclass(frozen=True)
class ProcessedArticle:
    """An article with its sentences (numbered within the article), statements and terms."""

    document: Document
    sentences: tuple[Sentence, ...]
    statements: tuple[ArticleStatement, ...]
    terms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Job:
    """A file to process, or a share of an archive's lines (`lines`)."""

    path: Path
    doc_id: str
    content_hash: str
    max_file_bytes: int
    lines: tuple[tuple[int, bytes], ...] | None = None


# Lines of an archive per job: enough work per job to outweigh sending it to a worker.
ARCHIVE_LINES_PER_JOB = 100


def jobs_for(path: Path, doc_id: str, file_hash: str, max_file_bytes: int) -> Iterator[Job]:
    """One job per file; an archive is cut into shares of lines so workers split it."""
    if path.suffix.lower() != ARCHIVE_SUFFIX:
        yield Job(path, doc_id, file_hash, max_file_bytes)
        return
    try:
        archive = path.open("rb")
    except OSError:
        yield Job(path, doc_id, file_hash, max_file_bytes)  # the job reports it unreadable
        return
    with archive:
        numbered = enumerate(archive, start=1)
        share = tuple(itertools.islice(numbered, ARCHIVE_LINES_PER_JOB))
        if not share:
            yield Job(path, doc_id, file_hash, max_file_bytes)  # no line: a job still says so
            return
        while share:
            yield Job(path, doc_id, file_hash, max_file_bytes, share)
            share = tuple(itertools.islice(numbered, ARCHIVE_LINES_PER_JOB))


@dataclass(frozen=True)
class ProcessedFile:
    path: Path
    doc_id: str
    content_hash: str
    articles: tuple[ProcessedArticle, ...]
    skipped: tuple[SkippedFile, ...]


def pipeline_version() -> str:
    """A hash of the code that produces cached results, so old results are never reused."""
    # CAPITALISED is what a file's capitalised words are.
    return _source_digest(_PIPELINE_MODULES, CAPITALISED.pattern)


def reader_version() -> str:
    """A hash of the code that reads speakers' names, so names read by other code are not kept."""
    return _source_digest(READER_MODULES)


def _source_digest(modules: Sequence[str], extra: str = "") -> str:
    """A hash of the package's modules (a folder: every module in it), then of `extra`."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in modules:
        target = package / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [package / f"{name}.py"]
        for file in files:
            digest.update(file.read_bytes())
    digest.update(extra.encode())
    return digest.hexdigest()[:16]


UNREADABLE = "unreadable"  # the content hash of a file that cannot be read


def content_hash(path: Path) -> str:
    """The file's SHA-256, or a marker for a file that cannot be read (it is then skipped)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return UNREADABLE
    return digest.hexdigest()


def training_texts(files: Sequence[tuple[Path, str]], max_file_bytes: int) -> Iterator[str]:
    """The raw text of an even sample of the corpus's articles, for training the splitter:
    every n-th article (a file, or a line of an archive) in corpus order, with n such that
    the sample is about the splitter's training budget; a small corpus is trained on whole."""
    step = -(-sum(map(_size, (path for path, _ in files))) // TRAINING_CHARACTERS)
    for path, doc_id, line in itertools.islice(_article_sources(files), 0, None, max(step, 1)):
        if line is not None:
            for article in archive_lines(path, doc_id, [line], max_file_bytes):
                if isinstance(article, Document):
                    yield article.source_text
            continue
        try:
            yield read_text(path, max_file_bytes)
        except Exception:
            continue


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _article_sources(
    files: Sequence[tuple[Path, str]],
) -> Iterator[tuple[Path, str, tuple[int, bytes] | None]]:
    """Each article's file, and for an archive's article its numbered line, unread."""
    for path, doc_id in files:
        if path.suffix.lower() != ARCHIVE_SUFFIX:
            yield path, doc_id, None
            continue
        try:
            archive = path.open("rb")
        except OSError:
            continue  # the file's job reports it unreadable
        with archive:
            for line in enumerate(archive, start=1):
                yield path, doc_id, line


def process_job(job: Job, splitter: PunktSentenceTokenizer) -> ProcessedFile:
    articles: list[ProcessedArticle] = []
    skipped: list[SkippedFile] = []
    loaded_articles = (
        load_file(job.path, job.doc_id, job.max_file_bytes)
        if job.lines is None
        else archive_lines(job.path, job.doc_id, job.lines, job.max_file_bytes)
    )
    for loaded in loaded_articles:
        if isinstance(loaded, SkippedFile):
            skipped.append(loaded)
        else:
            articles.append(process_article(loaded, splitter))
    return ProcessedFile(job.path, job.doc_id, job.content_hash, tuple(articles), tuple(skipped))


def process_article(document: Document, splitter: PunktSentenceTokenizer) -> ProcessedArticle:
    sentences = split_documents([document], splitter)
    return ProcessedArticle(
        document=document,
        sentences=sentences,
        statements=attribute_article(document, sentences),
        terms=tuple(tuple(analyze(sentence.text)) for sentence in sentences),
    )


# --- Worker processes ---------------------------------------------------------------------

_worker_splitter: list[PunktSentenceTokenizer] = []  # one per worker process, set at start
_worker_sender: list[TermSender] = []  # likewise
# Allocations between the cyclic collector's youngest-generation passes in a worker (Python's
# default is 700): processing makes millions of small tokens, tuples and lists and almost no
# cycles, so the collector stays on but stops walking each fresh batch of them.
WORKER_COLLECTION_THRESHOLD = 100_000


def start_worker(parameters: PunktParameters) -> None:
    _worker_splitter[:] = [Splitter(parameters)]
    _worker_sender[:] = [TermSender(os.getpid())]
    gc.set_threshold(WORKER_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


def process_in_worker(job: Job) -> ProcessedFile:
    return process_job(job, _worker_splitter[0])


def worker_sender() -> TermSender:
    """What this worker sends its postings with, to the build that started it."""
    return _worker_sender[0]
