"""Exact top-k over the index: a query with few postings is scored whole; otherwise only
sentences that may still reach the best ``k`` are scored, bounded by block maxima and, for
common terms, by their impact order; the commonest terms' weights are read from their dense
levels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from bot.index import layout
from bot.index.layout import BLOCK_SIZE

if TYPE_CHECKING:
    from bot.index.bm25 import BM25Index

# Queries with at most this many postings in all are scored whole: pruning them costs more.
_DIRECT_POSTINGS = 8192
# A query's rarest term with at most this many postings is tried first on its own: when its
# sentences' k-th best score is above all that the other terms can add, the best are there.
_RARE_POSTINGS = 8192
# Sentences scored first, for a threshold close to the k-th best score: those in the first
# _HEAD_POSTINGS of the impact order of several query terms, and of each term the first
# _SEED_POSTINGS of its impact order, or else its _SEED_BLOCKS best blocks.
_HEAD_POSTINGS = 4096
_SEED_POSTINGS = 64
_SEED_BLOCKS = 32
# Sentences first in the impact order of each term of a query of dense terms, scored for a
# threshold close to the k-th best score.
_DENSE_SEEDS = 4096
# Queries of at most this many distinct terms, all dense and in impact order, are answered
# from the heads of their impact orders: the cuts are searched over every combination.
_DENSE_TERMS = 3
# Candidates from one term scored first, by bound, when there are more: their k-th best
# score rules out most of the rest.
_SCORED_FIRST = 2048
# How many of a term's best postings top() reads per candidate to bound what the term adds to
# the candidates: a read costs a fraction of the candidate's exact look-up.
_IMPACT_READS = 2
# At most this many chunks are read, so that a chunk's number fits 16 bits.
_MAX_CHUNKS = int(np.iinfo(np.uint16).max) - 1
# Relative margin on score bounds: far above the rounding of a sum of a few float64s.
_BOUND_SLACK = 1e-9

_Item = TypeVar("_Item", bound=np.generic)


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


def top(index: BM25Index, query_terms: Sequence[str], k: int) -> list[Hit]:
    """The ``k`` best sentences containing a query term: score descending, then id ascending.

    Exactly the first ``k`` of a stable sort of ``scores(query_terms)`` over the matching
    sentences, but unless they are few, only sentences that might reach the best ``k`` are
    scored.
    """
    if k < 0:
        raise ValueError(f"k must be zero or more, not {k}")
    terms = index.term_numbers(query_terms)
    if not terms or k == 0:
        return []
    index = _plain(index)
    by_rarity = sorted(dict.fromkeys(terms), key=partial(_document_frequency, index))
    postings = sum(map(partial(_document_frequency, index), by_rarity))
    if postings <= _DIRECT_POSTINGS or any(index.idfs[t] < 0 for t in by_rarity):
        # Few postings, or negative idfs, which the bounds that prune cannot take: score
        # every match.
        return _score_all(index, terms, by_rarity, k)
    if len(by_rarity) <= _DENSE_TERMS and all(map(partial(_is_dense, index), by_rarity)):
        best = _best_of_heads(index, terms, by_rarity, k)
        if best is not None:
            return best
    if _document_frequency(index, by_rarity[0]) <= _RARE_POSTINGS:
        best = _best_with_rarest(index, terms, by_rarity, k)
        if best is not None:
            return best
    bounds = [terms.count(t) * index.idfs[t] * _block_maxima_of(index, t) for t in by_rarity]
    threshold = _threshold(index, terms, by_rarity, bounds, k)
    candidates, bounded = _candidates(index, terms, by_rarity, bounds, threshold)
    if bounded is None and any(map(partial(_has_impact_order, index), by_rarity)):
        # Candidates from several terms: bounded by the most of every term until the
        # terms in impact order tighten that.
        bounded = np.full(len(candidates), sum(float(b.max()) for b in bounds)), -1
    if bounded is not None:
        if k <= _SCORED_FIRST < len(candidates):
            candidates = _pruned(
                index, terms, by_rarity, bounds, candidates, *bounded, threshold, k
            )
        # Candidates from one term may come in impact order.
        candidates = np.sort(candidates)
    return _best(candidates, _scores_of(index, candidates, terms), k)


def _best_with_rarest(
    index: BM25Index, terms: list[int], by_rarity: list[int], k: int
) -> list[Hit] | None:
    """The best ``k`` when they all hold the rarest query term: its sentences' k-th best score
    is above the most that a sentence without it can score (all the other terms at their
    highest weight); else None."""
    candidates = index.sentences_of(by_rarity[0])
    if len(candidates) < k:
        return None
    scores = _scores_of(index, candidates, terms, holder=by_rarity[0])
    kth_best = float(np.partition(scores, len(scores) - k)[len(scores) - k])
    # The largest block maximum times a positive factor: the same float as the largest
    # product, since rounding keeps order.
    without_rarest = sum(
        terms.count(t) * float(index.idfs[t]) * float(_block_maxima_of(index, t).max())
        for t in by_rarity[1:]
    )
    if without_rarest >= kth_best * (1 - _BOUND_SLACK):
        return None
    return _best(candidates, scores, k)


def _best_of_heads(
    index: BM25Index, terms: list[int], distinct: list[int], k: int
) -> list[Hit] | None:
    """The best ``k`` of a query of dense terms in impact order, from the heads of their
    impact orders, cut so that a sentence in none of them cannot reach the k-th best score
    of the sentences first in each; None when those are fewer than ``k``.

    A sentence outside a term's head gets at most the maximum of its first chunk left unread
    from it, so the heads hold every sentence that may reach the threshold once those
    maxima add up to less; of such cuts, the one with the fewest chunks read is taken.
    """
    seeds = _distinct(
        [
            index.impact_ids[start : min(stop, start + max(_DENSE_SEEDS, 2 * k))]
            for start, stop in map(partial(_impact_span, index), distinct)
        ]
    )
    if len(seeds) < k:
        return None
    seed_scores = _scores_of(index, seeds, terms)
    threshold = float(np.partition(seed_scores, len(seeds) - k)[len(seeds) - k])
    cuts = _head_cuts(index, terms, distinct, threshold * (1 - _BOUND_SLACK))
    if cuts is None:
        return None
    heads = []
    for term, chunks in zip(distinct, cuts, strict=True):
        start, stop = _impact_span(index, term)
        end = min(stop, (start // layout.IMPACT_CHUNK + chunks) * layout.IMPACT_CHUNK)
        heads.append(index.impact_ids[start:end])
    candidates = _distinct(heads)
    return _best(candidates, _scores_of(index, candidates, terms), k)


def _head_cuts(
    index: BM25Index, terms: list[int], distinct: list[int], threshold: float
) -> list[int] | None:
    """How many chunks of each term's impact order to read, fewest in all, so that what the
    terms may add to a sentence in none of the chunks read stays below ``threshold``; None
    when no cut does."""
    # Per term, the most it adds to a sentence outside its first j chunks, for every j: the
    # least maximum among chunks 0..j (the chunk of that least maximum bounds all after it).
    unread = []
    for term in distinct:
        start, stop = _impact_span(index, term)
        first, last = start // layout.IMPACT_CHUNK, (stop - 1) // layout.IMPACT_CHUNK + 1
        adds = terms.count(term) * index.idfs[term] * index.impact_maxima[first:last]
        unread.append(np.append(np.minimum.accumulate(adds), 0.0))
    # The commonest term's cut follows from the others', tried at each drop of their bounds.
    *others, last_unread = sorted(unread, key=len)
    order = sorted(range(len(unread)), key=lambda t: len(unread[t]))
    grids = [np.flatnonzero(np.diff(u, prepend=np.inf) < 0) for u in others]
    combos = np.meshgrid(*grids, indexing="ij") if grids else []
    rest = np.full(combos[0].shape if grids else (), threshold)
    chunks = np.zeros(rest.shape, dtype=np.intp)
    for u, cut in zip(others, combos, strict=True):
        rest = rest - u[cut]
        chunks = chunks + cut
    # The first chunk whose least maximum is below the rest.
    last_cut = np.searchsorted(-last_unread, -rest, side="right")
    feasible = last_cut < len(last_unread)
    if not feasible.any():
        return None
    total = np.where(feasible, chunks + last_cut, np.iinfo(np.intp).max)
    best = np.unravel_index(int(np.argmin(total)), total.shape)
    found = [int(cut[best]) for cut in combos] + [int(last_cut[best])]
    cuts = [0] * len(distinct)
    for position, term_rank in enumerate(order):
        cuts[term_rank] = found[position]
    return cuts


def _impact_span(index: BM25Index, term: int) -> tuple[int, int]:
    return int(index.impact_offsets[term]), int(index.impact_offsets[term + 1])


def _is_dense(index: BM25Index, term: int) -> bool:
    return term in _dense_rows(index) and _has_impact_order(index, term)


def _dense_rows(index: BM25Index) -> dict[int, int]:
    """Each dense term's row in the dense maps."""
    return dict(zip(index.dense_terms.tolist(), range(len(index.dense_terms)), strict=True))


