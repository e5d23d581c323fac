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
a missing, damaged or outdated folder raises ``IndexFormatError``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, pairwise
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

# Sentence ids are int32 to keep a posting at 12 bytes (id + weight); term and sentence ids
# must each fit in 31 bits to share one int64 sort key while building, and postings to be
# numbered in int32 when top() maps every sentence to its posting.
_MAX_IDS = int(np.iinfo(np.int32).max)
# Postings per block of the block maxima that top() prunes with: 0.5 byte per posting.
BLOCK_SIZE = 16
# Blocks of the rarest and the strongest query terms scored first, for a threshold close to
# the k-th best score: 32, or 1 in 64 of a long list up to 256.
_SEED_BLOCKS = 32
_MOST_SEED_BLOCKS = 256
# Candidates from one term scored first, by bound, when there are more: their k-th best
# score rules out most of the rest.
_SCORED_FIRST = 2048
# Terms in more sentences than this also keep their sentence ids in impact order (by weight
# descending), 4 bytes per posting: at 1M sentences, half the postings, 2 bytes on average.
IMPACT_POSTINGS = 8192
# Postings of the impact order per maximum kept (across terms): 1/8 byte per posting.
IMPACT_CHUNK = 64
# How many of a term's best postings top() reads per candidate to bound what the term adds to
# the candidates: a read costs a fraction of the candidate's exact look-up.
_IMPACT_READS = 2
# At most this many chunks are read, so that a chunk's number fits 16 bits.
_MAX_CHUNKS = int(np.iinfo(np.uint16).max) - 1
# Sentences per segment when build() indexes a whole corpus: bounds its temporaries.
_BUILD_SENTENCES = 1 << 16
# Postings handled at once while merging, so temporaries stay a few MB whatever the corpus.
_MERGE_POSTINGS = 1 << 20
# Save format of index and segment folders; a folder written with another one is rebuilt.
FORMAT = 2
_MANIFEST = "manifest.json"
_TERMS_ARRAYS = frozenset({"terms_text", "term_ends"})
_SEGMENT_ARRAYS = _TERMS_ARRAYS | {
    "offsets",
    "sentence_ids",
    "term_frequencies",
    "sentence_lengths",
}
_INDEX_ARRAYS = _TERMS_ARRAYS | {
    "offsets",
    "sentence_ids",
    "weights",
    "idfs",
    "block_maxima",
    "impact_offsets",
    "impact_ids",
    "impact_maxima",
}
# Relative margin on score bounds: far above the rounding of a sum of a few float64s.
_BOUND_SLACK = 1e-9


