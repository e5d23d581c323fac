"""Segments: one corpus file's processed results as columns, and the corpus read from them.

A segment holds a file's documents, paragraphs, sentences and statements as integer tables
(numpy, saved as .npy and memory-mapped) over one UTF-8 text blob, a few small lists (strings,
document metadata, speaker summaries, capitalised words) and the index postings of its
sentences. The corpus is the segments side by side: `Documents`, `Sentences` and `Statements`
are read-only sequences that make each frozen dataclass the first time it is asked for, so a
start-up reads no text.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar, cast, get_args, overload

import numpy as np
from numpy.typing import NDArray

from bot.attribution import Speaker, Statement
from bot.attribution.model import Kind, SpeakerKind
from bot.attribution.resolve import CorpusSpeakers
from bot.corpus.lookups import add_words, capitalised_words
from bot.corpus.processing import ProcessedArticle, ProcessedFile
from bot.documents import Document, Paragraph, TextMap
from bot.index import IndexSegment
from bot.index.segment import Concatenation, ReceivedSegment
from bot.sentences import Sentence

KINDS: tuple[Kind, ...] = get_args(Kind)
SPEAKER_KINDS: tuple[SpeakerKind, ...] = get_args(SpeakerKind)

# The columns of each table; offsets into the text blob are in bytes, "_end" columns of
# rows that own a run of another table's rows are cumulative (the run ends there).
DOCUMENT_COLUMNS = ("source_start", "source_end", "paragraphs_end")
PARAGRAPH_COLUMNS = ("text_start", "text_end", "anchors_end")
ANCHOR_COLUMNS = ("clean", "source")
SENTENCE_COLUMNS = (
    "doc",
    "paragraph",
    "position",
    "offset",
    "start",
    "end",
    "text_start",
    "text_end",
)
STATEMENT_COLUMNS = (
    "sentence",
    "speaker",  # the article's speaker key, a string id
    "mention",  # string id
    "role",  # string id, -1 for none
    "kind",  # index into KINDS
    "content_start",
    "content_end",
    "quote_start",
    "quote_end",
    "verb",  # string id, -1 for none
)
TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "paragraphs": PARAGRAPH_COLUMNS,
    "anchors": ANCHOR_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "statements": STATEMENT_COLUMNS,
}

Table = NDArray[np.int64]
Item = TypeVar("Item")


class DocumentInfo(NamedTuple):
    doc_id: str  # after the file's own id: "" for a file, "#12" for an archive's line 12
    title: str | None
    date: str | None
    outlet: str | None
    url: str | None
    captions: tuple[str, ...]


class DocumentColumns(Sequence[DocumentInfo]):
    """Document metadata as the cache holds it, one list per field; a document's info is
    made when the document is, not at start-up."""

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        self._columns = [columns[name] for name in DocumentInfo._fields]

    @classmethod
    def of(cls, infos: Iterable[DocumentInfo]) -> DocumentColumns:
        ordered = list(infos)
        return cls(
            {name: [getattr(info, name) for info in ordered] for name in DocumentInfo._fields}
        )

    @classmethod
    def joined(cls, parts: Iterable[DocumentColumns]) -> DocumentColumns:
        """The documents of the parts one after another."""
        merged: list[list[Any]] = [[] for _ in DocumentInfo._fields]
        for part in parts:
            for column, values in zip(merged, part._columns, strict=True):
                column.extend(values)
        return cls(dict(zip(DocumentInfo._fields, merged, strict=True)))

    def by_field(self) -> dict[str, Sequence[Any]]:
        """The metadata as the cache holds it: each field's values, one per document."""
        return dict(zip(DocumentInfo._fields, self._columns, strict=True))

    def headings(self) -> Iterator[tuple[str | None, Sequence[str]]]:
        """Each document's title and captions, without making its info."""
        titles, captions = (
            self._columns[DocumentInfo._fields.index(f)] for f in ("title", "captions")
        )
        return zip(titles, captions, strict=True)

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, index: int) -> DocumentInfo: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DocumentInfo, ...]: ...

    def __getitem__(self, index: int | slice) -> DocumentInfo | tuple[DocumentInfo, ...]:
        if isinstance(index, slice):
            return tuple(self[number] for number in range(*index.indices(len(self))))
        doc_id, title, date, outlet, url, captions = (column[index] for column in self._columns)
        return DocumentInfo(doc_id, title, date, outlet, url, tuple(captions))