def _score_all(index: BM25Index, terms: list[int], distinct: list[int], k: int) -> list[Hit]:
    """The best ``k`` of every sentence that holds a query term, all scored."""
    spans = [index.span(term) for term in distinct]
    ids = [index.sentence_ids[span] for span in spans]
    candidates = union(ids)
    found = {
        term: (np.searchsorted(candidates, term_ids), span)
        for term, term_ids, span in zip(distinct, ids, spans, strict=True)
    }
    scores = np.zeros(len(candidates))
    for term in terms:
        where, span = found[term]
        # Each term adds once per sentence, in query order: the sums match scores().
        scores[where] += index.idfs[term] * index.weights[span]
    return _best(candidates, scores, k)


def _plain(index: BM25Index) -> BM25Index:
    """The index over plain arrays of the same memory: slicing a memory-mapped array costs
    about ten times as much, and top() slices dozens of times."""
    arrays = (index.offsets, index.sentence_ids, index.weights, index.impact_ids)
    if not any(isinstance(array, np.memmap) for array in arrays):  # built, not loaded
        return index
    return type(index)(
        vocabulary=index.vocabulary,
        offsets=np.asarray(index.offsets),
        sentence_ids=np.asarray(index.sentence_ids),
        weights=np.asarray(index.weights),
        idfs=np.asarray(index.idfs),
        block_maxima=np.asarray(index.block_maxima),
        impact_offsets=np.asarray(index.impact_offsets),
        impact_ids=np.asarray(index.impact_ids),
        impact_maxima=np.asarray(index.impact_maxima),
        sentence_count=index.sentence_count,
        dense_terms=np.asarray(index.dense_terms),
        dense_levels=np.asarray(index.dense_levels),
        dense_weights=np.asarray(index.dense_weights),
    )


