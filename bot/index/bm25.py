"""The corpus index: BM25Okapi weights and idfs over term-major postings, rank-bm25's
scores bit for bit, block maxima, impact order and dense weight levels for pruning, and its
save folder."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.index import layout, search
from bot.index.layout import BLOCK_SIZE, IMPACT_POSTINGS, MAX_IDS, frozen
from bot.index.search import Hit
from bot.index.segment import IndexSegment
from bot.index.storage import (
    IndexFormatError,
    check,
    check_postings,
    load_arrays,
    save_arrays,
    terms_arrays,
    terms_from_arrays,
)

# Pairs of a term frequency and a sentence length up to which weights are looked up in a table
# of every pair rather than computed per posting: a table of 2 MB at most.
_PAIR_WEIGHTS = 1 << 18
# Distinct weights of a dense term are told apart in 2**_LEVEL_SLOTS_BITS hash slots, by the
# first of these odd multipliers (from the golden ratio and other irrationals) that keeps
# them apart: with 150 weights one collides in about 1 term of 6, all in under 1 of 1,000.
_LEVEL_SLOTS_BITS = 16
_LEVEL_HASHES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)
_INDEX_ARRAYS = frozenset({"terms_text", "term_ends"}) | {
    "offsets",
    "sentence_ids",
    "weights",
    "idfs",
    "block_maxima",
    "impact_offsets",
    "impact_ids",
    "impact_maxima",
    "dense_terms",
    "dense_levels",
    "dense_weights",
}


@dataclass(frozen=True, slots=True, eq=False)
class BM25Index:
    """BM25Okapi over analyzed sentences, stored as flat arrays that save and memory-map.

    The postings of term ``t`` are ``sentence_ids[offsets[t]:offsets[t + 1]]`` (ascending) with
    their ``weights``, the length-normalised term frequency part of BM25; ``idfs[t]`` is the
    (floored) idf. Terms are numbered in order of first appearance in the corpus.
    ``block_maxima[j]`` is the largest weight of postings ``j * BLOCK_SIZE`` to
    ``(j + 1) * BLOCK_SIZE`` (blocks run across terms): what ``top`` prunes with.
    ``impact_ids[impact_offsets[t]:impact_offsets[t + 1]]`` are the sentence ids of ``t`` by
    weight descending (ties in any order) for the terms with more than ``impact_postings``
    postings, and nothing for the others; ``impact_maxima[j]`` is the largest weight of
    ``impact_ids[j * layout.IMPACT_CHUNK:(j + 1) * layout.IMPACT_CHUNK]``: what ``top`` bounds the
    contributions of common terms with.
    The terms ``dense_terms`` (ascending), those in impact order and in at least one sentence
    of every ``layout.DENSE_SHARE`` with at most 255 distinct weights, also keep a weight level per
    sentence: ``dense_weights[row][dense_levels[row][s]]`` is the weight of the posting of
    ``dense_terms[row]`` in sentence ``s``, or 0.0 (level 0) if it has none.
    """

    vocabulary: Mapping[str, int]
    offsets: NDArray[np.int64]
    sentence_ids: NDArray[np.int32]
    weights: NDArray[np.float64]
    idfs: NDArray[np.float64]
    block_maxima: NDArray[np.float64]
    impact_offsets: NDArray[np.int64]
    impact_ids: NDArray[np.int32]
    impact_maxima: NDArray[np.float64]
    sentence_count: int
    dense_terms: NDArray[np.int64]
    dense_levels: NDArray[np.uint8]
    dense_weights: NDArray[np.float64]

    @classmethod
    def build(
        cls,
        tokenized_sentences: Sequence[Sequence[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        impact_postings: int = IMPACT_POSTINGS,
    ) -> BM25Index:
        """Index sentences given as already analyzed tokens; sentence ids are their positions."""
        return cls.from_segments(
            [IndexSegment.build(tokenized_sentences)],
            k1=k1,
            b=b,
            epsilon=epsilon,
            impact_postings=impact_postings,
        )

    @classmethod
    def from_segments(
        cls,
        segments: Sequence[IndexSegment],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        impact_postings: int = IMPACT_POSTINGS,
    ) -> BM25Index:
        """The index of the segments' sentences one after another, as ``build`` would make it.

        Same vocabulary numbering, arrays and scores as ``build`` over the concatenated
        sentences, bit for bit; only the segments' postings are merged, nothing is re-tokenized.
        """
        merged = IndexSegment.concatenate(segments)
        sentence_count = len(merged)
        token_count = int(merged.sentence_lengths.sum(dtype=np.int64))
        if token_count == 0:
            # rank-bm25 divides by zero here; an index that matches nothing is the useful answer.
            return _empty_index(sentence_count)
        weights = _weights(
            merged.term_frequencies,
            merged.sentence_lengths,
            merged.sentence_ids,
            token_count / sentence_count,
            k1=k1,
            b=b,
        )
        document_frequencies = np.diff(merged.offsets)
        impact_offsets, impact_ids, impact_maxima = _impact_order(
            merged.offsets, merged.sentence_ids, weights, impact_postings
        )
        return cls(
            vocabulary=dict(zip(merged.terms, range(len(merged.terms)), strict=True)),
            offsets=merged.offsets,
            sentence_ids=merged.sentence_ids,
            weights=frozen(weights),
            idfs=frozen(_idfs(document_frequencies, sentence_count, epsilon=epsilon)),
            block_maxima=frozen(_chunk_maxima(weights, BLOCK_SIZE)),
            impact_offsets=frozen(impact_offsets),
            impact_ids=frozen(impact_ids),
            impact_maxima=frozen(impact_maxima),
            sentence_count=sentence_count,
            **_dense_maps(
                merged.offsets,
                merged.sentence_ids,
                weights,
                impact_offsets,
                sentence_count,
            ),
        )

    def save(self, folder: Path) -> None:
        """Write the index as ``.npy`` arrays and a manifest (last), replacing any before.

        Each file is replaced, never overwritten in place, so an index still mapped from the
        folder keeps reading its own arrays.
        """
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        arrays = {
            **terms_arrays(terms),
            "offsets": self.offsets,
            "sentence_ids": self.sentence_ids,
            "weights": self.weights,
            "idfs": self.idfs,
            "block_maxima": self.block_maxima,
            "impact_offsets": self.impact_offsets,
            "impact_ids": self.impact_ids,
            "impact_maxima": self.impact_maxima,
            "dense_terms": self.dense_terms,
            "dense_levels": self.dense_levels,
            "dense_weights": self.dense_weights,
        }
        save_arrays(folder, "bm25", {"sentence_count": self.sentence_count}, arrays)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """The index saved in ``folder``, memory-mapped; IndexFormatError if it is unusable."""
        manifest, arrays = load_arrays(folder, "bm25", _INDEX_ARRAYS)
        terms = terms_from_arrays(arrays)
        sentence_count = manifest.get("sentence_count")
        if not isinstance(sentence_count, int) or not 0 <= sentence_count <= MAX_IDS:
            raise IndexFormatError(f"{folder} has no valid sentence count")
        index = cls(
            vocabulary={term: number for number, term in enumerate(terms)},
            offsets=arrays["offsets"],
            sentence_ids=arrays["sentence_ids"],
            weights=arrays["weights"],
            idfs=arrays["idfs"],
            block_maxima=arrays["block_maxima"],
            impact_offsets=arrays["impact_offsets"],
            impact_ids=arrays["impact_ids"],
            impact_maxima=arrays["impact_maxima"],
            sentence_count=sentence_count,
            dense_terms=arrays["dense_terms"],
            dense_levels=arrays["dense_levels"],
            dense_weights=arrays["dense_weights"],
        )
        check_postings(index.offsets, index.sentence_ids, len(terms), sentence_count)
        _check_impact_order(index, sentence_count)
        _check_dense_maps(index)
        check(
            index.sentence_ids.dtype == np.int32
            and index.weights.dtype == index.idfs.dtype == index.block_maxima.dtype == np.float64
            and len(index.weights) == len(index.sentence_ids)
            and len(index.idfs) == len(terms)
            and len(index.block_maxima) == -(-len(index.weights) // BLOCK_SIZE),
            "index arrays do not fit together",
        )
        return index

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
        arrays = (
            self.offsets,
            self.sentence_ids,
            self.weights,
            self.idfs,
            self.block_maxima,
            self.impact_offsets,
            self.impact_ids,
            self.impact_maxima,
            self.dense_terms,
            self.dense_levels,
            self.dense_weights,
        )
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
        for term in self.term_numbers(query_terms):
            postings = self.span(term)
            # Same elementwise product and sum, term by term in query order, as rank-bm25.
            scores[self.sentence_ids[postings]] += self.idfs[term] * self.weights[postings]
        return scores

    def top(self, query_terms: Sequence[str], k: int) -> list[Hit]:
        """The ``k`` best sentences containing a query term: score descending, then id ascending.

        Exactly the first ``k`` of a stable sort of ``scores(query_terms)`` over the matching
        sentences, but only sentences that might reach the best ``k`` are scored.
        """
        return search.top(self, query_terms, k)

    def matching(self, query_terms: Sequence[str]) -> NDArray[np.int32]:
        """Ascending ids of the sentences that contain at least one of the terms."""
        distinct_terms = dict.fromkeys(self.term_numbers(query_terms))
        return search.union([self.sentences_of(t) for t in distinct_terms])

    def term_numbers(self, query_terms: Sequence[str]) -> list[int]:
        """The numbers of the query's known terms, in query order."""
        # A bare string is a Sequence[str] too, and would silently become a query of letters.
        if isinstance(query_terms, str):
            raise TypeError("query_terms must be a sequence of terms, not one string")
        return [self.vocabulary[term] for term in query_terms if term in self.vocabulary]

    def span(self, term: int) -> slice:
        """Where the postings of term number ``term`` are."""
        return slice(int(self.offsets[term]), int(self.offsets[term + 1]))

    def sentences_of(self, term: int) -> NDArray[np.int32]:
        return self.sentence_ids[self.span(term)]


