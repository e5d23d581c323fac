"""Sending pages: the first page of a reply with its More button, and the bookkeeping that
lets buttons turn pages and an edited question edit its answer."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.telegram.addressing import in_group
from bot.telegram.errors import is_harmless
from bot.telegram.pages import keyboard
from bot.telegram.state import BotContext

_LOGGER = logging.getLogger(__name__)


async def reply_pages(update: Update, context: BotContext, pages: tuple[str, ...]) -> None:
    """Reply to the update's message with `pages`; for an edited question, edit the answer."""
    message = update.effective_message
    if message is None:
        return
    sent = context.state.sent
    token = sent.keep_pages(pages) if len(pages) > 1 else ""
    markup = keyboard(token, 0, len(pages))
    if update.edited_message is not None:
        answer_id = sent.reply_to(message.chat_id, message.message_id)
        if answer_id is not None and await _edited(context, message, answer_id, pages[0], markup):
            return
    reply = await message.reply_html(pages[0], reply_markup=markup, do_quote=in_group(update))
    sent.remember_reply(message.chat_id, message.message_id, reply.message_id)


async def send_pages(context: BotContext, chat_id: int, pages: tuple[str, ...]) -> Message:
    """Send `pages` to a chat as a new message (not a reply), e.g. a reload report."""
    token = context.state.sent.keep_pages(pages) if len(pages) > 1 else ""
    return await context.bot.send_message(
        chat_id, pages[0], reply_markup=keyboard(token, 0, len(pages))
    )


async def _edited(
    context: BotContext,
    question: Message,
    answer_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> bool:
    """Edit the bot's earlier answer in place; False if it is gone and a new reply is due."""
    try:
        await context.bot.edit_message_text(text, question.chat_id, answer_id, reply_markup=markup)
    except BadRequest as error:
        if is_harmless(error):
            return True
        _LOGGER.info("answer %s to an edited question can't be edited: %s", answer_id, error)
        return False
    return True
