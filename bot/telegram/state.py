"""The bot's state: one reference to the immutable corpus snapshot, plus the bookkeeping of a
running bot (sent answers, group cooldowns, counters), all owned by one Application.

Handlers reach it as `context.state`; nothing here is a module-level global.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.corpus import Corpus
from bot.telegram.pages import SentAnswers

CorpusBuilder = Callable[[Sequence[Path], int], Corpus]
Clock = Callable[[], float]


@dataclass(frozen=True)
class Library:
    """The corpus being answered from and when it was loaded; replaced whole on reload."""

    corpus: Corpus
    loaded_at: datetime


@dataclass(frozen=True)
class ReloadOutcome:
    """How a reload went: the new library, or (library None) why the old one was kept."""

    finished_at: datetime
    seconds: float
    library: Library | None = None
    error: str | None = None


class ChatCooldown:
    """A group chat gets at most one answer per `seconds`, so a group can't flood the bot."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self._seconds = seconds
        self._clock = clock
        self._last_answer: dict[int, float] = {}

    def allow(self, chat_id: int) -> bool:
        """Whether the chat may have an answer now; if so, its cooldown starts again."""
        now = self._clock()
        last = self._last_answer.get(chat_id)
        if last is not None and now - last < self._seconds:
            return False
        self._last_answer = {
            chat: when for chat, when in self._last_answer.items() if now - when < self._seconds
        }
        self._last_answer[chat_id] = now
        return True


@dataclass
class BotState:
    """Everything a running bot holds; one per Application, in its bot_data."""

    settings: Settings
    library: Library  # the one reference a reload swaps
    build_corpus: CorpusBuilder
    clock: Clock
    started: float
    sent: SentAnswers
    cooldown: ChatCooldown
    reload_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    questions_answered: int = 0
    last_reload: ReloadOutcome | None = None


STATE_KEY = "state"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context, with typed access to the bot's state."""

    @property
    def state(self) -> BotState:
        return state_of(self.application)


def state_of(application: Application[Any, Any, Any, Any, Any, Any]) -> BotState:
    state = application.bot_data[STATE_KEY]
    if not isinstance(state, BotState):
        raise TypeError("the application was not built by bot.telegram.app.build_application")
    return state
