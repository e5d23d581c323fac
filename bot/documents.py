"""Documents: read corpus files, clean what news pages leave behind, and infer title, date, outlet.

A file becomes a `Document`: the text exactly as published, its body paragraphs (cleaned, each
with a map back to the published text), its captions, and its metadata. Bad files are skipped
with a reason, never raised: one unreadable file must not stop a corpus from loading.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import html
import json
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import charset_normalizer

from bot import lexicon

CORPUS_SUFFIXES = (".txt", ".md", ".jsonl")
ARCHIVE_SUFFIX = ".jsonl"  # one article per line: {"text", "title", "date", "source", "url"}
ARCHIVE_FIELDS = ("title", "date", "source", "url")
FOLDER_NOTES = ("readme.md", "readme.txt")  # describe a corpus folder; not articles
BOILERPLATE_MAX_CHARS = 200


class CorpusError(Exception):
    """A corpus path the user named cannot be used at all (it does not exist)."""


@dataclass(frozen=True)
class TextMap:
    """Maps offsets in a cleaned string back to the published text.

    Cleaning keeps most characters in place; where it does not (an HTML entity decoded to one
    character), an anchor records where the cleaned and the published offsets meet again.
    """

    clean_anchors: tuple[int, ...]
    source_anchors: tuple[int, ...]

    def to_source(self, offset: int) -> int:
        k = bisect.bisect_right(self.clean_anchors, offset) - 1
        return self.source_anchors[k] + offset - self.clean_anchors[k]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text, cleaned, and where it stands in the published text."""

    text: str
    text_map: TextMap

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.text_map.to_source(start), self.text_map.to_source(end)


@dataclass(frozen=True)
class Document:
    """An article: published text, body paragraphs, captions and metadata."""

    doc_id: str  # path relative to the corpus folder it came from
    path: Path
    source_text: str
    paragraphs: tuple[Paragraph, ...]
    captions: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None  # ISO 8601
    outlet: str | None = None
    url: str | None = None

    def excerpt(self, start: int, end: int) -> str:
        """The published text between two source offsets, exactly as it was."""
        return self.source_text[start:end]


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str


@dataclass(frozen=True)
class LoadResult:
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]


class _Skip(Exception):
    """A file that cannot be loaded; the message is the reason shown to the user."""


# --- Finding and reading files ----------------------------------------------------------


def corpus_files(paths: Sequence[Path]) -> Iterator[tuple[Path, str]]:
    """Every corpus file under `paths` with its document id, in a stable order, each once.

    A named file is used whatever its suffix; a folder contributes its .txt and .md files,
    except hidden ones and README files that describe the folder. A path named twice (or a
    file inside a folder also named) is loaded once.
    """
    seen: set[Path] = set()
    for root in paths:
        if not root.exists():
            raise CorpusError(f"no such file or folder: {root}")
        for path, doc_id in _files_under(root):
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path, doc_id


