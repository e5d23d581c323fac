"""Saving /add uploads: safe names, no traversal, no silent overwrite, size and UTF-8 checks."""

from pathlib import Path

import pytest

from bot.telegram.uploads import (
    UploadError,
    check_text,
    is_within,
    safe_file_name,
    save_upload,
)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("article.txt", "article.txt"),
        ("Notes.MD", "Notes.md"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("/absolute/path/story.txt", "story.txt"),
        (".hidden.txt", "hidden.txt"),
        ("ferry news (draft).txt", "ferry_news_draft.txt"),
        ("Zakharova’s briefing.txt", "Zakharova_s_briefing.txt"),
        ("Новости.txt", "Новости.txt"),
        ("....txt", "article.txt"),
        ("a" * 300 + ".txt", "a" * 80 + ".txt"),
    ],
)
def test_upload_names_become_plain_file_names(raw: str, safe: str) -> None:
    assert safe_file_name(raw) == safe


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "no file name"),
        ("  ", "no file name"),
        ("report.pdf", "this is a .pdf file"),
        ("archive.txt.gz", "this is a .gz file"),
        ("articles.jsonl", "this is a .jsonl file"),
        ("Makefile", "a file without an extension"),
        ("readme.txt", "describes a folder"),
    ],
)
def test_unusable_upload_names_are_refused_with_the_reason(raw: str | None, reason: str) -> None:
    with pytest.raises(UploadError, match=reason):
        safe_file_name(raw)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"x" * 101, "101 bytes and the limit is 100"),
        (b" \n\t ", "empty"),
        (b"text\x00", "binary"),
        ("déjà vu".encode("cp1252"), "not UTF-8"),
    ],
)
def test_unusable_upload_content_is_refused(content: bytes, reason: str) -> None:
    with pytest.raises(UploadError, match=reason):
        check_text(content, max_bytes=100)


def test_utf8_with_a_byte_order_mark_is_accepted() -> None:
    check_text("\ufeffdéjà vu".encode(), max_bytes=100)


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    save_upload(tmp_path, "story.txt", b"first", replace=False)

    with pytest.raises(UploadError, match="already in the corpus"):
        save_upload(tmp_path, "story.txt", b"second", replace=False)
    kept = (tmp_path / "story.txt").read_bytes()
    replaced = save_upload(tmp_path, "story.txt", b"third", replace=True)

    assert kept == b"first"
    assert replaced.replaced and (tmp_path / "story.txt").read_bytes() == b"third"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["story.txt"]


def test_the_upload_folder_is_created(tmp_path: Path) -> None:
    saved = save_upload(tmp_path / "corpus" / "uploads", "story.txt", b"text", replace=False)

    assert saved.path == tmp_path / "corpus" / "uploads" / "story.txt"
    assert not saved.replaced


@pytest.mark.parametrize(
    ("folder", "roots", "within"),
    [
        ("corpus", ["seeds", "corpus"], True),
        ("corpus/uploads", ["corpus"], True),
        ("uploads", ["seeds", "corpus"], False),
        ("corpus-old", ["corpus"], False),
    ],
)
def test_the_upload_folder_must_be_part_of_the_corpus(
    tmp_path: Path, folder: str, roots: list[str], within: bool
) -> None:
    assert is_within(tmp_path / folder, [tmp_path / root for root in roots]) is within
