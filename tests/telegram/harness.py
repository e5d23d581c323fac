"""Running the real bot against the fake Bot API in a test: articles, a clock, helpers.

The bot runs through `bot.telegram.service.serve`, the same lifecycle as the service, inside
the test's event loop; tests play users on the fake server and wait for the calls the bot makes.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings
from bot.corpus import Corpus, build_corpus
from bot.telegram.app import BotApplication, build_application
from bot.telegram.service import serve
from bot.telegram.state import BotState, CorpusBuilder, state_of

from .fake_bot_api import ALICE, FakeBotApi, FakeChat, FakeUser, RecordedCall, StoredMessage

MAX_FILE_BYTES = 5_000_000
PAGE_CHARS = 1000  # small pages, so that the harbour answer needs several

# An article whose title and quote hold <, & and >: the escaping test answers "Tarsus".
ESCAPING_ARTICLE = """\
---
title: Markup <tags> & ampersands in the news
date: 2016-02-20
source: Test Wire
---

Markup <tags> & ampersands in the news

The council met on Monday to discuss the Tarsus budget.

"The Tarsus budget is < 5% of revenue & spending > income," council treasurer Anna Lindqvist \
said on Monday.
"""

HARBOUR_SPEAKERS = (
    "Peter Holm",
    "Maria Berg",
    "John Carter",
    "Lena Fisk",
    "Omar Haddad",
    "Sofia Lind",
    "Karl Weber",
    "Nina Petrova",
    "Ahmed Saleh",
    "Julia Novak",
    "Tom Reid",
    "Eva Kranz",
)

# Twelve speakers on Marmaris: an answer several pages long.
HARBOUR_ARTICLE = (
    "---\ntitle: Storm damage in Marmaris harbour\ndate: 2016-03-01\nsource: Coast News\n---\n\n"
    "Storm damage in Marmaris harbour\n\n"
    + "\n\n".join(
        f'"The harbour at Marmaris will need years of repair after the storm, and the cost of '
        f"rebuilding the piers, the breakwater and the fish market will be far higher than any "
        f'estimate we have seen so far this year," said {name}, a spokesperson for district '
        f"{number}."
        for number, name in enumerate(HARBOUR_SPEAKERS, start=1)
    )
    + "\n"
)

# An article the tests add or reload; nobody else in the corpus talks about Bodrum.
BODRUM_ARTICLE = """\
---
title: Ferry service to Bodrum resumes
date: 2016-04-02
source: Coast News
---

Ferry service to Bodrum resumes

"The Bodrum ferries will sail again from Monday," harbour master Selin Aksoy said on Friday.
"""


def write_corpus(folder: Path) -> Path:
    """The test corpus: the seed articles, the escaping article and the harbour article."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted((PROJECT_ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "escaping.txt").write_text(ESCAPING_ARTICLE, encoding="utf-8")
    (folder / "harbour.txt").write_text(HARBOUR_ARTICLE, encoding="utf-8")
    return folder


def build_test_corpus(folder: Path) -> Corpus:
    return build_corpus((folder,), MAX_FILE_BYTES)


@dataclass
class Clock:
    """A clock the test moves by hand, for expiry and cooldown without waiting."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def settings_for(fake: FakeBotApi, corpus_dir: Path, **changes: object) -> Settings:
    """Settings pointing at the fake server; ALICE is the admin."""
    values: dict[str, object] = {
        "corpus_paths": (corpus_dir,),
        "max_file_bytes": MAX_FILE_BYTES,
        "telegram_bot_token": fake.token,
        "admin_user_ids": frozenset({ALICE.id}),
        "upload_dir": corpus_dir,
        "page_chars": PAGE_CHARS,
        "chat_cooldown_seconds": 0.0,
        "telegram_api_base_url": fake.base_url,
        "telegram_api_file_url": fake.base_file_url,
        **changes,
    }
    return Settings(**values)  # type: ignore[arg-type]


@dataclass
class RunningBot:
    """The bot under test, and the fake Telegram it talks to."""

    fake: FakeBotApi
    application: BotApplication
    clock: Clock
    settings: Settings

    @property
    def state(self) -> BotState:
        return state_of(self.application)

    def mark(self) -> int:
        """The point after which `next_reply` looks for the bot's calls."""
        return len(self.fake.calls())

    def say(
        self,
        chat: FakeChat,
        text: str,
        *,
        user: FakeUser = ALICE,
        reply_to: StoredMessage | None = None,
    ) -> StoredMessage:
        """`user` writes `text` in `chat`."""
        return self.fake.send_text(chat, user, text, reply_to=reply_to)

    async def next_message(
        self, chat: FakeChat, since: int, method: str = "sendMessage"
    ) -> StoredMessage:
        """The bot's next successful `method` call into `chat` after `since`, as stored."""
        call = await self.next_call(method, since, lambda c: c.params.get("chat_id") == chat.id)
        return self.message(chat, call.result["message_id"])

    async def next_call(
        self,
        method: str,
        since: int,
        predicate: Callable[[RecordedCall], bool] | None = None,
    ) -> RecordedCall:
        """The first successful `method` call at or after `since` that matches `predicate`."""
        while True:
            call = await self.fake.wait_for_call(method, predicate, since=since)
            if call.ok:
                return call
            since = call.index + 1

    def message(self, chat: FakeChat, message_id: int) -> StoredMessage:
        return next(m for m in self.fake.messages(chat) if m.message_id == message_id)

    def bot_calls(self, method: str, since: int) -> list[RecordedCall]:
        return [call for call in self.fake.calls(method) if call.index >= since]


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeBotApi,
    settings: Settings,
    corpus: Corpus,
    *,
    corpus_builder: CorpusBuilder = build_corpus,
    clock: Clock | None = None,
    ready_method: str = "getUpdates",
) -> AsyncIterator[RunningBot]:
    """Serve the real Application until the block ends, then stop it as SIGTERM would."""
    clock = clock or Clock()
    application = build_application(settings, corpus, corpus_builder=corpus_builder, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(application, settings, stop))
    ready = asyncio.create_task(fake.wait_for_call(ready_method, since=0, timeout=10))
    await asyncio.wait({serving, ready}, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        ready.cancel()
        serving.result()  # raises what stopped the bot from starting
        raise AssertionError("the bot stopped before it was ready")
    await ready
    try:
        yield RunningBot(fake, application, clock, settings)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 10)
