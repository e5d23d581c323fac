"""Running the bot as a service: logs that never show the token, long polling or a webhook,
a clean stop on SIGTERM/SIGINT, and a corpus reload on SIGHUP.

`make run` reaches `run` through `python -m bot run` when TELEGRAM_BOT_TOKEN is set.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import Settings, SettingsError
from bot.corpus import Corpus
from bot.telegram.app import BotApplication, build_application, publish_commands
from bot.telegram.reloading import reload_corpus
from bot.telegram.state import state_of
from bot.telegram.uploads import is_within

ALLOWED_UPDATES = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_LOGGER = logging.getLogger(__name__)


def run(settings: Settings, corpus: Corpus) -> int:
    """Run the bot until SIGTERM or SIGINT; raises SettingsError for a bad setting."""
    configure_logging(settings)
    check_settings(settings)
    application = build_application(settings, corpus)
    try:
        asyncio.run(_serve_until_signalled(application, settings))
    except InvalidToken:
        raise SettingsError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; copy the bot's token from @BotFather "
            "into .env or the environment"
        ) from None
    except NetworkError as error:
        detail = _redacted(str(error), settings)
        print(
            f"error: can't reach the Telegram Bot API ({detail}); check the network "
            "and TELEGRAM_API_BASE_URL",
            file=sys.stderr,
        )
        return 1
    return 0


def check_settings(settings: Settings) -> None:
    """What only the Telegram bot needs of the settings, checked before anything starts."""
    if settings.webhook_url and not settings.webhook_url.startswith("https://"):
        raise SettingsError(
            f"WEBHOOK_URL={settings.webhook_url!r} must start with https:// (Telegram calls "
            "webhooks over HTTPS only); fix it, or remove it to use polling"
        )
    if not is_within(settings.upload_dir, settings.corpus_paths):
        _LOGGER.warning(
            "UPLOAD_DIR %s is not in CORPUS_PATHS: articles added with /add would not be read",
            settings.upload_dir,
        )


async def serve(application: BotApplication, settings: Settings, stop: asyncio.Event) -> None:
    """Run the bot until `stop` is set, then finish pending work and shut down cleanly.

    The one lifecycle for the service and for the tests (python-telegram-bot's run_polling
    owns the event loop, which tests can't share).
    """
    async with application:  # getMe first: a wrong token fails here
        await publish_commands(application)
        updater = application.updater
        if updater is None:
            raise RuntimeError("the application was built without an updater")
        if settings.webhook_url:
            await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await application.start()
        _LOGGER.info(
            "@%s is running (%s)",
            application.bot.username,
            "webhook" if settings.webhook_url else "long polling",
        )
        try:
            await stop.wait()
        finally:
            _LOGGER.info("stopping")
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()  # waits for running handlers and reloads


async def _serve_until_signalled(application: BotApplication, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, stop.set)
    loop.add_signal_handler(signal.SIGHUP, _reload_on_signal, application)
    await serve(application, settings, stop)


def _reload_on_signal(application: BotApplication) -> None:
    _LOGGER.info("SIGHUP: reloading the corpus")
    application.create_task(reload_corpus(state_of(application)))


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets=_secrets(settings)))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.root.level))


class RedactingFormatter(logging.Formatter):
    """A formatter that blanks out secrets (the token) wherever they appear in a record."""

    def __init__(self, fmt: str, *, secrets: tuple[str, ...]) -> None:
        super().__init__(fmt)
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[secret]")
        return text


def _secrets(settings: Settings) -> tuple[str, ...]:
    return tuple(s for s in (settings.telegram_bot_token, settings.webhook_secret_token) if s)


def _redacted(text: str, settings: Settings) -> str:
    for secret in _secrets(settings):
        text = text.replace(secret, "[secret]")
    return text
