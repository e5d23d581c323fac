"""The corpus build: the cache keyed by content hash, incremental reloads, damaged caches,
and parallel processing giving the same snapshot as serial processing."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import bot.corpus
import bot.corpus.processing
import bot.index.storage
from bot.attribution import Statement, attribute
from bot.corpus import Corpus, build_corpus
from bot.index import BM25Index

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


def _index_fields(corpus: Corpus) -> list[tuple[str, object]]:
    """The index's every field, arrays as their dtype and values, to compare two builds."""
    assert isinstance(corpus.index, BM25Index)
    fields = []
    for field in dataclasses.fields(corpus.index):
        value = getattr(corpus.index, field.name)
        if isinstance(value, np.ndarray):
            value = (value.dtype.str, value.tolist())
        elif isinstance(value, dict):
            value = list(value.items())
        fields.append((field.name, value))
    return fields


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
    assert list(second.speakers.items()) == list(first.speakers.items())
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
    assert len(list(cache.glob("*/speakers/*.json"))) == 1  # the old corpus's left


def test_removed_file_leaves_the_corpus_and_its_cache_record(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(folder, cache)
    (folder / "geneva.txt").unlink()
    rebuilt = build(folder, cache)
    assert [d.doc_id for d in rebuilt.documents] == sorted(p.name for p in SEEDS.iterdir())
    assert len(list(cache.glob("*/files/*/segment.json"))) == 2


def _rewrite_json(record: Path, **changes: object) -> None:
    record.write_text(json.dumps({**json.loads(record.read_text("utf-8")), **changes}), "utf-8")


def _truncate(array: Path) -> None:
    array.write_bytes(array.read_bytes()[:-8])


def _resave(array: Path, change: object) -> None:
    values = np.load(array)
    change(values)  # type: ignore[operator]
    np.save(array, values)


def _point_past_the_sentences(values: np.ndarray) -> None:
    values[:, 0] = len(values) + 1_000


@pytest.mark.parametrize(
    ("piece", "damage"),
    [
        ("segment.json", lambda p: p.write_text("{ not json", encoding="utf-8")),
        ("segment.json", lambda p: p.write_bytes(b"\x00\xff" * 10)),
        ("segment.json", lambda p: p.write_text(json.dumps({"format": 0}), encoding="utf-8")),
        ("segment.json", lambda p: _rewrite_json(p, version="old")),
        ("segment.json", lambda p: _rewrite_json(p, strings=[1, 2])),
        ("segment.json", lambda p: _rewrite_json(p, speakers=[["person:x", "alien", [], []]])),
        ("segment.json", lambda p: _rewrite_json(p, documents=[])),
        ("segment.json", lambda p: _rewrite_json(p, counts={"text": 1})),
        ("segment.json", lambda p: _rewrite_json(p, capitalised={"geneva": 1})),
        ("segment.json", lambda p: _rewrite_json(p, capitalised=["Geneva"])),
        ("segment.json", lambda p: p.unlink()),
        ("sentences.npy", _truncate),
        ("text.npy", _truncate),
        ("statements.npy", lambda p: p.unlink()),
        ("confidences.npy", lambda p: p.write_bytes(b"garbage")),
        ("statements.npy", lambda p: _resave(p, _point_past_the_sentences)),
        ("sentences.npy", lambda p: _resave(p, lambda v: v.__setitem__((0, 6), -5))),
    ],
    ids=[
        "corrupted",
        "binary",
        "old-format",
        "old-version",
        "edited-strings",
        "edited-speakers",
        "edited-documents",
        "edited-counts",
        "edited-capitalised-words",
        "capitalised-words-not-a-table",
        "missing-record",
        "truncated-sentences",
        "truncated-text",
        "missing-statements",
        "garbage-array",
        "statements-point-outside",
        "text-offset-negative",
    ],
)
def test_damaged_cache_segment_is_rebuilt_not_trusted(
    folder: Path, tmp_path: Path, piece: str, damage: object
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    for segment in cache.glob("*/files/*"):
        damage(segment / piece)  # type: ignore[operator]
    rebuilt = build(folder, cache)
    assert rebuilt.report.processed == 3
    assert _summary(rebuilt) == _summary(first)
    assert [d.source_text for d in rebuilt.documents] == [d.source_text for d in first.documents]


@pytest.mark.parametrize(
    "damage",
    [
        lambda piece: shutil.rmtree(piece),
        lambda piece: _truncate(piece / "offsets.npy"),
        lambda piece: (piece / "sentence_lengths.npy").write_bytes(b"garbage"),
    ],
    ids=["missing", "truncated", "garbage"],
)
def test_damaged_index_postings_of_a_file_are_rebuilt_when_the_index_needs_them(
    folder: Path, tmp_path: Path, damage: object
) -> None:
    cache = tmp_path / "cache"
    build(folder, cache)
    (folder / "geneva.txt").write_text(ARTICLE.replace("Geneva", "Vienna"), "utf-8")
    for piece in cache.glob("*/files/*/index"):
        damage(piece)  # type: ignore[operator]
    rebuilt = build(folder, cache)
    assert rebuilt.report.processed == 3
    terms = ["zakharova", "talk"]
    cold = build(folder, None)
    assert np.array_equal(rebuilt.index.scores(terms), cold.index.scores(terms))
    assert _summary(rebuilt) == _summary(cold)
    assert [d.title for d in rebuilt.documents] == [d.title for d in cold.documents]


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: record.write_text("{ not json", encoding="utf-8"),
        lambda record: _rewrite_json(record, speakers=[["person:x", "X", "alien", [], []]]),
        lambda record: _rewrite_json(record, numbers=[10_000]),
        lambda record: _rewrite_json(record, article_keys=[], numbers=[]),
        lambda record: record.unlink(),
    ],
    ids=["corrupted", "edited-speaker", "edited-numbers", "keys-left-out", "missing"],
)
def test_damaged_corpus_speakers_are_merged_again(
    folder: Path, tmp_path: Path, damage: object
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    damage(next(cache.glob("*/speakers/*.json")))  # type: ignore[operator]
    rebuilt = build(folder, cache)
    assert list(rebuilt.speakers.items()) == list(first.speakers.items())
    assert _summary(rebuilt) == _summary(first)


def test_damaged_index_arrays_are_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    (next(cache.glob("*/index/weights.npy"))).write_bytes(b"garbage")
    rebuilt = build(folder, cache)
    terms = ["azaz"]
    assert np.array_equal(rebuilt.index.scores(terms), first.index.scores(terms))


def test_arrays_saved_in_another_format_are_rebuilt_without_calling_them_damaged(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    monkeypatch.setattr(bot.index.storage, "FORMAT", bot.index.storage.FORMAT + 1)
    with caplog.at_level(logging.INFO, logger="bot.corpus.cache"):
        rebuilt = build(folder, cache)
    assert rebuilt.report.processed == 3
    assert _summary(rebuilt) == _summary(first)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("another version" in r.getMessage() for r in caplog.records)
    again = build(folder, cache)
    assert again.report.processed == 0


def test_parallel_workers_build_the_same_corpus_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_statements_are_the_ones_attribution_combines_across_the_corpus(folder: Path) -> None:
    corpus = build(folder, None)
    attribution = attribute(corpus.documents, corpus.sentences)
    assert list(corpus.statements) == list(attribution.statements)
    assert corpus.speakers == attribution.speakers
    assert list(corpus.speakers) == list(attribution.speakers)


@pytest.mark.parametrize("shares_per_group", [2, 16])
def test_an_archive_cut_into_many_jobs_gives_the_corpus_of_one_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shares_per_group: int
) -> None:
    archive = tmp_path / "archive.jsonl"
    lines = [
        json.dumps({"title": f"Talks {number}", "text": ARTICLE.split("\n\n", 1)[1]})
        for number in range(5)
    ]
    archive.write_text("\n".join([*lines[:2], "{ bad line", *lines[2:]]) + "\n", "utf-8")
    whole = build_corpus((archive,), 5_000_000, workers=1)
    monkeypatch.setattr(bot.corpus.processing, "ARCHIVE_LINES_PER_JOB", 2)
    monkeypatch.setattr(bot.corpus, "SHARES_PER_GROUP", shares_per_group)
    shared = build_corpus((archive,), 5_000_000, workers=1)
    assert _summary(shared) == _summary(whole)
    assert list(shared.sentences) == list(whole.sentences)
    assert list(shared.documents) == list(whole.documents)
    assert shared.skipped == whole.skipped
    assert dict(shared.statements_by_sentence) == dict(whole.statements_by_sentence)
    assert _index_fields(shared) == _index_fields(whole)


@pytest.mark.parametrize("articles_per_chunk", [1, 3, 1000])
def test_an_archive_shared_among_workers_gives_the_corpus_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, articles_per_chunk: int
) -> None:
    archive = tmp_path / "archive.jsonl"
    body = ARTICLE.split("\n\n", 1)[1]
    lines = [
        json.dumps({"title": f"Talks {number}", "text": body.replace("Geneva", f"Geneva {number}")})
        for number in range(9)
    ]
    archive.write_text("\n".join(lines) + "\n", "utf-8")
    whole = build_corpus((archive,), 5_000_000, workers=1)
    monkeypatch.setattr(bot.corpus, "PARALLEL_FROM_ARTICLES", 1)
    monkeypatch.setattr(bot.corpus, "ARTICLES_PER_CHUNK", articles_per_chunk)
    monkeypatch.setattr(bot.corpus, "SHARES_PER_GROUP", 2)
    monkeypatch.setattr(bot.corpus.processing, "ARCHIVE_LINES_PER_JOB", 2)
    shared = build_corpus((archive,), 5_000_000, workers=2)
    assert list(shared.documents) == list(whole.documents)
    assert list(shared.sentences) == list(whole.sentences)
    assert list(shared.statements) == list(whole.statements)
    assert shared.speakers == whole.speakers
    assert _index_fields(shared) == _index_fields(whole)


