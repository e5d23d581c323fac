"""Fixtures for end-to-end tests against the local fake Telegram Bot API server."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.corpus import Corpus

from .fake_bot_api import FakeBotApi
from .harness import RunningBot, build_test_corpus, running_bot, settings_for, write_corpus


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeBotApi]:
    """A running FakeBotApi on 127.0.0.1 and a random free port, stopped after the test.

    The test also fails if the fake itself crashed while answering a request.
    """
    async with FakeBotApi() as fake:
        yield fake
    assert not fake.server_errors, f"the fake Bot API crashed: {fake.server_errors!r}"


# ---- The bot under test (see harness.py) ------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus folder, shared and never changed; tests that change files copy it."""
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> Corpus:
    """The test corpus, built once for the whole session (snapshots are immutable)."""
    return build_test_corpus(corpus_dir)


@pytest.fixture
def own_corpus_dir(tmp_path: Path, corpus_dir: Path) -> Path:
    """A copy of the test corpus folder that this test may change."""
    return Path(shutil.copytree(corpus_dir, tmp_path / "corpus"))


@pytest.fixture
async def bot(
    fake_telegram: FakeBotApi, corpus_dir: Path, corpus: Corpus
) -> AsyncIterator[RunningBot]:
    """The real bot, polling the fake server, with the test corpus and ALICE as admin."""
    async with running_bot(
        fake_telegram, settings_for(fake_telegram, corpus_dir), corpus
    ) as running:
        yield running
