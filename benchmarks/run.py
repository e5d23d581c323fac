"""The speed and scale benchmark of issue 6: our index beside rank-bm25 (and bm25s) per size.

For each size (in sentences) it writes a synthetic `.jsonl` archive and a folder with one small
article under a temporary folder, ingests both through the whole pipeline (cold; then a warm
start from the cache in a fresh process; then reloads after the small article is edited and
after another is added), and on the resulting sentences measures index build, topic-query
latency, full-question latency and memory. Everything is deterministic from `--seed`. Results
go to stdout and, as a markdown table with the machine and the command, to
`benchmarks/RESULTS.md`.

    .venv/bin/python -m benchmarks.run --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import orjson
from rank_bm25 import BM25Okapi

from benchmarks.synthetic import Generator, write_corpus
from bot.answers import answer
from bot.compiled import runs_compiled
from bot.corpus import Corpus, Reloader, build_corpus
from bot.index import BM25Index
from bot.render import plain
from bot.terms import analyze

try:
    import bm25s  # type: ignore[import-untyped]
except ImportError:  # an optional extra: the table says "n/a" without it
    bm25s = None

SENTENCES_PER_ARTICLE = 25  # what benchmarks.synthetic writes on average
MAX_FILE_BYTES = 1 << 34  # the whole archive is one file; never skip it for size
TOP_K = 10
RESULTS = Path(__file__).with_name("RESULTS.md")
WORD = re.compile(r"[a-z]{5,}")

Built = TypeVar("Built")
Query = TypeVar("Query")


@dataclass(frozen=True)
class Reload:
    """One reload: its seconds, the files processed, and the part that was their own work."""

    seconds: float
    processed: int
    processing_seconds: float
    phases: str  # BuildReport.phases_text()


@dataclass
class Row:
    """Every figure measured at one size; None where a measurement was skipped."""

    requested: int
    articles: int = 0
    sentences: int = 0
    postings: int = 0
    ingest_seconds: float = 0.0
    warm_seconds: float = 0.0
    reloads: list[Reload] = field(default_factory=list)
    did_you_mean_seconds: float = 0.0
    ours_build: float = 0.0
    rank_build: float | None = None
    bm25s_build: float | None = None
    ours_query: tuple[float, float] = (0.0, 0.0)  # p50, p99 in ms
    rank_query: tuple[float, float] | None = None
    rank_queries: int = 0
    bm25s_query: tuple[float, float] | None = None
    exact: str = "n/a"
    ask: tuple[float, float] = (0.0, 0.0)
    index_bytes: int = 0
    build_peak_bytes: int | None = None
    max_rss_bytes: int = 0
    notes: list[str] = field(default_factory=list)


NOTES = """\
## What each column means

- **ingest cold**: `build_corpus` on one `.jsonl` archive plus a folder with one small `.txt`
  article, with `workers` processes and an empty cache folder: load, clean, Punkt training and
  splitting, attribution, analysis, index build and cache writes. Sentences/s overall, and per
  core in brackets (divided by `--workers`).
- **warm start**: `build_corpus` on the same paths and cache in a fresh process, as the bot
  starts with an unchanged corpus (hash check, cached segments and index memory-mapped; the
  documents, sentences and statements are made when first read, not here).
- **reload edit / add**: `build_corpus` again in the process holding the corpus, through a
  `Reloader` as `/reload` does (it starts from what the last build left), after the small
  article is edited, then after a second small article is added to its folder; seconds, and
  in brackets the files processed (the archive must come from the cache) and how many of the
  seconds were their own work (processing and saving their segments,
  `BuildReport.processing_seconds`): the rest is the corpus-wide steps. The phases of each
  reload (`BuildReport.phases_text()`) are printed as the run goes. A reload's corpus index
  is written to the cache in a thread after it returns; the next reload waits for it first.
