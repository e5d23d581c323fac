"""The corpus cache: each processed file as a segment (.npy arrays and a JSON record) keyed by
content hash, the index as .npy arrays, and what the corpus-wide steps need again at the next
start (speakers, their names as read, the files' content hashes by their stamps).

Nothing here is pickled: a cache a user can write to is read as data only, its arrays
memory-mapped. Every record names the cache format and the pipeline version that wrote it and
is checked against its arrays; a piece that is missing, truncated, corrupted or written by
other code is ignored (and rebuilt), never trusted and never fatal.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from nltk.tokenize.punkt import PunktParameters
from numpy.typing import NDArray

from bot.attribution import Speaker
from bot.corpus.lookups import Name
from bot.corpus.segment import (
    KINDS,
    SPEAKER_KINDS,
    TABLES,
    DocumentColumns,
    Segment,
    SpeakerSummaries,
)
from bot.index import BM25Index, IndexFormatError, IndexSegment, OtherFormatError
from bot.sentences import parameters_from_json, parameters_to_json

FORMAT = 4
log = logging.getLogger(__name__)

# What the file system says of a file: size, mtime_ns, ctime_ns, inode, device. A write changes
# the ctime (which no user can set back), so the same stamp is the same content, as git's index
# trusts it, once the file is older than a timestamp's granularity (see bot.corpus).
FileStamp = tuple[int, int, int, int, int]


class CorpusCache:
    """One folder: splitter.json, hashes.json (files' content hashes by their stamps),
    files/<sha256>/ (a segment), index/ (arrays and their key), speakers/<corpus key>.json,
    names.json (the speakers' names as the lookups read them)."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = version

    # splitter parameters ---------------------------------------------------------------

    def splitter_parameters(self) -> tuple[PunktParameters, str] | None:
        """The saved splitter, with a digest of its record (what depends on the splitter is
        keyed by it, without serialising the parameters again)."""
        record = self._read_record(self.folder / "splitter.json")
        if record is None:
            return None
        data, written = record
        try:
            return parameters_from_json(data["parameters"]), _digest(written)
        except (KeyError, TypeError, ValueError):
            log.warning("cache: splitter.json is damaged; retraining")
            return None

    def save_splitter_parameters(self, parameters: PunktParameters) -> str:
        """Save the splitter; the digest its record will be read back with."""
        written = self._write_json(
            self.folder / "splitter.json", {"parameters": parameters_to_json(parameters)}
        )
        return _digest(written)

    # content hashes of files, by what the file system says of them ----------------------

    def file_hashes(self) -> dict[str, tuple[FileStamp, str]]:
        """The content hash of each file hashed before, by path, with the file's stamp then."""
        data = self._read_json(self.folder / "hashes.json")
        if data is None:
            return {}
        try:
            return _file_hashes_from(data["files"])
        except (KeyError, TypeError, ValueError) as error:
            log.warning("cache: the file hashes are damaged (%s); hashing the files again", error)
            return {}

    def save_file_hashes(self, hashes: Mapping[str, tuple[FileStamp, str]]) -> None:
        rows = [[path, *stamp, file_hash] for path, (stamp, file_hash) in hashes.items()]
        self._write_json(self.folder / "hashes.json", {"files": rows})

    # segments: processed files in columns -----------------------------------------------

    def segment(
        self, path: Path, doc_id: str, content_hash: str, *, with_index: bool
    ) -> Segment | None:
        """The file's cached segment, arrays memory-mapped (and its index postings when asked
        for), or None if it is not all there."""
        folder = self._segment_folder(content_hash)
        meta = self._read_json(folder / "segment.json")
        if meta is None:
            return None
        try:
            return _segment_from(folder, meta, path, doc_id, content_hash, with_index)
        except OtherFormatError as error:
            log.info(
                "cache: %s was cached by another version (%s); processing it again", path, error
            )
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError, IndexFormatError) as error:
            log.warning(
                "cache: the record for %s is damaged (%s); processing it again", path, error
            )
            return None

    def postings(self, segment: Segment) -> Segment | None:
        """The segment with the index postings of its sentences from the cache, or None if
        they are not all there."""
        try:
            postings = IndexSegment.load(self._segment_folder(segment.content_hash) / "index")
        except OtherFormatError as error:
            log.info("cache: the postings of %s are from another version (%s)", segment.path, error)
            return None
        except IndexFormatError as error:
            log.warning("cache: the postings of %s are damaged (%s)", segment.path, error)
            return None
        if len(postings) != segment.count("sentences"):
            log.warning("cache: the postings of %s are not of its sentences", segment.path)
            return None
        return replace(segment, index=postings)

    def save_segment(self, segment: Segment) -> None:
        """Arrays first, the record naming them last, all in a new folder swapped in whole."""
        files = self.folder / "files"
        files.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=files, prefix=".new-"))
        try:
            for name, array in _arrays(segment).items():
                np.save(temporary / f"{name}.npy", array, allow_pickle=False)
            if segment.index is not None:
                segment.index.save(temporary / "index")
            self._write_json(temporary / "segment.json", _meta(segment))
            target = self._segment_folder(segment.content_hash)
            shutil.rmtree(target, ignore_errors=True)
            try:
                os.replace(temporary, target)
            except OSError:
                if not target.is_dir():
                    raise
                # another build saved the same content in between: theirs is as good as ours
                shutil.rmtree(temporary, ignore_errors=True)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def forget_files_except(self, content_hashes: Iterable[str]) -> None:
        """Remove records of files that are no longer in the corpus (and older formats')."""
        keep = set(content_hashes)
        folder = self.folder / "files"
        if not folder.is_dir():
            return
        for record in folder.iterdir():
            if record.name.startswith(".") or (record.name in keep and record.is_dir()):
                continue  # kept, or another build's segment being written
            if record.is_dir():
                shutil.rmtree(record, ignore_errors=True)
            else:
                record.unlink(missing_ok=True)

    def _segment_folder(self, content_hash: str) -> Path:
        return self.folder / "files" / content_hash

    # canonical speakers of the whole corpus ------------------------------------------------

    def speakers(self, key: str) -> dict[str, Speaker] | None:
        """The corpus's canonical speakers by article key, if saved for the same files (named
        by the key, so that another corpus's are not read to be found out)."""
        data = self._read_json(self._speakers_file(key))
        if data is None or data.get("key") != key:
            return None
        try:
            return _speakers_from(data)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            log.warning("cache: the speakers are damaged (%s); merging them again", error)
            return None

    def save_speakers(self, key: str, speakers: Mapping[str, Speaker]) -> None:
        # Numbered by identity: the article keys of one canonical speaker share it (a frozen
        # dataclass's hash would walk all its names, twice per key).
        numbers: dict[int, int] = {}
        unique: list[Speaker] = []
        for speaker in speakers.values():
            if id(speaker) not in numbers:
                numbers[id(speaker)] = len(unique)
                unique.append(speaker)
        path = self._speakers_file(key)
        self._write_json(
            path,
            {
                "key": key,
                "speakers": [[s.key, s.name, s.kind, s.aliases, s.roles] for s in unique],
                "article_keys": list(speakers),
                "numbers": [numbers[id(speaker)] for speaker in speakers.values()],
            },
        )
        for older in path.parent.glob("*.json"):
            if older != path:
                older.unlink(missing_ok=True)

    def _speakers_file(self, key: str) -> Path:
        return self.folder / "speakers" / f"{key}.json"

    # speakers' names as the lookups read them ------------------------------------------

    def names(self, reader: str) -> dict[str, Name]:
        """The names read by the `reader` version of the lookups, by text; none if damaged."""
        data = self._read_json(self.folder / "names.json")
        if data is None or data.get("reader") != reader:
            return {}
        try:
            return _names_from(data["names"])
        except (KeyError, TypeError, ValueError) as error:
            log.warning("cache: the speakers' names are damaged (%s); reading them again", error)
            return {}

    def save_names(self, reader: str, names: Mapping[str, Name]) -> None:
        rows = [
            [text, n.words, n.terms, n.acronym, n.written_as_acronym] for text, n in names.items()
        ]
        self._write_json(self.folder / "names.json", {"reader": reader, "names": rows})

    # index -----------------------------------------------------------------------------

    def index(self, key: str) -> BM25Index | None:
        folder = self.folder / "index"
        meta = self._read_json(folder / "index.json")
        if meta is None or meta.get("key") != key:
            return None
        try:
            return BM25Index.load(folder)
        except OtherFormatError as error:
            log.info("cache: the index was saved by another version (%s); rebuilding it", error)
            return None
        except IndexFormatError as error:
            log.warning("cache: the index is damaged (%s); rebuilding it", error)
            return None

    def save_index(self, key: str, index: BM25Index) -> None:
        folder = self.folder / "index"
        (folder / "index.json").unlink(missing_ok=True)  # the key goes last: arrays first
        index.save(folder)
        self._write_json(folder / "index.json", {"key": key})

    # plumbing ----------------------------------------------------------------------------

    def _read_json(self, path: Path) -> dict[str, Any] | None:
        record = self._read_record(path)
        return None if record is None else record[0]

    def _read_record(self, path: Path) -> tuple[dict[str, Any], bytes] | None:
        """A record of this format and version, and its bytes as written."""
        try:
            written = path.read_bytes()
            data = orjson.loads(written)
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as error:
            log.warning("cache: cannot read %s (%s); rebuilding it", path, error)
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        if data.get("version") != self.version:
            return None
        return data, written

    def _write_json(self, path: Path, data: Mapping[str, Any]) -> bytes:
        """Write atomically: a crash mid-write leaves the old record or none, never half.
        Returns the bytes written."""
        path.parent.mkdir(parents=True, exist_ok=True)
        written = orjson.dumps({"format": FORMAT, "version": self.version, **data})
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(written)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written


