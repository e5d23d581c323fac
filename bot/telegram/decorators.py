"""Cross-cutting rules for handler callbacks, each one decorator: group cooldown, admins only."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.telegram import texts
from bot.telegram.addressing import in_group
from bot.telegram.state import BotContext

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

_LOGGER = logging.getLogger(__name__)


def cooldown(callback: Callback) -> Callback:
    """In groups, drop questions that arrive within the chat's cooldown after an answer."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        chat = update.effective_chat
        if chat is not None and in_group(update) and not context.state.cooldown.allow(chat.id):
            _LOGGER.info(
                "chat %s is cooling down; update %s not answered", chat.id, update.update_id
            )
            return
        await callback(update, context)

    return guarded


def admins_only(command: str) -> Callable[[Callback], Callback]:
    """Let only ADMIN_USER_IDS run `command`; refuse everyone else politely, and log it."""

    def decorate(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def guarded(update: Update, context: BotContext) -> None:
            user = update.effective_user
            if user is not None and user.id in context.state.settings.admin_user_ids:
                await callback(update, context)
                return
            chat = update.effective_chat
            _LOGGER.warning(
                "refused %s to non-admin user %s in chat %s",
                command,
                user.id if user else None,
                chat.id if chat else None,
            )
            if update.effective_message is not None:
                await update.effective_message.reply_html(
                    texts.ADMINS_ONLY.format(command=command), do_quote=in_group(update)
                )

        return guarded

    return decorate