- **first did-you-mean**: seconds of the snapshot's first question about a misspelt name
  (a letter of a speaker's family name left out), whose reply offers the corpus's close words.
- **build**: seconds to index the already analyzed sentences (sentences/s in brackets): ours
  `BM25Index.build`, `rank_bm25.BM25Okapi(...)`, and bm25s `BM25(method="robertson").index`.
- **top-10 p50/p99**: topic queries of 2-3 analyzed terms drawn together from one random
  sentence of the corpus. Ours is `index.top(terms, 10)`; rank-bm25 is `get_scores` plus
  `np.argpartition` top-10 (on fewer queries above 100k sentences, count in brackets); bm25s is
  `retrieve(k=10)`.
- **scores equal rank-bm25**: queries (up to 20) on which `index.scores(terms)` is
  `np.array_equal` to rank-bm25's `get_scores(terms)` over every sentence.
- **ask**: a full question through `answer(corpus, question)` and `render.plain`, half
  "Who said what about <word>?" (a word of a random sentence), half "What did <Surname> say?".
- **index MB**: `BM25Index.nbytes` (postings, weights, offsets, idfs; not the vocabulary dict);
  B/posting is that over `postings_count`.
- **build peak**: peak traced allocation (`tracemalloc`) while `BM25Index.build` runs in a fresh
  subprocess, inputs excluded; in brackets, as a multiple of the final index.
- **process max RSS**: `ru_maxrss` of the benchmark process so far; it is cumulative over the
  sizes and dominated by rank-bm25's one dict per sentence, not by our index.
"""


# measurements ---------------------------------------------------------------------------------


def ingest(paths: Sequence[Path], cache_dir: Path, workers: int) -> tuple[Corpus, float]:
    """The whole pipeline (load, clean, split, attribute, index) on the corpus paths."""
    started = time.perf_counter()
    corpus = build_corpus(paths, MAX_FILE_BYTES, cache_dir=cache_dir, workers=workers)
    return corpus, time.perf_counter() - started


def warm_start_seconds(paths: Sequence[Path], cache_dir: Path, workers: int) -> float:
    """`build_corpus` from the cache in a fresh process, as the bot starts."""
    command = [sys.executable, "-m", "benchmarks.run", "--warm-start-of", str(cache_dir)]
    command += ["--workers", str(workers), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def report_warm_start(cache_dir: Path, paths: Sequence[Path], workers: int) -> None:
    """Subprocess side of warm_start_seconds."""
    corpus, seconds = ingest(paths, cache_dir, workers)
    if corpus.report.processed:
        sys.exit(f"warm start processed {corpus.report.processed} files: the cache missed")
    print(seconds)


def reloads(
    corpus: Corpus,
    paths: Sequence[Path],
    cache_dir: Path,
    workers: int,
    extra: Path,
    edited: str,
    added: str,
) -> list[Reload]:
    """Reloads while the caller holds the corpus, as the bot's do (`Reloader`): the small
    article edited, then one added."""
    reload = Reloader(corpus, cache_dir=cache_dir, workers=workers)
    measured = []
    for name, text in (("article.txt", edited), ("added.txt", added)):
        (extra / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        reloaded = reload(paths, MAX_FILE_BYTES)
        seconds = time.perf_counter() - started
        report = reloaded.report
        measured.append(
            Reload(seconds, report.processed, report.processing_seconds, report.phases_text())
        )
        print(f"  reload ({name}) {seconds:.2f} s: {report.phases_text()}", flush=True)
    reload.wait()  # its index written before the next measurements
    return measured


def misspelt_question(corpus: Corpus) -> str:
    """A question about a speaker's family name with its third letter left out."""
    family = next(
        speaker.name.split()[-1]
        for speaker in corpus.speakers.values()
        if speaker.kind == "person" and len(speaker.name.split()[-1]) > 5
    )
    return f"Who said what about {family[:2] + family[3:]}?"


def timed(build: Callable[[], Built]) -> tuple[Built, float]:
    started = time.perf_counter()
    built = build()
    return built, time.perf_counter() - started


def latencies_ms(run: Callable[[Query], object], queries: Sequence[Query]) -> tuple[float, float]:
    """p50 and p99 of one call per query, in milliseconds."""
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def rank_bm25_top(model: BM25Okapi, terms: Sequence[str]) -> Any:
    """rank-bm25's way to a top-k: score every sentence, then partition."""
    scores = model.get_scores(list(terms))
    best = np.argpartition(-scores, TOP_K)[:TOP_K]
    return best[np.argsort(-scores[best], kind="stable")]


def bm25s_model(tokenized: Sequence[Sequence[str]]) -> Any:
    """bm25s with rank-bm25's variant and parameters (float32, so scores differ slightly)."""
    model = bm25s.BM25(k1=1.5, b=0.75, method="robertson")
    model.index([list(terms) for terms in tokenized], show_progress=False)
    return model


def exactness(index: BM25Index, model: BM25Okapi, queries: Sequence[Sequence[str]]) -> str:
    equal = sum(np.array_equal(index.scores(q), model.get_scores(list(q))) for q in queries)
    return f"{equal}/{len(queries)}"


def build_peak_bytes(tokenized: Sequence[Sequence[str]], folder: Path) -> int | None:
    """Peak memory allocated while building our index, measured in a fresh subprocess."""
    terms_file = folder / "terms.json"
    terms_file.write_bytes(orjson.dumps([list(terms) for terms in tokenized]))
    command = [sys.executable, "-m", "benchmarks.run", "--build-peak-of", str(terms_file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    terms_file.unlink()
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    return int(done.stdout.split()[-1])


def report_build_peak(terms_file: Path) -> None:
    """Subprocess side of build_peak_bytes: prints the traced peak of BM25Index.build."""
    tokenized = orjson.loads(terms_file.read_bytes())
    gc.collect()
    tracemalloc.start()
    index = BM25Index.build(tokenized)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(index.nbytes, peak)


# inputs ---------------------------------------------------------------------------------------


def topic_queries(
    tokenized: Sequence[Sequence[str]], count: int, rng: random.Random
) -> list[tuple[str, ...]]:
    """2-3 distinct analyzed terms taken together from one random sentence, as a reader asks."""
    queries: list[tuple[str, ...]] = []
    while len(queries) < count:
        terms = sorted(set(tokenized[rng.randrange(len(tokenized))]))
        if len(terms) >= 3:
            queries.append(tuple(rng.sample(terms, rng.choice((2, 3)))))
    return queries


def questions(corpus: Corpus, count: int, rng: random.Random) -> list[str]:
    """Half topic questions on a word of a random sentence, half about a named person."""
    surnames = sorted(
        {s.name.split()[-1] for s in corpus.speakers.values() if s.kind == "person" and s.name}
    )
    asked: list[str] = []
    while len(asked) < count:
        if len(asked) % 2 and surnames:
            asked.append(f"What did {rng.choice(surnames)} say?")
            continue
        words = WORD.findall(corpus.sentences[rng.randrange(len(corpus.sentences))].text)
        if words:
            asked.append(f"Who said what about {rng.choice(words)}?")
    return asked


# one size -------------------------------------------------------------------------------------


def measure(size: int, args: argparse.Namespace, work: Path) -> Row:
    rng = random.Random(args.seed + size)
    row = Row(requested=size, articles=max(1, round(size / SENTENCES_PER_ARTICLE)))
    folder = work / f"size-{size}"
    archive = write_corpus(folder / "corpus", row.articles, seed=args.seed, as_jsonl=True)
    extra = folder / "extra"
    extra.mkdir()
    small = [article.as_file() for article in Generator(args.seed + 1).articles(3)]
    (extra / "article.txt").write_text(small[0], encoding="utf-8")
    paths = (archive, extra)
    cache_dir = folder / "cache"
    corpus, row.ingest_seconds = ingest(paths, cache_dir, args.workers)
    del corpus
    gc.collect()
    row.warm_seconds = warm_start_seconds(paths, cache_dir, args.workers)
    corpus, _ = ingest(paths, cache_dir, args.workers)
    row.reloads = reloads(corpus, paths, cache_dir, args.workers, extra, small[1], small[2])
    _, row.did_you_mean_seconds = timed(
        lambda: plain(answer(corpus, misspelt_question(corpus), TOP_K))
    )
    row.sentences = len(corpus.sentences)
    tokenized = [analyze(sentence.text) for sentence in corpus.sentences]
    print(f"  {row.sentences} sentences ingested in {row.ingest_seconds:.1f} s", flush=True)

    index, row.ours_build = timed(lambda: BM25Index.build(tokenized))
    row.postings, row.index_bytes = index.postings_count, index.nbytes
    queries = topic_queries(tokenized, args.queries, rng)
    index.top(queries[0], TOP_K)  # warm-up
    row.ours_query = latencies_ms(lambda q: index.top(q, TOP_K), queries)
    row.ask = latencies_ms(
        lambda q: plain(answer(corpus, q, TOP_K)), questions(corpus, args.questions, rng)
    )
    print(f"  ours done: build {row.ours_build:.2f} s", flush=True)

    if row.sentences <= args.rank_bm25_up_to:
        model, row.rank_build = timed(lambda: BM25Okapi(tokenized))
        row.rank_queries = args.queries if row.requested <= 100_000 else args.rank_bm25_queries
        row.rank_query = latencies_ms(
            lambda q: rank_bm25_top(model, q), queries[: row.rank_queries]
        )
        row.exact = exactness(index, model, queries[: min(20, row.rank_queries)])
        del model
        gc.collect()
        print(f"  rank-bm25 done: build {row.rank_build:.1f} s", flush=True)
    if bm25s is not None:
        model, row.bm25s_build = timed(lambda: bm25s_model(tokenized))

        def retrieve(terms: Sequence[str]) -> object:
            return model.retrieve([list(terms)], k=TOP_K, show_progress=False)

        retrieve(queries[0])
        row.bm25s_query = latencies_ms(retrieve, queries)
        del model
        gc.collect()
    if not args.skip_build_peak:
        row.build_peak_bytes = build_peak_bytes(tokenized, folder)
    row.max_rss_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return row


# output ---------------------------------------------------------------------------------------


def _ms(pair: tuple[float, float] | None) -> str:
    return "n/a" if pair is None else f"{pair[0]:.3f} / {pair[1]:.3f}"


def _rate(count: int, seconds: float | None) -> str:
    if not seconds:
        return "n/a"
    return f"{seconds:.2f} s ({count / seconds:,.0f}/s)"


def table(rows: Sequence[Row], workers: int) -> str:
    header = [
        "sentences (articles)",
        "ingest cold: s, sentences/s (per core)",
        "warm start s",
        "reload edit / add s (files processed, s of their own)",
        "first did-you-mean s",
        "build ours",
        "build rank-bm25",
        "build bm25s",
        "top-10 ours p50/p99 ms",
        "rank-bm25 p50/p99 ms (queries)",
        "bm25s p50/p99 ms",
        "scores equal rank-bm25",
        "ask p50/p99 ms",
        "index MB, postings, B/posting",
        "build peak MB (x index)",
        "process max RSS MB",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        rate = row.sentences / row.ingest_seconds
        peak = (
            "n/a"
            if row.build_peak_bytes is None
            else f"{row.build_peak_bytes / 1e6:.0f} ({row.build_peak_bytes / row.index_bytes:.1f}x)"
        )
        rank = "n/a" if row.rank_query is None else f"{_ms(row.rank_query)} ({row.rank_queries})"
        cells = [
            f"{row.sentences:,} ({row.articles:,})",
            f"{row.ingest_seconds:.1f}, {rate:,.0f} ({rate / workers:,.0f})",
            f"{row.warm_seconds:.2f}",
            " / ".join(
                f"{r.seconds:.2f} ({r.processed}, {r.processing_seconds:.2f})" for r in row.reloads
            ),
            f"{row.did_you_mean_seconds:.2f}",
            _rate(row.sentences, row.ours_build),
            _rate(row.sentences, row.rank_build),
            _rate(row.sentences, row.bm25s_build),
            _ms(row.ours_query),
            rank,
            _ms(row.bm25s_query),
            row.exact,
            _ms(row.ask),
            f"{row.index_bytes / 1e6:.1f}, {row.postings:,}, {row.index_bytes / row.postings:.1f}",
            peak,
            f"{row.max_rss_bytes / 1e6:,.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    bm25s_version = getattr(bm25s, "__version__", "installed") if bm25s else "not installed"
    return (
        f"- CPU: {cpu}; `nproc`: {os.cpu_count()}; memory: {memory_kb / 1024**2:.1f} GiB\n"
        f"- Python {platform.python_version()} ({platform.platform()}); "
        f"numpy {np.__version__}; bm25s {bm25s_version}; "
        f"per-sentence modules {'compiled with mypyc' if runs_compiled() else 'pure Python'}"
    )


def write_results(text: str) -> None:
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=1000, help="topic queries per size")
    parser.add_argument("--questions", type=int, default=200, help="full questions per size")
    parser.add_argument("--rank-bm25-queries", type=int, default=10, help="above 100k sentences")
    parser.add_argument("--rank-bm25-up-to", type=int, default=2_000_000, help="max sentences")
    parser.add_argument("--skip-build-peak", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--build-peak-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm-start-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("paths", type=Path, nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_peak_of:
        report_build_peak(args.build_peak_of)
        return
    if args.warm_start_of:
        report_warm_start(args.warm_start_of, args.paths, args.workers)
        return
    started = datetime.datetime.now(datetime.UTC)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as work:
        for size in args.sizes:
            print(f"size {size:,} sentences", flush=True)
            rows.append(measure(size, args, Path(work)))
    result = table(rows, args.workers)
    print(result)
    if args.no_write:
        return
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = ".venv/bin/python -m benchmarks.run " + shlex.join(arguments)
    write_results(
        f"# Benchmark results\n\n{machine()}\n- Command: `{command}`\n"
        f"- Date: {started:%Y-%m-%d %H:%M} UTC\n\n{result}\n\n{NOTES}"
    )


if __name__ == "__main__":
    main()