def _digest(written: bytes) -> str:
    return hashlib.sha256(written).hexdigest()


# --- A segment on disk: .npy arrays and one JSON record ---------------------------------------


def _arrays(segment: Segment) -> dict[str, NDArray[Any]]:
    return {
        **segment.tables,
        "text": segment.text,
        "confidences": segment.confidences,
    }


def _meta(segment: Segment) -> dict[str, Any]:
    return {
        "counts": {name: len(array) for name, array in _arrays(segment).items()},
        "documents": segment.documents.by_field(),
        "strings": segment.strings,
        "speakers": vars(segment.speakers),
        "capitalised": segment.capitalised,
        "skipped": segment.skipped,
    }


def _segment_from(
    folder: Path,
    meta: dict[str, Any],
    path: Path,
    doc_id: str,
    content_hash: str,
    with_index: bool,
) -> Segment:
    """The segment the record describes, every piece checked against the others: a missing,
    truncated or edited piece raises ValueError (or KeyError, TypeError) instead of loading."""
    counts = meta["counts"]
    arrays = {name: _array(folder, name, counts[name]) for name in (*TABLES, *_FLAT)}
    segment = Segment(
        path=path,
        doc_id=doc_id,
        content_hash=content_hash,
        text=arrays["text"],
        tables={name: arrays[name] for name in TABLES},
        confidences=arrays["confidences"],
        documents=_document_infos(meta["documents"]),
        strings=_strings(meta["strings"]),
        speakers=_speaker_summaries(meta["speakers"]),
        capitalised=_words(meta["capitalised"]),
        skipped=_strings(meta["skipped"]),
        index=IndexSegment.load(folder / "index") if with_index else None,
    )
    _check(segment)
    return segment


