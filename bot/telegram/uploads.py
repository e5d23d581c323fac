"""Saving an article an admin sent with `/add`: a safe file name inside the upload folder, no
path traversal, no overwriting unless asked, a size limit and a UTF-8 check.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.documents import FOLDER_NOTES

# One article per upload; archives (.jsonl) are for the operator to place on disk.
UPLOAD_SUFFIXES = (".txt", ".md")
MAX_STEM_CHARS = 80

_UNSAFE = re.compile(r"[^\w-]+")


class UploadError(ValueError):
    """An upload that can't be added; the message says why and what to send instead."""


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    replaced: bool


def safe_file_name(raw: str | None) -> str:
    """A plain file name for an upload: no folders, no hidden files, letters, digits, _ and -."""
    if not raw or not raw.strip():
        raise UploadError("the document has no file name; send it as a file such as article.txt")
    name = PurePosixPath(unicodedata.normalize("NFKC", raw).replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise UploadError(f"only .txt and .md articles can be added, and this is {kind}")
    stem = _UNSAFE.sub("_", name[: -len(suffix)]).strip("._-")[:MAX_STEM_CHARS] or "article"
    safe = stem + suffix
    if safe.lower() in FOLDER_NOTES:
        raise UploadError(f"{safe} describes a folder and is never indexed; rename the article")
    return safe


def check_size(size: int | None, max_bytes: int) -> None:
    if size is not None and size > max_bytes:
        raise UploadError(f"the file has {size:,} bytes and the limit is {max_bytes:,}")


def check_text(content: bytes, max_bytes: int) -> None:
    """Refuse what the corpus could not use: too large, empty, binary or not UTF-8."""
    check_size(len(content), max_bytes)
    if not content.strip():
        raise UploadError("the file is empty")
    if b"\x00" in content:
        raise UploadError("the file is binary (it contains NUL bytes), not text")
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(
            f"the file is not UTF-8 (byte {error.start:,} doesn't fit); save it as UTF-8"
        ) from None


def save_upload(folder: Path, name: str, content: bytes, *, replace: bool) -> SavedUpload:
    """Write `content` as `folder/name`; an existing file is replaced only when asked."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.resolve().parent != folder.resolve():
        raise UploadError(f"{name!r} is not a plain file name")
    existed = target.exists()
    if existed and not replace:
        raise UploadError(
            f"{name} is already in the corpus; send it with the caption /add replace "
            "to replace it, or rename the file"
        )
    # A hidden temporary name: a reload running meanwhile skips it, never reads half a file.
    temporary = folder / f".{name}.uploading"
    temporary.write_bytes(content)
    if replace:
        os.replace(temporary, target)
    else:
        try:
            os.link(temporary, target)  # fails rather than overwrite a file created meanwhile
        except FileExistsError:
            raise UploadError(f"{name} appeared in the corpus meanwhile; send it again") from None
        finally:
            temporary.unlink(missing_ok=True)
    return SavedUpload(target, replaced=existed)


def is_within(folder: Path, roots: Sequence[Path]) -> bool:
    """Whether files in `folder` are part of a corpus built from `roots`."""
    resolved = folder.resolve()
    return any(resolved == root.resolve() or root.resolve() in resolved.parents for root in roots)
