"""Page state kept server-side: the pages behind each answer's More/Back buttons, and which
bot message answers which question, so that an edited question can edit its answer.

Telegram allows 64 bytes of callback data, so a button carries only a short token and a page
number; the pages themselves stay here until they expire.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

PAGE_TTL_SECONDS = 6 * 60 * 60
MAX_KEPT_ANSWERS = 1000

K = TypeVar("K")
V = TypeVar("V")

_CALLBACK_DATA = re.compile(r"page:([A-Za-z0-9_-]{1,16}):(\d{1,4})")


@dataclass(frozen=True)
class PageRequest:
    """What a pressed button asks for: page `index` of the answer kept under `token`."""

    token: str
    index: int


def callback_data(token: str, index: int) -> str:
    return f"page:{token}:{index}"


def parse_callback_data(data: str | None) -> PageRequest | None:
    match = _CALLBACK_DATA.fullmatch(data or "")
    return PageRequest(match.group(1), int(match.group(2))) if match else None


def keyboard(token: str, index: int, page_count: int) -> InlineKeyboardMarkup | None:
    """Back and More buttons around page `index`; None for a one-page answer."""
    buttons = []
    if index > 0:
        buttons.append(
            InlineKeyboardButton("« Back", callback_data=callback_data(token, index - 1))
        )
    if index < page_count - 1:
        label = f"More ({index + 2}/{page_count}) »"
        buttons.append(InlineKeyboardButton(label, callback_data=callback_data(token, index + 1)))
    return InlineKeyboardMarkup([buttons]) if buttons else None


class SentAnswers:
    """Answers the bot sent recently: their pages by token, their message by question.

    Both are forgotten after `ttl` seconds, and the oldest go first beyond `capacity`, so
    memory stays bounded however long the bot runs.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        ttl: float = PAGE_TTL_SECONDS,
        capacity: int = MAX_KEPT_ANSWERS,
    ) -> None:
        self._clock = clock
        self._ttl = ttl
        self._capacity = capacity
        self._pages: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._replies: dict[tuple[int, int], tuple[float, int]] = {}

    def keep_pages(self, pages: tuple[str, ...]) -> str:
        """Keep an answer's pages; returns the token its buttons carry."""
        token = secrets.token_urlsafe(6)
        while token in self._pages:
            token = secrets.token_urlsafe(6)
        self._pages[token] = (self._clock(), pages)
        self._forget_old()
        return token

    def pages(self, token: str) -> tuple[str, ...] | None:
        """The pages kept under `token`, or None once they have expired."""
        self._forget_old()
        kept = self._pages.get(token)
        return kept[1] if kept else None

    def remember_reply(self, chat_id: int, question_id: int, answer_id: int) -> None:
        self._replies.pop((chat_id, question_id), None)  # re-inserted as the newest
        self._replies[(chat_id, question_id)] = (self._clock(), answer_id)
        self._forget_old()

    def reply_to(self, chat_id: int, question_id: int) -> int | None:
        """The id of the bot's message that answers a question, if it is still remembered."""
        self._forget_old()
        kept = self._replies.get((chat_id, question_id))
        return kept[1] if kept else None

    def _forget_old(self) -> None:
        oldest_kept = self._clock() - self._ttl
        _prune(self._pages, oldest_kept, self._capacity)
        _prune(self._replies, oldest_kept, self._capacity)


def _prune(entries: dict[K, tuple[float, V]], oldest_kept: float, capacity: int) -> None:
    """Drop expired entries, and the oldest beyond `capacity`, from an age-ordered dict."""
    # Dicts keep insertion order, which is age order, so the oldest entry is always first.
    while entries:
        oldest = next(iter(entries))
        if entries[oldest][0] >= oldest_kept and len(entries) <= capacity:
            return
        del entries[oldest]