def test_paragraphs_and_sentences_after_accented_words_read_back_from_the_cache(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ankara.txt").write_text(
        "Talks in Ankara\n2016-01-21\n\n"
        "Mevlüt Çavuşoğlu said the talks would go on. “They are trying,” he said. "
        "Zakharova disagreed.\n\nShe called it “a farce”. Nobody answered.\n\n"
        "Smith &amp; Wesson made the rifles, Çavuşoğlu said. Nobody denied it.\n",
        "utf-8",
    )
    cold = build(folder, tmp_path / "cache")
    warm = build(folder, tmp_path / "cache")
    assert warm.report.from_cache == 1
    assert len(cold.sentences) == 7
    assert "Smith & Wesson" in cold.sentences[5].text  # cleaned: not as published
    assert list(warm.documents) == list(cold.documents)
    assert list(warm.sentences) == list(cold.sentences)
    for sentence in warm.sentences:
        paragraph = warm.document_of(sentence).paragraphs[sentence.paragraph]
        assert paragraph.text[sentence.offset :].startswith(sentence.text)


def test_statements_by_sentence_holds_each_sentences_statements_in_order(folder: Path) -> None:
    corpus = build(folder, None)
    expected: dict[int, list[Statement]] = {}
    for statement in corpus.statements:
        expected.setdefault(statement.sentence_id, []).append(statement)
    assert {k: list(v) for k, v in corpus.statements_by_sentence.items()} == expected
    assert len(corpus.statements_by_sentence) == len(expected)
    assert corpus.statements_by_sentence.get(len(corpus.sentences), ()) == ()
    without = next(s.sentence_id for s in corpus.sentences if s.sentence_id not in expected)
    assert without not in corpus.statements_by_sentence


