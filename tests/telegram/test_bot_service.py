"""The bot as a service: flood limits, the error handler, webhook mode, and the real entry
point (`python -m bot run`, as `make run` starts it) started and stopped with signals."""

import asyncio
import json
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from bot.config import PROJECT_ROOT
from bot.corpus import Corpus
from bot.telegram import texts

from .fake_bot_api import ALICE, FakeBotApi, FakeChat
from .harness import RunningBot, running_bot, settings_for

ALICE_CHAT = FakeChat.private(ALICE)


# python-telegram-bot's own RetryAfter warns about the future type of its retry_after.
@pytest.mark.filterwarnings("ignore:.*retry_after:telegram.warnings.PTBDeprecationWarning")
async def test_a_flood_limit_answer_is_waited_out_and_retried(bot: RunningBot) -> None:
    bot.fake.fail_next("sendMessage", retry_after=1)

    since = bot.mark()
    bot.say(ALICE_CHAT, "Azaz")
    reply = await bot.next_message(ALICE_CHAT, since)

    assert [call.status for call in bot.bot_calls("sendMessage", since)] == [429, 200]
    assert "Maria Zakharova" in (reply.text or "")


async def test_a_failure_is_logged_with_its_update_id_and_the_user_told(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail_next("sendMessage", error_code=400, description="Bad Request: TOPIC_CLOSED")

    since = bot.mark()
    bot.say(ALICE_CHAT, "Azaz")
    update_id = bot.fake.pending_updates[-1]["update_id"]
    notice = await bot.next_message(ALICE_CHAT, since)

    assert notice.text == texts.SOMETHING_WENT_WRONG
    assert f"update {update_id} failed" in caplog.text
    assert "Topic_closed" in caplog.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_webhook_mode_registers_the_hook_and_answers_what_telegram_posts(
    fake_telegram: FakeBotApi, corpus_dir: Path, corpus: Corpus
) -> None:
    port = free_port()
    settings = settings_for(
        fake_telegram,
        corpus_dir,
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret_token="s3cret-token",
    )
    async with running_bot(fake_telegram, settings, corpus, ready_method="setWebhook") as bot:
        question = fake_telegram.send_text(ALICE_CHAT, ALICE, "Azaz")  # stored, not polled
        update = {"update_id": 1, "message": question.to_json()}
        since = bot.mark()
        async with httpx.AsyncClient() as client:
            hook = f"http://127.0.0.1:{port}/telegram/hook"
            forged = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            posted = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            )
        reply = await bot.next_message(ALICE_CHAT, since)

    assert fake_telegram.webhook is not None
    assert fake_telegram.webhook["url"] == "https://bot.example.org/telegram/hook"
    assert fake_telegram.webhook["secret_token"] == "s3cret-token"
    assert forged.status_code == 403 and posted.status_code == 200
    assert "Maria Zakharova" in (reply.text or "")
    assert len(bot.bot_calls("sendMessage", since)) == 1
    assert fake_telegram.calls("getUpdates") == []


# ---- The real entry point, in a subprocess -----------------------------------------------------

SETTING_NAMES = (
    "TELEGRAM_BOT_TOKEN ADMIN_USER_IDS CORPUS_PATHS UPLOAD_DIR MAX_FILE_BYTES MAX_RESULTS "
    "PAGE_CHARS CHAT_COOLDOWN_SECONDS LOG_LEVEL TELEGRAM_API_BASE_URL TELEGRAM_API_FILE_URL "
    "WEBHOOK_URL WEBHOOK_LISTEN WEBHOOK_PORT WEBHOOK_SECRET_TOKEN"
).split()


def service_environment(fake: FakeBotApi, corpus_dir: Path, **settings: str) -> dict[str, str]:
    """The environment `make run` would see: every setting given, so that a developer's .env
    (which the environment overrides) changes nothing."""
    environment = {name: value for name, value in os.environ.items() if name not in SETTING_NAMES}
    environment.update(dict.fromkeys(SETTING_NAMES, ""))
    environment.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_API_FILE_URL=fake.base_file_url,
        CORPUS_PATHS=str(corpus_dir),
        UPLOAD_DIR=str(corpus_dir),
        ADMIN_USER_IDS=str(ALICE.id),
        LOG_LEVEL="DEBUG",
        PYTHONUNBUFFERED="1",
    )
    environment.update(settings)
    return environment