# What a file's articles say of one speaker key: the kind first given, every name with how
# many of the articles' speakers gave it (in order of first use), the roles in order.
Summary = tuple[SpeakerKind, dict[str, int], dict[str, None]]


@dataclass(frozen=True)
class SpeakerSummaries:
    """A file's speaker keys in order of first use, with their summaries as flat lists:
    key number k's names (and counts) end at name_ends[k], its roles at role_ends[k]."""

    keys: tuple[str, ...]
    kinds: tuple[SpeakerKind, ...]
    names: tuple[str, ...]
    counts: tuple[int, ...]
    name_ends: tuple[int, ...]
    roles: tuple[str, ...]
    role_ends: tuple[int, ...]

    @classmethod
    def of(cls, summaries: Mapping[str, Summary]) -> SpeakerSummaries:
        values = summaries.values()
        return cls(
            keys=tuple(summaries),
            kinds=tuple(kind for kind, _, _ in values),
            names=tuple(name for _, names, _ in values for name in names),
            counts=tuple(count for _, names, _ in values for count in names.values()),
            name_ends=tuple(itertools.accumulate(len(names) for _, names, _ in values)),
            roles=tuple(role for _, _, roles in values for role in roles),
            role_ends=tuple(itertools.accumulate(len(roles) for _, _, roles in values)),
        )

    def summary(self, number: int) -> tuple[str, SpeakerKind, dict[str, int], Sequence[str]]:
        """Key number `number` with its kind, names with their counts, and roles."""
        name_start = self.name_ends[number - 1] if number else 0
        role_start = self.role_ends[number - 1] if number else 0
        name_end, role_end = self.name_ends[number], self.role_ends[number]
        names = zip(self.names[name_start:name_end], self.counts[name_start:name_end], strict=True)
        return self.keys[number], self.kinds[number], dict(names), self.roles[role_start:role_end]

    def read_texts(self) -> Iterator[str]:
        """Every name, and every role of a person: what the lookups read of these speakers."""
        yield from self.names
        role_start = 0
        for kind, role_end in zip(self.kinds, self.role_ends, strict=True):
            if kind == "person":
                yield from self.roles[role_start:role_end]
            role_start = role_end

    def summaries(
        self,
    ) -> Iterator[tuple[str, SpeakerKind, Sequence[str], Sequence[int], Sequence[str]]]:
        """Each key with its kind, names, their counts and roles."""
        name_start = role_start = 0
        for key, kind, name_end, role_end in zip(
            self.keys, self.kinds, self.name_ends, self.role_ends, strict=True
        ):
            names = self.names[name_start:name_end]
            counts = self.counts[name_start:name_end]
            yield key, kind, names, counts, self.roles[role_start:role_end]
            name_start, role_start = name_end, role_end


@dataclass(frozen=True)
class Segment:
    path: Path
    doc_id: str
    content_hash: str
    text: NDArray[np.uint8]
    tables: Mapping[str, Table]  # by TABLES name, one row per item, one column per name
    confidences: NDArray[np.float64]  # per statement
    documents: DocumentColumns
    strings: tuple[str, ...]
    speakers: SpeakerSummaries
    capitalised: Mapping[str, str]  # its sentences' `capitalised_words`
    skipped: tuple[str, ...]
    # the postings of its sentences; None when the cache gave the corpus index
    index: IndexSegment | None

    def count(self, table: str) -> int:
        return len(self.tables[table])

    def column(self, table: str, name: str) -> Table:
        return self.tables[table][:, TABLES[table].index(name)]

    def decoded(self, start: int, end: int) -> str:
        return decoded(self.text[start:end].tobytes())


