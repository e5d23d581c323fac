"""Per-file postings: an ``IndexSegment`` indexes a few consecutive sentences with no
corpus-wide statistics, so it can be cached per file and merged into the corpus index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, count, pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from bot.index import layout
from bot.index.layout import MAX_IDS, frozen
from bot.index.storage import (
    check,
    check_postings,
    load_arrays,
    save_arrays,
    terms_arrays,
    terms_from_arrays,
)

# Postings per run of terms, on average, above which a merge copies runs as slices rather
# than scattering every posting (a slice copy costs about what scattering a hundred or two
# postings does).
_COPIED_RUN_POSTINGS = 256
# Tokens per distinct string object, on average, below which the tokens are numbered one by one
# rather than by object: grouping by object pays from about two. Shares from the workers come
# with ~4 (one copy of each term per job), the analyzer's own output with hundreds.
_SHARED_OBJECT_TOKENS = 2
_TERMS_ARRAYS = frozenset({"terms_text", "term_ends"})
SEGMENT_ARRAYS = _TERMS_ARRAYS | {
    "offsets",
    "sentence_ids",
    "term_frequencies",
    "sentence_lengths",
}


class Postings(Protocol):
    """What merging takes of a segment: its postings, with no terms."""

    @property
    def offsets(self) -> NDArray[np.int64]: ...
    @property
    def sentence_ids(self) -> NDArray[np.int32]: ...
    @property
    def term_frequencies(self) -> NDArray[np.unsignedinteger[Any]]: ...
    @property
    def sentence_lengths(self) -> NDArray[np.int32]: ...


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
        if sentence_count > MAX_IDS:
            raise ValueError(
                f"cannot index {sentence_count} sentences: at most {MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        sentence_lengths = np.fromiter(
            map(len, tokenized_sentences), dtype=np.int32, count=sentence_count
        )
        terms, keys = _token_keys(tokenized_sentences, sentence_lengths)
        if len(terms) > MAX_IDS:
            raise ValueError(f"cannot index {len(terms)} distinct terms: at most {MAX_IDS} fit")
        keys.sort()
        offsets, sentence_ids, term_frequencies = _group_postings(
            keys, sentence_lengths, len(terms)
        )
        return cls(
            terms=terms,
            offsets=frozen(offsets),
            sentence_ids=frozen(sentence_ids),
            term_frequencies=frozen(term_frequencies),
            sentence_lengths=frozen(sentence_lengths),
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
        vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
        term_numbers = [_number_terms(vocabulary, segment.terms) for segment in segments]
        return cls._merged(segments, term_numbers, tuple(vocabulary))

    @classmethod
    def _merged(
        cls,
        segments: Sequence[Postings],
        term_numbers: Sequence[NDArray[np.int64]],
        terms: tuple[str, ...],
    ) -> IndexSegment:
        """The segments' sentences one after another, term ``t`` of segment ``k`` being
        ``terms[term_numbers[k][t]]``; every one of ``terms`` is some segment's."""
        sentence_count = sum(len(segment.sentence_lengths) for segment in segments)
        if sentence_count > MAX_IDS:
            raise ValueError(
                f"cannot index {sentence_count} sentences: at most {MAX_IDS} fit; "
                "split the corpus or use a server-backed search engine"
            )
        if len(terms) > MAX_IDS:
            raise ValueError(f"cannot index {len(terms)} distinct terms: at most {MAX_IDS} fit")
        document_frequencies = np.zeros(len(terms), dtype=np.int64)
        for segment, numbers in zip(segments, term_numbers, strict=True):
            document_frequencies[numbers] += np.diff(segment.offsets)
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(document_frequencies, out=offsets[1:])
        if offsets[-1] > MAX_IDS:
            raise ValueError(f"cannot index {offsets[-1]} postings: at most {MAX_IDS} fit")
        sentence_ids, term_frequencies = _merge_postings(segments, term_numbers, offsets)
        return cls(
            terms=terms,
            offsets=frozen(offsets),
            sentence_ids=frozen(sentence_ids),
            term_frequencies=frozen(term_frequencies),
            sentence_lengths=frozen(
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
            **terms_arrays(self.terms),
            "offsets": self.offsets,
            "sentence_ids": self.sentence_ids,
            "term_frequencies": self.term_frequencies,
            "sentence_lengths": self.sentence_lengths,
        }
        save_arrays(folder, "segment", {}, arrays)

    @classmethod
    def load(cls, folder: Path) -> IndexSegment:
        """The segment saved in ``folder``, memory-mapped; IndexFormatError if it is unusable."""
        _, arrays = load_arrays(folder, "segment", SEGMENT_ARRAYS)
        terms = terms_from_arrays(arrays)
        segment = cls(
            terms=terms,
            offsets=arrays["offsets"],
            sentence_ids=arrays["sentence_ids"],
            term_frequencies=arrays["term_frequencies"],
            sentence_lengths=arrays["sentence_lengths"],
        )
        check_postings(segment.offsets, segment.sentence_ids, len(terms), len(segment))
        check(
            segment.term_frequencies.dtype.kind == "u"
            and segment.sentence_ids.dtype == np.int32
            and segment.sentence_lengths.dtype == np.int32
            and len(segment.term_frequencies) == len(segment.sentence_ids),
            "segment arrays do not fit together",
        )
        return segment


@dataclass(frozen=True, slots=True, eq=False)
class SentSegment:
    """An ``IndexSegment`` as a process sends it to another (see ``TermSender``): each of its
    terms as the sender's number, with the strings of the terms it sends for the first time."""

    sender: int
    new_terms: tuple[str, ...]  # the sender's next numbers' terms
    term_numbers: NDArray[np.int64]
    offsets: NDArray[np.int64]
    sentence_ids: NDArray[np.int32]
    term_frequencies: NDArray[np.unsignedinteger[Any]]
    sentence_lengths: NDArray[np.int32]


class TermSender:
    """Sends segments with each term's string once: a process sending many segments of the
    same terms (a worker, an archive's shares) sends a number for a term it sent before, so
    that neither it nor the receiver handles a string per term of every segment."""

    def __init__(self, sender: int) -> None:
        self._sender = sender
        self._numbers: defaultdict[str, int] = defaultdict(count().__next__)

    def sent(self, segment: IndexSegment) -> SentSegment:
        known = len(self._numbers)
        numbers = _number_terms(self._numbers, segment.terms)
        return SentSegment(
            sender=self._sender,
            new_terms=tuple(segment.terms[position] for position in _new(numbers, known)),
            term_numbers=numbers,
            offsets=segment.offsets,
            sentence_ids=segment.sentence_ids,
            term_frequencies=segment.term_frequencies,
            sentence_lengths=segment.sentence_lengths,
        )


class TermReceiver:
    """The segments of one or more ``TermSender`` s as they were sent, each with its terms' ids:
    the same term has the same id whichever sender sent it."""

    def __init__(self) -> None:
        self._ids: defaultdict[str, int] = defaultdict(count().__next__)
        self._terms: list[str] = []  # by id
        self._senders: dict[int, NDArray[np.int64]] = {}  # the id of each sender's numbers

    def received(self, sent: SentSegment) -> ReceivedSegment:
        known = len(self._terms)
        new_ids = _number_terms(self._ids, sent.new_terms)
        self._terms.extend(sent.new_terms[position] for position in _new(new_ids, known))
        ids_of = self._senders.get(sent.sender, np.empty(0, dtype=np.int64))
        ids_of = self._senders[sent.sender] = np.concatenate((ids_of, new_ids))
        return ReceivedSegment(sent, ids_of[sent.term_numbers], self._terms)


@dataclass(frozen=True, slots=True, eq=False)
class ReceivedSegment:
    """A sent segment's postings as received, with its terms' ids among every term received,
    and those terms by id (a list that only grows); its strings only made when asked for."""

    postings: SentSegment
    term_ids: NDArray[np.int64]
    terms_by_id: Sequence[str]

    def segment(self) -> IndexSegment:
        """The segment as it was sent."""
        sent = self.postings
        return IndexSegment(
            terms=tuple(map(self.terms_by_id.__getitem__, self.term_ids.tolist())),
            offsets=sent.offsets,
            sentence_ids=sent.sentence_ids,
            term_frequencies=sent.term_frequencies,
            sentence_lengths=sent.sentence_lengths,
        )


def _new(numbers: NDArray[np.int64], known: int) -> NDArray[np.intp]:
    """Positions of the terms numbered for the first time (from `known` on), in that order."""
    return np.flatnonzero(numbers >= known)


class Concatenation:
    """``IndexSegment.concatenate`` of segments given one at a time as received (an archive's
    shares as the workers send them back, see ``TermReceiver``): each segment's terms are
    numbered by their ids when it comes, and every ``group`` segments are merged into one, so
    that at the end only the groups are merged, with no term looked up at all."""

    def __init__(self, group: int) -> None:
        self._group = group
        self._numbers = np.empty(0, dtype=np.int64)  # each id's number, -1 for none yet
        self._terms: list[str] = []  # the terms by number
        self._waiting: list[tuple[Postings, NDArray[np.int64]]] = []
        # Merged groups, each with its terms' numbers (ascending: its terms in that order).
        self._merged: list[tuple[IndexSegment, NDArray[np.int64]]] = []

    def add(self, received: ReceivedSegment) -> None:
        term_ids = received.term_ids
        if len(term_ids) and int(term_ids.max()) >= len(self._numbers):
            grown = np.full(max(2 * len(self._numbers), int(term_ids.max()) + 1), -1, np.int64)
            grown[: len(self._numbers)] = self._numbers
            self._numbers = grown
        numbers = self._numbers[term_ids]
        # New terms are numbered in the order the segment lists them.
        new = np.flatnonzero(numbers < 0)
        numbers[new] = np.arange(len(self._terms), len(self._terms) + len(new))
        self._numbers[term_ids[new]] = numbers[new]
        self._terms.extend(map(received.terms_by_id.__getitem__, term_ids[new].tolist()))
        self._waiting.append((received.postings, numbers))
        if len(self._waiting) == self._group:
            self._merged.append(self._merged_group(self._waiting))
            self._waiting = []

    def _merged_group(
        self, parts: Sequence[tuple[Postings, NDArray[np.int64]]]
    ) -> tuple[IndexSegment, NDArray[np.int64]]:
        """The parts as one segment, its terms in the order of their numbers."""
        present = np.zeros(len(self._terms), dtype=np.bool_)
        for _, numbers in parts:
            present[numbers] = True
        group_numbers = np.flatnonzero(present)
        # A term's place among the group's terms, by its number.
        places = np.cumsum(present, dtype=np.int64)
        places -= 1
        merged = IndexSegment._merged(
            [segment for segment, _ in parts],
            [places[numbers] for _, numbers in parts],
            tuple(map(self._terms.__getitem__, group_numbers.tolist())),
        )
        return merged, group_numbers

    def concatenated(self) -> IndexSegment:
        """The segments added so far as one, numbered as ``build`` would number them."""
        if len(self._merged) == 1 and not self._waiting:
            return self._merged[0][0]  # its terms are in order of first appearance already
        parts = [*self._merged, *self._waiting]
        return IndexSegment._merged(
            [segment for segment, _ in parts],
            [numbers for _, numbers in parts],
            tuple(self._terms),
        )


def _group_postings(
    keys: NDArray[np.int64], sentence_lengths: NDArray[np.int32], vocabulary_size: int
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.unsignedinteger[Any]]]:
    """Group the sorted token keys by (term, sentence): per-term offsets, sentence ids and term
    frequencies.

    One key per token, term in the high bits, orders postings by term then sentence in one
    sort: sorting the whole segment at once costs no more than sorting it in pieces, and needs
    no merge after. The postings are then read off the keys a chunk at a time, so beside the
    keys and the result the temporaries stay a few MB whatever the segment's size.
    """
    offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
    if not len(keys):
        return offsets, np.empty(0, np.int32), np.empty(0, np.uint16)
    starts_posting = np.empty(len(keys), dtype=np.bool_)
    starts_posting[0] = True
    np.not_equal(keys[1:], keys[:-1], out=starts_posting[1:])
    postings_count = int(np.count_nonzero(starts_posting))
    sentence_ids = np.empty(postings_count, dtype=np.int32)
    # A term occurs at most as often as its sentence is long.
    frequency_type = np.uint16 if sentence_lengths.max() <= np.iinfo(np.uint16).max else np.uint32
    term_frequencies: NDArray[np.unsignedinteger[Any]] = np.empty(postings_count, frequency_type)
    postings_per_term = np.zeros(vocabulary_size, dtype=np.int64)
    first_posting = 0
    for start, stop in pairwise(_posting_bounds(starts_posting)):
        posting_starts = np.flatnonzero(starts_posting[start:stop])
        posting_starts += start
        chunk = slice(first_posting, first_posting + len(posting_starts))
        term_frequencies[chunk] = np.diff(posting_starts, append=stop)
        posting_keys = keys[posting_starts]
        sentence_ids[chunk] = posting_keys & 0xFFFFFFFF
        posting_keys >>= 32
        postings_per_term += np.bincount(posting_keys, minlength=vocabulary_size)
        first_posting = chunk.stop
    np.cumsum(postings_per_term, out=offsets[1:])
    return offsets, sentence_ids, term_frequencies


