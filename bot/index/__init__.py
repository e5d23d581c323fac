"""The BM25 sentence index: terms in, scored sentence ids out.

Scores are exactly those of ``rank_bm25.BM25Okapi``, bit for bit, but the index is term-major:
a query touches only the postings of its own terms instead of scanning every sentence, and
``top`` skips the blocks of postings that cannot reach the best ``k`` (exact dynamic pruning).

An index is built from per-file ``IndexSegment`` s, which hold no corpus-wide statistics, so a
reload re-indexes only the files that changed and merges the segments again::

    segments = [IndexSegment.build(file_terms) for file_terms in files]  # one per file, cacheable
    index = BM25Index.from_segments(segments)  # == BM25Index.build(all sentences), bit for bit

Merging costs a few dozen microseconds per segment, so with many small files a builder keeps
``IndexSegment.concatenate(group)`` for groups of unchanged files and merges those.

Both save to and load from a folder of ``.npy`` arrays (never pickled, memory-mapped on load);
a missing, damaged or outdated folder raises ``IndexFormatError`` (``OtherFormatError`` when it
is whole but saved in another format, by another version).

The modules: ``layout`` (the sizes and limits the arrays share), ``segment`` (per-file
postings), ``bm25`` (the corpus index and its scores), ``search`` (exact top-k with pruning),
``storage`` (folders of arrays).
"""

from bot.index.bm25 import BM25Index
from bot.index.search import Hit, SearchIndex
from bot.index.segment import IndexSegment
from bot.index.storage import IndexFormatError, OtherFormatError

__all__ = [
    "BM25Index",
    "Hit",
    "IndexFormatError",
    "IndexSegment",
    "OtherFormatError",
    "SearchIndex",
]