def decoded(data: bytes) -> str:
    """Text as it was encoded; damaged bytes read as replacement characters, never fatal."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def share_of(processed: ProcessedFile) -> Segment:
    """A job's work (a file, or some lines of an archive) as it comes back from a worker: in
    columns, with the postings of its sentences."""
    terms = [terms for article in processed.articles for terms in article.terms]
    return replace(_segment_of(processed), index=IndexSegment.build(terms))


def _segment_of(processed: ProcessedFile) -> Segment:
    """A processed file in columns (statements ordered by sentence, as they are read)."""
    builder = _Builder(processed.doc_id)
    for article in processed.articles:
        builder.add(article)
    return Segment(
        path=processed.path,
        doc_id=processed.doc_id,
        content_hash=processed.content_hash,
        text=np.frombuffer(bytes(builder.text), dtype=np.uint8),
        tables={name: _table(rows, len(TABLES[name])) for name, rows in builder.rows.items()},
        confidences=np.array(builder.confidences, dtype=np.float64),
        documents=DocumentColumns.of(builder.documents),
        strings=tuple(builder.strings),
        speakers=SpeakerSummaries.of(builder.speakers),
        capitalised=capitalised_words(
            sentence.text for article in processed.articles for sentence in article.sentences
        ),
        skipped=tuple(s.reason for s in processed.skipped),
        index=None,
    )


def _table(rows: list[tuple[int, ...]], columns: int) -> Table:
    """Column-major, so that a column is contiguous for searching."""
    return np.asfortranarray(np.array(rows, dtype=np.int64).reshape(len(rows), columns))


class _Builder:
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.text = bytearray()
        self.rows: dict[str, list[tuple[int, ...]]] = {name: [] for name in TABLES}
        self.confidences: list[float] = []
        self.documents: list[DocumentInfo] = []
        self.strings: dict[str, int] = {}
        self.speakers: dict[str, tuple[SpeakerKind, Counter[str], dict[str, None]]] = {}

    def add(self, article: ProcessedArticle) -> None:
        document = article.document
        doc = len(self.documents)
        self.documents.append(
            DocumentInfo(
                document.doc_id.removeprefix(self.doc_id),
                document.title,
                document.date,
                document.outlet,
                document.url,
                document.captions,
            )
        )
        source_start, source_end = self._put(document.source_text)
        paragraph_starts: list[int] = []
        for paragraph in document.paragraphs:
            anchors = zip(
                paragraph.text_map.clean_anchors, paragraph.text_map.source_anchors, strict=True
            )
            self.rows["anchors"].extend(anchors)
            at = paragraph.text_map.to_source(0)
            text_span = self._stretch(paragraph.text, document.source_text, at, source_start)
            paragraph_starts.append(text_span[0])
            self.rows["paragraphs"].append((*text_span, len(self.rows["anchors"])))
        self.rows["documents"].append((source_start, source_end, len(self.rows["paragraphs"])))
        first = len(self.rows["sentences"])
        for sentence in article.sentences:
            self.rows["sentences"].append(
                (
                    doc,
                    sentence.paragraph,
                    sentence.position,
                    sentence.offset,
                    sentence.start,
                    sentence.end,
                    *self._stretch(
                        sentence.text,
                        document.paragraphs[sentence.paragraph].text,
                        sentence.offset,
                        paragraph_starts[sentence.paragraph],
                    ),
                )
            )
        statements = sorted(article.statements, key=lambda s: s.sentence_position)
        for statement in statements:
            speaker = statement.speaker
            self.rows["statements"].append(
                (
                    first + statement.sentence_position,
                    self._string(speaker.key),
                    self._string(statement.mention),
                    self._string(speaker.roles[0]) if speaker.roles else -1,
                    KINDS.index(statement.kind),
                    statement.content_start,
                    statement.content_end,
                    statement.quote_start,
                    statement.quote_end,
                    -1
                    if statement.reporting_verb is None
                    else self._string(statement.reporting_verb),
                )
            )
            self.confidences.append(statement.confidence)
        for speaker in dict.fromkeys(s.speaker for s in article.statements):
            _, names, roles = self.speakers.setdefault(speaker.key, (speaker.kind, Counter(), {}))
            names.update(speaker.names)
            roles.update(dict.fromkeys(speaker.roles))

    def _stretch(self, text: str, whole: str, at: int, whole_start: int) -> tuple[int, int]:
        """Where `text` is in the blob: within `whole` (put at byte `whole_start`) when it
        stands there at character `at`, as a paragraph of its published text and a sentence of
        its paragraph mostly do; else a copy of its own."""
        if not whole.startswith(text, at):
            return self._put(text)
        before = whole[:at]
        start = whole_start + (len(before) if before.isascii() else len(_encoded(before)))
        return start, start + (len(text) if text.isascii() else len(_encoded(text)))

    def _put(self, text: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += _encoded(text)
        return start, len(self.text)

    def _string(self, text: str) -> int:
        return self._number(self.strings, text)

    @staticmethod
    def _number(numbers: dict[str, int], text: str) -> int:
        return numbers.setdefault(text, len(numbers))


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


# How each column moves when segments are put end to end: by the bytes of text or the rows of
# a table that come before.
_SHIFTS = {
    "documents": {"source_start": "text", "source_end": "text", "paragraphs_end": "paragraphs"},
    "paragraphs": {"text_start": "text", "text_end": "text", "anchors_end": "anchors"},
    "anchors": {},
    "sentences": {"doc": "documents", "text_start": "text", "text_end": "text"},
    "statements": {"sentence": "sentences"},
}
_STRING_COLUMNS = ("speaker", "mention", "role", "verb")


class FileJoin:
    """One file's shares (an archive's jobs, in order) joined into its segment as they come
    back from the workers: each share's strings, terms, speakers and capitalised words are
    numbered into the file's, and its rows moved to their place, when it comes, so that after
    the last one only arrays are put end to end (and a group's postings merged)."""

    def __init__(self, postings_per_group: int) -> None:
        # the first share with its postings, while it is the only one
        self._alone: tuple[Segment, ReceivedSegment] | None = None
        self._shares: list[Segment] = []  # the shares merged so far, without tables or postings
        self._index = Concatenation(postings_per_group)
        self._before = dict.fromkeys((*TABLES, "text"), 0)
        self._tables: dict[str, list[Table]] = {name: [] for name in TABLES}
        self._strings: dict[str, int] = {}
        self._summaries: dict[str, Summary] = {}
        self._capitalised: dict[str, str] = {}

    def add(self, share: Segment, postings: ReceivedSegment) -> None:
        """The next share (without its postings) and its postings as received."""
        if self._alone is None and not self._shares:
            self._alone = share, postings  # a file of one share (most files) is that share
            return
        if self._alone is not None:
            self._merge(*self._alone)
            self._alone = None
        self._merge(share, postings)

    def _merge(self, share: Segment, postings: ReceivedSegment) -> None:
        self._index.add(postings)
        # A share's own arrays are kept (its tables moved); the rest is merged now.
        self._shares.append(replace(share, tables={}, index=None))
        strings = self._strings
        # a trailing -1 keeps "none" (-1) as it is
        string_numbers = np.array(
            [strings.setdefault(text, len(strings)) for text in share.strings] + [-1], np.int64
        )
        before = self._before
        for name, columns in TABLES.items():
            table = np.array(share.tables[name])
            for column, by in _SHIFTS[name].items():
                table[:, columns.index(column)] += before[by]
            if name == "statements":
                for column in _STRING_COLUMNS:
                    number = columns.index(column)
                    table[:, number] = string_numbers[table[:, number]]
            self._tables[name].append(table)
        summaries = self._summaries
        for key, kind, names, counts, roles in share.speakers.summaries():
            found = summaries.get(key)
            if found is None:
                summaries[key] = (kind, dict(zip(names, counts, strict=True)), dict.fromkeys(roles))
                continue
            _, all_names, all_roles = found
            for name, name_count in zip(names, counts, strict=True):
                all_names[name] = all_names.get(name, 0) + name_count
            all_roles.update(dict.fromkeys(roles))
        add_words(self._capitalised, share.capitalised)
        before["text"] += len(share.text)
        for name in TABLES:
            before[name] += share.count(name)

    def segment(self) -> Segment:
        """The file's segment, with its postings."""
        if self._alone is not None:
            share, postings = self._alone
            return replace(share, index=postings.segment())
        parts = self._shares
        first = parts[0]
        return Segment(
            path=first.path,
            doc_id=first.doc_id,
            content_hash=first.content_hash,
            text=np.concatenate([part.text for part in parts]),
            tables={name: np.asfortranarray(np.concatenate(self._tables[name])) for name in TABLES},
            confidences=np.concatenate([part.confidences for part in parts]),
            documents=DocumentColumns.joined(part.documents for part in parts),
            strings=tuple(self._strings),
            speakers=SpeakerSummaries.of(self._summaries),
            capitalised=self._capitalised,
            skipped=tuple(reason for part in parts for reason in part.skipped),
            index=self._index.concatenated(),
        )


# --- The corpus over its segments -----------------------------------------------------------


def corpus_speakers(segments: Iterable[Segment]) -> dict[str, Speaker]:
    """Canonical speakers by every article key, as `attribution.combine` merges them: one
    entity per file and key stands for all the articles' entities it summarises."""
    corpus = CorpusSpeakers()
    for segment in segments:
        for key, kind, names, counts, roles in segment.speakers.summaries():
            corpus.add_summary(key, kind, dict(zip(names, counts, strict=True)), roles)
    return corpus.canonical()


def corpus_speakers_since(
    before: Sequence[Segment], speakers_before: Mapping[str, Speaker], segments: Sequence[Segment]
) -> dict[str, Speaker]:
    """`corpus_speakers(segments)`, from `speakers_before` = `corpus_speakers(before)`: only
    the keys of the files that differ, and every person of their family names, are merged
    again; every other key's files, in the same order, give it the same speaker as before."""
    changed = _differing(before, segments)
    touched = {key for segment in changed for key in segment.speakers.keys}
    families = {_family(key) for key in touched if key.startswith(_PERSON)}
    order = dict.fromkeys(itertools.chain.from_iterable(s.speakers.keys for s in segments))
    # A person's key ends in " family" ("person:maria zakharova") or is ":family" alone.
    endings = tuple(f"{between}{family}" for family in families for between in " :")
    again = touched | {
        key for key in order if endings and key.endswith(endings) and key.startswith(_PERSON)
    }
    merged = CorpusSpeakers()
    for segment in segments:
        summaries = segment.speakers
        for number, key in enumerate(summaries.keys):
            if key in again:
                merged.add_summary(*summaries.summary(number))
    fresh = merged.canonical()
    speaker_of = {key: fresh[key] if key in again else speakers_before[key] for key in order}
    # A family name alone that joins a full name comes right after it, as in `canonical`.
    joined = {speaker.key: key for key, speaker in speaker_of.items() if speaker.key != key}
    speakers: dict[str, Speaker] = {}
    for key, speaker in speaker_of.items():
        if speaker.key != key:
            continue
        speakers[key] = speaker
        if key in joined:
            speakers[joined[key]] = speaker
    return speakers


_PERSON = "person:"


def _differing(before: Sequence[Segment], after: Sequence[Segment]) -> list[Segment]:
    """The files of either list between the longest start and end the two have in common."""
    old, new = [s.content_hash for s in before], [s.content_hash for s in after]
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    end = 0
    while end < shortest - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return [*before[start : len(old) - end], *after[start : len(new) - end]]


def _family(person_key: str) -> str:
    """What `CorpusSpeakers` groups persons' keys by to join a family name to a full name."""
    return person_key.partition(":")[2].rsplit(" ", 1)[-1]


def headings(segments: Iterable[Segment]) -> Iterator[tuple[str | None, Sequence[str]]]:
    """Each document's title and captions, in corpus order, without making the documents."""
    for segment in segments:
        yield from segment.documents.headings()


def sentence_documents(segments: Sequence[Segment]) -> NDArray[np.int32]:
    """The corpus number of each sentence's document, from the columns."""
    first_docs = itertools.accumulate((s.count("documents") for s in segments), initial=0)
    parts = [
        first + segment.column("sentences", "doc")
        for first, segment in zip(first_docs, segments, strict=False)
    ]
    return np.concatenate([np.zeros(0, np.int64), *parts]).astype(np.int32)


def statement_speakers(
    segments: Iterable[Segment], speakers: Mapping[str, Speaker]
) -> tuple[NDArray[np.int64], list[str]]:
    """Each statement's canonical speaker, in corpus order, as a number into the keys, which
    are numbered in order of their first statement; from the columns."""
    codes: dict[str, int] = {}
    parts = [np.zeros(0, np.int64)]
    for segment in segments:
        numbers = segment.column("statements", "speaker")
        # Each speaker string's first statement (none: past the last), without a sort.
        first = np.full(len(segment.strings), len(numbers), np.int64)
        np.minimum.at(first, numbers, np.arange(len(numbers)))
        used = np.flatnonzero(first < len(numbers))
        code_of = np.empty(len(segment.strings), np.int64)
        for string in used[np.argsort(first[used])].tolist():
            key = speakers[segment.strings[string]].key
            code_of[string] = codes.setdefault(key, len(codes))
        parts.append(code_of[numbers])
    return np.concatenate(parts), list(codes)


class _Lazy(Sequence[Item], Generic[Item]):
    """Items numbered across segments, each made on first access and then kept."""

    def __init__(self, segments: Sequence[Segment], table: str) -> None:
        self._segments = segments
        self._table = table
        self._starts = list(itertools.accumulate((s.count(table) for s in segments), initial=0))
        self._made: list[Item | None] = [None] * self._starts[-1]
        self._complete = False  # every item made

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Item, ...]: ...

    def __getitem__(self, index: int | slice) -> Item | tuple[Item, ...]:
        if isinstance(index, slice):
            return tuple(self[number] for number in range(*index.indices(len(self))))
        made = self._made[index]
        if made is not None:
            return made
        number = index % len(self._made)
        part = bisect.bisect_right(self._starts, number) - 1
        made = self._make(self._segments[part], part, number - self._starts[part], number)
        self._made[number] = made
        return made

    def __iter__(self) -> Iterator[Item]:
        """Every item made once, a segment's table read at a time (an item made before is
        kept, not replaced); from then on, as fast as iterating a list."""
        if not self._complete:
            made = self._made
            for part, segment in enumerate(self._segments):
                first = self._starts[part]
                rows = segment.tables[self._table].tolist()
                for local, row in enumerate(rows):
                    if made[first + local] is None:
                        made[first + local] = self._from_row(
                            segment, part, row, local, first + local
                        )
            self._complete = True
        return cast(Iterator[Item], iter(self._made))

    def _make(self, segment: Segment, part: int, local: int, number: int) -> Item:
        row = segment.tables[self._table][local].tolist()
        return self._from_row(segment, part, row, local, number)

    def _from_row(
        self, segment: Segment, part: int, row: list[int], local: int, number: int
    ) -> Item:
        """The item of the table's row `local` of the segment, number `number` overall."""
        raise NotImplementedError