def _token_keys(
    tokenized_sentences: Sequence[Sequence[str]], sentence_lengths: NDArray[np.int32]
) -> tuple[tuple[str, ...], NDArray[np.int64]]:
    """The terms in order of first appearance, and one key per token: its term's number in the
    high 32 bits, its sentence in the low ones.

    Reading every token dominates the build. The analyzer hands out one string object per term
    (bot.terms caches them), so the tokens are grouped by object in numpy and a dictionary looks
    up one object per group: at 1M sentences ~1.7x faster than a look-up per token. Tokens that
    are mostly distinct objects (strings read from JSON, say) are looked up one by one.
    """
    token_count = int(sentence_lengths.sum(dtype=np.int64))
    # The object array is handed over, not kept: its 8 bytes a token are freed as soon as read.
    by_object = _keys_by_object(
        np.fromiter(chain.from_iterable(tokenized_sentences), dtype=object, count=token_count),
        sentence_lengths,
    )
    if by_object is not None:
        return by_object
    # One pass numbering terms in order of first appearance, all of it in C: a new term gets
    # the next number from the counter.
    numbers: defaultdict[str, int] = defaultdict(count().__next__)
    keys = np.fromiter(
        map(numbers.__getitem__, chain.from_iterable(tokenized_sentences)),
        dtype=np.int64,
        count=token_count,
    )
    keys <<= 32
    keys |= _token_sentences(sentence_lengths)
    return tuple(numbers), keys


