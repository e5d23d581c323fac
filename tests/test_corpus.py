"""The corpus build: the cache keyed by content hash, incremental reloads, damaged caches,
and parallel processing giving the same snapshot as serial processing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.corpus import Corpus, build_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = (
    "Talks resume in Geneva\n2016-01-21\n\n"
    "Russian Foreign Ministry spokeswoman Maria Zakharova said the talks may be delayed.\n\n"
    '"They are trying to win on the battlefield," she said.\n'
)


def _summary(corpus: Corpus) -> list[tuple[str, str, str, str]]:
    return [
        (corpus.document_of(s).doc_id, s.speaker_name, s.kind, s.quote) for s in corpus.statements
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "geneva.txt").write_text(ARTICLE, encoding="utf-8")
    return corpus


def build(folder: Path, cache: Path | None, workers: int = 1) -> Corpus:
    return build_corpus((folder,), 5_000_000, cache_dir=cache, workers=workers)


def test_unchanged_corpus_comes_from_the_cache_and_answers_the_same(
    folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    second = build(folder, cache)
    assert (first.report.processed, first.report.from_cache) == (3, 0)
    assert (second.report.processed, second.report.from_cache) == (0, 3)
    assert _summary(second) == _summary(first)
    assert [s.text for s in second.sentences] == [s.text for s in first.sentences]
    terms = ["zakharova", "talk"]
    assert np.array_equal(second.index.scores(terms), first.index.scores(terms))


def test_reload_processes_only_the_changed_file(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(folder, cache)
    (folder / "geneva.txt").write_text(ARTICLE.replace("may be delayed", "will go on"), "utf-8")
    rebuilt = build(folder, cache)
    assert (rebuilt.report.processed, rebuilt.report.from_cache) == (1, 2)
    geneva = [s.quote for s in rebuilt.statements if rebuilt.document_of(s).doc_id == "geneva.txt"]
    assert "the talks will go on" in geneva
    assert "the talks may be delayed" not in geneva


def test_removed_file_leaves_the_corpus_and_its_cache_record(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(folder, cache)
    (folder / "geneva.txt").unlink()
    rebuilt = build(folder, cache)
    assert [d.doc_id for d in rebuilt.documents] == sorted(p.name for p in SEEDS.iterdir())
    assert len(list(cache.glob("*/files/*.json"))) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: record.write_text("{ not json", encoding="utf-8"),
        lambda record: record.write_bytes(b"\x00\xff" * 10),
        lambda record: record.write_text(json.dumps({"format": 0}), encoding="utf-8"),
        lambda record: record.write_text(
            json.dumps({**json.loads(record.read_text("utf-8")), "articles": [{"x": 1}]}),
            encoding="utf-8",
        ),
        lambda record: record.write_text(
            json.dumps({**json.loads(record.read_text("utf-8")), "version": "old"}),
            encoding="utf-8",
        ),
    ],
    ids=["corrupted", "binary", "old-format", "damaged-fields", "old-version"],
)
def test_damaged_cache_record_is_rebuilt_not_trusted(
    folder: Path, tmp_path: Path, damage: object
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    for record in cache.glob("*/files/*.json"):
        damage(record)  # type: ignore[operator]
    rebuilt = build(folder, cache)
    assert rebuilt.report.processed == 3
    assert _summary(rebuilt) == _summary(first)


def test_damaged_index_arrays_are_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    (next(cache.glob("*/index/weights.npy"))).write_bytes(b"garbage")
    rebuilt = build(folder, cache)
    terms = ["azaz"]
    assert np.array_equal(rebuilt.index.scores(terms), first.index.scores(terms))


def test_parallel_workers_build_the_same_corpus_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.corpus

    monkeypatch.setattr(bot.corpus, "PARALLEL_FROM_ARTICLES", 1)
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(6):
        (folder / f"a{number}.txt").write_text(
            ARTICLE.replace("Geneva", f"Geneva {number}"), "utf-8"
        )
    serial = build(folder, None, workers=1)
    parallel = build(folder, None, workers=2)
    assert _summary(parallel) == _summary(serial)
    assert parallel.report.processed == 6
