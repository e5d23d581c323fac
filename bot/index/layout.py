"""The layout that building, searching and saving the index share: sizes and limits."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

# Sentence ids are int32 to keep a posting at 12 bytes (id + weight); term and sentence ids
# must each fit in 31 bits to share one int64 sort key while building, and postings to be
# numbered in int32 when top() maps every sentence to its posting.
MAX_IDS = int(np.iinfo(np.int32).max)
# Postings per block of the block maxima that top() prunes with: 0.5 byte per posting.
BLOCK_SIZE = 16
# Terms in more sentences than this also keep their sentence ids in impact order (by weight
# descending), 4 bytes per posting: at 1M sentences, half the postings, 2 bytes on average.
IMPACT_POSTINGS = 8192
# Terms in at least one sentence of every DENSE_SHARE also keep a weight level per sentence,
# 1 byte each: at most DENSE_SHARE bytes per posting of theirs, at 1M sentences 0.9 in all.
DENSE_SHARE = 10
# Postings of the impact order per maximum kept (across terms): 1/8 byte per posting.
IMPACT_CHUNK = 64
# Postings (or tokens) handled at once while building, merging and weighting, so temporaries
# stay a few MB whatever the corpus.
MERGE_POSTINGS = 1 << 20

_Array = TypeVar("_Array", bound=np.ndarray[Any, Any])


def frozen(array: _Array) -> _Array:
    """The array made read-only, like the memory-mapped arrays a saved index is loaded as."""
    array.flags.writeable = False
    return array
