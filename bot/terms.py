"""Index terms: the one analyzer that turns a sentence or a question into BM25 terms.

Documents and questions go through the same function, so whatever one side writes ("Russia's",
"Turkish", "al-Nusra", "Çavuşoğlu", curly apostrophes) the other side finds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

from nltk.stem.snowball import SnowballStemmer

from bot import lexicon

_STEMMER = SnowballStemmer("english")
# Curly apostrophes read as straight ones, typographic hyphens ("al‑Nusra") as plain ones.
_SPELLINGS = str.maketrans({**{c: "'" for c in lexicon.APOSTROPHES}, "\u2010": "-", "\u2011": "-"})
# Those plain ASCII text can hold (the backtick): other ASCII text has nothing to straighten.
_ASCII_SPELLINGS = tuple(chr(c) for c, to in _SPELLINGS.items() if c < 128 and chr(c) != to)
# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h"})
# Capitals with periods ("U.S.", "U.N.") read as one acronym before anything else.
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
_TWO_DOTTED_CAPITALS = re.compile(r"[A-Z]\.[A-Z]\.")  # what any dotted acronym holds
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order: normalised, stopwords out, stemmed."""
    ascii_text = text.isascii()
    if not ascii_text or any(map(text.__contains__, _ASCII_SPELLINGS)):
        text = text.translate(_SPELLINGS)
    if _TWO_DOTTED_CAPITALS.search(text):
        text = _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), text)
    if not ascii_text:  # ASCII text (still ASCII after the steps above) is its own NFKC form
        text = unicodedata.normalize("NFKC", text)
    return list(chain.from_iterable(map(_word_terms, _WORD.findall(text))))


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """Terms of one word: a hyphenated word is searchable whole and by its parts."""
    if word[-2:].casefold() == "'s":
        word = word[:-2]
    parts = [part for part in word.split("-") if part]
    terms = [term for term in map(_term, parts) if term]
    if len(parts) > 1:
        whole = "".join(fold(part).replace("'", "") for part in parts)
        terms.insert(0, str(_STEMMER.stem(whole)))
    return tuple(terms)


def _term(part: str) -> str | None:
    """The term of a word or of one part of it, read as written: "US" is not "us"."""
    if part in lexicon.ACRONYM_TERMS:
        return lexicon.ACRONYM_TERMS[part]
    word = fold(part).replace("'", "")
    if word in lexicon.STOPWORDS:
        return None
    country = lexicon.DEMONYMS.get(word) or (
        lexicon.DEMONYMS.get(word[:-1]) if word.endswith("s") else None
    )
    return str(_STEMMER.stem(country or word))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a string, for comparing words and names."""
    if text.isascii():  # nothing to decompose or fold beyond case
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.translate(_UNDECOMPOSED_LETTERS)