def _files_under(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() not in CORPUS_SUFFIXES or path.name.lower() in FOLDER_NOTES:
            continue
        if not path.is_dir():  # a broken link or a pipe is reported by read_text, not dropped
            yield path, relative.as_posix()


def load_documents(paths: Sequence[Path], max_file_bytes: int) -> LoadResult:
    """Load every corpus file under `paths`; bad files are skipped with their reason."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for path, doc_id in corpus_files(paths):
        for loaded in load_file(path, doc_id, max_file_bytes):
            if isinstance(loaded, Document):
                documents.append(loaded)
            else:
                skipped.append(loaded)
    return LoadResult(tuple(documents), tuple(skipped))


def load_file(path: Path, doc_id: str, max_file_bytes: int) -> Iterator[Document | SkippedFile]:
    """The articles of one corpus file (an archive holds many), or why it was skipped."""
    if path.suffix.lower() == ARCHIVE_SUFFIX:
        yield from archive_articles(path, doc_id, max_file_bytes)
        return
    try:
        yield _load(doc_id, path, max_file_bytes)
    except _Skip as reason:
        yield SkippedFile(path, str(reason))


def archive_articles(
    path: Path, doc_id: str, max_article_bytes: int
) -> Iterator[Document | SkippedFile]:
    """The articles of a .jsonl archive, one per line, read line by line; a bad line is
    skipped with its line number and the others load. `max_article_bytes` limits a line."""
    try:
        archive = path.open("rb")
    except OSError as error:
        yield SkippedFile(path, f"unreadable ({error.strerror or error})")
        return
    with archive:
        yield from archive_lines(path, doc_id, enumerate(archive, start=1), max_article_bytes)


def archive_lines(
    path: Path, doc_id: str, lines: Iterable[tuple[int, bytes]], max_article_bytes: int
) -> Iterator[Document | SkippedFile]:
    """Articles from numbered lines of an archive (all of it, or a share a worker got)."""
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            yield _archive_article(f"{doc_id}#{number}", path, raw, max_article_bytes)
        except _Skip as reason:
            yield SkippedFile(path, f"line {number}: {reason}")


def _archive_article(doc_id: str, path: Path, raw: bytes, max_article_bytes: int) -> Document:
    if len(raw) > max_article_bytes:
        raise _Skip(f"too large ({len(raw):,} bytes; the limit is {max_article_bytes:,})")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Skip("not UTF-8; a .jsonl archive must be UTF-8") from None
    except json.JSONDecodeError as error:
        raise _Skip(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise _Skip('not an article: each line needs an object with a "text" string')
    metadata = {
        field: str(record[field]).strip()
        for field in ARCHIVE_FIELDS
        if isinstance(record.get(field), str | int) and str(record[field]).strip()
    }
    document = parse_document(doc_id, path, record["text"], metadata)
    if not document.paragraphs:
        raise _Skip("no article text: only a headline, captions or page furniture")
    return document


def _load(doc_id: str, path: Path, max_file_bytes: int) -> Document:
    document = parse_document(doc_id, path, read_text(path, max_file_bytes))
    if not document.paragraphs:
        raise _Skip("no article text: only a headline, captions or page furniture")
    return document


_DECLARED_ENCODING = re.compile(rb"(?:charset|encoding|coding)[=:]\s*[\"']?([\w.-]+)", re.I)
# UTF-16 and UTF-32 text is full of NUL bytes: its byte order mark is read before anything else.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Windows-1252 (what browsers read "latin-1" as) is the legacy encoding of most English news
# text. When detection finds it as plausible as its best guess, it wins over look-alikes such
# as Windows-1250, which decode the same bytes to other letters ("naïve" as "naďve").
LEGACY_ENCODING = "cp1252"


def read_text(path: Path, max_file_bytes: int) -> str:
    """A file's text, or a _Skip saying why it cannot be an article."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise _Skip("not a regular file")
        if status.st_size > max_file_bytes:
            raise _Skip(f"too large ({status.st_size:,} bytes; the limit is {max_file_bytes:,})")
        raw = path.read_bytes()
    except OSError as error:
        raise _Skip(f"unreadable ({error.strerror or error})") from error
    text = _decode(raw)
    if not text.translate(_ODD_SPACE_TABLE).strip():
        raise _Skip("empty file")
    return text


def _decode(raw: bytes) -> str:
    """UTF-8 first (or the UTF-16/32 its byte order mark names), then a declared encoding,
    then a detected one."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            with contextlib.suppress(UnicodeDecodeError):
                return raw.decode(encoding)
    if b"\x00" in raw:
        raise _Skip("binary file (contains NUL bytes), not text")
    with contextlib.suppress(UnicodeDecodeError):
        return raw.decode("utf-8-sig")
    declared = _DECLARED_ENCODING.search(raw[:2048])
    if declared:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return raw.decode(declared.group(1).decode("ascii"))
    return _detected(raw)


def _detected(raw: bytes) -> str:
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        raise _Skip("not UTF-8 and no other text encoding fits; save it as UTF-8")
    legacy = (
        match
        for match in matches
        if match.chaos <= best.chaos and LEGACY_ENCODING in match.could_be_from_charset
    )
    return str(next(legacy, best))


# --- Parsing one document ---------------------------------------------------------------


@dataclass
class _Line:
    """A line (or a run of wrapped lines) of the published text, with its cleaned form."""

    start: int  # offset in the published text
    raw: str
    clean: str = ""
    text_map: TextMap = field(default_factory=lambda: TextMap((0,), (0,)))


def parse_document(
    doc_id: str, path: Path, source_text: str, metadata: Mapping[str, str] | None = None
) -> Document:
    """Turn a published text into a Document: front matter, cleaning, captions, metadata.
    `metadata` (an archive's fields) overrides front matter, which overrides inference."""
    front_matter, body_start = _front_matter(source_text)
    front_matter = {**front_matter, **(metadata or {})}
    page = _sort_lines(_clean(line) for line in _paragraph_lines(source_text, body_start))
    headline, title_outlet = _split_outlet_suffix(page.headline)
    paragraphs = [Paragraph(line.clean, line.text_map) for line in page.body]
    lead_date = lead_outlet = signoff_outlet = None
    if paragraphs:
        paragraphs[0], lead_date, lead_outlet = _strip_lead(paragraphs[0], headline)
    paragraphs = [paragraph for paragraph in paragraphs if paragraph.text]
    if paragraphs:
        paragraphs[-1], signoff_outlet = _strip_signoff(paragraphs[-1])
    return Document(
        doc_id=doc_id,
        path=path,
        source_text=source_text,
        paragraphs=tuple(paragraphs),
        captions=tuple(page.captions),
        title=front_matter.get("title") or headline or _fallback_title(paragraphs),
        date=_iso_date(front_matter.get("date", "")) or page.dateline or lead_date,
        outlet=front_matter.get("source")
        or front_matter.get("outlet")
        or page.site_outlet
        or title_outlet
        or lead_outlet
        or signoff_outlet,
        url=front_matter.get("url"),
    )


@dataclass
class _Page:
    """The lines of a published text sorted by what they are."""

    headline: str | None = None
    dateline: str | None = None  # ISO
    site_outlet: str | None = None  # named by the site's boilerplate
    captions: list[str] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)


def _sort_lines(lines: Iterable[_Line]) -> _Page:
    """Headline, dateline, captions and body; page furniture and repeated lines left out.

    The first headline and datelines before the body are the page's own even when front
    matter overrides them: they are never taken for captions or body text.
    """
    page = _Page()
    seen: set[str] = set()
    after_boilerplate = False
    for line in lines:
        text = line.clean
        key = " ".join(text.split()).casefold()
        if not text or key in seen:
            continue  # a caption or line printed twice is kept once
        seen.add(key)
        page.site_outlet = page.site_outlet or _outlet_of_boilerplate(text)
        if _is_boilerplate(text) or (after_boilerplate and _is_app_store_line(text)):
            after_boilerplate = True
        elif _is_breadcrumb(text) or _is_photo_credit(text):
            continue
        elif not page.body and (dateline := _whole_line_date(text)):
            page.dateline = page.dateline or dateline
        elif (credited := _strip_photo_credit(text)) is not None:
            page.captions.append(credited)
        elif not page.body and page.headline is None and _is_headline(text):
            page.headline = text
        elif _is_caption(text):
            page.captions.append(text)
        else:
            page.body.append(line)
    return page


def _split_outlet_suffix(headline: str | None) -> tuple[str | None, str | None]:
    """The headline and the outlet of "Israeli attack kills three | Jordan Times"."""
    if headline and " | " in headline:
        text, _, suffix = headline.rpartition(" | ")
        if outlet := _known_outlet(suffix):
            return text, outlet
    return headline, None


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    """YAML-like `key: value` lines between `---` fences at the top, and where the body starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        pair = _FRONT_MATTER_LINE.match(line)
        if pair and pair.group(2):
            fields[pair.group(1).lower()] = _unquoted(pair.group(2))
    return fields, match.end()


def _unquoted(value: str) -> str:
    """A value without the quotes around it; quotes within it ("Russia says 'no'") stay."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*\s*$")