def _keys_by_object(
    tokens: NDArray[np.object_], sentence_lengths: NDArray[np.int32]
) -> tuple[tuple[str, ...], NDArray[np.int64]] | None:
    """``_token_keys`` for tokens that share their string objects, or None when they mostly do
    not (or their addresses are too far apart to share a sort key with their positions, or
    numpy does not show them).

    A sort of (object address, position) keys groups the tokens by object, each group's first
    token first; the groups' objects, in order of first appearance, are numbered through a
    dictionary (equal strings in different objects get one number), and every key is then
    rewritten in place to its term and sentence.
    """
    token_count = len(tokens)
    if not token_count:
        return (), np.empty(0, dtype=np.int64)
    position_bits = max(1, (token_count - 1).bit_length())
    position_mask = (1 << position_bits) - 1
    # The objects' addresses (CPython's ids): the array holds them, so they stay distinct. A
    # numpy that will not show an object array's buffer leaves the tokens to be read one by one.
    try:
        keys = np.frombuffer(tokens, dtype=np.intp).astype(np.int64)
    except (TypeError, ValueError, BufferError):
        return None
    lowest = int(keys.min())
    if (int(keys.max()) - lowest).bit_length() + position_bits > 63:
        return None
    keys -= lowest
    keys <<= position_bits
    chunks = list(pairwise([*range(0, token_count, layout.MERGE_POSTINGS), token_count]))
    for start, stop in chunks:
        keys[start:stop] |= np.arange(start, stop)
    keys.sort()
    starts_object = np.empty(token_count, dtype=np.bool_)
    starts_object[0] = True
    for start, stop in chunks:
        following = keys[start + 1 : stop + 1]
        np.greater(
            following ^ keys[start : start + len(following)],
            position_mask,
            out=starts_object[start + 1 : start + 1 + len(following)],
        )
    if int(np.count_nonzero(starts_object)) * _SHARED_OBJECT_TOKENS > token_count:
        return None
    first_positions = keys[starts_object] & position_mask
    appearance = np.argsort(first_positions)
    first_objects = tokens[first_positions[appearance]]
    del tokens, first_positions
    numbers: defaultdict[str, int] = defaultdict(count().__next__)
    object_terms = np.empty(len(appearance), dtype=np.int64)
    object_terms[appearance] = np.fromiter(
        map(numbers.__getitem__, first_objects), dtype=np.int64, count=len(appearance)
    )
    del first_objects, appearance
    object_terms <<= 32
    token_sentences = _token_sentences(sentence_lengths)
    objects_before = 0
    for start, stop in chunks:
        chunk_keys = keys[start:stop]
        objects = np.cumsum(starts_object[start:stop], dtype=np.int64)
        objects += objects_before - 1
        objects_before = int(objects[-1]) + 1
        positions = chunk_keys & position_mask
        np.bitwise_or(object_terms[objects], token_sentences[positions], out=chunk_keys)
    return tuple(numbers), keys