_FLAT = {"text": np.uint8, "confidences": np.float64}


def _array(folder: Path, name: str, count: int) -> NDArray[Any]:
    array: NDArray[Any] = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    if name in TABLES:
        shape: tuple[int, ...] = (count, len(TABLES[name]))
        dtype: type = np.int64
    else:
        shape, dtype = (count,), _FLAT[name]
    if array.shape != shape or array.dtype != dtype:
        raise ValueError(f"{name}.npy holds {array.dtype} {array.shape}, not {shape}")
    # still mapped, but a plain array: np.memmap's Python-level indexing is ten times slower
    return array.view(np.ndarray)


def _check(segment: Segment) -> None:
    """Every number that points somewhere points inside what it points into."""
    counts = {name: segment.count(name) for name in TABLES}
    if len(segment.documents) != counts["documents"]:
        raise ValueError("documents and their metadata differ in number")
    text = len(segment.text)
    _ordered_within(segment.column("documents", "paragraphs_end"), counts["paragraphs"])
    _ordered_within(segment.column("paragraphs", "anchors_end"), counts["anchors"])
    _ordered_within(segment.column("statements", "sentence"), counts["sentences"] - 1)
    for table, start, end in (
        ("documents", "source_start", "source_end"),
        ("paragraphs", "text_start", "text_end"),
        ("sentences", "text_start", "text_end"),
    ):
        starts, ends = segment.column(table, start), segment.column(table, end)
        if len(starts) and (starts.min() < 0 or ends.max() > text or (starts > ends).any()):
            raise ValueError(f"{table} point outside the text")
    if counts["sentences"]:
        doc = segment.column("sentences", "doc")
        _within(doc, 0, counts["documents"])
        ends = segment.column("documents", "paragraphs_end")
        paragraphs = ends - np.concatenate(([0], ends[:-1]))
        paragraph = segment.column("sentences", "paragraph")
        if (paragraph < 0).any() or (paragraph >= paragraphs[doc]).any():
            raise ValueError("a sentence's paragraph is not in its document")
    strings = len(segment.strings)
    for name, low in (("speaker", 0), ("mention", 0), ("role", -1), ("verb", -1)):
        _within(segment.column("statements", name), low, strings)
    _within(segment.column("statements", "kind"), 0, len(KINDS))
    if segment.index is not None and len(segment.index) != counts["sentences"]:
        raise ValueError("the index postings are not of the segment's sentences")
    used = np.zeros(len(segment.strings), dtype=bool)
    used[segment.column("statements", "speaker")] = True
    if not set(segment.speakers.keys).issuperset(np.array(segment.strings, dtype=object)[used]):
        raise ValueError("a statement's speaker has no summary")