class Service:
    """`python -m bot run` in a subprocess, its log read as it is written."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._new_line = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            async with self._new_line:
                self.lines.append(raw.decode(errors="replace"))
                self._new_line.notify_all()

    async def wait_for_log(self, pattern: str, timeout: float = 10) -> str:
        def found() -> str | None:
            return next((line for line in self.lines if re.search(pattern, line)), None)

        async with self._new_line:
            await asyncio.wait_for(
                self._new_line.wait_for(lambda: found() is not None or self._reader.done()),
                timeout,
            )
        line = found()
        assert line is not None, f"no log line matches {pattern!r}:\n{self.log}"
        return line

    async def exit_code(self, timeout: float = 15) -> int:
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await self._reader
        return code

    @property
    def log(self) -> str:
        return "".join(self.lines)


StartService = Callable[..., Awaitable[Service]]


@pytest.fixture
async def start_service() -> AsyncIterator[StartService]:
    """Start `python -m bot run` with an environment; killed at the end if still running."""
    started: list[Service] = []

    async def start(environment: dict[str, str], *arguments: str) -> Service:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *arguments,
            cwd=PROJECT_ROOT,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        started.append(Service(process))
        return started[-1]

    yield start
    for service in started:
        if service.process.returncode is None:
            service.process.kill()
            await service.process.wait()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
async def test_make_run_starts_the_bot_which_reloads_on_sighup_and_stops_on_a_signal(
    fake_telegram: FakeBotApi, corpus_dir: Path, start_service: StartService, stop_signal: int
) -> None:
    service: Service = await start_service(service_environment(fake_telegram, corpus_dir))
    await fake_telegram.wait_for_call("getUpdates", since=0, timeout=30)

    fake_telegram.send_text(ALICE_CHAT, ALICE, "Azaz")
    answer = await fake_telegram.wait_for_call("sendMessage", since=0, timeout=10)
    service.process.send_signal(signal.SIGHUP)
    reloaded = await service.wait_for_log("corpus reloaded")
    service.process.send_signal(stop_signal)
    code = await service.exit_code()

    assert code == 0, service.log
    assert "Maria Zakharova" in answer.params["text"]
    assert "documents" in reloaded and "statements" in reloaded
    assert "Traceback" not in service.log
    assert fake_telegram.token not in service.log
    assert fake_telegram.token.split(":")[1] not in service.log
    assert fake_telegram.pending_updates == []  # the answered update was confirmed on the way out


async def test_a_corpus_given_on_the_command_line_is_the_one_reloaded(
    fake_telegram: FakeBotApi, corpus_dir: Path, tmp_path: Path, start_service: StartService
) -> None:
    # The configured corpus folder is empty: reloading it would fail and keep the old corpus.
    configured = tmp_path / "configured"
    configured.mkdir()
    environment = service_environment(
        fake_telegram, configured, UPLOAD_DIR=str(corpus_dir), LOG_LEVEL="INFO"
    )
    service: Service = await start_service(environment, "--corpus", str(corpus_dir))
    await fake_telegram.wait_for_call("getUpdates", since=0, timeout=30)

    service.process.send_signal(signal.SIGHUP)
    reloaded = await service.wait_for_log("corpus reloaded|reload failed")
    service.process.send_signal(signal.SIGTERM)
    code = await service.exit_code()

    assert code == 0, service.log
    assert "corpus reloaded" in reloaded, service.log
    assert str(configured) not in service.log


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CHAT_COOLDOWN_SECONDS", "soon", "CHAT_COOLDOWN_SECONDS='soon' is not a number"),
        ("ADMIN_USER_IDS", "alice", "ADMIN_USER_IDS contains 'alice'"),
        ("WEBHOOK_URL", "http://bot.example.org/hook", "WEBHOOK_URL="),
        ("TELEGRAM_BOT_TOKEN", "42:NotTheRightToken", "Telegram rejected TELEGRAM_BOT_TOKEN"),
    ],
)
async def test_a_bad_setting_stops_start_up_with_one_line(
    fake_telegram: FakeBotApi,
    corpus_dir: Path,
    start_service: StartService,
    setting: str,
    value: str,
    message: str,
) -> None:
    environment = service_environment(
        fake_telegram, corpus_dir, LOG_LEVEL="INFO", **{setting: value}
    )
    service: Service = await start_service(environment)

    code = await service.exit_code(timeout=30)

    errors = [line for line in service.lines if not line.startswith("warning:")]
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith("error: ") and message in errors[0]
    assert "NotTheRightToken" not in service.log
    assert json.dumps(service.lines)  # plain text lines, nothing binary