def _token_sentences(sentence_lengths: NDArray[np.int32]) -> NDArray[np.int32]:
    """The sentence of every token."""
    return np.repeat(np.arange(len(sentence_lengths), dtype=np.int32), sentence_lengths)


def _posting_bounds(starts_posting: NDArray[np.bool_]) -> list[int]:
    """Token positions cutting the sorted tokens into runs of about layout.MERGE_POSTINGS,
    each beginning where a posting does (a posting's tokens are never split)."""
    bounds = [0]
    token_count = len(starts_posting)
    for cut in range(layout.MERGE_POSTINGS, token_count, layout.MERGE_POSTINGS):
        position = max(cut, bounds[-1] + 1)
        if position >= token_count:
            break
        following = starts_posting[position:]
        first = int(np.argmax(following))  # the first posting start: argmax stops at it
        if not following[first]:
            break
        bounds.append(position + first)
    bounds.append(token_count)
    return bounds


def _number_terms(vocabulary: defaultdict[str, int], terms: Sequence[str]) -> NDArray[np.int64]:
    """Corpus-wide numbers of a segment's terms, numbering new ones in order of appearance.

    Segments come in corpus order and list their terms in order of first appearance, so this
    is the order of first appearance in the whole corpus, the order rank-bm25 sums idfs in.
    """
    return np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))