def _paragraph_lines(text: str, start: int) -> Iterator[_Line]:
    """Non-blank lines of the text; a hard-wrapped line is joined to the line it continues."""
    current: _Line | None = None
    offset = start
    for raw in text[start:].splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        line_start, offset = offset, offset + len(raw)
        if not line.strip():
            if current is not None:
                yield current
            current = None
        elif current is not None and _continues(current.raw.rsplit("\n", 1)[-1], line):
            current = _Line(current.start, text[current.start : line_start + len(line)])
        else:
            if current is not None:
                yield current
            current = _Line(line_start, line)
    if current is not None:
        yield current


def _continues(previous: str, line: str) -> bool:
    """A wrapped line: the previous line, short as wrapped lines are, stops mid-sentence and
    this one starts in lowercase."""
    stripped = line.lstrip()
    return (
        not _SENTENCE_END.search(previous)
        and bool(stripped)
        and stripped[0].islower()
        and len(previous) < 120
    )


_ODD_SPACE_TABLE = str.maketrans(
    {
        c: " "
        for c in lexicon.ODD_SPACES + lexicon.INVISIBLE_CHARACTERS + "\r\n\x0b\x0c\x85\u2028\u2029"
    }
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _clean(line: _Line) -> _Line:
    """Normalise odd spaces one-for-one and decode HTML entities, keeping a map to the source."""
    text = line.raw.translate(_ODD_SPACE_TABLE)
    clean_anchors, source_anchors = [0], [line.start]
    parts: list[str] = []
    position = 0
    for entity in _ENTITY.finditer(text):
        decoded = html.unescape(entity.group()).translate(_ODD_SPACE_TABLE)
        if decoded == entity.group():
            continue
        parts.append(text[position : entity.start()])
        clean_offset = sum(map(len, parts))
        parts.append(decoded)
        clean_anchors += [clean_offset, clean_offset + len(decoded)]
        source_anchors += [line.start + entity.start(), line.start + entity.end()]
        position = entity.end()
    parts.append(text[position:])
    clean = "".join(parts)
    start, end = _content_span(clean)
    text_map = TextMap(tuple(clean_anchors), tuple(source_anchors))
    return _Line(line.start, line.raw, clean[start:end], _shift(text_map, start))


# Markdown that frames a whole line: "# " headings, "> " quotes, "- " bullets, *emphasis*.
_MARKDOWN_LINE_START = re.compile(r"\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)?")
_MARKDOWN_EMPHASIS = re.compile(r"([*_]{1,3})(\S(?:(?:(?!\1).)*\S)?)\1\s*$")


def _content_span(text: str) -> tuple[int, int]:
    """Where a line's text is, inside spaces and the Markdown that frames the line."""
    marker = _MARKDOWN_LINE_START.match(text)
    start = marker.end() if marker else 0
    emphasis = _MARKDOWN_EMPHASIS.match(text, start)
    if emphasis:
        return emphasis.start(2), emphasis.end(2)
    return start, len(text.rstrip())


def _shift(text_map: TextMap, lead: int) -> TextMap:
    """The same map for the string with its first `lead` characters removed."""
    if lead == 0:
        return text_map
    start = text_map.to_source(lead)
    anchors = [
        (c - lead, s)
        for c, s in zip(text_map.clean_anchors, text_map.source_anchors, strict=True)
        if c > lead
    ]
    return TextMap((0, *(c for c, _ in anchors)), (start, *(s for _, s in anchors)))


def _cut(paragraph: Paragraph, start: int, end: int) -> Paragraph:
    """The part of a paragraph between two clean offsets, trimmed, with its map."""
    piece = paragraph.text[start:end]
    lead = len(piece) - len(piece.lstrip())
    text_map = _shift(paragraph.text_map, start + lead)
    return Paragraph(piece.strip(), text_map)


# --- Line kinds ---------------------------------------------------------------------------

_PHOTO_CREDIT_AT_END = re.compile(
    r"\s*(?:" + "|".join(lexicon.PHOTO_CREDIT_PATTERNS) + r")\s*$", re.I
)
_PHOTO_CREDIT_ALONE = re.compile(r"^(?:" + "|".join(lexicon.PHOTO_CREDIT_PATTERNS) + r")$", re.I)
_PHOTO_CREDIT_WORD = re.compile("|".join(map(re.escape, lexicon.PHOTO_CREDIT_WORDS)), re.I)


def _is_boilerplate(text: str) -> bool:
    """A short line made of site furniture; a long one is article text that merely contains it."""
    lowered = text.casefold()
    return len(text) <= BOILERPLATE_MAX_CHARS and any(
        phrase in lowered for phrase in lexicon.BOILERPLATE_PHRASES
    )


_APP_STORE_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in lexicon.APP_STORE_WORDS) + r")\b", re.I
)


