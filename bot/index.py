"""The BM25 sentence index: terms in, scored sentence ids out.

Scores are exactly those of ``rank_bm25.BM25Okapi``, bit for bit, but the index is term-major:
a query touches only the postings of its own terms instead of scanning every sentence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

# Sentence ids are int32 to keep a posting at 12 bytes (id + weight), and term and sentence ids
# must each fit in 31 bits to share one int64 sort key while building.
_MAX_IDS = int(np.iinfo(np.int32).max)


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved sentence and its BM25 score."""

    sentence_id: int
    score: float


class SearchIndex(Protocol):
    """What the answer engine needs from a search engine, so another engine can stand in."""

    def __len__(self) -> int: ...

    def scores(self, query_terms: Sequence[str]) -> NDArray[np.float64]: ...

    def top(self, query_terms: Sequence[str], k: int) -> list[Hit]: ...

    def matching(self, query_terms: Sequence[str]) -> NDArray[np.int32]: ...


@dataclass(frozen=True, slots=True, eq=False)
class BM25Index:
    """BM25Okapi over analyzed sentences, stored as flat arrays that could be saved and mapped.

    The postings of term ``t`` are ``sentence_ids[offsets[t]:offsets[t + 1]]`` (ascending) with
    their ``weights``, the length-normalised term frequency part of BM25; ``idfs[t]`` is the
    (floored) idf. Terms are numbered in order of first appearance in the corpus.
    """

    vocabulary: Mapping[str, int]
    offsets: NDArray[np.int64]
    sentence_ids: NDArray[np.int32]
    weights: NDArray[np.float64]
    idfs: NDArray[np.float64]
    sentence_count: int

    @classmethod
    def build(
        cls,
        tokenized_sentences: Sequence[Sequence[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Index:
        """Index sentences given as already analyzed tokens; sentence ids are their positions."""
        sentence_count = len(tokenized_sentences)
        if sentence_count > _MAX_IDS:
            raise ValueError(
                f"cannot index {sentence_count} sentences: at most {_MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        tokens = list(chain.from_iterable(tokenized_sentences))
        if not tokens:
            # rank-bm25 divides by zero here; an index that matches nothing is the useful answer.
            return _empty_index(sentence_count)
        sentence_lengths = np.fromiter(
            map(len, tokenized_sentences), dtype=np.int64, count=sentence_count
        )
        vocabulary, token_terms = _number_terms(tokens)
        offsets, sentence_ids, term_frequencies = _group_postings(
            token_terms, sentence_lengths, len(vocabulary)
        )
        average_length = len(tokens) / sentence_count
        weights = _weights(
            term_frequencies, sentence_lengths[sentence_ids], average_length, k1=k1, b=b
        )
        idfs = _idfs(np.diff(offsets), sentence_count, epsilon=epsilon)
        return cls(
            vocabulary=vocabulary,
            offsets=_frozen(offsets),
            sentence_ids=_frozen(sentence_ids),
            weights=_frozen(weights),
            idfs=_frozen(idfs),
            sentence_count=sentence_count,
        )

    def __len__(self) -> int:
        return self.sentence_count

    @property
    def vocabulary_size(self) -> int:
        return len(self.vocabulary)

    @property
    def postings_count(self) -> int:
        return len(self.sentence_ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (the vocabulary dict is not counted)."""
        arrays = (self.offsets, self.sentence_ids, self.weights, self.idfs)
        return sum(array.nbytes for array in arrays)

    def document_frequency(self, term: str) -> int:
        """How many sentences contain the term."""
        index = self.vocabulary.get(term)
        if index is None:
            return 0
        return int(self.offsets[index + 1] - self.offsets[index])

    def idf(self, term: str) -> float:
        """The term's idf as BM25Okapi uses it; an unknown term weighs nothing."""
        index = self.vocabulary.get(term)
        if index is None:
            return 0.0
        return float(self.idfs[index])

    def scores(self, query_terms: Sequence[str]) -> NDArray[np.float64]:
        """The score of every sentence, equal to ``BM25Okapi.get_scores(query_terms)``."""
        scores = np.zeros(self.sentence_count)
        for term in self._known_terms(query_terms):
            postings = self._span(term)
            # Same elementwise product and sum, term by term in query order, as rank-bm25.
            scores[self.sentence_ids[postings]] += self.idfs[term] * self.weights[postings]
        return scores

    def top(self, query_terms: Sequence[str], k: int) -> list[Hit]:
        """The ``k`` best sentences containing a query term: score descending, then id ascending."""
        if k < 0:
            raise ValueError(f"k must be zero or more, not {k}")
        terms = self._known_terms(query_terms)
        if not terms or k == 0:
            return []
        distinct_terms = list(dict.fromkeys(terms))
        candidates, positions = _union([self._sentences_of(t) for t in distinct_terms])
        position_of_term = dict(zip(distinct_terms, positions, strict=True))
        candidate_scores = np.zeros(len(candidates))
        for term in terms:
            # Each term adds at most once per sentence, in query order: the sums match scores().
            candidate_scores[position_of_term[term]] += (
                self.idfs[term] * self.weights[self._span(term)]
            )
        return _best(candidates, candidate_scores, k)

    def matching(self, query_terms: Sequence[str]) -> NDArray[np.int32]:
        """Ascending ids of the sentences that contain at least one of the terms."""
        distinct_terms = dict.fromkeys(self._known_terms(query_terms))
        candidates, _ = _union([self._sentences_of(t) for t in distinct_terms])
        return candidates

    def _known_terms(self, query_terms: Sequence[str]) -> list[int]:
        # A bare string is a Sequence[str] too, and would silently become a query of letters.
        if isinstance(query_terms, str):
            raise TypeError("query_terms must be a sequence of terms, not one string")
        return [self.vocabulary[term] for term in query_terms if term in self.vocabulary]

    def _span(self, term: int) -> slice:
        return slice(int(self.offsets[term]), int(self.offsets[term + 1]))

    def _sentences_of(self, term: int) -> NDArray[np.int32]:
        return self.sentence_ids[self._span(term)]


def _empty_index(sentence_count: int) -> BM25Index:
    return BM25Index(
        vocabulary={},
        offsets=_frozen(np.zeros(1, dtype=np.int64)),
        sentence_ids=_frozen(np.empty(0, dtype=np.int32)),
        weights=_frozen(np.empty(0, dtype=np.float64)),
        idfs=_frozen(np.empty(0, dtype=np.float64)),
        sentence_count=sentence_count,
    )


def _number_terms(tokens: list[str]) -> tuple[dict[str, int], NDArray[np.int64]]:
    """Number terms in order of first appearance, the order rank-bm25 sums idfs in."""
    distinct_terms = dict.fromkeys(tokens)
    vocabulary = dict(zip(distinct_terms, range(len(distinct_terms)), strict=True))
    if len(vocabulary) > _MAX_IDS:
        raise ValueError(f"cannot index {len(vocabulary)} distinct terms: at most {_MAX_IDS} fit")
    # Going through a list is faster than np.fromiter over the map itself.
    token_terms = np.fromiter(
        list(map(vocabulary.__getitem__, tokens)), dtype=np.int64, count=len(tokens)
    )
    return vocabulary, token_terms


def _group_postings(
    token_terms: NDArray[np.int64], sentence_lengths: NDArray[np.int64], vocabulary_size: int
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int64]]:
    """Group tokens by (term, sentence): per-term offsets, sentence ids and term frequencies."""
    token_sentences = np.repeat(np.arange(len(sentence_lengths), dtype=np.int64), sentence_lengths)
    # One key per token, term in the high bits, orders postings by term then sentence in one
    # sort; shifts and masks split it again far faster than a division would.
    keys = (token_terms << 32) | token_sentences
    keys.sort()
    starts_posting = np.empty(len(keys), dtype=np.bool_)
    starts_posting[0] = True
    np.not_equal(keys[1:], keys[:-1], out=starts_posting[1:])
    posting_starts = np.flatnonzero(starts_posting)
    term_frequencies = np.diff(posting_starts, append=len(keys))
    posting_keys = keys[posting_starts]
    offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
    np.cumsum(np.bincount(posting_keys >> 32, minlength=vocabulary_size), out=offsets[1:])
    return offsets, (posting_keys & 0xFFFFFFFF).astype(np.int32), term_frequencies


def _weights(
    term_frequencies: NDArray[np.int64],
    sentence_lengths: NDArray[np.int64],
    average_length: float,
    *,
    k1: float,
    b: float,
) -> NDArray[np.float64]:
    """The tf part of BM25 per posting, in rank-bm25's exact operation order and dtypes.

    Any other grouping of the same formula rounds differently and breaks bit-for-bit equality.
    """
    # rank-bm25's names, so the expression can be checked against its get_scores symbol by symbol.
    q_freq, doc_len, avgdl = term_frequencies, sentence_lengths, average_length
    weights: NDArray[np.float64] = q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl))
    return weights


def _idfs(
    document_frequencies: NDArray[np.int64], sentence_count: int, *, epsilon: float
) -> NDArray[np.float64]:
    """Per-term idf exactly as BM25Okapi._calc_idf computes it, terms in first-appearance order."""
    idfs = [
        math.log(sentence_count - frequency + 0.5) - math.log(frequency + 0.5)
        for frequency in document_frequencies.tolist()
    ]
    # A plain running sum in rank-bm25's order: numpy's pairwise sum and the compensated
    # builtin sum() of Python 3.12+ round differently, which would shift the floor.
    idf_sum = 0.0
    for idf in idfs:
        idf_sum += idf
    floor = epsilon * (idf_sum / len(idfs))
    return np.array([floor if idf < 0 else idf for idf in idfs], dtype=np.float64)


def _union(
    sorted_ids: Sequence[NDArray[np.int32]],
) -> tuple[NDArray[np.int32], list[NDArray[np.intp]]]:
    """The ascending union of sorted id arrays, and where each array's ids sit in it."""
    if not sorted_ids:
        return np.empty(0, dtype=np.int32), []
    if len(sorted_ids) == 1:
        return sorted_ids[0].copy(), [np.arange(len(sorted_ids[0]))]
    merged = np.concatenate(sorted_ids)
    # A stable sort merges the already sorted runs in near linear time; np.unique and
    # np.searchsorted were each several times slower on postings lists of a million ids.
    order = np.argsort(merged, kind="stable")
    ordered = merged[order]
    is_first = np.empty(len(ordered), dtype=np.bool_)
    is_first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=is_first[1:])
    positions = np.empty(len(merged), dtype=np.intp)
    positions[order] = np.cumsum(is_first) - 1
    split_points = np.cumsum([len(ids) for ids in sorted_ids[:-1]])
    return ordered[is_first], np.split(positions, split_points)


def _best(candidates: NDArray[np.int32], scores: NDArray[np.float64], k: int) -> list[Hit]:
    """Top ``k`` candidates by score descending, ties to the lower id, without a full sort."""
    chosen = np.arange(len(scores))
    if k < len(scores):
        kth = len(scores) - k
        threshold = np.partition(scores, kth)[kth]
        above = np.flatnonzero(scores > threshold)
        # Candidates ascend by id, so the first tied positions are the lowest ids.
        tied = np.flatnonzero(scores == threshold)[: k - len(above)]
        chosen = np.concatenate((above, tied))
    # lexsort's last key is the primary one; position order is id order.
    ranked = chosen[np.lexsort((chosen, -scores[chosen]))]
    return [Hit(int(candidates[i]), float(scores[i])) for i in ranked]


_Array = TypeVar("_Array", bound=np.ndarray[Any, Any])


def _frozen(array: _Array) -> _Array:
    # Read-only like the memory-mapped arrays a saved index will be loaded as.
    array.flags.writeable = False
    return array