def _merge_postings(
    segments: Sequence[Postings],
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
    term_frequencies: NDArray[np.unsignedinteger[Any]] = np.empty(postings_count, frequency_type)
    next_free = offsets[:-1].copy()
    first_sentence = 0
    for segment, numbers in zip(segments, term_numbers, strict=True):
        local_offsets = segment.offsets
        counts = np.diff(local_offsets)
        # A posting moves from its place in the segment to that place plus its term's shift.
        shifts = next_free[numbers] - local_offsets[:-1]
        runs = _shift_runs(shifts)
        if len(runs) * _COPIED_RUN_POSTINGS <= len(segment.sentence_ids):
            # Consecutive terms sharing a shift move together: one slice copy per run. What a
            # big segment merged with a few small ones (a reload) mostly is.
            for first, last in pairwise(runs.tolist()):
                start, stop = int(local_offsets[first]), int(local_offsets[last])
                moved = slice(start + int(shifts[first]), stop + int(shifts[first]))
                np.add(segment.sentence_ids[start:stop], first_sentence, out=sentence_ids[moved])
                term_frequencies[moved] = segment.term_frequencies[start:stop]
        else:
            for first, last in _term_ranges(local_offsets):
                start, stop = int(local_offsets[first]), int(local_offsets[last])
                destination = np.repeat(shifts[first:last], counts[first:last])
                destination += np.arange(start, stop)
                sentence_ids[destination] = segment.sentence_ids[start:stop] + first_sentence
                term_frequencies[destination] = segment.term_frequencies[start:stop]
        next_free[numbers] += counts
        first_sentence += len(segment.sentence_lengths)
    return sentence_ids, term_frequencies


def _shift_runs(shifts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Bounds of the runs of consecutive terms with the same shift: 0, ..., len(shifts)."""
    changes = np.flatnonzero(shifts[1:] != shifts[:-1])
    changes += 1
    return np.concatenate(([0], changes, [len(shifts)])) if len(shifts) else np.zeros(1, np.int64)


def _term_ranges(offsets: NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of terms holding about layout.MERGE_POSTINGS postings each."""
    cuts = np.searchsorted(
        offsets, np.arange(layout.MERGE_POSTINGS, int(offsets[-1]), layout.MERGE_POSTINGS)
    )
    bounds = np.unique(np.concatenate(([0], cuts, [len(offsets) - 1]))).tolist()
    return pairwise(bounds)