def _candidates(
    index: BM25Index,
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
        if _has_impact_order(index, term) and len(blocks) * 2 > len(bound_of[term]):
            # Most blocks: the term's best postings in impact order, rather than all.
            ids, contributions = _impact_reaching(index, term, floor, count)
            return ids, (contributions + others, term)
        positions, contributions = _postings_in_blocks(index, term, blocks, floor, count)
        return index.sentence_ids[positions], (contributions + others, term)
    found = [
        _postings_in_blocks(index, term, blocks, threshold - others, terms.count(term))
        for term, blocks, others in kept
    ]
    return _union_of_many([index.sentence_ids[p] for p, _ in found], index.sentence_count), None


def _pruned(
    index: BM25Index,
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
    ordered = [t for t in by_rarity if t != source and _has_impact_order(index, t)]
    dense = _dense_rows(index)
    # A dense term adds to each candidate exactly what it reads: nothing is left unread.
    unread = {
        t: 0.0
        if t in dense
        else terms.count(t) * index.idfs[t] * _unread_maximum(index, t, len(candidates))
        for t in ordered
    }
    refined = False
    for term in sorted(ordered, key=lambda t: unread[t] - maxima[t]):
        floor = threshold * (1 - _BOUND_SLACK) - (float(most.max()) - maxima[term])
        if term in dense:
            levels = index.dense_levels[dense[term]][candidates]
            weights = index.dense_weights[dense[term]][levels]
            adds = terms.count(term) * index.idfs[term] * weights
        else:
            adds = _impact_bounds(index, term, terms.count(term), candidates, floor)
        most = most - maxima[term] + adds
        if not refined:
            threshold = max(threshold, _kth_of_best(index, terms, candidates, most, k))
            refined = True
        kept = most >= threshold * (1 - _BOUND_SLACK)
        candidates, most = candidates[kept], most[kept]
        if len(candidates) <= k:
            return candidates
    if not refined:
        threshold = max(threshold, _kth_of_best(index, terms, candidates, most, k))
    return candidates[most >= threshold * (1 - _BOUND_SLACK)]


def _impact_reads(index: BM25Index, term: int, candidates: int) -> tuple[int, int, int, int, int]:
    """Where a term's impact order starts and stops, its first and last chunk (the first
    and last shared with the terms before and after), and the chunk after those read
    for so many candidates."""
    start, stop = int(index.impact_offsets[term]), int(index.impact_offsets[term + 1])
    chunks = min(-(-_IMPACT_READS * candidates // layout.IMPACT_CHUNK), _MAX_CHUNKS)
    first, last = start // layout.IMPACT_CHUNK, (stop - 1) // layout.IMPACT_CHUNK + 1
    return start, stop, first, last, min(last, first + chunks)


def _unread_maximum(index: BM25Index, term: int, candidates: int) -> float:
    """The largest weight of a term's postings left unread for so many candidates."""
    _, _, _, last, read = _impact_reads(index, term, candidates)
    return float(index.impact_maxima[read]) if read < last else 0.0


def _has_impact_order(index: BM25Index, term: int) -> bool:
    return bool(index.impact_offsets[term] < index.impact_offsets[term + 1])


def _impact_reaching(
    index: BM25Index, term: int, floor: float, count: int
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """The sentences (in impact order) where a term kept in impact order may add at least
    ``floor``, and the most it adds to each: the chunks of its best postings down to the
    first that cannot reach the floor."""
    start, stop = int(index.impact_offsets[term]), int(index.impact_offsets[term + 1])
    first, last = start // layout.IMPACT_CHUNK, (stop - 1) // layout.IMPACT_CHUNK + 1
    adds = count * index.idfs[term] * index.impact_maxima[first:last]
    # Weights descend in impact order: no posting after a chunk below the floor reaches it.
    below = np.flatnonzero(adds < floor)
    end = stop if not len(below) else max(start, (first + int(below[0])) * layout.IMPACT_CHUNK)
    ids: NDArray[np.int32] = index.impact_ids[start:end]
    return ids, _per_posting(adds, first, start, end)


def _kth_of_best(
    index: BM25Index,
    terms: list[int],
    candidates: NDArray[np.int32],
    most: NDArray[np.float64],
    k: int,
) -> float:
    """The k-th best score of about ``_SCORED_FIRST`` candidates with the highest bounds.

    Any candidates' scores bound the k-th best from below, so a quantile of every few
    bounds picks them, at a fraction of the cost of partitioning all the bounds.
    """
    if len(candidates) <= _SCORED_FIRST:
        return -math.inf
    sample = most[:: max(1, len(most) // (4 * _SCORED_FIRST))]
    above = max(1, len(sample) * _SCORED_FIRST // len(most))
    cut = np.partition(sample, len(sample) - above)[len(sample) - above]
    first = np.flatnonzero(most >= cut)[:_SCORED_FIRST]
    if len(first) < k:
        return -math.inf
    first_scores = _scores_of(index, np.sort(candidates[first]), terms)
    return float(np.partition(first_scores, len(first) - k)[len(first) - k])


def _impact_bounds(
    index: BM25Index, term: int, count: int, candidates: NDArray[np.int32], floor: float
) -> NDArray[np.float64]:
    """The most a term kept in impact order adds to each candidate (ascending ids), where
    a candidate that it adds less than ``floor`` to can no longer reach the threshold.

    Its best postings are read a chunk at a time, a few per candidate, and no further
    than the first chunk below the floor; a candidate in none of them gets no more than
    the next chunk's maximum.
    """
    start, stop, first, last, read = _impact_reads(index, term, len(candidates))
    maxima = count * index.idfs[term] * index.impact_maxima[first : min(last, read + 1)]
    # Weights descend in impact order: reading past a chunk below the floor keeps no one.
    below = np.flatnonzero(maxima[: read - first] < floor)
    if len(below):
        read = first + int(below[0])
    # What a candidate adds if in read chunk j (1 on), or in none of them (0).
    adds = np.empty(read - first + 1)
    adds[0] = maxima[read - first] if read < last else 0.0
    adds[1:] = maxima[: read - first]
    end = min(stop, read * layout.IMPACT_CHUNK)
    if end <= start:
        return np.full(len(candidates), adds[0])
    # A map over every sentence id: measured on 1M sentences, 1.5x to 15x faster than
    # sorting the postings read and searching them, from 4k to 1M postings.
    chunk_of = np.zeros(index.sentence_count, dtype=np.uint16)
    numbers = np.arange(1, read - first + 1, dtype=np.uint16)
    chunk_of[index.impact_ids[start:end]] = _per_posting(numbers, first, start, end)
    bounds: NDArray[np.float64] = adds[chunk_of[candidates]]
    return bounds


def _threshold(
    index: BM25Index,
    terms: list[int],
    by_rarity: list[int],
    bounds: list[NDArray[np.float64]],
    k: int,
) -> float:
    """A score that at least ``k`` sentences reach: the k-th best of the sentences likely
    to be among the best, those that hold several query terms at a high weight.

    They are the sentences in the heads of the impact order of two or more terms (all
    the postings of a term without one), and the very best of each term: the first of its
    impact order, or else the sentences of its best blocks.
    """
    heads, parts = [], []
    for term, bound in zip(by_rarity, bounds, strict=True):
        if _has_impact_order(index, term):
            start, stop = int(index.impact_offsets[term]), int(index.impact_offsets[term + 1])
            impact_order = index.impact_ids[start:stop]
            heads.append(impact_order[:_HEAD_POSTINGS])
            parts.append(np.sort(impact_order[:_SEED_POSTINGS]))
            continue
        heads.append(index.sentences_of(term))
        wanted = max(-(-k // BLOCK_SIZE) + 1, _SEED_BLOCKS)
        if len(bound) <= wanted:
            parts.append(index.sentences_of(term))
            continue
        best_blocks = np.sort(np.argpartition(bound, -wanted)[-wanted:])
        parts.append(_sentences_in_blocks(index, term, best_blocks))
    if len(heads) > 1:
        parts.append(_in_several(heads))
    seeds = union(parts)
    if len(seeds) < k:
        return -math.inf
    seed_scores = _scores_of(index, seeds, terms)
    return float(np.partition(seed_scores, len(seeds) - k)[len(seeds) - k])


def _in_several(ids: list[NDArray[np.int32]]) -> NDArray[np.int32]:
    """The ids in two or more of some arrays without repeats, ascending, each once for
    every array after its first."""
    merged = np.concatenate(ids)
    merged.sort()
    repeated: NDArray[np.int32] = merged[1:][merged[1:] == merged[:-1]]
    return repeated


def _document_frequency(index: BM25Index, term: int) -> int:
    return int(index.offsets[term + 1] - index.offsets[term])


def _scores_of(
    index: BM25Index, candidates: NDArray[np.int32], terms: list[int], holder: int = -1
) -> NDArray[np.float64]:
    """``scores(terms)[candidates]`` with the same operations, for ascending candidates, or
    for the sentences of term ``holder``, whose weights are then read in place."""
    scores = np.zeros(len(candidates))
    dense = _dense_rows(index)
    found: dict[int, tuple[NDArray[np.intp], NDArray[np.integer[Any]]]] = {}
    for term in terms:
        row = dense.get(term)
        if term == holder:
            scores += index.idfs[term] * index.weights[index.span(term)]
            continue
        if row is not None:
            # Level 0 weighs 0.0: a sentence without the term gains nothing, as in scores().
            levels = index.dense_levels[row][candidates]
            scores += index.idfs[term] * index.dense_weights[row][levels]
            continue
        if term not in found:
            found[term] = _lookup(index, term, candidates)
        where, postings = found[term]
        # Each term adds at most once per sentence, in query order: the sums match scores().
        scores[where] += index.idfs[term] * index.weights[postings]
    return scores


def _lookup(
    index: BM25Index, term: int, candidates: NDArray[np.int32]
) -> tuple[NDArray[np.intp], NDArray[np.integer[Any]]]:
    """Which candidates hold the term, and the positions of their postings.

    Binary search, unless the candidates are so many that a map over every sentence id
    costs less than their searches (measured on 1M sentences: 2.5x faster for 160k
    candidates in 400k postings, 2x slower for 20k in 300k).
    """
    span = index.span(term)
    ids = index.sentence_ids[span]
    if len(candidates) * 8 > len(ids) + index.sentence_count // 4:
        posting_of = np.full(index.sentence_count, -1, dtype=np.int32)
        posting_of[ids] = np.arange(span.start, span.stop, dtype=np.int32)
        mapped = posting_of[candidates]
        hits = np.flatnonzero(mapped >= 0)
        return hits, mapped[hits]
    positions = np.searchsorted(ids, candidates)
    np.minimum(positions, len(ids) - 1, out=positions)
    found = ids[positions] == candidates
    return np.flatnonzero(found), positions[found] + span.start


def _block_maxima_of(index: BM25Index, term: int) -> NDArray[np.float64]:
    span = index.span(term)
    return index.block_maxima[span.start // BLOCK_SIZE : (span.stop - 1) // BLOCK_SIZE + 1]


def _sentences_in_blocks(
    index: BM25Index, term: int, blocks: NDArray[np.intp]
) -> NDArray[np.int32]:
    """The term's sentence ids in some of its blocks (counted from its first block)."""
    positions, _ = _postings_in_blocks(index, term, blocks, -math.inf, 1)
    ids: NDArray[np.int32] = index.sentence_ids[positions]
    return ids


def _postings_in_blocks(
    index: BM25Index, term: int, blocks: NDArray[np.intp], floor: float, count: int
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Positions of the term's postings in some of its blocks (counted from its first
    block) where its ``count`` occurrences in the query add at least ``floor``, and what
    they add."""
    span = index.span(term)
    first = span.start // BLOCK_SIZE * BLOCK_SIZE
    if len(blocks) * 2 > (span.stop - first) // BLOCK_SIZE:
        # Most blocks: filtering every posting of the term costs less than gathering
        # them, and keeps the same ones (no posting adds more than its block's bound).
        contributions = count * index.idfs[term] * index.weights[span]
        reaching = np.flatnonzero(contributions >= floor)
        return reaching + span.start, contributions[reaching]
    positions = (first + blocks * BLOCK_SIZE)[:, np.newaxis] + np.arange(BLOCK_SIZE)
    positions = positions[(positions >= span.start) & (positions < span.stop)]
    contributions = count * index.idfs[term] * index.weights[positions]
    reaching = contributions >= floor
    return positions[reaching], contributions[reaching]


def union(sorted_ids: Sequence[NDArray[np.int32]]) -> NDArray[np.int32]:
    """The ascending union of sorted id arrays."""
    if not sorted_ids:
        return np.empty(0, dtype=np.int32)
    if len(sorted_ids) == 1:
        return sorted_ids[0].copy()
    merged = np.concatenate(sorted_ids)
    # A stable sort merges the already sorted runs in near linear time.
    merged.sort(kind="stable")
    return _first_of_runs(merged)


def _distinct(ids: Sequence[NDArray[np.int32]]) -> NDArray[np.int32]:
    """The ascending union of unsorted id arrays: measured on 60k ids, numpy's default sort
    is 12x faster than its stable one and 30x faster than np.unique."""
    merged = np.concatenate(ids)
    merged.sort()
    return _first_of_runs(merged)


def _first_of_runs(merged: NDArray[np.int32]) -> NDArray[np.int32]:
    """Sorted ids without repeats."""
    is_first = np.empty(len(merged), dtype=np.bool_)
    is_first[:1] = True
    np.not_equal(merged[1:], merged[:-1], out=is_first[1:])
    return merged[is_first]


def _union_of_many(sorted_ids: list[NDArray[np.int32]], sentence_count: int) -> NDArray[np.int32]:
    """``union(sorted_ids)``, by a map over every sentence id when the ids are many: measured
    on 1M sentences, 1.5x faster for 800k ids, 1.4x slower for 150k."""
    if sum(map(len, sorted_ids)) * 3 < sentence_count:
        return union(sorted_ids)
    held = np.zeros(sentence_count, dtype=np.bool_)
    for ids in sorted_ids:
        held[ids] = True
    return np.flatnonzero(held).astype(np.int32)


def _per_posting(per_chunk: NDArray[_Item], first: int, start: int, end: int) -> NDArray[_Item]:
    """The values of chunks ``first`` on for each of the impact postings ``start:end``."""
    offset = first * layout.IMPACT_CHUNK
    return np.repeat(per_chunk, layout.IMPACT_CHUNK)[start - offset : end - offset]


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
    return list(map(Hit, candidates[ranked].tolist(), scores[ranked].tolist()))