def _within(values: NDArray[Any], low: int, high: int) -> None:
    """Every value in [low, high)."""
    if len(values) and (values.min() < low or values.max() >= high):
        raise ValueError("a number points outside its table")


def _ordered_within(values: NDArray[Any], high: int) -> None:
    """Non-decreasing, from 0 up to at most `high`."""
    if len(values) and (values[0] < 0 or values[-1] > high or (np.diff(values) < 0).any()):
        raise ValueError("a run of rows is out of order")


def _strings(values: Any) -> tuple[str, ...]:
    if type(values) is not list or not _all_of(values, str):
        raise TypeError("not a list of strings")
    return tuple(values)


def _words(values: Any) -> dict[str, str]:
    if type(values) is not dict or not _all_of(values.values(), str):
        raise TypeError("not a table of words")
    return values


def _all_of(values: Iterable[Any], *types: type) -> bool:
    """Whether every value is exactly of one of the types (checked at C speed: this runs on
    every name and caption of a million-sentence corpus at start-up)."""
    return set(map(type, values)).issubset(types)


def _counts(values: Any, high: int | None = None) -> tuple[int, ...]:
    """A list of non-negative integers, each below `high` if given."""
    if type(values) is not list or not _all_of(values, int):
        raise TypeError("not a list of numbers")
    if values and (min(values) < 0 or (high is not None and max(values) >= high)):
        raise ValueError("a number is out of range")
    return tuple(values)


def _document_infos(fields: Any) -> DocumentColumns:
    ids = _strings(fields["doc_id"])
    optional = [fields[name] for name in ("title", "date", "outlet", "url")]
    captions = fields["captions"]
    columns = (*optional, captions)
    if not all(isinstance(column, list) and len(column) == len(ids) for column in columns):
        raise ValueError("the documents' metadata differ in length")
    if not _all_of(chain.from_iterable(optional), str, type(None)):
        raise TypeError("a document's metadata is not text")
    if not _all_of(captions, list) or not _all_of(chain.from_iterable(captions), str):
        raise TypeError("a document's captions are not a list of text")
    return DocumentColumns(fields)