def _empty_index(sentence_count: int) -> BM25Index:
    return BM25Index(
        vocabulary={},
        offsets=frozen(np.zeros(1, dtype=np.int64)),
        sentence_ids=frozen(np.empty(0, dtype=np.int32)),
        weights=frozen(np.empty(0, dtype=np.float64)),
        idfs=frozen(np.empty(0, dtype=np.float64)),
        block_maxima=frozen(np.empty(0, dtype=np.float64)),
        impact_offsets=frozen(np.zeros(1, dtype=np.int64)),
        impact_ids=frozen(np.empty(0, dtype=np.int32)),
        impact_maxima=frozen(np.empty(0, dtype=np.float64)),
        sentence_count=sentence_count,
        **_dense_maps(
            np.zeros(1, dtype=np.int64),
            np.empty(0, dtype=np.int32),
            np.empty(0),
            np.zeros(1, dtype=np.int64),
            sentence_count,
        ),
    )


def _weights(
    term_frequencies: NDArray[np.unsignedinteger[Any]],
    sentence_lengths: NDArray[np.int32],
    sentence_ids: NDArray[np.int32],
    average_length: float,
    *,
    k1: float,
    b: float,
) -> NDArray[np.float64]:
    """The tf part of BM25 per posting, in rank-bm25's exact operation order, a chunk at a time.

    Any other grouping of the same formula rounds differently and breaks bit-for-bit equality;
    integers of any width become the same float64s.
    """
    longest = int(sentence_lengths.max())
    table = _pair_weights(int(term_frequencies.max()), longest, average_length, k1=k1, b=b)
    weights = np.empty(len(term_frequencies), dtype=np.float64)
    for start in range(0, len(weights), layout.MERGE_POSTINGS):
        chunk = slice(start, start + layout.MERGE_POSTINGS)
        q_freq, doc_len = term_frequencies[chunk], sentence_lengths[sentence_ids[chunk]]
        if table is None:
            weights[chunk] = _formula(q_freq, doc_len, average_length, k1=k1, b=b)
            continue
        pairs = q_freq.astype(np.intp)
        pairs *= longest
        pairs += doc_len
        pairs -= longest + 1
        np.take(table, pairs, out=weights[chunk])
    return weights