class Documents(_Lazy[Document]):
    def _from_row(
        self, segment: Segment, part: int, row: list[int], local: int, number: int
    ) -> Document:
        info = segment.documents[local]
        source_start, source_end, paragraphs_end = row
        paragraphs_start = _run_start(segment.column("documents", "paragraphs_end"), local)
        anchors_start = _run_start(segment.column("paragraphs", "anchors_end"), paragraphs_start)
        anchors = segment.tables["anchors"]
        paragraphs = []
        rows = segment.tables["paragraphs"][paragraphs_start:paragraphs_end].tolist()
        for text_start, text_end, anchors_end in rows:
            clean, source = anchors[anchors_start:anchors_end].T.tolist()
            text_map = TextMap(tuple(clean), tuple(source))
            paragraphs.append(Paragraph(segment.decoded(text_start, text_end), text_map))
            anchors_start = anchors_end
        return Document(
            doc_id=segment.doc_id + info.doc_id,
            path=segment.path,
            source_text=segment.decoded(source_start, source_end),
            paragraphs=tuple(paragraphs),
            captions=info.captions,
            title=info.title,
            date=info.date,
            outlet=info.outlet,
            url=info.url,
        )


def _run_start(ends: Table, row: int) -> int:
    """Where a row's run of another table's rows starts: where the row before ends."""
    return int(ends[row - 1]) if row else 0