def _speaker_summaries(fields: Any) -> SpeakerSummaries:
    summaries = SpeakerSummaries(
        keys=_strings(fields["keys"]),
        kinds=tuple(fields["kinds"]),
        names=_strings(fields["names"]),
        counts=_counts(fields["counts"]),
        name_ends=_counts(fields["name_ends"]),
        roles=_strings(fields["roles"]),
        role_ends=_counts(fields["role_ends"]),
    )
    if not set(summaries.kinds).issubset(SPEAKER_KINDS):
        raise TypeError("a speaker's kind is damaged")
    if 0 in summaries.counts:
        raise ValueError("a speaker's name is counted no times")
    for ends, runs in (
        (summaries.name_ends, summaries.names),
        (summaries.role_ends, summaries.roles),
    ):
        if len(ends) != len(summaries.keys):
            raise ValueError("the speakers' runs are damaged")
        _ordered_within(np.array(ends, dtype=np.int64), len(runs))
        if ends and ends[-1] != len(runs):
            raise ValueError("the speakers' runs do not cover their lists")
    if len(summaries.counts) != len(summaries.names) or len(summaries.kinds) != len(summaries.keys):
        raise ValueError("the speakers' lists differ in length")
    return summaries


def _file_hashes_from(rows: Any) -> dict[str, tuple[FileStamp, str]]:
    if type(rows) is not list or not _all_of(rows, list) or {len(row) for row in rows} - {7}:
        raise TypeError("a file's hash is damaged")
    hashes: dict[str, tuple[FileStamp, str]] = {}
    for path, size, mtime, ctime, inode, device, file_hash in rows:
        stamp = (size, mtime, ctime, inode, device)
        if type(path) is not str or type(file_hash) is not str or not _all_of(stamp, int):
            raise TypeError("a file's hash is damaged")
        hashes[path] = (stamp, file_hash)
    return hashes


def _names_from(rows: Any) -> dict[str, Name]:
    if type(rows) is not list or not _all_of(rows, list) or {len(row) for row in rows} - {5}:
        raise TypeError("a name is damaged")
    texts, words, terms, acronyms, as_acronym = zip(*rows, strict=True) if rows else ((),) * 5
    if not _all_of((*texts, *acronyms), str) or not _all_of(as_acronym, bool):
        raise TypeError("a name is damaged")
    if not _all_of((*words, *terms), list) or not _all_of(chain(*words, *terms), str):
        raise TypeError("a name's words are damaged")
    names = map(Name, map(tuple, words), map(tuple, terms), acronyms, as_acronym)
    return dict(zip(texts, names, strict=True))


def _speakers_from(data: dict[str, Any]) -> dict[str, Speaker]:
    rows = data["speakers"]
    if type(rows) is not list or not _all_of(rows, list) or {len(row) for row in rows} - {5}:
        raise TypeError("a speaker is damaged")
    keys, names, kinds, aliases, roles = zip(*rows, strict=True) if rows else ((),) * 5
    if not _all_of(keys, str) or not _all_of(names, str) or not set(kinds) <= set(SPEAKER_KINDS):
        raise TypeError("a speaker is damaged")
    if not _all_of((*aliases, *roles), list) or not _all_of(chain(*aliases, *roles), str):
        raise TypeError("a speaker's names or roles are damaged")
    speakers = list(map(Speaker, keys, names, kinds, map(tuple, aliases), map(tuple, roles)))
    article_keys = _strings(data["article_keys"])
    numbers = _counts(data["numbers"], len(speakers))
    if len(numbers) != len(article_keys):
        raise ValueError("the speakers' keys and numbers differ in length")
    return dict(zip(article_keys, map(speakers.__getitem__, numbers), strict=True))