def _pair_weights(
    most_frequent: int, longest: int, average_length: float, *, k1: float, b: float
) -> NDArray[np.float64] | None:
    """The weight of every pair of a term frequency and a sentence length (both from 1), at
    ``(frequency - 1) * longest + length - 1``; None when there would be too many pairs.

    A weight depends on nothing else, and the same operations on the same numbers give the
    same float64s: looking a pair up is ~1.5x faster than computing the weight per posting.
    """
    if most_frequent * longest > _PAIR_WEIGHTS:
        return None
    q_freq = np.arange(1, most_frequent + 1)[:, np.newaxis]
    doc_len = np.arange(1, longest + 1)[np.newaxis, :]
    return _formula(q_freq, doc_len, average_length, k1=k1, b=b).ravel()


def _formula(
    q_freq: NDArray[Any], doc_len: NDArray[Any], avgdl: float, *, k1: float, b: float
) -> NDArray[np.float64]:
    """BM25Okapi's tf part with rank-bm25's names, to be checked against get_scores symbol by
    symbol."""
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


def _chunk_maxima(weights: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    if not len(weights):
        return np.empty(0, dtype=np.float64)
    return np.maximum.reduceat(weights, np.arange(0, len(weights), size))


def _impact_order(
    offsets: NDArray[np.int64],
    sentence_ids: NDArray[np.int32],
    weights: NDArray[np.float64],
    impact_postings: int,
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.float64]]:
    """The offsets, sentence ids and chunk maxima of the impact order (see ``BM25Index``)."""
    document_frequencies = np.diff(offsets)
    is_long = document_frequencies > impact_postings
    impact_offsets = np.zeros(len(offsets), dtype=np.int64)
    np.cumsum(np.where(is_long, document_frequencies, 0), out=impact_offsets[1:])
    impact_ids = np.empty(int(impact_offsets[-1]), dtype=np.int32)
    # Weights are positive, and a chunk's maximum is the first weight of each term in it.
    impact_maxima = np.zeros(-(-len(impact_ids) // layout.IMPACT_CHUNK), dtype=np.float64)
    for term in np.flatnonzero(is_long).tolist():
        start, stop = int(offsets[term]), int(offsets[term + 1])
        # Ties may come in any order, so the faster unstable sort will do (3x the stable one).
        order = np.argsort(-weights[start:stop])
        order += start
        first, last = int(impact_offsets[term]), int(impact_offsets[term + 1])
        impact_ids[first:last] = sentence_ids[order]
        if first % layout.IMPACT_CHUNK:  # the term starts within a chunk of the terms before
            chunk = first // layout.IMPACT_CHUNK
            impact_maxima[chunk] = max(impact_maxima[chunk], weights[order[0]])
        heads = np.arange(
            -(-first // layout.IMPACT_CHUNK) * layout.IMPACT_CHUNK, last, layout.IMPACT_CHUNK
        )
        impact_maxima[heads // layout.IMPACT_CHUNK] = weights[order[heads - first]]
    return impact_offsets, impact_ids, impact_maxima


def _check_impact_order(index: BM25Index, sentences: int) -> None:
    """Every term's impact order is empty or as long as its postings, within the sentences."""
    impact_offsets, impact_ids = index.impact_offsets, index.impact_ids
    check(
        impact_offsets.dtype == np.int64
        and impact_ids.dtype == np.int32
        and index.impact_maxima.dtype == np.float64
        and len(impact_offsets) == len(index.offsets)
        and impact_offsets[0] == 0
        and impact_offsets[-1] == len(impact_ids)
        and len(index.impact_maxima) == -(-len(impact_ids) // layout.IMPACT_CHUNK)
        and (not len(impact_ids) or 0 <= impact_ids.min() <= impact_ids.max() < sentences),
        "the impact order does not fit the terms and sentences",
    )
    counts = np.diff(impact_offsets)
    check(
        bool(np.all((counts == 0) | (counts == np.diff(index.offsets)))),
        "the impact order does not fit the postings",
    )


def _dense_maps(
    offsets: NDArray[np.int64],
    sentence_ids: NDArray[np.int32],
    weights: NDArray[np.float64],
    impact_offsets: NDArray[np.int64],
    sentence_count: int,
) -> dict[str, NDArray[Any]]:
    """The dense weight levels of the commonest terms kept in impact order (see
    ``BM25Index``): looking a few thousand sentences up in them is ~50x faster than searching
    the term's postings."""
    document_frequencies = np.diff(offsets)
    common = np.flatnonzero(
        (document_frequencies * layout.DENSE_SHARE >= sentence_count)
        & (np.diff(impact_offsets) > 0)
    )
    levels = np.zeros((len(common), sentence_count), dtype=np.uint8)
    terms: list[int] = []
    tables: list[NDArray[np.float64]] = []
    for term in common.tolist():
        span = slice(int(offsets[term]), int(offsets[term + 1]))
        found = _levels(weights[span])
        if found is None:
            continue
        levels[len(terms)][sentence_ids[span]] = found[0]
        terms.append(term)
        tables.append(found[1])
    width = 1 + max(map(len, tables), default=0)
    return {
        "dense_terms": frozen(np.array(terms, dtype=np.int64)),
        # A copy only when a term was left out, not to keep the memory of its row.
        "dense_levels": frozen(
            levels if len(terms) == len(common) else levels[: len(terms)].copy()
        ),
        "dense_weights": frozen(
            np.array([np.pad(t, (1, width - 1 - len(t))) for t in tables]).reshape(-1, width)
        ),
    }


def _levels(
    weights: NDArray[np.float64],
) -> tuple[NDArray[np.uint8], NDArray[np.float64]] | None:
    """Each weight's level (from 1) in the ascending table of the distinct weights; None
    when they are more than 255, or none of the hashes tried tells them apart.

    The weights are told apart by a multiplicative hash of their bits into a table of
    slots: a few passes over them, ~4x faster than sorting them or searching a table.
    """
    bits = weights.view(np.uint64)
    for multiplier in _LEVEL_HASHES:
        keys = bits * np.uint64(multiplier)
        keys >>= np.uint64(64 - _LEVEL_SLOTS_BITS)
        slots = np.zeros(1 << _LEVEL_SLOTS_BITS)
        slots[keys] = weights
        if not np.array_equal(slots[keys], weights):  # two weights in one slot
            continue
        used = np.zeros(1 << _LEVEL_SLOTS_BITS, dtype=np.bool_)
        used[keys] = True
        held = np.flatnonzero(used)
        if len(held) > 255:
            return None
        order = np.argsort(slots[held])
        rank = np.zeros(1 << _LEVEL_SLOTS_BITS, dtype=np.uint8)
        rank[held[order]] = np.arange(1, len(held) + 1, dtype=np.uint8)
        return rank[keys], slots[held[order]]
    return None


def _check_dense_maps(index: BM25Index) -> None:
    """The dense maps fit the terms and sentences (levels are taken as saved)."""
    terms = index.dense_terms
    check(
        terms.dtype == np.int64
        and index.dense_levels.dtype == np.uint8
        and index.dense_weights.dtype == np.float64
        and index.dense_levels.shape == (len(terms), index.sentence_count)
        and index.dense_weights.ndim == 2
        and len(index.dense_weights) == len(terms)
        and 1 <= index.dense_weights.shape[1] <= 256
        and bool(np.all(terms[1:] > terms[:-1]))
        and (not len(terms) or 0 <= terms[0] <= terms[-1] < len(index.idfs)),
        "the dense maps do not fit the terms and sentences",
    )
