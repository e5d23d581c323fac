"""The corpus snapshot: documents, sentences, statements, speakers and the index, built once.

A snapshot is immutable. Reloading builds a new one beside the old and the caller swaps one
reference, so questions are answered from a complete corpus at every moment. Building reuses
what the cache holds for unchanged files (and, in a process that reloads, what its last build
left: `Reloader`), processes the rest in parallel worker processes, shows its progress on a
terminal when asked, and reports the seconds of each of its phases.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters
from tqdm import tqdm

from bot.attribution import Speaker, Statement
from bot.corpus.cache import CorpusCache, FileStamp
from bot.corpus.lookups import Lookups, Name, build_lookups, read_names
from bot.corpus.processing import (
    UNREADABLE,
    Job,
    content_hash,
    jobs_for,
    pipeline_version,
    process_in_worker,
    process_job,
    reader_version,
    start_worker,
    training_texts,
    worker_sender,
)
from bot.corpus.segment import (
    Documents,
    FileJoin,
    Segment,
    Sentences,
    Statements,
    StatementsBySentence,
    corpus_speakers,
    corpus_speakers_since,
    headings,
    sentence_documents,
    share_of,
    statement_speakers,
)
from bot.documents import Document, SkippedFile, corpus_files
from bot.index import BM25Index, SearchIndex
from bot.index.segment import SentSegment, TermReceiver, TermSender
from bot.sentences import Sentence, Splitter, train_parameters

log = logging.getLogger(__name__)

# Fewer articles than this are processed in this process: starting workers would cost more.
PARALLEL_FROM_ARTICLES = 64
# Articles a worker is sent at a time: a few jobs' worth (an archive's share is one job), so that
# at the end no worker still has a long run of jobs while the other waits.
ARTICLES_PER_CHUNK = 100
# An archive's shares whose postings are merged together while its other jobs are processed.
SHARES_PER_GROUP = 16
# A file's stamp stands for its content once the file is this much older than the hashing.
SETTLED_SECONDS = 2.0


# The steps of a build, in the order they run; each file's own work is "processing" and
# "segment save", the rest is corpus-wide. The cache writes run in a thread beside the steps
# after "processing": "segment save" is what the build waits for them at its end.
PHASES = (
    "hash",
    "splitter",
    "cache read",
    "processing",
    "segment save",
    "index",
    "speakers",
    "lookups",
    "snapshot",
)
OWN_PHASES = ("processing", "segment save")


@dataclass(frozen=True)
class BuildReport:
    """What a build did: for the bot's /reload reply and `python -m bot index`."""

    files: int = 0
    processed: int = 0  # files processed now
    from_cache: int = 0  # files whose results came from the cache
    seconds: float = 0.0
    phases: tuple[tuple[str, float], ...] = ()  # wall seconds of each of PHASES, in order

    @property
    def processing_seconds(self) -> float:
        """The part of `seconds` that was the processed files' own work."""
        return sum(seconds for phase, seconds in self.phases if phase in OWN_PHASES)

    def phases_text(self) -> str:
        """Where the time went, phase by phase: "hash 0.08 s, splitter 0.00 s, ..."."""
        return ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in self.phases)