def _is_app_store_line(text: str) -> bool:
    """A short line naming app stores ("Press TV News Roku"), matched as whole words."""
    return len(text) < 80 and _APP_STORE_WORDS.search(text) is not None


def _is_breadcrumb(text: str) -> bool:
    if not any(separator.strip() in text for separator in lexicon.BREADCRUMB_SEPARATORS):
        return False  # most lines: no separator mark at all, so no need to respace them
    spaced = " ".join(text.split())
    for separator in lexicon.BREADCRUMB_SEPARATORS:
        if spaced.count(separator) < 2:  # fewer than three crumbs
            continue
        parts = [part.strip() for part in spaced.split(separator)]
        if all(_is_crumb(part) for part in parts):
            return not _SENTENCE_END.search(text)
    return False


def _is_crumb(part: str) -> bool:
    return 0 < len(part.split()) <= 3 and any(c.isalpha() for c in part)


def _is_photo_credit(text: str) -> bool:
    return bool(_PHOTO_CREDIT_ALONE.match(text.strip()))


def _strip_photo_credit(text: str) -> str | None:
    """A caption's text without its photo credit, or None when the line has no credit.

    A credit is capitalised ("Photo: Reuters", "©AP"); "the image: a map of the area." at the
    end of a sentence is article text.
    """
    if not _may_hold_photo_credit(text):
        return None  # the patterns are slow to search for; most lines hold none of the words
    match = _PHOTO_CREDIT_AT_END.search(text)
    if not match or match.start() == 0 or not match.group().lstrip(" ©(")[:1].isupper():
        return None
    return text[: match.start()].strip()


