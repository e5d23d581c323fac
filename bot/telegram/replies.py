"""Replies in Telegram HTML: the engine's answers, listings and single statements, as
`bot.render` renders them, and the bot's own reports cut into pages Telegram accepts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.answers import Result, answer, sources_listing, speakers_listing
from bot.corpus import Corpus
from bot.render import telegram_pages, telegram_statement

TELEGRAM_MESSAGE_LIMIT = 4096  # UTF-16 code units after entity parsing
INLINE_DESCRIPTION_CHARS = 120

_WORD_WITH_SPACE = re.compile(r"\S*\s*")


def answer_pages(
    corpus: Corpus, question: str, max_results: int, page_chars: int
) -> tuple[str, ...]:
    """The answer to `question` as HTML pages (never empty)."""
    return tuple(telegram_pages(answer(corpus, question, max_results=max_results), page_chars))


def speakers_pages(corpus: Corpus, page_chars: int) -> tuple[str, ...]:
    return tuple(telegram_pages(speakers_listing(corpus), page_chars))


def sources_pages(corpus: Corpus, page_chars: int) -> tuple[str, ...]:
    return tuple(telegram_pages(sources_listing(corpus), page_chars))


def statement_html(result: Result) -> str:
    """One attributed statement with its source, as a message of its own (inline mode)."""
    return telegram_statement(result, TELEGRAM_MESSAGE_LIMIT)


def statement_title(result: Result) -> str:
    return result.statement.speaker_name


def statement_summary(result: Result) -> str:
    """The statement's words, shortened for a one-line preview."""
    return _shortened(result.excerpt, INLINE_DESCRIPTION_CHARS)


def _shortened(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def paginate(blocks: Iterable[str], page_chars: int) -> tuple[str, ...]:
    """The bot's own HTML blocks (reload reports) joined into pages of at most `page_chars`.

    Pages break between blocks, so a block must close every tag it opens; a block longer
    than a page breaks between words and must then hold no tags at all.
    """
    limit = min(page_chars, TELEGRAM_MESSAGE_LIMIT)
    pages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _pieces(block, limit):
            joined = f"{current}\n{piece}" if current else piece
            if _length(joined) <= limit:
                current = joined
                continue
            pages.append(current)
            current = piece
    if current:
        pages.append(current)
    return tuple(pages)


def _pieces(block: str, limit: int) -> Iterable[str]:
    """A block cut between words into pieces within `limit`."""
    if _length(block) <= limit:
        yield block
        return
    current = ""
    for word in _WORD_WITH_SPACE.findall(block):
        while _length(current + word) > limit:
            if current:
                yield current.rstrip()
                current = ""
                continue
            cut = _safe_cut(word, limit)
            yield word[:cut]
            word = word[cut:]
        current += word
    if current.strip():
        yield current.rstrip()


def _safe_cut(word: str, limit: int) -> int:
    """Where to cut an over-long word: within `limit`, never inside a character entity."""
    cut = limit
    while _length(word[:cut]) > limit:
        cut -= 1
    ampersand = word.rfind("&", max(cut - 10, 0), cut)
    if ampersand > 0 and ";" not in word[ampersand:cut]:
        cut = ampersand
    return cut


def _length(text: str) -> int:
    """Telegram's measure of text: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