class _Stopwatch:
    """Wall seconds of a build's phases, each lap charged to the phase that just ended."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self._seconds = dict.fromkeys(PHASES, 0.0)

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self._seconds[phase] += now - self._last
        self._last = now

    def phases(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._seconds.items())


# Where a cache write goes: run now, in a thread, or later.
Write = Callable[[Callable[[], None]], None]


@contextmanager
def _cache_writes() -> Iterator[Write]:
    """A build's cache writes, run in order in a thread beside its other steps (at 1M
    sentences a second of writing files, on the core the finished workers left idle); they
    write what nothing changes any more. Leaving waits for them, and raises the first error."""
    with ThreadPoolExecutor(1, thread_name_prefix="cache-writes") as pool:
        writes: list[Future[None]] = []
        yield lambda write: writes.append(pool.submit(write))
        for written in writes:
            written.result()


@dataclass(frozen=True, eq=False)
class Reusable:
    """What a build leaves for the next one in the same process (see `Reloader`): its files'
    segments, the canonical speakers by article key and the lookups, for the code and splitter
    that made them."""

    version: str  # the pipeline version
    splitter_digest: str
    corpus_key: str
    segments: tuple[Segment, ...]
    speakers: Mapping[str, Speaker]
    lookups: Lookups


@dataclass(frozen=True)
class Corpus:
    """The snapshot. Built by `build_corpus`, its sequences are read-only and make their
    items on first access from memory-mapped columns (see `segment`)."""

    documents: Sequence[Document]
    sentences: Sequence[Sentence]
    statements: Sequence[Statement]
    speakers: dict[str, Speaker]
    index: SearchIndex
    lookups: Lookups  # what questions look up, built once (bot.corpus.lookups)
    skipped: tuple[SkippedFile, ...] = ()
    statements_by_sentence: Mapping[int, tuple[Statement, ...]] = field(default_factory=dict)
    report: BuildReport = BuildReport()
    reusable: Reusable | None = field(default=None, repr=False)  # None without a cache

    def document_of(self, statement: Statement | Sentence) -> Document:
        return self.documents[statement.doc_index]

    def sentence_of(self, statement: Statement) -> Sentence:
        return self.sentences[statement.sentence_id]


def build_corpus(
    paths: Sequence[Path],
    max_file_bytes: int,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: bool = False,
    previous: Reusable | None = None,
    deferred_writes: list[Callable[[], None]] | None = None,
) -> Corpus:
    """Load, clean, split, attribute and index every corpus file under `paths`.

    With `cache_dir`, unchanged files (by content hash) are read from the cache and only new
    or changed ones processed; `workers` processes share the work (default: one per core).
    The corpus index and speakers are cached too, for the same files in the same order split
    by the same splitter; otherwise they are merged from the files' segments. What a
    `previous` build of this process left is used instead of reading it again: its unchanged
    files' segments, and its speakers for the keys of the files that did not change. With
    `deferred_writes`, the corpus index is not saved to the cache here: its save is appended
    there, for the caller to run once the corpus is answering. The other cache writes run in
    a thread beside the corpus-wide steps, and the build returns once they are done.
    """
    watch = _Stopwatch()
    files = list(corpus_files(paths))
    cache = _cache(cache_dir, paths)
    hashes = _content_hashes([path for path, _ in files], cache)
    watch.lap("hash")
    parameters, splitter_digest = _splitter_parameters(cache, files, max_file_bytes)
    corpus_key = _corpus_key(hashes, splitter_digest)
    reusable = _reusable(previous, cache, splitter_digest)
    watch.lap("splitter")
    with _collector_paused():
        index = cache.index(corpus_key) if cache is not None else None
        kept = (
            {(s.path, s.doc_id, s.content_hash): s for s in reusable.segments} if reusable else {}
        )
        cached = {
            number: found
            for number, ((path, doc_id), file_hash) in enumerate(zip(files, hashes, strict=True))
            if cache is not None
            and (found := _cached(cache, kept, path, doc_id, file_hash, index is None))
        }
    watch.lap("cache read")
    to_process = [number for number in range(len(files)) if number not in cached]
    processed, names = _processed(
        files, hashes, to_process, max_file_bytes, parameters, workers, progress
    )
    watch.lap("processing")
    with _collector_paused(), _cache_writes() as write:
        if cache is not None:
            for segment in processed.values():
                write(partial(cache.save_segment, segment))
            write(partial(cache.forget_files_except, hashes))
        watch.lap("segment save")
        segments = [cached.get(number) or processed[number] for number in range(len(files))]
        if index is None:
            saved = write if deferred_writes is None else deferred_writes.append
            index = _corpus_index(segments, cache, corpus_key, saved)
        watch.lap("index")
        speakers = _speakers(segments, cache, corpus_key, reusable, write)
        watch.lap("speakers")
        canonical = {speaker.key: speaker for speaker in speakers.values()}
        lookups = _lookups(segments, speakers, canonical, cache, reusable, names, write)
        watch.lap("lookups")
        corpus = _assemble(segments, index, speakers, canonical, lookups)
        watch.lap("snapshot")
    watch.lap("segment save")  # what was left of the cache writes
    report = BuildReport(
        files=len(files),
        processed=len(processed),
        from_cache=len(cached),
        seconds=time.perf_counter() - watch.started,
        phases=watch.phases(),
    )
    if cache is None:
        return replace(corpus, report=report)
    left = Reusable(
        cache.version, splitter_digest, corpus_key, tuple(segments), speakers, corpus.lookups
    )
    return replace(corpus, report=report, reusable=left)


class Reloader:
    """`build_corpus` for a process that keeps its corpus (the bot's /reload): each build
    starts from what the one before left, first the corpus it is given, so that a reload
    after a few changed files reads and merges again only what they change. The corpus index
    is written to the cache in a thread once the reload has returned (at 1M sentences ~200 MB,
    a fifth of a reload): a write that fails is logged and costs the next start a merge."""

    def __init__(
        self, corpus: Corpus, *, cache_dir: Path | None, workers: int | None = None
    ) -> None:
        self._cache_dir = cache_dir
        self._workers = workers
        self._last = corpus.reusable
        self._writing: threading.Thread | None = None

    def __call__(self, paths: Sequence[Path], max_file_bytes: int) -> Corpus:
        self.wait()  # this build may read what the last one wrote
        writes: list[Callable[[], None]] = []
        corpus = build_corpus(
            paths,
            max_file_bytes,
            cache_dir=self._cache_dir,
            workers=self._workers,
            previous=self._last,
            deferred_writes=writes,
        )
        self._last = corpus.reusable
        self._writing = threading.Thread(target=_write_all, args=(writes,), name="cache-writes")
        self._writing.start()
        return corpus

    def wait(self) -> None:
        """Until the last reload's cache writes are done."""
        if self._writing is not None:
            self._writing.join()
            self._writing = None


def _write_all(writes: Sequence[Callable[[], None]]) -> None:
    for write in writes:
        try:
            write()
        except OSError as error:
            log.warning(
                "cache: the corpus index could not be saved (%s); rebuilt at next start", error
            )


def _reusable(
    previous: Reusable | None, cache: CorpusCache | None, splitter_digest: str
) -> Reusable | None:
    """The previous build's results, if made by the same code and splitter as this build's."""
    if previous is None or cache is None or previous.version != cache.version:
        return None
    return previous if previous.splitter_digest == splitter_digest else None


def _cached(
    cache: CorpusCache,
    kept: Mapping[tuple[Path, str, str], Segment],
    path: Path,
    doc_id: str,
    file_hash: str,
    with_index: bool,
) -> Segment | None:
    """The file's segment as the previous build held it, else from the cache; with its
    index postings if asked for."""
    segment = kept.get((path, doc_id, file_hash))
    if segment is None:
        return cache.segment(path, doc_id, file_hash, with_index=with_index)
    if not with_index or segment.index is not None:
        return segment
    return cache.postings(segment) or cache.segment(path, doc_id, file_hash, with_index=True)


def _speakers(
    segments: Sequence[Segment],
    cache: CorpusCache | None,
    key: str,
    reusable: Reusable | None,
    write: Write,
) -> Mapping[str, Speaker]:
    """The corpus's canonical speakers by article key: the previous build's or the cache's
    for the same files, else merged (and saved)."""
    if reusable is not None and reusable.corpus_key == key:
        return reusable.speakers
    cached = cache.speakers(key) if cache is not None else None
    if cached is not None and all(cached.keys() >= set(s.speakers.keys) for s in segments):
        return cached
    return _corpus_speakers(segments, cache, key, reusable, write)


def _content_hashes(paths: Sequence[Path], cache: CorpusCache | None) -> list[str]:
    """Each file's content hash. A file whose stamp (size, times, inode, device) is the one it
    had when hashed before is not read again; a file changed in the last SETTLED_SECONDS
    might change again within its timestamps' granularity, and is hashed again next time."""
    if cache is None:
        return [content_hash(path) for path in paths]
    known = cache.file_hashes()
    settled_before = time.time_ns() - int(SETTLED_SECONDS * 1e9)
    hashes: list[str] = []
    seen: dict[str, tuple[FileStamp, str]] = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            hashes.append(content_hash(path))  # unreadable: it is skipped with its reason
            continue
        stamp = _stamp(status)
        name = os.path.abspath(path)
        record = known.get(name)
        file_hash = record[1] if record is not None and record[0] == stamp else content_hash(path)
        hashes.append(file_hash)
        if file_hash != UNREADABLE and _settled(status, settled_before):
            seen[name] = (stamp, file_hash)
    if seen != known:
        cache.save_file_hashes(seen)
    return hashes


def _stamp(status: os.stat_result) -> FileStamp:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


def _settled(status: os.stat_result, before_ns: int) -> bool:
    """Whether the file last changed before then (on a file system keeping no times, never)."""
    times = (status.st_mtime_ns, status.st_ctime_ns)
    return min(times) > 0 and max(times) < before_ns


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading the cache and merging make hundreds of thousands of small objects (speakers,
    names, their tables) that all live on with the snapshot: the cyclic garbage collector
    would only walk them, and the snapshot being replaced, again and again (a third of a
    reload at 1M sentences). These steps make no cycles to collect; processing files, which
    may, runs with the collector on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _corpus_key(hashes: Sequence[str], splitter_digest: str) -> str:
    """What the corpus-wide results depend on: the files in order and the splitter."""
    return hashlib.sha256("\n".join((splitter_digest, *hashes)).encode()).hexdigest()


def _corpus_speakers(
    segments: Sequence[Segment],
    cache: CorpusCache | None,
    key: str,
    reusable: Reusable | None,
    write: Write,
) -> dict[str, Speaker]:
    """The canonical speakers merged from every file's summaries (or those the previous build
    merged, for the keys of its files that did not change), saved for the next start."""
    speakers = (
        corpus_speakers(segments)
        if reusable is None
        else corpus_speakers_since(reusable.segments, reusable.speakers, segments)
    )
    if cache is not None:
        write(partial(cache.save_speakers, key, speakers))
    return speakers


def _corpus_index(
    segments: Sequence[Segment],
    cache: CorpusCache | None,
    key: str,
    save: Write,
) -> BM25Index:
    """The index merged from every file's postings, its save for the next start given to
    `save`."""
    postings = [segment.index for segment in segments if segment.index is not None]
    if len(postings) != len(segments):
        raise ValueError("a file's index postings were not loaded")
    index = BM25Index.from_segments(postings)
    if cache is not None:
        save(partial(cache.save_index, key, index))
    return index


def _processed(
    files: Sequence[tuple[Path, str]],
    hashes: Sequence[str],
    numbers: Sequence[int],
    max_file_bytes: int,
    parameters: PunktParameters,
    workers: int | None,
    progress: bool,
) -> tuple[dict[int, Segment], dict[str, Name]]:
    """The segments of the files numbered `numbers`, their jobs shared among the workers;
    and their speakers' names and roles read as they come, while the workers go on, rather
    than by the lookups after the last job."""
    jobs = [
        (number, job)
        for number in numbers
        for job in jobs_for(files[number][0], files[number][1], hashes[number], max_file_bytes)
    ]
    # A file's shares are joined as they come, while the workers go on, so that after its
    # last job only arrays are left to put end to end.
    files_joined = {number: FileJoin(SHARES_PER_GROUP) for number in numbers}
    names: dict[str, Name] = {}
    postings = TermReceiver()
    done = _process([job for _, job in jobs], parameters, workers, progress)
    for (number, _), (result, sent) in zip(jobs, done, strict=True):
        with _collector_paused():
            files_joined[number].add(result, postings.received(sent))
            names.update(read_names(result.speakers.read_texts(), names))
    with _collector_paused():
        return {number: joined.segment() for number, joined in files_joined.items()}, names


def _cache(cache_dir: Path | None, paths: Sequence[Path]) -> CorpusCache | None:
    """Each set of corpus paths has a cache of its own: the splitter learned on one corpus
    is not another's, and one corpus must not prune another's records."""
    if cache_dir is None:
        return None
    named = "\n".join(sorted(str(path.resolve()) for path in paths))
    folder = cache_dir / hashlib.sha256(named.encode()).hexdigest()[:16]
    return CorpusCache(folder, pipeline_version())


def _splitter_parameters(
    cache: CorpusCache | None, files: Sequence[tuple[Path, str]], max_file_bytes: int
) -> tuple[PunktParameters, str]:
    """The cached splitter, so cached sentences stay valid; or one trained on the corpus, and
    then no cached file can be trusted to have been split the same way. With the digest of
    the splitter's cache record ("" without a cache)."""
    cached = cache.splitter_parameters() if cache is not None else None
    if cached is not None:
        return cached
    parameters = train_parameters(training_texts(files, max_file_bytes))
    if cache is None:
        return parameters, ""
    cache.forget_files_except(())
    return parameters, cache.save_splitter_parameters(parameters)


def _process(
    jobs: Sequence[Job], parameters: PunktParameters, workers: int | None, progress: bool
) -> Iterator[Share]:
    """Every job's result, in order, as it comes; the bar counts files and archives' articles."""
    total = sum(len(job.lines) if job.lines else 1 for job in jobs)
    if total < PARALLEL_FROM_ARTICLES:
        workers = 1
    workers = workers or os.cpu_count() or 1
    bar = tqdm(total=total, unit="articles", desc="indexing", disable=not progress or not jobs)
    with bar:
        chunk = max(1, ARTICLES_PER_CHUNK * len(jobs) // max(total, 1))
        done = _results(jobs, parameters, workers, chunk)
        for job, result in zip(jobs, done, strict=True):
            bar.update(len(job.lines) if job.lines else 1)
            yield result


# A job's result: its segment without postings, and the postings as sent.
Share = tuple[Segment, SentSegment]


def _results(
    jobs: Sequence[Job], parameters: PunktParameters, workers: int, chunk: int
) -> Iterator[Share]:
    if workers <= 1:
        splitter = Splitter(parameters)
        sender = TermSender(os.getpid())
        for job in jobs:
            yield _sent(share_of(process_job(job, splitter)), sender)
        return
    with ProcessPoolExecutor(workers, initializer=start_worker, initargs=(parameters,)) as pool:
        yield from pool.map(_share_in_worker, jobs, chunksize=chunk)


def _share_in_worker(job: Job) -> Share:
    """In columns before it leaves the worker, each term's string sent once: less to send and
    to receive, and the work is shared."""
    return _sent(share_of(process_in_worker(job)), worker_sender())


def _sent(share: Segment, sender: TermSender) -> Share:
    if share.index is None:
        raise ValueError("a share was made without its postings")
    return replace(share, index=None), sender.sent(share.index)


def _lookups(
    segments: Sequence[Segment],
    speakers: Mapping[str, Speaker],
    canonical: dict[str, Speaker],
    cache: CorpusCache | None,
    reusable: Reusable | None,
    names: Mapping[str, Name],
    write: Write,
) -> Lookups:
    """The snapshot's lookups, from the previous build's; else with the speakers' names the
    cache holds and the `names` read as the files came, saved again when the cache did not
    hold them all."""
    known = {} if cache is None or reusable is not None else cache.names(reader_version())
    lookups = build_lookups(
        headings(segments),
        sentence_documents(segments),
        statement_speakers(segments, speakers),
        [segment.capitalised for segment in segments],
        canonical,
        previous=reusable.lookups if reusable is not None else None,
        known_names={**known, **names},
    )
    read = lookups.speaker_names.read
    if cache is not None and reusable is None and read.keys() != known.keys():
        write(partial(cache.save_names, reader_version(), read))
    return lookups


def _assemble(
    segments: Sequence[Segment],
    index: SearchIndex,
    speakers: Mapping[str, Speaker],
    canonical: dict[str, Speaker],
    lookups: Lookups,
) -> Corpus:
    """The snapshot over the segments; `speakers` are the canonical ones by article key,
    `canonical` by their own."""
    sentences = Sentences(segments)
    statements = Statements(segments, sentences, speakers)
    return Corpus(
        documents=Documents(segments, "documents"),
        sentences=sentences,
        statements=statements,
        speakers=canonical,
        index=index,
        lookups=lookups,
        skipped=tuple(SkippedFile(s.path, reason) for s in segments for reason in s.skipped),
        statements_by_sentence=StatementsBySentence(segments, statements),
    )