def _may_hold_photo_credit(text: str) -> bool:
    """Whether a line holds a word every photo credit holds, in any case. Plain ASCII text
    is lowercased and searched word by word, many times faster than the pattern."""
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in lexicon.PHOTO_CREDIT_WORDS)
    return _PHOTO_CREDIT_WORD.search(text) is not None


def _is_headline(text: str) -> bool:
    """A headline: short, and not a sentence."""
    return len(text) <= 200 and not _ends_sentence(text)


def _is_caption(text: str) -> bool:
    """A line that is not a sentence: short and without final punctuation."""
    return len(text.split()) <= 25 and not _ends_sentence(text)


def _ends_sentence(text: str) -> bool:
    """Final punctuation, before an agency sign-off if there is one ("... said. - REUTERS")."""
    return bool(_SENTENCE_END.search(_SIGNOFF.sub("", text)))


# --- Metadata -----------------------------------------------------------------------------

_MONTH = "|".join(sorted(lexicon.MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(lexicon.WEEKDAYS, key=len, reverse=True))
_DATE_FORMS = (
    # 2016-01-21
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    # Thu Jan 21, 2016 / October 31, 2017
    re.compile(
        rf"(?:(?:{_WEEKDAY})\.?,?\s+)?(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
        re.I,
    ),
    # Wed 05 Apr 2017 / 4 Apr 2017 / Sunday 18 Sep 2016
    re.compile(
        rf"(?:(?:{_WEEKDAY})\.?,?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})",
        re.I,
    ),
    # 4/4/2017 (month first, as US datelines and CSV exports write it)
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"),
    # 07.10.2017 (day first)
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
)
_TIME = re.compile(  # 3:40PM, at 10:05 GMT, T15:40:00Z (ISO), 15:40+03:00
    r"\s*(?:at\s+|T)?\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:(?:Z|[+-]\d{2}:?\d{2}|\s*(?:GMT|UTC|[A-Z]{2,4}T))(?![A-Za-z]))?"
)
# "Published: October 31, 2017", "Last updated on Nov 9, 2017"
_DATE_LABEL = re.compile(r"(?:(?:last\s+)?updated|published|posted)(?:\s+(?:at|on))?\s*:?\s*", re.I)


def _match_date(text: str, anchored: bool) -> tuple[str, int] | None:
    """The first date in `text` as ISO, and where it ends; anchored means at its very start."""
    for form in _DATE_FORMS:
        match = form.match(text) if anchored else form.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = lexicon.MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
        day, year = int(parts["d"]), int(parts["y"])
        if month > 12 and day <= 12:  # 25/12/2016: day first after all
            month, day = day, month
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        end = match.end()
        time = _TIME.match(text, end)
        return found.isoformat(), time.end() if time else end
    return None


def _iso_date(text: str) -> str | None:
    found = _match_date(text.strip(), anchored=True)
    return found[0] if found else None


def _dateline(text: str) -> tuple[str, int] | None:
    """A date at the very start of `text`, after a label such as "Published:"; ISO, and
    where it ends."""
    label = _DATE_LABEL.match(text)
    start = label.end() if label else 0
    found = _match_date(text[start:], anchored=True)
    return (found[0], start + found[1]) if found else None


def _whole_line_date(text: str) -> str | None:
    """A line that is only a date (a dateline), as ISO."""
    found = _dateline(text)
    if found and not text[found[1] :].strip(" ,.-|"):
        return found[0]
    return None


def _known_outlet(text: str) -> str | None:
    wanted = text.strip().casefold()
    return next((outlet for outlet in lexicon.OUTLETS if outlet.casefold() == wanted), None)


_OUTLET_WEBSITE = re.compile(r"^(?P<outlet>[\w .&-]{2,40}?)['’]s website", re.I)


def _outlet_of_boilerplate(text: str) -> str | None:
    match = _OUTLET_WEBSITE.match(text)
    return match.group("outlet").strip() if match and _is_boilerplate(text) else None


_OUTLET_NAMES = "|".join(re.escape(o) for o in sorted(lexicon.OUTLETS, key=len, reverse=True))
_LEAD_DATELINE = re.compile(  # "MOSCOW (Reuters) - " and "(TRT World and Agencies)"
    rf"^(?:[A-Z][A-Za-z .'-]{{1,40}}\s+)?"
    rf"\((?P<outlet>{_OUTLET_NAMES})(?:\s+and\s+Agencies)?\)\s*[-–—:]\s*"
)
_LEAD_OUTLET = re.compile(rf"^(?P<outlet>{_OUTLET_NAMES})\b[\s,.-]*")
_LEAD_UPDATED = re.compile(r"^\((?:updated|last updated)[^)]*\)\s*", re.I)
_LEAD_LAST_UPDATED = re.compile(r"^(?:last )?updated(?: at| on)?\s+", re.I)
_SIGNOFF = re.compile(rf"\s*[-–—]\s*(?P<outlet>{_OUTLET_NAMES})\.?\s*$", re.I)


def _strip_lead(
    paragraph: Paragraph, title: str | None
) -> tuple[Paragraph, str | None, str | None]:
    """Remove what precedes the story in a body's first paragraph: a copy of the headline,
    a dateline ("MOSCOW (Reuters) -", "Sunday 18 Sep 2016"), the outlet's name."""
    text = paragraph.text
    position = 0
    found_date: str | None = None
    outlet: str | None = None
    while True:
        rest = text[position:]
        step = 0
        if title and rest.startswith(title) and len(rest) > len(title):
            step = len(title)
        elif dated := _dateline(rest):
            found_date = found_date or dated[0]
            step = dated[1]
        elif match := _LEAD_DATELINE.match(rest):
            outlet = outlet or _known_outlet(match.group("outlet"))
            step = match.end()
        elif match := _LEAD_UPDATED.match(rest) or _LEAD_LAST_UPDATED.match(rest):
            step = match.end()
        elif (match := _LEAD_OUTLET.match(rest)) and position > 0:
            outlet = outlet or _known_outlet(match.group("outlet"))
            step = match.end()
        if step == 0:
            break
        position += step
        position += len(text[position:]) - len(text[position:].lstrip(" .,-–—"))
    if position == 0:
        return paragraph, None, None
    return _cut(paragraph, position, len(text)), found_date, outlet


def _strip_signoff(paragraph: Paragraph) -> tuple[Paragraph, str | None]:
    """Remove an agency sign-off ("... - REUTERS") from the body's last paragraph."""
    match = _SIGNOFF.search(paragraph.text)
    if not match:
        return paragraph, None
    return _cut(paragraph, 0, match.start()), _known_outlet(match.group("outlet"))


def _fallback_title(paragraphs: Iterable[Paragraph]) -> str | None:
    """With no headline line, the body's first words stand for the title."""
    for paragraph in paragraphs:
        first = re.split(r"(?<=[.!?])\s", paragraph.text, maxsplit=1)[0]
        words = first.split()
        return " ".join(words[:14]) + (" …" if len(words) > 14 else "")
    return None
