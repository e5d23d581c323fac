"""The one error handler: log the failure with its update id, tell the user briefly.

Some Telegram errors are harmless and only logged at debug level: editing a message into what
it already says ("message is not modified", e.g. a button pressed twice) and answering a
button press after Telegram stopped waiting for the answer ("query is too old").
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot.telegram import texts
from bot.telegram.state import BotContext

_LOGGER = logging.getLogger(__name__)

_HARMLESS_BAD_REQUESTS = (
    "message is not modified",
    "query is too old",
    "query id is invalid",
)


def is_harmless(error: BaseException | None) -> bool:
    if not isinstance(error, BadRequest):
        return False
    message = error.message.lower()
    return any(harmless in message for harmless in _HARMLESS_BAD_REQUESTS)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if is_harmless(error):
        _LOGGER.debug("update %s: harmless Telegram answer: %s", update_id, error)
        return
    _LOGGER.error("update %s failed: %r", update_id, error, exc_info=error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, texts.SOMETHING_WENT_WRONG)
    except TelegramError as notice_error:
        _LOGGER.warning("update %s: could not tell chat %s: %s", update_id, chat.id, notice_error)
