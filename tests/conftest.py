"""Shared fixtures: the seed corpus, built once per session so the suite stays fast."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.corpus import Corpus, build_corpus
from bot.documents import Document


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run by the tests (and the bot they start) cache into a folder of the run's
    own, never the project's .cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The folder of the two seed articles."""
    return PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_corpus(seeds: Path) -> Corpus:
    """The seed articles loaded, split, attributed and indexed, once for the whole suite."""
    return build_corpus((seeds,), max_file_bytes=5_000_000)


@pytest.fixture(scope="session")
def seed_documents(seed_corpus: Corpus) -> dict[str, Document]:
    """The seed documents by id: "000_c95f25a13bd07841.txt" (Konashenkov, Press TV, with a
    breadcrumb, a photo credit and site boilerplate) and "004_5693fbc6e7f5f2c4.txt"
    (Zakharova, with a dateline and a photo caption printed twice)."""
    return {document.doc_id: document for document in seed_corpus.documents}