class Sentences(_Lazy[Sentence]):
    def __init__(self, segments: Sequence[Segment]) -> None:
        super().__init__(segments, "sentences")
        self._first_doc = list(
            itertools.accumulate((s.count("documents") for s in segments), initial=0)
        )

    def _from_row(
        self, segment: Segment, part: int, row: list[int], local: int, number: int
    ) -> Sentence:
        doc, paragraph, position, offset, start, end, text_start, text_end = row
        return Sentence(
            sentence_id=number,
            doc_index=self._first_doc[part] + doc,
            paragraph=paragraph,
            position=position,
            text=segment.decoded(text_start, text_end),
            offset=offset,
            start=start,
            end=end,
        )


class Statements(_Lazy[Statement]):
    """Statements with their canonical speakers, as `attribution.combine` makes them."""

    def __init__(
        self, segments: Sequence[Segment], sentences: Sentences, speakers: Mapping[str, Speaker]
    ) -> None:
        super().__init__(segments, "statements")
        self._sentences = sentences
        self._speakers = speakers
        self._first_sentence = list(
            itertools.accumulate((s.count("sentences") for s in segments), initial=0)
        )

    def _from_row(
        self, segment: Segment, part: int, row: list[int], local: int, number: int
    ) -> Statement:
        sentence_number, key, mention, role, kind, start, end, quote_start, quote_end, verb = row
        sentence = self._sentences[self._first_sentence[part] + sentence_number]
        speaker = self._speakers[segment.strings[key]]
        return Statement(
            statement_id=number,
            doc_index=sentence.doc_index,
            sentence_id=sentence.sentence_id,
            speaker_key=speaker.key,
            speaker_name=speaker.name,
            mention=segment.strings[mention],
            role=None if role < 0 else segment.strings[role],
            kind=KINDS[kind],
            quote=sentence.text[start:end],
            quote_start=quote_start,
            quote_end=quote_end,
            reporting_verb=None if verb < 0 else segment.strings[verb],
            confidence=float(segment.confidences[local]),
        )


