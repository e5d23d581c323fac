"""Rendering: answers and listings as plain text (console, command line) or Telegram HTML pages.

Direct quotes stand in quotation marks exactly as published; reported speech is marked as
reported and never quoted. Each statement is followed by its source (title, outlet, date). In
HTML every corpus string is escaped, the speaker is bold with their role, the question's terms
are underlined, and a reply is split into pages at statement boundaries, each page under
Telegram's limit and with every tag closed, so the bot can page with "more" / "back" buttons:

    plain(reply) -> str
    telegram_pages(reply, page_chars=PAGE_CHARS) -> list[str]   (never empty)
    telegram_statement(result, max_chars=PAGE_CHARS) -> str      (one statement, e.g. inline)

`reply` is an Answer, a SpeakerListing or a SourceListing (bot.answers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape, unescape

from bot.answers import (
    Answer,
    Result,
    SourceEntry,
    SourceListing,
    SpeakerEntry,
    SpeakerGroup,
    SpeakerListing,
)
from bot.attribution import Speaker
from bot.documents import Document

TELEGRAM_LIMIT = 4096  # characters (UTF-16 code units) in one Telegram message
PAGE_CHARS = 3500  # default page size: room under the limit for the bot's own additions
MIN_PAGE_CHARS = 300
QUESTION_ECHO_CHARS = 200  # of the question, repeated in a reply
NAME_CHARS = 200  # of a speaker's name, role, or a document's title
EXAMPLES = "“who said what about Azaz?”, “what did Zakharova say about Turkey?”, or just a name"

Reply = Answer | SpeakerListing | SourceListing


# --- Plain text ---------------------------------------------------------------------------


def plain(reply: Reply) -> str:
    """The reply as a person reads it in a terminal."""
    if isinstance(reply, SpeakerListing):
        return "\n".join(_speaker_entry(entry, _text) for entry in reply.entries) or _NO_SPEAKERS
    if isinstance(reply, SourceListing):
        return "\n".join(_source_entry(entry, _text) for entry in reply.entries) or _NO_SOURCES
    blocks = [_summary(reply, _text)]
    for group in reply.groups:
        lines = [_speaker_line(group.speaker, group.role, _text)]
        lines += [_indent(_statement(result, _text, None)) for result in group.results]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# --- Telegram HTML ------------------------------------------------------------------------


def telegram_pages(reply: Reply, page_chars: int = PAGE_CHARS) -> list[str]:
    """The reply as Telegram HTML pages, each within `page_chars` (at most 4096)."""
    budget = max(MIN_PAGE_CHARS, min(page_chars, TELEGRAM_LIMIT)) - _FOOTER_ROOM
    if isinstance(reply, SpeakerListing):
        blocks = [_Block(_speaker_entry(e, _html)) for e in reply.entries]
        return _pages(blocks or [_Block(_NO_SPEAKERS)], budget)
    if isinstance(reply, SourceListing):
        blocks = [_Block(_source_entry(e, _html)) for e in reply.entries]
        return _pages(blocks or [_Block(_NO_SOURCES)], budget)
    blocks = [_Block(_summary(reply, _html))]
    for group in reply.groups:
        for number, result in enumerate(group.results):
            blocks.append(_statement_block(group, result, number == 0, budget))
    return _pages(blocks, budget)


def telegram_statement(result: Result, max_chars: int = PAGE_CHARS) -> str:
    """One statement as a message of its own: speaker and role, words, source."""
    budget = max(MIN_PAGE_CHARS, min(max_chars, TELEGRAM_LIMIT))
    speaker = _speaker_line(result.speaker, result.statement.role, _html)
    return speaker + "\n" + _fitted_statement(result, budget - _length(speaker) - 1)


@dataclass(frozen=True)
class _Block:
    """A unit a page is never split inside: a summary, or one statement with its source."""

    text: str
    heading: str | None = None  # the speaker line, shown before the block's first statement
    continued_heading: str | None = None  # shown when a page starts inside a speaker's group


_FOOTER_ROOM = 40
_PAGE_BREAK = "\n\n"


def _statement_block(group: SpeakerGroup, result: Result, first: bool, budget: int) -> _Block:
    speaker_line = _speaker_line(group.speaker, group.role, _html)
    continued = speaker_line + " <i>(continued)</i>"
    text = _fitted_statement(result, budget - _length(continued) - 2 * len(_PAGE_BREAK))
    return _Block(text, speaker_line if first else None, continued)


def _fitted_statement(result: Result, room: int) -> str:
    """A statement in HTML within `room` characters: a longer excerpt is cut at a word."""
    limit: int | None = None
    text = _statement(result, _html, limit)
    while _length(text) > room and (limit is None or limit > 0):
        limit = len(result.excerpt) // 2 if limit is None else limit // 2
        text = _statement(result, _html, limit)
    return text


def _pages(blocks: list[_Block], budget: int) -> list[str]:
    """Blocks packed into pages of at most `budget` characters, with "page n of m" below."""
    pages: list[list[str]] = [[]]
    used = 0
    for block in blocks:
        pieces = [block.heading, block.text] if block.heading else [block.text]
        if pages[-1] and used + _size(pieces) + 1 > budget:
            pages.append([])
            used = 0
            if block.heading is None and block.continued_heading:
                pieces = [block.continued_heading, block.text]
        if pages[-1]:
            pages[-1].append("")  # a blank line between statements
            used += 1
        pieces = _fitted(pieces, budget - used)
        pages[-1].extend(pieces)
        used += _size(pieces)
    texts = ["\n".join(page).strip("\n") for page in pages]
    if len(texts) == 1:
        return texts
    return [f"{text}\n\n<i>page {n} of {len(texts)}</i>" for n, text in enumerate(texts, 1)]


def _size(pieces: list[str]) -> int:
    return sum(_length(piece) + 1 for piece in pieces)


def _fitted(pieces: list[str], room: int) -> list[str]:
    """Pieces cut to fit `room` together: the last (the statement) gives way first."""
    if _size(pieces) <= room:
        return pieces
    *leading, last = pieces
    leading = [_within(piece, room // 2) for piece in leading]
    return [*leading, _within(last, room - _size(leading) - 1)]


def _within(piece: str, room: int) -> str:
    """A piece of our HTML within `room` characters: as it is if it fits, else its text alone,
    cut at a word. Only corpus text is escaped in it and only our own tags are <b>, <i>, <u>,
    so dropping the tags and unescaping gives the text back exactly."""
    if _length(piece) <= room:
        return piece
    text = unescape(_OWN_TAGS.sub("", piece))
    limit = len(text)
    while limit > 0:
        limit //= 2
        shortened = escape(_shorten(text, max(limit, 1)), quote=False)
        if _length(shortened) <= room:
            return shortened
    return ""


_OWN_TAGS = re.compile(r"</?[biu]>")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(_utf16(text)) // 2


# --- Pieces shared by both formats --------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """How one format writes: escaping and the few marks it uses."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    highlight: Callable[[str], str]


