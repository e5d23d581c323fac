"""Quotations: find the quoted stretches of a document, sentence by sentence.

Marks are read by where they stand (after a space: opening; before a space or punctuation:
closing), and by their shape only where the place does not tell, so mismatched pairs
("...” or “...") still pair up. A quotation may run over several sentences and, as news
copy has it, over several paragraphs, each reopened with a mark and only the last closed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot import lexicon
from bot.attribution.model import QuotePiece
from bot.sentences import Sentence

_OPENING_CONTEXT = " \t([{—–-/\u2014"
_QUOTATION_MARK = re.compile(f"[{re.escape(lexicon.DOUBLE_QUOTES)}]")


@dataclass
class _OpenQuote:
    quote_id: int
    sentence_index: int
    start: int  # offset in that sentence, after the mark
    opened_before: bool


def quote_pieces(sentences: Sequence[Sentence]) -> list[list[QuotePiece]]:
    """For each sentence of one document (in order), its quoted pieces."""
    pieces: list[list[QuotePiece]] = [[] for _ in sentences]
    open_quote: _OpenQuote | None = None
    next_id = 0
    for index, sentence in enumerate(sentences):
        text = sentence.text
        scan_from = 0
        if open_quote is not None:
            new_paragraph = sentence.paragraph != sentences[index - 1].paragraph
            if new_paragraph and not text.startswith(tuple(lexicon.DOUBLE_QUOTES)):
                open_quote = None  # never closed: the quotation ended with its paragraph
            else:
                # goes on; in a new paragraph, reopened with a mark (the news convention)
                scan_from = 1 if new_paragraph else 0
                open_quote = _OpenQuote(open_quote.quote_id, index, scan_from, True)
        for mark in _QUOTATION_MARK.finditer(text, scan_from):
            position = mark.start()
            if _is_opening(text, position, open_quote is not None):
                if open_quote is not None:
                    _close(pieces[index], open_quote, position)
                open_quote = _OpenQuote(next_id, index, position + 1, False)
                next_id += 1
            elif open_quote is not None:
                _close(pieces[index], open_quote, position)
                open_quote = None
        if open_quote is not None:
            pieces[index].append(
                QuotePiece(
                    open_quote.start, len(text), open_quote.quote_id, open_quote.opened_before, True
                )
            )
    return pieces


def _close(pieces: list[QuotePiece], open_quote: _OpenQuote, position: int) -> None:
    """End the open quotation at `position` in this sentence."""
    if position > open_quote.start:
        pieces.append(
            QuotePiece(
                open_quote.start, position, open_quote.quote_id, open_quote.opened_before, False
            )
        )


def _is_opening(text: str, position: int, inside: bool) -> bool:
    """Whether the mark at `position` opens a quotation (else it closes one)."""
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    opens_by_place = before in _OPENING_CONTEXT and not after.isspace()
    closes_by_place = not before.isspace() and (after.isspace() or not after.isalnum())
    if opens_by_place and not closes_by_place:
        return True
    if closes_by_place and not opens_by_place:
        return False
    mark = text[position]
    if mark in lexicon.OPENING_DOUBLE_QUOTES:
        return True
    if mark in lexicon.CLOSING_DOUBLE_QUOTES:
        return False
    return not inside
