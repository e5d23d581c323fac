"""Processing: the splitter's training sample of a corpus, and what a worker process sets."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from bot.corpus.processing import WORKER_COLLECTION_THRESHOLD, start_worker, training_texts
from bot.documents import corpus_files
from bot.sentences import TRAINING_CHARACTERS, train_parameters

ARTICLE_SENTENCES = "Officials from region {number} met again on Monday. The talks went on. "


def _archive(folder: Path, articles: int, sentences: int) -> Path:
    folder.mkdir()
    path = folder / "archive.jsonl"
    lines = [
        json.dumps(
            {
                "title": f"Talks {number}",
                "text": ARTICLE_SENTENCES.format(number=number) * sentences,
            }
        )
        for number in range(articles)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_small_corpus_is_trained_on_whole(seeds: Path, tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive", articles=5, sentences=3)
    files = list(corpus_files([seeds, archive]))
    texts = list(training_texts(files, 1 << 30))
    assert len(texts) == len(list(corpus_files([seeds]))) + 5
    assert [f"region {number} " in texts[-5 + number] for number in range(5)] == [True] * 5


def test_a_large_archive_is_sampled_evenly_to_the_training_budget(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive", articles=200, sentences=100)  # about 6.7 MB
    texts = list(training_texts(list(corpus_files([archive])), 1 << 30))
    step = -(-archive.stat().st_size // TRAINING_CHARACTERS)
    regions = [int(text.split("region ")[1].split()[0]) for text in texts]
    assert regions == list(range(0, 200, step))  # from the whole archive, not its start
    assert TRAINING_CHARACTERS * 0.8 <= sum(map(len, texts)) <= TRAINING_CHARACTERS


def test_a_worker_keeps_the_collector_on_but_runs_it_less_often() -> None:
    default = gc.get_threshold()
    try:
        start_worker(train_parameters(["The talks went on. Officials met again."]))
        assert gc.isenabled()
        assert gc.get_threshold() == (WORKER_COLLECTION_THRESHOLD, *default[1:])
        assert default[0] < WORKER_COLLECTION_THRESHOLD
    finally:
        gc.set_threshold(*default)