_text = _Format(lambda s: s, lambda s: s, lambda s: s, lambda s: s)
_html = _Format(
    lambda s: escape(s, quote=False),
    lambda s: f"<b>{s}</b>",
    lambda s: f"<i>{s}</i>",
    lambda s: f"<u>{s}</u>",
)

_NO_SPEAKERS = "Nobody is quoted in the corpus yet."
_NO_SOURCES = "The corpus holds no documents yet."


def _summary(answer: Answer, fmt: _Format) -> str:
    """The first lines of a reply: what was found, or why nothing was and what to try."""
    question = answer.question
    topic = fmt.escape(_shorten(question.topic or "", QUESTION_ECHO_CHARS))
    if answer.status == "answered":
        line = fmt.bold(fmt.escape(_headline(answer))) + "\n" + _counts(answer)
        if answer.others_quoted:
            name = fmt.escape(_shorten(question.speaker or "", QUESTION_ECHO_CHARS))
            others = _count(answer.others_quoted, "statement")
            line += f"\nOthers speak about {name} too ({others}): ask “who said what about {name}?”"
        return line
    if answer.status == "empty":
        return f"Ask me who said what: {fmt.escape(EXAMPLES)}."
    if answer.status == "no_terms":
        asked = fmt.escape(_shorten(question.text, QUESTION_ECHO_CHARS))
        return f"I found no topic or name to look for in “{asked}”. Try {fmt.escape(EXAMPLES)}."
    if answer.status == "unknown_speaker":
        name = fmt.escape(_shorten(question.speaker or "", QUESTION_ECHO_CHARS))
        line = f"Nobody called “{name}” is quoted in the corpus."
        return line + _suggestions(answer.suggestions, fmt)
    if answer.status == "speaker_silent" and not topic:
        return f"{_names(answer, fmt)} is not quoted in the corpus."
    if answer.status == "speaker_silent":
        line = f"{_names(answer, fmt)} {'is' if len(answer.speakers) == 1 else 'are'} quoted "
        line += f"in the corpus, but not about “{topic}”."
        if answer.others_quoted:
            others = _count(answer.others_quoted, "statement")
            line += f" Others are ({others}): ask “who said what about {topic}?”"
        return line
    if answer.status == "not_quoted":
        places = "; ".join(_source(document, fmt) for document in answer.mentioned_in)
        line = f"“{topic}” is mentioned in the corpus, but nobody is quoted about it."
        line += f" See: {places}."
        if answer.speakers:
            name = fmt.escape(_shorten(answer.speakers[0].name, NAME_CHARS))
            line += f" {name} is quoted: ask “what did {name} say?”"
        return line
    return f"“{topic}” is not in the corpus." + _suggestions(answer.suggestions, fmt)


