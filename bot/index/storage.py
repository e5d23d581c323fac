"""Index and segment folders: ``.npy`` arrays with a manifest written last, never pickled,
memory-mapped on load, and ``IndexFormatError`` for anything missing, damaged or outdated."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from bot.index.layout import BLOCK_SIZE, frozen

# Save format of index and segment folders; a folder written with another one is rebuilt.
FORMAT = 3
_MANIFEST = "manifest.json"


class IndexFormatError(Exception):
    """A saved index or segment is missing, damaged or written by another format: rebuild it."""


class OtherFormatError(IndexFormatError):
    """A saved index or segment is whole but in another format (another version of the bot)."""


def terms_arrays(terms: Sequence[str]) -> dict[str, NDArray[Any]]:
    """Terms as one UTF-8 text and where each ends in it (in characters): no pickled strings."""
    text = "".join(terms)
    return {
        "terms_text": np.frombuffer(text.encode("utf-8"), dtype=np.uint8),
        "term_ends": np.cumsum(np.fromiter(map(len, terms), np.int64, len(terms))),
    }


def terms_from_arrays(arrays: Mapping[str, NDArray[Any]]) -> tuple[str, ...]:
    try:
        text = arrays["terms_text"].tobytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise IndexFormatError(f"the terms are not UTF-8: {error}") from error
    ends = arrays["term_ends"].tolist()
    check(
        (not ends and not text) or (bool(ends) and ends[-1] == len(text)),
        "the terms do not fit their text",
    )
    starts = [0, *ends][: len(ends)]
    terms = tuple(text[start:end] for start, end in zip(starts, ends, strict=True))
    check(len(set(terms)) == len(terms), "the terms are not distinct")
    return terms


def check_postings(
    offsets: NDArray[np.int64], sentence_ids: NDArray[np.int32], terms: int, sentences: int
) -> None:
    """What a damaged file could break into out-of-range reads; weights are taken as saved."""
    check(
        offsets.dtype == np.int64
        and len(offsets) == terms + 1
        and offsets[0] == 0
        and offsets[-1] == len(sentence_ids)
        and bool(np.all(offsets[1:] > offsets[:-1]))
        and (not len(sentence_ids) or 0 <= sentence_ids.min() <= sentence_ids.max() < sentences),
        "the postings do not fit their terms and sentences",
    )


def check(condition: bool, problem: str) -> None:
    if not condition:
        raise IndexFormatError(problem)


def save_arrays(
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


def load_arrays(
    folder: Path, kind: str, names: frozenset[str]
) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
    try:
        manifest = json.loads((folder / _MANIFEST).read_bytes())
    except (OSError, ValueError) as error:
        raise IndexFormatError(f"cannot read {folder / _MANIFEST}: {error}") from error
    check(isinstance(manifest, dict) and manifest.get("kind") == kind, f"{folder} holds no {kind}")
    if manifest.get("format") != FORMAT:
        raise OtherFormatError(
            f"{folder} holds a {kind} of format {manifest.get('format')}, not {FORMAT}"
        )
    check(
        manifest.get("block_size") == BLOCK_SIZE and manifest.get("arrays") == sorted(names),
        f"{folder} holds a {kind} of other blocks or arrays",
    )
    arrays = {}
    for name in sorted(names):
        path = folder / f"{name}.npy"
        try:
            # An empty array cannot be memory-mapped; it costs nothing to read.
            mapped = path.stat().st_size > 4096
            array = np.load(path, mmap_mode="r" if mapped else None, allow_pickle=False)
            arrays[name] = frozen(array)
        except (OSError, ValueError, EOFError) as error:
            raise IndexFormatError(f"cannot read {path}: {error}") from error
    return manifest, arrays