def test_corpus_sequences_read_like_tuples(folder: Path) -> None:
    corpus = build(folder, None)
    sentences = tuple(corpus.sentences)
    assert corpus.sentences[-1] == sentences[-1]
    assert corpus.sentences[2:5] == sentences[2:5]
    assert corpus.sentences[3] is corpus.sentences[3]
    assert [s.sentence_id for s in sentences] == list(range(len(sentences)))
    with pytest.raises(IndexError):
        corpus.documents[len(corpus.documents)]


def test_files_with_the_same_text_keep_their_own_names_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("first.txt", "second.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    cold = build(folder, cache)
    warm = build(folder, cache)
    assert warm.report.from_cache == 2
    assert [d.doc_id for d in warm.documents] == [d.doc_id for d in cold.documents]
    assert [d.doc_id for d in warm.documents] == ["first.txt", "second.txt"]


def test_an_unchanged_corpus_starts_without_merging_its_index_or_speakers(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.corpus

    cache = tmp_path / "cache"
    first = build(folder, cache)

    def merged_again(*_: object) -> None:
        raise AssertionError("merged again")

    monkeypatch.setattr(bot.corpus, "_corpus_index", merged_again)
    monkeypatch.setattr(bot.corpus, "_corpus_speakers", merged_again)
    second = build(folder, cache)
    assert list(second.speakers.items()) == list(first.speakers.items())
    assert np.array_equal(second.index.scores(["azaz"]), first.index.scores(["azaz"]))


def test_the_garbage_collector_runs_again_after_a_build_even_a_failed_one(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import bot.corpus

    build(folder, tmp_path / "cache")
    assert gc.isenabled()

    def failing(*_: object) -> None:
        raise RuntimeError("assembly failed")

    monkeypatch.setattr(bot.corpus, "_assemble", failing)
    with pytest.raises(RuntimeError):
        build(folder, tmp_path / "cache")
    assert gc.isenabled()


def test_the_report_splits_a_build_into_its_phases(folder: Path, tmp_path: Path) -> None:
    from bot.corpus import OWN_PHASES, PHASES

    build(folder, tmp_path / "cache")
    (folder / "geneva.txt").write_text(ARTICLE.replace("may be delayed", "will go on"), "utf-8")
    report = build(folder, tmp_path / "cache").report
    assert [phase for phase, _ in report.phases] == list(PHASES)
    assert all(seconds >= 0 for _, seconds in report.phases)
    assert sum(seconds for _, seconds in report.phases) <= report.seconds
    own = sum(seconds for phase, seconds in report.phases if phase in OWN_PHASES)
    assert report.processing_seconds == own
    assert report.phases_text().split(", ")[0].startswith("hash ")


def _counting_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed from now on."""
    import bot.corpus

    hashed: list[str] = []
    real = bot.corpus.content_hash

    def counted(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(bot.corpus, "content_hash", counted)
    return hashed


def test_files_unchanged_since_they_were_hashed_are_not_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.corpus

    monkeypatch.setattr(bot.corpus, "SETTLED_SECONDS", -3600.0)  # every file counts as settled
    cache = tmp_path / "cache"
    first = build(folder, cache)
    hashed = _counting_hashes(monkeypatch)
    again = build(folder, cache)
    assert hashed == []
    assert _summary(again) == _summary(first)
    (folder / "geneva.txt").write_text(ARTICLE.replace("may be delayed", "will go on"), "utf-8")
    edited = build(folder, cache)
    assert hashed == ["geneva.txt"]
    assert edited.report.processed == 1


def test_an_edit_of_the_same_size_with_the_old_mtime_is_still_seen(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.corpus

    monkeypatch.setattr(bot.corpus, "SETTLED_SECONDS", -3600.0)
    cache = tmp_path / "cache"
    build(folder, cache)
    article = folder / "geneva.txt"
    before = article.stat()
    article.write_text(ARTICLE.replace("may be delayed", "may be stalled"), "utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert article.stat().st_size == before.st_size
    edited = build(folder, cache)
    assert edited.report.processed == 1
    assert "the talks may be stalled" in [s.quote for s in edited.statements]


def test_files_changed_just_now_are_hashed_again_at_the_next_build(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build(folder, cache)  # the files were all copied moments ago
    hashed = _counting_hashes(monkeypatch)
    build(folder, cache)
    assert sorted(hashed) == sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: record.write_text("{ not json", encoding="utf-8"),
        lambda record: _rewrite_json(record, files=[["geneva.txt", 1, 2, 3, 4, 5]]),
        lambda record: _rewrite_json(record, files=[["a.txt", "1", 2, 3, 4, 5, "0" * 64]]),
        lambda record: _rewrite_json(record, files={"a.txt": "0" * 64}),
    ],
    ids=["corrupted", "short-row", "size-as-text", "not-a-list"],
)
def test_damaged_file_hashes_are_hashed_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    import bot.corpus

    monkeypatch.setattr(bot.corpus, "SETTLED_SECONDS", -3600.0)
    cache = tmp_path / "cache"
    first = build(folder, cache)
    damage(next(cache.glob("*/hashes.json")))  # type: ignore[operator]
    hashed = _counting_hashes(monkeypatch)
    rebuilt = build(folder, cache)
    assert sorted(hashed) == sorted(path.name for path in folder.iterdir())
    assert rebuilt.report.from_cache == 3
    assert _summary(rebuilt) == _summary(first)


SHORT_NAME = (
    "Talks in Vienna\n2016-01-22\n\nZakharova said the talks would resume on Monday in Vienna.\n"
)
NAMESAKE = (
    "Ruling appealed\n2016-01-23\n\n"
    "Lawyer Anna Zakharova said the ruling was unfair and would be appealed.\n"
)


def _edit(folder: Path) -> None:
    (folder / "geneva.txt").write_text(ARTICLE.replace("may be delayed", "will go on"), "utf-8")


def _add_short_name(folder: Path) -> None:
    (folder / "zz-vienna.txt").write_text(SHORT_NAME, "utf-8")


def _add_namesake_first(folder: Path) -> None:
    (folder / "a-ruling.txt").write_text(NAMESAKE, "utf-8")


def _remove_full_name(folder: Path) -> None:
    (folder / "geneva.txt").unlink()


def _rename(folder: Path) -> None:
    (folder / "geneva.txt").rename(folder / "0-geneva.txt")


def _speaker_tables(corpus: Corpus) -> tuple[object, ...]:
    """What the lookups find speakers by, in the order that matters (sets as sets)."""
    names = corpus.lookups.speaker_names
    tables = [names.by_term, names.by_last_term, names.by_family, names.by_role_term]
    return (
        names.speakers,
        names.read,
        [(table.positions, {k: set(v) for k, v in table.fuzzy_keys.items()}) for table in tables],
        {key: set(found) for key, found in names.by_acronym.items()},
        names.suggestions,
        names.suggested_names,
        names.suggestion_ends,
    )


@pytest.mark.parametrize(
    "change",
    [_edit, _add_short_name, _add_namesake_first, _remove_full_name, _rename],
    ids=["edit", "short-name-added", "namesake-added-first", "full-name-removed", "moved-first"],
)
def test_a_reload_from_the_last_build_gives_the_corpus_of_a_fresh_build(
    folder: Path, tmp_path: Path, change: object
) -> None:
    from bot.corpus import Reloader

    _add_short_name(folder)  # "Zakharova" alone joins "Maria Zakharova" while she is the one
    build(folder, tmp_path / "cache")
    reload = Reloader(build(folder, tmp_path / "cache"), cache_dir=tmp_path / "cache")
    reload((folder,), 5_000_000)  # unchanged: all from the last build
    change(folder)  # type: ignore[operator]
    reloaded = reload((folder,), 5_000_000)
    fresh = build(folder, tmp_path / "fresh")
    assert reloaded.report.from_cache >= 2
    assert reloaded.reusable is not None and fresh.reusable is not None
    assert list(reloaded.reusable.speakers.items()) == list(fresh.reusable.speakers.items())
    assert list(reloaded.speakers.items()) == list(fresh.speakers.items())
    assert _speaker_tables(reloaded) == _speaker_tables(fresh)
    assert _summary(reloaded) == _summary(fresh)
    assert [s.text for s in reloaded.sentences] == [s.text for s in fresh.sentences]
    terms = ["zakharova", "talk"]
    assert np.array_equal(reloaded.index.scores(terms), fresh.index.scores(terms))


def test_a_reload_answers_before_its_index_is_written_to_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus import Reloader
    from bot.corpus.cache import CorpusCache

    cache = tmp_path / "cache"
    reload = Reloader(build(folder, cache), cache_dir=cache)
    (folder / "geneva.txt").write_text(ARTICLE.replace("Geneva", "Vienna"), "utf-8")
    release, written = threading.Event(), threading.Event()
    real = CorpusCache.save_index

    def held(self: CorpusCache, key: str, index: BM25Index) -> None:
        release.wait(timeout=10)
        real(self, key, index)
        written.set()

    monkeypatch.setattr(CorpusCache, "save_index", held)
    reloaded = reload((folder,), 5_000_000)
    assert not written.is_set()  # the new corpus is there to answer; its index is being written
    assert "Talks resume in Vienna" in [document.title for document in reloaded.documents]
    release.set()
    reload.wait()
    assert written.is_set()
    monkeypatch.setattr(BM25Index, "from_segments", None)  # the next start must not merge
    assert _summary(build(folder, cache)) == _summary(reloaded)


def test_a_reload_whose_index_cannot_be_written_keeps_its_corpus_and_says_so(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.corpus import Reloader
    from bot.corpus.cache import CorpusCache

    cache = tmp_path / "cache"
    reload = Reloader(build(folder, cache), cache_dir=cache)
    (folder / "geneva.txt").write_text(ARTICLE.replace("Geneva", "Vienna"), "utf-8")

    def full(self: CorpusCache, key: str, index: BM25Index) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CorpusCache, "save_index", full)
    reloaded = reload((folder,), 5_000_000)
    reload.wait()
    assert "Talks resume in Vienna" in [document.title for document in reloaded.documents]
    assert any("No space left on device" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    assert _summary(reload((folder,), 5_000_000)) == _summary(reloaded)


def test_a_reload_reads_from_the_cache_only_the_files_its_last_build_did_not_hold(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus import Reloader
    from bot.corpus.cache import CorpusCache

    cache = tmp_path / "cache"
    build(folder, cache)
    reload = Reloader(build(folder, cache), cache_dir=cache)
    read: list[str] = []
    real = CorpusCache.segment

    def counted(self: CorpusCache, path: Path, *args: object, **kwargs: object) -> object:
        read.append(path.name)
        return real(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CorpusCache, "segment", counted)
    _edit(folder)
    _add_short_name(folder)
    reloaded = reload((folder,), 5_000_000)
    assert sorted(read) == ["geneva.txt", "zz-vienna.txt"]
    assert (reloaded.report.processed, reloaded.report.from_cache) == (2, 2)


def test_a_reload_processes_again_a_file_whose_cached_postings_are_damaged(
    folder: Path, tmp_path: Path
) -> None:
    from bot.corpus import Reloader

    cache = tmp_path / "cache"
    build(folder, cache)
    reload = Reloader(build(folder, cache), cache_dir=cache)  # its segments without postings
    for postings in cache.glob("*/files/*/index/offsets.npy"):
        _truncate(postings)
    _edit(folder)
    reloaded = reload((folder,), 5_000_000)
    assert reloaded.report.processed == 3
    terms = ["zakharova", "talk"]
    fresh = build(folder, None)
    assert np.array_equal(reloaded.index.scores(terms), fresh.index.scores(terms))
    assert _summary(reloaded) == _summary(fresh)


def _counting_name_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The speaker names read from now on."""
    import bot.corpus.lookups

    read: list[str] = []
    real = bot.corpus.lookups._read_phrased

    def counted(text: str) -> object:
        read.append(text)
        return real(text)

    monkeypatch.setattr(bot.corpus.lookups, "_read_phrased", counted)
    return read


def test_a_start_from_the_cache_reads_no_speaker_name_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    read = _counting_name_reads(monkeypatch)
    again = build(folder, cache)
    assert read == []
    assert _speaker_tables(again) == _speaker_tables(first)


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: record.write_text("{ not json", encoding="utf-8"),
        lambda record: _rewrite_json(record, reader="other code"),
        lambda record: _rewrite_json(record, names=[["Maria Zakharova", ["maria"], [], "m"]]),
        lambda record: _rewrite_json(record, names=[["UN", "un", ["un"], "un", True]]),
        lambda record: _rewrite_json(record, names=[["UN", ["un"], ["un"], "un", "yes"]]),
        lambda record: record.unlink(),
    ],
    ids=["corrupted", "other-reader", "short-row", "words-as-text", "flag-as-text", "missing"],
)
def test_damaged_speaker_names_are_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    cache = tmp_path / "cache"
    first = build(folder, cache)
    damage(next(cache.glob("*/names.json")))  # type: ignore[operator]
    read = _counting_name_reads(monkeypatch)
    rebuilt = build(folder, cache)
    assert read
    assert _speaker_tables(rebuilt) == _speaker_tables(first)
    read.clear()
    build(folder, cache)
    assert read == []  # saved again


def test_a_build_returns_once_its_cache_writes_are_done_and_fails_with_the_first_that_fails(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus.cache import CorpusCache
    from bot.corpus.segment import Segment

    written: list[str] = []
    real = CorpusCache.save_segment

    def in_thread(self: CorpusCache, segment: Segment) -> None:
        # the corpus-wide steps go on meanwhile; the build still waits for this
        assert threading.current_thread() is not threading.main_thread()
        real(self, segment)
        written.append(segment.path.name)

    monkeypatch.setattr(CorpusCache, "save_segment", in_thread)
    build(folder, tmp_path / "cache")
    assert sorted(written) == sorted(path.name for path in folder.iterdir())

    def full(self: CorpusCache, key: str, speakers: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CorpusCache, "save_speakers", full)
    with pytest.raises(OSError, match="No space left on device"):
        build(folder, tmp_path / "other cache")


def test_a_cold_build_reads_its_speakers_names_as_the_files_come_not_after_the_last(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus.lookups import Lookups

    read = _counting_name_reads(monkeypatch)
    read_by_lookups: list[str] = []
    real = bot.corpus.build_lookups

    def lookups(*args: Any, **kwargs: Any) -> Lookups:
        first = len(read)
        built = real(*args, **kwargs)
        read_by_lookups.extend(read[first:])
        return built

    monkeypatch.setattr(bot.corpus, "build_lookups", lookups)
    corpus = build(folder, None)
    assert read_by_lookups == []
    assert len(read) >= len(corpus.lookups.speaker_names.read) > 0


def test_an_empty_archive_beside_articles_holds_no_document(folder: Path, tmp_path: Path) -> None:
    (folder / "empty.jsonl").write_bytes(b"")
    cold = build(folder, tmp_path / "cache")
    assert cold.documents
    assert not [d for d in cold.documents if d.path.name == "empty.jsonl"]
    warm = build(folder, tmp_path / "cache")
    assert warm.report.processed == 0
    assert _summary(warm) == _summary(cold)