def _headline(answer: Answer) -> str:
    """What the answer is: "Who said what about “Azaz”", "Statements by Maria Zakharova"."""
    question = answer.question
    topic = _shorten(question.topic or "", QUESTION_ECHO_CHARS)
    if question.kind == "claim":
        asked = _shorten(question.text, QUESTION_ECHO_CHARS).rstrip("?!. ")
        return asked[:1].upper() + asked[1:]
    if answer.speakers:
        names = _shorten(answer.speakers[0].name, NAME_CHARS)
        if len(answer.speakers) == 2:
            names += f" (with {_shorten(answer.speakers[1].name, NAME_CHARS)})"
        elif len(answer.speakers) > 2:
            names += f" (with {len(answer.speakers) - 1} related speakers)"
        return f"Statements by {names}" + (f" about “{topic}”" if topic else "")
    return f"Who said what about “{topic}”"


def _counts(answer: Answer) -> str:
    line = (
        f"{_count(len(answer.results), 'statement')} from {_count(len(answer.groups), 'speaker')}"
    )
    if answer.omitted:
        line += f"; {answer.omitted} more left out: ask more narrowly to see them"
    return line


def _names(answer: Answer, fmt: _Format) -> str:
    return ", ".join(fmt.escape(_shorten(s.name, NAME_CHARS)) for s in answer.speakers[:3])


def _suggestions(suggestions: tuple[str, ...], fmt: _Format) -> str:
    if not suggestions:
        return ""
    names = ", ".join(fmt.escape(_shorten(s, NAME_CHARS)) for s in suggestions)
    return f" Did you mean: {names}?"


def _speaker_line(speaker: Speaker, role: str | None, fmt: _Format) -> str:
    name = fmt.bold(fmt.escape(_shorten(speaker.name, NAME_CHARS)))
    if role and role.casefold() == speaker.name.casefold():
        role = None
    return f"{name}, {fmt.escape(_shorten(role, NAME_CHARS))}" if role else name


def _statement(result: Result, fmt: _Format, limit: int | None) -> str:
    words = _marked_excerpt(result, fmt, limit)
    if result.statement.kind == "direct":
        words = f"“{words}”"
    else:
        words = f"{fmt.italic('reported:')} {words}"
    return f"{words}\n{fmt.italic('— ' + _source(result.document, fmt))}"


def _marked_excerpt(result: Result, fmt: _Format, limit: int | None) -> str:
    """The excerpt escaped, its highlighted words marked, cut to `limit` characters."""
    excerpt = result.excerpt
    cut = limit is not None and len(excerpt) > limit
    end = _word_end(excerpt, limit) if cut and limit is not None else len(excerpt)
    pieces = []
    position = 0
    for start, stop in result.highlights:
        if stop > end:
            break
        pieces.append(fmt.escape(excerpt[position:start]))
        pieces.append(fmt.highlight(fmt.escape(excerpt[start:stop])))
        position = stop
    pieces.append(fmt.escape(excerpt[position:end]))
    return "".join(pieces) + ("…" if cut else "")


def _word_end(text: str, limit: int) -> int:
    cut = text.rfind(" ", 0, limit + 1)
    return cut if cut > 0 else max(limit, 0)


def _source(document: Document, fmt: _Format) -> str:
    title = _shorten(document.title or document.doc_id, NAME_CHARS)
    parts = [title, document.outlet, _date(document.date)]
    return fmt.escape(", ".join(part for part in parts if part))


def _speaker_entry(entry: SpeakerEntry, fmt: _Format) -> str:
    line = _speaker_line(
        entry.speaker, entry.speaker.roles[0] if entry.speaker.roles else None, fmt
    )
    documents = _count(entry.documents, "document")
    return f"{line}: {_count(entry.statements, 'statement')} in {documents}"


def _source_entry(entry: SourceEntry, fmt: _Format) -> str:
    document = entry.document
    title = fmt.bold(fmt.escape(_shorten(document.title or document.doc_id, NAME_CHARS)))
    details = ", ".join(p for p in (document.outlet, _date(document.date)) if p)
    counts = f"{_count(entry.statements, 'statement')} by {_count(entry.speakers, 'speaker')}"
    return f"{title} ({fmt.escape(details)}): {counts}" if details else f"{title}: {counts}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _date(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b} {day.year}"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: _word_end(text, limit - 1)] + "…"
