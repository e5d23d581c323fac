"""Reloading the corpus: build a new snapshot in a worker thread while the old one keeps
answering, swap the one reference when it is complete, and report what happened.

`/reload`, `/add` and SIGHUP all come here; reloads run one at a time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from html import escape

from bot.corpus import Corpus
from bot.documents import CorpusError
from bot.telegram.replies import paginate
from bot.telegram.state import BotState, Library, ReloadOutcome

_LOGGER = logging.getLogger(__name__)


async def reload_corpus(state: BotState) -> ReloadOutcome:
    """Rebuild the corpus from disk; on failure the old corpus stays and the outcome says why."""
    async with state.reload_lock:
        settings = state.settings
        started = time.perf_counter()
        try:
            corpus = await asyncio.to_thread(
                state.build_corpus, settings.corpus_paths, settings.max_file_bytes
            )
            if not corpus.documents:
                folders = ", ".join(str(path) for path in settings.corpus_paths)
                raise CorpusError(f"the corpus would be empty: no readable articles in {folders}")
        except CorpusError as error:
            return _failed(state, started, str(error))
        except Exception as error:
            # Whatever broke the build, the old corpus must keep answering; the traceback is
            # logged for the operator, the admin gets one line.
            _LOGGER.exception("reloading the corpus failed")
            return _failed(state, started, f"{type(error).__name__}: {error}")
        library = Library(corpus, datetime.now(UTC))
        state.library = library
        outcome = ReloadOutcome(library.loaded_at, time.perf_counter() - started, library)
        state.last_reload = outcome
        _LOGGER.info("corpus reloaded: %s", figures(corpus))
        for skipped in corpus.skipped:
            _LOGGER.warning("skipped %s: %s", skipped.path, skipped.reason)
        return outcome


def _failed(state: BotState, started: float, reason: str) -> ReloadOutcome:
    outcome = ReloadOutcome(datetime.now(UTC), time.perf_counter() - started, error=reason)
    state.last_reload = outcome
    _LOGGER.error("reload failed, the previous corpus stays: %s", reason)
    return outcome


def report_pages(outcome: ReloadOutcome, current: Library, page_chars: int) -> tuple[str, ...]:
    """What an admin reads after a reload: the new figures and skipped files, or the failure."""
    if outcome.library is None:
        return (
            f"<b>Reload failed</b>: {escape(outcome.error or 'unknown error')}\n"
            f"Still answering from the previous corpus ({figures(current.corpus)}, loaded "
            f"{when(current.loaded_at)}).",
        )
    corpus = outcome.library.corpus
    report = corpus.report
    blocks = [
        f"<b>Corpus reloaded</b> in {outcome.seconds:.1f} s: {figures(corpus)}.",
        f"Files: {report.processed} processed, {report.from_cache} from the cache. "
        f"Time by phase: {report.phases_text()}.",
    ]
    if corpus.skipped:
        blocks.append(f"Skipped {len(corpus.skipped)} file(s):")
    blocks.extend(
        f"• <code>{escape(skipped.path.name)}</code>: {escape(skipped.reason)}"
        for skipped in corpus.skipped
    )
    return paginate(blocks, page_chars)


def figures(corpus: Corpus) -> str:
    return (
        f"{len(corpus.documents)} documents, {len(corpus.sentences)} sentences, "
        f"{len(corpus.statements)} statements, {len(corpus.speakers)} speakers"
    )


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