class StatementsBySentence(Mapping[int, tuple[Statement, ...]]):
    """The statements of each sentence that has any: statements are in sentence order, so
    one array of where each sentence's statements begin finds them."""

    def __init__(self, segments: Sequence[Segment], statements: Statements) -> None:
        self._statements = statements
        first_sentence = itertools.accumulate((s.count("sentences") for s in segments), initial=0)
        sentence_ids = [
            first + segment.column("statements", "sentence")
            for first, segment in zip(first_sentence, segments, strict=False)
        ]
        sentence_count = sum(s.count("sentences") for s in segments)
        self._starts = np.searchsorted(
            np.concatenate([np.zeros(0, np.int64), *sentence_ids]),
            np.arange(sentence_count + 1),
        )

    def get(  # type: ignore[override]  # the same, without an exception per miss
        self, sentence_id: int, default: tuple[Statement, ...] = ()
    ) -> tuple[Statement, ...]:
        if not 0 <= sentence_id < len(self._starts) - 1:
            return default
        low, high = self._starts[sentence_id : sentence_id + 2].tolist()
        if low == high:
            return default
        return tuple(self._statements[number] for number in range(low, high))

    def __getitem__(self, sentence_id: int) -> tuple[Statement, ...]:
        found = self.get(sentence_id)
        if not found:
            raise KeyError(sentence_id)
        return found

    def __contains__(self, sentence_id: object) -> bool:
        return isinstance(sentence_id, int | np.integer) and bool(self.get(int(sentence_id)))

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(np.diff(self._starts)).tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(np.diff(self._starts)))