class IndexFormatError(Exception):
    """A saved index or segment is missing, damaged or written by another format: rebuild it."""


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
class IndexSegment:
    """The postings of a few consecutive sentences (one file), free of corpus-wide statistics.

    ``terms`` are the segment's own terms in order of first appearance; the postings of
    ``terms[t]`` are ``sentence_ids[offsets[t]:offsets[t + 1]]`` (ascending, counted from the
    segment's first sentence) with their ``term_frequencies``; ``sentence_lengths`` counts the
    tokens of every sentence, including the empty ones.
    """

    terms: tuple[str, ...]
    offsets: NDArray[np.int64]
    sentence_ids: NDArray[np.int32]
    term_frequencies: NDArray[np.unsignedinteger[Any]]
    sentence_lengths: NDArray[np.int32]

    @classmethod
    def build(cls, tokenized_sentences: Sequence[Sequence[str]]) -> IndexSegment:
        """Index sentences given as already analyzed tokens; ids are their positions here."""
        sentence_count = len(tokenized_sentences)
        if sentence_count > _MAX_IDS:
            raise ValueError(
                f"cannot index {sentence_count} sentences: at most {_MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        sentence_lengths = np.fromiter(
            map(len, tokenized_sentences), dtype=np.int32, count=sentence_count
        )
        numbers: dict[str, int] = {}
        # One pass numbering terms in order of first appearance: at 1M sentences, ~25% less
        # CPU than building a token list, numbering its distinct terms, then mapping it.
        token_terms = np.fromiter(
            (
                numbers.setdefault(token, len(numbers))
                for token in chain.from_iterable(tokenized_sentences)
            ),
            dtype=np.int64,
            count=int(sentence_lengths.sum(dtype=np.int64)),
        )
        terms = tuple(numbers)
        del numbers
        if len(terms) > _MAX_IDS:
            raise ValueError(f"cannot index {len(terms)} distinct terms: at most {_MAX_IDS} fit")
        offsets, sentence_ids, term_frequencies = _group_postings(
            token_terms, sentence_lengths, len(terms)
        )
        return cls(
            terms=terms,
            offsets=_frozen(offsets),
            sentence_ids=_frozen(sentence_ids),
            term_frequencies=_frozen(term_frequencies),
            sentence_lengths=_frozen(sentence_lengths),
        )

    @classmethod
    def concatenate(cls, segments: Sequence[IndexSegment]) -> IndexSegment:
        """One segment of the segments' sentences one after another, numbered as ``build``
        would number them.

        What a corpus builder can keep for a group of unchanged files, so that a reload
        merges a few segments rather than one per file (each segment costs a few dozen
        microseconds to merge, plus a dictionary look-up per term).
        """
        if len(segments) == 1:
            return segments[0]
        sentence_count = sum(len(segment) for segment in segments)
        if sentence_count > _MAX_IDS:
            raise ValueError(
                f"cannot index {sentence_count} sentences: at most {_MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        vocabulary: dict[str, int] = {}
        term_numbers = [_number_terms(vocabulary, segment.terms) for segment in segments]
        if len(vocabulary) > _MAX_IDS:
            raise ValueError(
                f"cannot index {len(vocabulary)} distinct terms: at most {_MAX_IDS} fit"
            )
        document_frequencies = np.zeros(len(vocabulary), dtype=np.int64)
        for segment, numbers in zip(segments, term_numbers, strict=True):
            document_frequencies[numbers] += np.diff(segment.offsets)
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(document_frequencies, out=offsets[1:])
        if offsets[-1] > _MAX_IDS:
            raise ValueError(f"cannot index {offsets[-1]} postings: at most {_MAX_IDS} fit")
        sentence_ids, term_frequencies = _merge_postings(segments, term_numbers, offsets)
        return cls(
            terms=tuple(vocabulary),
            offsets=_frozen(offsets),
            sentence_ids=_frozen(sentence_ids),
            term_frequencies=_frozen(term_frequencies),
            sentence_lengths=_frozen(
                np.concatenate(
                    [segment.sentence_lengths for segment in segments]
                    or [np.empty(0, dtype=np.int32)]
                )
            ),
        )

    def __len__(self) -> int:
        return len(self.sentence_lengths)

    def save(self, folder: Path) -> None:
        """Write the segment as ``.npy`` arrays and a manifest (last), replacing any before."""
        arrays = {
            **_terms_arrays(self.terms),
            "offsets": self.offsets,
            "sentence_ids": self.sentence_ids,
            "term_frequencies": self.term_frequencies,
            "sentence_lengths": self.sentence_lengths,
        }
        _save(folder, "segment", {}, arrays)

    @classmethod
    def load(cls, folder: Path) -> IndexSegment:
        """The segment saved in ``folder``, memory-mapped; IndexFormatError if it is unusable."""
        _, arrays = _load(folder, "segment", _SEGMENT_ARRAYS)
        terms = _terms_from_arrays(arrays)
        segment = cls(
            terms=terms,
            offsets=arrays["offsets"],
            sentence_ids=arrays["sentence_ids"],
            term_frequencies=arrays["term_frequencies"],
            sentence_lengths=arrays["sentence_lengths"],
        )
        _check_postings(segment.offsets, segment.sentence_ids, len(terms), len(segment))
        _check(
            segment.term_frequencies.dtype.kind == "u"
            and segment.sentence_ids.dtype == np.int32
            and segment.sentence_lengths.dtype == np.int32
            and len(segment.term_frequencies) == len(segment.sentence_ids),
            "segment arrays do not fit together",
        )
        return segment


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
    ``impact_ids[j * IMPACT_CHUNK:(j + 1) * IMPACT_CHUNK]``: what ``top`` bounds the
    contributions of common terms with.
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
        if len(tokenized_sentences) > _MAX_IDS:
            raise ValueError(
                f"cannot index {len(tokenized_sentences)} sentences: at most {_MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        segments = [
            IndexSegment.build(tokenized_sentences[start : start + _BUILD_SENTENCES])
            for start in range(0, len(tokenized_sentences), _BUILD_SENTENCES)
        ]
        return cls.from_segments(
            segments, k1=k1, b=b, epsilon=epsilon, impact_postings=impact_postings
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
            weights=_frozen(weights),
            idfs=_frozen(_idfs(document_frequencies, sentence_count, epsilon=epsilon)),
            block_maxima=_frozen(_chunk_maxima(weights, BLOCK_SIZE)),
            impact_offsets=_frozen(impact_offsets),
            impact_ids=_frozen(impact_ids),
            impact_maxima=_frozen(impact_maxima),
            sentence_count=sentence_count,
        )

    def save(self, folder: Path) -> None:
        """Write the index as ``.npy`` arrays and a manifest (last), replacing any before.

        Each file is replaced, never overwritten in place, so an index still mapped from the
        folder keeps reading its own arrays.
        """
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        arrays = {
            **_terms_arrays(terms),
            "offsets": self.offsets,
            "sentence_ids": self.sentence_ids,
            "weights": self.weights,
            "idfs": self.idfs,
            "block_maxima": self.block_maxima,
            "impact_offsets": self.impact_offsets,
            "impact_ids": self.impact_ids,
            "impact_maxima": self.impact_maxima,
        }
        _save(folder, "bm25", {"sentence_count": self.sentence_count}, arrays)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """The index saved in ``folder``, memory-mapped; IndexFormatError if it is unusable."""
        manifest, arrays = _load(folder, "bm25", _INDEX_ARRAYS)
        terms = _terms_from_arrays(arrays)
        sentence_count = manifest.get("sentence_count")
        if not isinstance(sentence_count, int) or not 0 <= sentence_count <= _MAX_IDS:
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
        )
        _check_postings(index.offsets, index.sentence_ids, len(terms), sentence_count)
        _check_impact_order(index, sentence_count)
        _check(
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
        for term in self._known_terms(query_terms):
            postings = self._span(term)
            # Same elementwise product and sum, term by term in query order, as rank-bm25.
            scores[self.sentence_ids[postings]] += self.idfs[term] * self.weights[postings]
        return scores

    def top(self, query_terms: Sequence[str], k: int) -> list[Hit]:
        """The ``k`` best sentences containing a query term: score descending, then id ascending.

        Exactly the first ``k`` of a stable sort of ``scores(query_terms)`` over the matching
        sentences, but only sentences that might reach the best ``k`` are scored.
        """
        if k < 0:
            raise ValueError(f"k must be zero or more, not {k}")
        terms = self._known_terms(query_terms)
        if not terms or k == 0:
            return []
        by_rarity = sorted(dict.fromkeys(terms), key=self._document_frequency)
        if any(self.idfs[t] < 0 for t in by_rarity):
            # The bounds that prune need non-negative idfs: score every match.
            candidates = _union([self._sentences_of(t) for t in by_rarity])
            return _best(candidates, self._scores_of(candidates, terms), k)
        bounds = [terms.count(t) * self.idfs[t] * self._block_maxima_of(t) for t in by_rarity]
        threshold = self._threshold(terms, by_rarity, bounds, k)
        candidates, bounded = self._candidates(terms, by_rarity, bounds, threshold)
        if bounded is None and any(map(self._has_impact_order, by_rarity)):
            # Candidates from several terms: bounded by the most of every term until the
            # terms in impact order tighten that.
            bounded = np.full(len(candidates), sum(float(b.max()) for b in bounds)), -1
        if bounded is not None:
            if k <= _SCORED_FIRST < len(candidates):
                candidates = self._pruned(
                    terms, by_rarity, bounds, candidates, *bounded, threshold, k
                )
            # Candidates from one term may come in impact order.
            candidates = np.sort(candidates)
        return _best(candidates, self._scores_of(candidates, terms), k)

    def matching(self, query_terms: Sequence[str]) -> NDArray[np.int32]:
        """Ascending ids of the sentences that contain at least one of the terms."""
        distinct_terms = dict.fromkeys(self._known_terms(query_terms))
        return _union([self._sentences_of(t) for t in distinct_terms])

    def _candidates(
        self,
        terms: list[int],
        by_rarity: list[int],
        bounds: list[NDArray[np.float64]],
        threshold: float,
    ) -> tuple[NDArray[np.int32], tuple[NDArray[np.float64], int] | None]:
        """Ids of the sentences that may reach a threshold that the best ``k`` are known to
        reach, and when they all come from one term's postings, a bound on each one's score
        (what that term may add plus the most of every other) and the term. The ids ascend,
        unless they come from one term in impact order. ``bounds`` are the most each term
        (rarest first) adds in its blocks.

        With the terms from rarest to
        most common, a sentence whose rarest query term is ``t`` gets at most its block's
        bound for ``t`` plus the best contributions of the commoner terms: only blocks where
        that reaches the threshold are kept, and once the commoner terms together cannot
        reach it, no later term is scanned. When one term is needed to reach the threshold,
        its postings alone may be a shorter list of candidates.
        """
        maxima = [float(bound.max()) for bound in bounds]
        bound_of = dict(zip(by_rarity, bounds, strict=True))
        threshold *= 1 - _BOUND_SLACK
        # (term, its blocks that may hold a candidate, the most the other terms can add)
        kept: list[tuple[int, NDArray[np.intp], float]] = []
        for rank, (term, bound) in enumerate(zip(by_rarity, bounds, strict=True)):
            commoner = sum(maxima[rank + 1 :])
            if maxima[rank] + commoner < threshold:
                break
            kept.append((term, np.flatnonzero(bound + commoner >= threshold), commoner))
        total = sum(maxima)
        for term, bound, maximum in zip(by_rarity, bounds, maxima, strict=True):
            if total - maximum < threshold:  # a term that every candidate must hold
                needed = np.flatnonzero(bound + (total - maximum) >= threshold)
                if len(needed) < sum(len(blocks) for _, blocks, _ in kept):
                    kept = [(term, needed, total - maximum)]
        if len(kept) == 1:
            term, blocks, others = kept[0]
            floor, count = threshold - others, terms.count(term)
            if self._has_impact_order(term) and len(blocks) * 2 > len(bound_of[term]):
                # Most blocks: the term's best postings in impact order, rather than all.
                ids, contributions = self._impact_reaching(term, floor, count)
                return ids, (contributions + others, term)
            positions, contributions = self._postings_in_blocks(term, blocks, floor, count)
            return self.sentence_ids[positions], (contributions + others, term)
        found = [
            self._postings_in_blocks(term, blocks, threshold - others, terms.count(term))
            for term, blocks, others in kept
        ]
        return _union([self.sentence_ids[positions] for positions, _ in found]), None

    def _pruned(
        self,
        terms: list[int],
        by_rarity: list[int],
        bounds: list[NDArray[np.float64]],
        candidates: NDArray[np.int32],
        most: NDArray[np.float64],
        source: int,
        threshold: float,
        k: int,
    ) -> NDArray[np.int32]:
        """The candidates that may still reach the k-th best score, from more than
        ``_SCORED_FIRST`` with bounds ``most`` on their scores from ``_candidates``.

        The k-th best score of the candidates that could score the most is a better
        threshold. The bounds get tighter with what each term kept in impact order can add to
        each candidate rather than to any, first the terms whose unread postings add the least
        below their most, and every tighter bound rules out more candidates before the next.
        """
        maxima = dict(zip(by_rarity, (float(bound.max()) for bound in bounds), strict=True))
        ordered = [t for t in by_rarity if t != source and self._has_impact_order(t)]
        unread = {
            t: terms.count(t) * self.idfs[t] * self._unread_maximum(t, len(candidates))
            for t in ordered
        }
        refined = False
        for term in sorted(ordered, key=lambda t: unread[t] - maxima[t]):
            adds = self._impact_bounds(term, terms.count(term), candidates)
            most = most - maxima[term] + adds
            if not refined:
                threshold = max(threshold, self._kth_of_best(terms, candidates, most, k))
                refined = True
            kept = most >= threshold * (1 - _BOUND_SLACK)
            candidates, most = candidates[kept], most[kept]
            if len(candidates) <= k:
                return candidates
        if not refined:
            threshold = max(threshold, self._kth_of_best(terms, candidates, most, k))
        return candidates[most >= threshold * (1 - _BOUND_SLACK)]

    def _impact_reads(self, term: int, candidates: int) -> tuple[int, int, int, int, int]:
        """Where a term's impact order starts and stops, its first and last chunk (the first
        and last shared with the terms before and after), and the chunk after those read
        for so many candidates."""
        start, stop = int(self.impact_offsets[term]), int(self.impact_offsets[term + 1])
        chunks = min(-(-_IMPACT_READS * candidates // IMPACT_CHUNK), _MAX_CHUNKS)
        first, last = start // IMPACT_CHUNK, (stop - 1) // IMPACT_CHUNK + 1
        return start, stop, first, last, min(last, first + chunks)

    def _unread_maximum(self, term: int, candidates: int) -> float:
        """The largest weight of a term's postings left unread for so many candidates."""
        _, _, _, last, read = self._impact_reads(term, candidates)
        return float(self.impact_maxima[read]) if read < last else 0.0

    def _has_impact_order(self, term: int) -> bool:
        return bool(self.impact_offsets[term] < self.impact_offsets[term + 1])

    def _impact_reaching(
        self, term: int, floor: float, count: int
    ) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
        """The sentences (in impact order) where a term kept in impact order may add at least
        ``floor``, and the most it adds to each: the chunks of its best postings down to the
        first that cannot reach the floor."""
        start, stop = int(self.impact_offsets[term]), int(self.impact_offsets[term + 1])
        first, last = start // IMPACT_CHUNK, (stop - 1) // IMPACT_CHUNK + 1
        adds = count * self.idfs[term] * self.impact_maxima[first:last]
        # Weights descend in impact order: no posting after a chunk below the floor reaches it.
        below = np.flatnonzero(adds < floor)
        end = stop if not len(below) else max(start, (first + int(below[0])) * IMPACT_CHUNK)
        ids: NDArray[np.int32] = self.impact_ids[start:end]
        return ids, _per_posting(adds, first, start, end)

    def _kth_of_best(
        self, terms: list[int], candidates: NDArray[np.int32], most: NDArray[np.float64], k: int
    ) -> float:
        """The k-th best score of the ``_SCORED_FIRST`` candidates with the highest bounds."""
        if len(candidates) <= _SCORED_FIRST:
            return -math.inf
        first = np.argpartition(most, -_SCORED_FIRST)[-_SCORED_FIRST:]
        first_scores = self._scores_of(np.sort(candidates[first]), terms)
        return float(np.partition(first_scores, _SCORED_FIRST - k)[_SCORED_FIRST - k])

    def _impact_bounds(
        self, term: int, count: int, candidates: NDArray[np.int32]
    ) -> NDArray[np.float64]:
        """The most a term kept in impact order adds to each candidate (ascending ids).

        Its best postings are read a chunk at a time, a few per candidate; a candidate in
        none of them gets no more than the next chunk's maximum.
        """
        start, stop, first, _, read = self._impact_reads(term, len(candidates))
        # What a candidate adds if in read chunk j (1 on), or in none of them (0).
        adds = np.empty(read - first + 1)
        adds[0] = self._unread_maximum(term, len(candidates))
        adds[1:] = self.impact_maxima[first:read]
        adds *= count * self.idfs[term]
        end = min(stop, read * IMPACT_CHUNK)
        chunk_of = np.zeros(self.sentence_count, dtype=np.uint16)
        numbers = np.arange(1, read - first + 1, dtype=np.uint16)
        chunk_of[self.impact_ids[start:end]] = _per_posting(numbers, first, start, end)
        bounds: NDArray[np.float64] = adds[chunk_of[candidates]]
        return bounds

    def _threshold(
        self, terms: list[int], by_rarity: list[int], bounds: list[NDArray[np.float64]], k: int
    ) -> float:
        """A score that at least ``k`` sentences reach, from the most promising blocks.

        The rarest term and the one that can add the most are in most of the best sentences,
        so more of their blocks are tried.
        """
        strongest = int(np.argmax([bound.max() for bound in bounds]))
        parts = []
        for rank, (term, bound) in enumerate(zip(by_rarity, bounds, strict=True)):
            wanted = -(-k // BLOCK_SIZE) + 1
            if rank in (0, strongest):
                wanted = max(wanted, _SEED_BLOCKS, min(_MOST_SEED_BLOCKS, len(bound) // 64))
            if len(bound) <= wanted:
                parts.append(self._sentences_of(term))
                continue
            best_blocks = np.argpartition(bound, -wanted)[-wanted:]
            parts.append(self._sentences_in_blocks(term, best_blocks))
        seeds = np.unique(np.concatenate(parts))
        if len(seeds) < k:
            return -math.inf
        seed_scores = self._scores_of(seeds, terms)
        return float(np.partition(seed_scores, len(seeds) - k)[len(seeds) - k])

    def _document_frequency(self, term: int) -> int:
        return int(self.offsets[term + 1] - self.offsets[term])

    def _scores_of(self, candidates: NDArray[np.int32], terms: list[int]) -> NDArray[np.float64]:
        """``scores(terms)[candidates]`` with the same operations, for ascending candidates."""
        scores = np.zeros(len(candidates))
        found: dict[int, tuple[NDArray[np.intp], NDArray[np.integer[Any]]]] = {}
        for term in terms:
            if term not in found:
                found[term] = self._lookup(term, candidates)
            where, postings = found[term]
            # Each term adds at most once per sentence, in query order: the sums match scores().
            scores[where] += self.idfs[term] * self.weights[postings]
        return scores

    def _lookup(
        self, term: int, candidates: NDArray[np.int32]
    ) -> tuple[NDArray[np.intp], NDArray[np.integer[Any]]]:
        """Which candidates hold the term, and the positions of their postings.

        Binary search, unless the candidates are so many that a map over every sentence id
        costs less than their searches (measured on 1M sentences: 2.5x faster for 160k
        candidates in 400k postings, 2x slower for 20k in 300k).
        """
        span = self._span(term)
        ids = self.sentence_ids[span]
        if len(candidates) * 8 > len(ids) + self.sentence_count // 4:
            posting_of = np.full(self.sentence_count, -1, dtype=np.int32)
            posting_of[ids] = np.arange(span.start, span.stop, dtype=np.int32)
            mapped = posting_of[candidates]
            hits = np.flatnonzero(mapped >= 0)
            return hits, mapped[hits]
        positions = np.searchsorted(ids, candidates)
        np.minimum(positions, len(ids) - 1, out=positions)
        found = ids[positions] == candidates
        return np.flatnonzero(found), positions[found] + span.start

    def _block_maxima_of(self, term: int) -> NDArray[np.float64]:
        span = self._span(term)
        return self.block_maxima[span.start // BLOCK_SIZE : (span.stop - 1) // BLOCK_SIZE + 1]

    def _sentences_in_blocks(self, term: int, blocks: NDArray[np.intp]) -> NDArray[np.int32]:
        """The term's sentence ids in some of its blocks (counted from its first block)."""
        positions, _ = self._postings_in_blocks(term, blocks, -math.inf, 1)
        ids: NDArray[np.int32] = self.sentence_ids[positions]
        return ids

    def _postings_in_blocks(
        self, term: int, blocks: NDArray[np.intp], floor: float, count: int
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Positions of the term's postings in some of its blocks (counted from its first
        block) where its ``count`` occurrences in the query add at least ``floor``, and what
        they add."""
        span = self._span(term)
        first = span.start // BLOCK_SIZE * BLOCK_SIZE
        if len(blocks) * 2 > (span.stop - first) // BLOCK_SIZE:
            # Most blocks: filtering every posting of the term costs less than gathering
            # them, and keeps the same ones (no posting adds more than its block's bound).
            contributions = count * self.idfs[term] * self.weights[span]
            reaching = np.flatnonzero(contributions >= floor)
            return reaching + span.start, contributions[reaching]
        positions = (first + blocks * BLOCK_SIZE)[:, np.newaxis] + np.arange(BLOCK_SIZE)
        positions = positions[(positions >= span.start) & (positions < span.stop)]
        contributions = count * self.idfs[term] * self.weights[positions]
        reaching = contributions >= floor
        return positions[reaching], contributions[reaching]

    def _known_terms(self, query_terms: Sequence[str]) -> list[int]:
        # A bare string is a Sequence[str] too, and would silently become a query of letters.
        if isinstance(query_terms, str):
            raise TypeError("query_terms must be a sequence of terms, not one string")
        return [self.vocabulary[term] for term in query_terms if term in self.vocabulary]

    def _span(self, term: int) -> slice:
        return slice(int(self.offsets[term]), int(self.offsets[term + 1]))

    def _sentences_of(self, term: int) -> NDArray[np.int32]:
        return self.sentence_ids[self._span(term)]


# building -------------------------------------------------------------------------------------


def _empty_index(sentence_count: int) -> BM25Index:
    return BM25Index(
        vocabulary={},
        offsets=_frozen(np.zeros(1, dtype=np.int64)),
        sentence_ids=_frozen(np.empty(0, dtype=np.int32)),
        weights=_frozen(np.empty(0, dtype=np.float64)),
        idfs=_frozen(np.empty(0, dtype=np.float64)),
        block_maxima=_frozen(np.empty(0, dtype=np.float64)),
        impact_offsets=_frozen(np.zeros(1, dtype=np.int64)),
        impact_ids=_frozen(np.empty(0, dtype=np.int32)),
        impact_maxima=_frozen(np.empty(0, dtype=np.float64)),
        sentence_count=sentence_count,
    )


def _group_postings(
    token_terms: NDArray[np.int64], sentence_lengths: NDArray[np.int32], vocabulary_size: int
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.unsignedinteger[Any]]]:
    """Group tokens by (term, sentence): per-term offsets, sentence ids and term frequencies."""
    token_sentences = np.repeat(np.arange(len(sentence_lengths), dtype=np.int64), sentence_lengths)
    # One key per token, term in the high bits, orders postings by term then sentence in one
    # sort; shifts and masks split it again far faster than a division would.
    keys = token_terms
    keys <<= 32
    keys |= token_sentences
    del token_sentences
    keys.sort()
    offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
    if not len(keys):
        return offsets, np.empty(0, np.int32), np.empty(0, np.uint16)
    starts_posting = np.empty(len(keys), dtype=np.bool_)
    starts_posting[0] = True
    np.not_equal(keys[1:], keys[:-1], out=starts_posting[1:])
    posting_starts = np.flatnonzero(starts_posting)
    del starts_posting
    # A term occurs at most as often as its sentence is long.
    frequency_type = np.uint16 if sentence_lengths.max() <= np.iinfo(np.uint16).max else np.uint32
    term_frequencies: NDArray[np.unsignedinteger[Any]] = np.diff(
        posting_starts, append=len(keys)
    ).astype(frequency_type)
    posting_keys = keys[posting_starts]
    del keys, posting_starts
    np.cumsum(np.bincount(posting_keys >> 32, minlength=vocabulary_size), out=offsets[1:])
    posting_keys &= 0xFFFFFFFF
    return offsets, posting_keys.astype(np.int32), term_frequencies


def _number_terms(vocabulary: dict[str, int], terms: Sequence[str]) -> NDArray[np.int64]:
    """Corpus-wide numbers of a segment's terms, numbering new ones in order of appearance.

    Segments come in corpus order and list their terms in order of first appearance, so this
    is the order of first appearance in the whole corpus, the order rank-bm25 sums idfs in.
    """
    return np.fromiter(
        (vocabulary.setdefault(term, len(vocabulary)) for term in terms),
        dtype=np.int64,
        count=len(terms),
    )


def _merge_postings(
    segments: Sequence[IndexSegment],
    term_numbers: Sequence[NDArray[np.int64]],
    offsets: NDArray[np.int64],
) -> tuple[NDArray[np.int32], NDArray[np.unsignedinteger[Any]]]:
    """Every segment's postings at their place in the corpus-wide term-major arrays.

    Segments come in sentence order, so appending each one's postings after those of the
    segments before keeps every term's sentence ids ascending.
    """
    postings_count = int(offsets[-1])
    sentence_ids = np.empty(postings_count, dtype=np.int32)
    frequency_type = np.result_type(np.uint16, *(s.term_frequencies for s in segments))
    term_frequencies = np.empty(postings_count, dtype=frequency_type)
    next_free = offsets[:-1].copy()
    first_sentence = 0
    for segment, numbers in zip(segments, term_numbers, strict=True):
        local_offsets = segment.offsets
        counts = np.diff(local_offsets)
        # A posting moves from its place in the segment to that place plus its term's shift.
        shifts = next_free[numbers] - local_offsets[:-1]
        for first, last in _term_ranges(local_offsets):
            start, stop = int(local_offsets[first]), int(local_offsets[last])
            destination = np.repeat(shifts[first:last], counts[first:last])
            destination += np.arange(start, stop)
            sentence_ids[destination] = segment.sentence_ids[start:stop] + first_sentence
            term_frequencies[destination] = segment.term_frequencies[start:stop]
        next_free[numbers] += counts
        first_sentence += len(segment)
    return sentence_ids, term_frequencies


def _term_ranges(offsets: NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of terms holding about _MERGE_POSTINGS postings each."""
    cuts = np.searchsorted(offsets, np.arange(_MERGE_POSTINGS, int(offsets[-1]), _MERGE_POSTINGS))
    bounds = np.unique(np.concatenate(([0], cuts, [len(offsets) - 1]))).tolist()
    return pairwise(bounds)


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
    weights = np.empty(len(term_frequencies), dtype=np.float64)
    for start in range(0, len(weights), _MERGE_POSTINGS):
        chunk = slice(start, start + _MERGE_POSTINGS)
        # rank-bm25's names, so the expression can be checked against get_scores symbol by symbol.
        q_freq, avgdl = term_frequencies[chunk], average_length
        doc_len = sentence_lengths[sentence_ids[chunk]]
        weights[chunk] = q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl))
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
    impact_maxima = np.zeros(-(-len(impact_ids) // IMPACT_CHUNK), dtype=np.float64)
    for term in np.flatnonzero(is_long).tolist():
        start, stop = int(offsets[term]), int(offsets[term + 1])
        # Ties may come in any order, so the faster unstable sort will do (3x the stable one).
        order = np.argsort(-weights[start:stop])
        order += start
        first, last = int(impact_offsets[term]), int(impact_offsets[term + 1])
        impact_ids[first:last] = sentence_ids[order]
        if first % IMPACT_CHUNK:  # the term starts within a chunk of the terms before
            chunk = first // IMPACT_CHUNK
            impact_maxima[chunk] = max(impact_maxima[chunk], weights[order[0]])
        heads = np.arange(-(-first // IMPACT_CHUNK) * IMPACT_CHUNK, last, IMPACT_CHUNK)
        impact_maxima[heads // IMPACT_CHUNK] = weights[order[heads - first]]
    return impact_offsets, impact_ids, impact_maxima


# querying -------------------------------------------------------------------------------------


def _union(sorted_ids: Sequence[NDArray[np.int32]]) -> NDArray[np.int32]:
    """The ascending union of sorted id arrays."""
    if not sorted_ids:
        return np.empty(0, dtype=np.int32)
    if len(sorted_ids) == 1:
        return sorted_ids[0].copy()
    merged = np.concatenate(sorted_ids)
    # A stable sort merges the already sorted runs in near linear time.
    merged.sort(kind="stable")
    is_first = np.empty(len(merged), dtype=np.bool_)
    is_first[:1] = True
    np.not_equal(merged[1:], merged[:-1], out=is_first[1:])
    return merged[is_first]


def _per_posting(per_chunk: NDArray[_Item], first: int, start: int, end: int) -> NDArray[_Item]:
    """The values of chunks ``first`` on for each of the impact postings ``start:end``."""
    offset = first * IMPACT_CHUNK
    return np.repeat(per_chunk, IMPACT_CHUNK)[start - offset : end - offset]


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


# saving and loading ---------------------------------------------------------------------------


def _terms_arrays(terms: Sequence[str]) -> dict[str, NDArray[Any]]:
    """Terms as one UTF-8 text and where each ends in it (in characters): no pickled strings."""
    text = "".join(terms)
    return {
        "terms_text": np.frombuffer(text.encode("utf-8"), dtype=np.uint8),
        "term_ends": np.cumsum([len(term) for term in terms], dtype=np.int64),
    }


def _terms_from_arrays(arrays: Mapping[str, NDArray[Any]]) -> tuple[str, ...]:
    try:
        text = arrays["terms_text"].tobytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise IndexFormatError(f"the terms are not UTF-8: {error}") from error
    ends = arrays["term_ends"].tolist()
    _check(
        (not ends and not text) or (bool(ends) and ends[-1] == len(text)),
        "the terms do not fit their text",
    )
    starts = [0, *ends][: len(ends)]
    terms = tuple(text[start:end] for start, end in zip(starts, ends, strict=True))
    _check(len(set(terms)) == len(terms), "the terms are not distinct")
    return terms


def _check_postings(
    offsets: NDArray[np.int64], sentence_ids: NDArray[np.int32], terms: int, sentences: int
) -> None:
    """What a damaged file could break into out-of-range reads; weights are taken as saved."""
    _check(
        offsets.dtype == np.int64
        and len(offsets) == terms + 1
        and offsets[0] == 0
        and offsets[-1] == len(sentence_ids)
        and bool(np.all(offsets[1:] > offsets[:-1]))
        and (not len(sentence_ids) or 0 <= sentence_ids.min() <= sentence_ids.max() < sentences),
        "the postings do not fit their terms and sentences",
    )


def _check_impact_order(index: BM25Index, sentences: int) -> None:
    """Every term's impact order is empty or as long as its postings, within the sentences."""
    impact_offsets, impact_ids = index.impact_offsets, index.impact_ids
    _check(
        impact_offsets.dtype == np.int64
        and impact_ids.dtype == np.int32
        and index.impact_maxima.dtype == np.float64
        and len(impact_offsets) == len(index.offsets)
        and impact_offsets[0] == 0
        and impact_offsets[-1] == len(impact_ids)
        and len(index.impact_maxima) == -(-len(impact_ids) // IMPACT_CHUNK)
        and (not len(impact_ids) or 0 <= impact_ids.min() <= impact_ids.max() < sentences),
        "the impact order does not fit the terms and sentences",
    )
    counts = np.diff(impact_offsets)
    _check(
        bool(np.all((counts == 0) | (counts == np.diff(index.offsets)))),
        "the impact order does not fit the postings",
    )


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise IndexFormatError(problem)


def _save(
    folder: Path, kind: str, fields: Mapping[str, Any], arrays: Mapping[str, NDArray[Any]]
) -> None:
    """Arrays first, the manifest last: a folder interrupted mid-save has no manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _MANIFEST).unlink(missing_ok=True)
    for name, array in arrays.items():
        _replace(folder / f"{name}.npy", partial(np.save, arr=array, allow_pickle=False))
    manifest = {"kind": kind, "format": FORMAT, "block_size": BLOCK_SIZE, **fields}
    manifest["arrays"] = sorted(arrays)
    _replace(folder / _MANIFEST, partial(_write_bytes, json.dumps(manifest).encode()))


def _write_bytes(data: bytes, out: BinaryIO) -> None:
    out.write(data)


def _replace(path: Path, write: Callable[[BinaryIO], object]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _load(
    folder: Path, kind: str, names: frozenset[str]
) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
    try:
        manifest = json.loads((folder / _MANIFEST).read_bytes())
    except (OSError, ValueError) as error:
        raise IndexFormatError(f"cannot read {folder / _MANIFEST}: {error}") from error
    _check(
        isinstance(manifest, dict)
        and manifest.get("kind") == kind
        and manifest.get("format") == FORMAT
        and manifest.get("block_size") == BLOCK_SIZE
        and manifest.get("arrays") == sorted(names),
        f"{folder} holds no {kind} of format {FORMAT}",
    )
    arrays = {}
    for name in sorted(names):
        path = folder / f"{name}.npy"
        try:
            # An empty array cannot be memory-mapped; it costs nothing to read.
            mapped = path.stat().st_size > 4096
            array = np.load(path, mmap_mode="r" if mapped else None, allow_pickle=False)
            arrays[name] = _frozen(array)
        except (OSError, ValueError, EOFError) as error:
            raise IndexFormatError(f"cannot read {path}: {error}") from error
    return manifest, arrays


_Array = TypeVar("_Array", bound=np.ndarray[Any, Any])
_Item = TypeVar("_Item", bound=np.generic)


def _frozen(array: _Array) -> _Array:
    # Read-only like the memory-mapped arrays a saved index is loaded as.
    array.flags.writeable = False
    return array
