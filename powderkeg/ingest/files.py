"""Local files and folders -> Article records.

Supported: ``.txt`` (optional ``---`` front matter with title, url, published,
source), ``.html``/``.htm`` (main text and metadata by trafilatura) and
``.jsonl`` (one article per line: id, url, title, published, text). A file that
cannot be read becomes a ``Quarantined`` record; the stream goes on. In a folder,
hidden entries (a name starting with ".": such a folder is not entered), files of
other types and things that are not regular files become ``Skipped`` records, which
a run counts by kind.

Limits apply before anything is read whole: a text or HTML file's size is checked
against ``max_bytes`` before it is read, and a JSONL file is read one line at a time,
each line a record with its own limits, so one bad line quarantines that line only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import DocumentError, MalformedDocument, TooLarge, UnsupportedDocument
from ..records import Article, Quarantined, Skipped
from ..settings import Settings
from .text import BYTES_REMEDY, check_text, decode, parse_date, scrub, split_front_matter

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

Item = Article | Quarantined | Skipped


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be stored and printed: bytes of a file name that are not UTF-8
    (read by Python as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def walk(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every entry under ``folder`` in sorted order, with ``""`` for a file to read or the kind
    of thing skipped: ``hidden`` (a hidden folder is not entered), ``unsupported .pdf``,
    ``not a regular file``. Symbolic links to folders are not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", display_path(folder), exc.strerror or exc)
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            yield path, "hidden"
        elif entry.is_dir(follow_symlinks=False):
            yield from walk(path)
        elif not entry.is_file():
            yield path, "not a regular file"
        elif path.suffix.lower() not in SUFFIXES:
            yield path, f"unsupported {path.suffix.lower() or '(no extension)'}"
        else:
            yield path, ""


def read_paths(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Yield an Article, Quarantined or Skipped record for every document under ``paths``.

    Folders are walked in sorted order (see ``walk``); a file named explicitly with an
    unknown type is quarantined.
    """
    settings = settings or Settings()
    for path in map(Path, paths):
        if path.is_dir():
            for child, skipped in walk(path):
                if skipped:
                    yield Skipped(display_path(child), skipped)
                else:
                    yield from read_file(child, settings)
        elif path.exists():
            yield from read_file(path, settings)
        else:
            yield Quarantined(display_path(path), "E100", "no such file or folder")


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    origin = display_path(path)
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield Quarantined(origin, "E100", "not a regular file (a folder, device or pipe); name a file")
            return
        if suffix not in SUFFIXES:
            reason = _reason(UnsupportedDocument(f"unsupported file type {suffix or '(none)'!r}"))
            yield Quarantined(origin, UnsupportedDocument.code, reason, "", info.st_size)
            return
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                yield from _read_jsonl(origin, fh, settings)
            return
        if info.st_size > settings.max_bytes:  # before reading: a 1 GB file is never loaded
            size = f"{info.st_size:,} bytes is over the limit of {settings.max_bytes:,}"
            yield Quarantined(
                origin, TooLarge.code, _reason(TooLarge(size, remedy=BYTES_REMEDY)), "", info.st_size
            )
            return
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)
    except OSError as exc:
        yield Quarantined(origin, "E100", f"cannot read: {exc.strerror or exc}")
        return
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:
        yield (_read_html if suffix in HTML_SUFFIXES else _read_text)(origin, data, settings)
    except DocumentError as exc:
        yield Quarantined(origin, exc.code, _reason(exc), digest, len(data))


def _reason(exc: DocumentError) -> str:
    return exc.message + (f"; {exc.remedy}" if exc.remedy else "")


def _read_text(origin: str, data: bytes, settings: Settings) -> Article:
    meta, body = split_front_matter(decode(data, settings))
    check_text(body, settings)
    return Article.from_text(
        body,
        title=meta.get("title", ""),
        url=meta.get("url", ""),
        published=parse_date(meta.get("published") or meta.get("date"), origin),
        source=meta.get("source", ""),
        path=origin,
    )


def _read_html(origin: str, data: bytes, settings: Settings) -> Article:
    from .html import extract_html

    html = decode(data, settings)
    try:
        return extract_html(html, settings, path=origin)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - lxml or trafilatura choking on odd markup: that file only
        raise MalformedDocument(
            f"the HTML could not be parsed (the parser gave up: {type(exc).__name__})"
        ) from None


def _read_jsonl(origin: str, fh: BinaryIO, settings: Settings) -> Iterator[Item]:
    """One record per line (lines end at \\n only: U+2028 and the like inside a JSON string
    belong to it), each decoded and checked on its own."""
    head = fh.read(4)
    fh.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or settings.encoding.lower().startswith(
        ("utf-16", "utf-32")
    ):
        yield from _read_wide_jsonl(origin, fh, settings)  # lines cannot be cut on the \n byte
        return
    for number, raw, size in _lines(fh, settings.max_bytes):
        where = f"{origin}:{number}"
        if raw is None:
            reason = _reason(
                TooLarge(
                    f"a {size:,}-byte line is over the limit of {settings.max_bytes:,}", remedy=BYTES_REMEDY
                )
            )
            yield Quarantined(where, TooLarge.code, reason, "", size)
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = decode(raw, settings)
        except DocumentError as exc:
            yield Quarantined(where, exc.code, _reason(exc), hashlib.sha256(raw).hexdigest()[:16], size)
            continue
        yield _record(where, line, settings)


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes without the line end, size) for each line; None for the bytes of a
    line longer than ``limit``, which is skipped without being held in memory."""
    number = 0
    while raw := fh.readline(limit + 1):
        number += 1
        size = len(raw)
        if size > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
                size += len(raw)
            yield number, None, size
            continue
        yield number, raw.rstrip(b"\r\n"), size


def _read_wide_jsonl(origin: str, fh: BinaryIO, settings: Settings) -> Iterator[Item]:
    data = fh.read(settings.max_bytes + 1)
    try:
        text = decode(data, settings)
    except DocumentError as exc:
        yield Quarantined(origin, exc.code, _reason(exc), hashlib.sha256(data).hexdigest()[:16], len(data))
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _record(f"{origin}:{number}", line.rstrip("\r"), settings)


def _record(origin: str, line: str, settings: Settings) -> Item:
    digest = hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    try:
        return article_from_record(_loads(line), settings, path=origin)
    except DocumentError as exc:
        return Quarantined(origin, exc.code, _reason(exc), digest, len(line))


def _loads(line: str) -> dict[str, object]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedDocument(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise MalformedDocument("the JSON is nested too deeply to read") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise MalformedDocument("the JSON holds a number with more than 4,300 digits") from None
    if not isinstance(record, dict):
        raise MalformedDocument("a JSONL line must hold an object")
    return record


def _field(record: dict[str, object], name: str) -> str:
    value = record.get(name)
    return scrub(str(value)) if value not in (None, "") and isinstance(value, str | int | float) else ""


def article_from_record(record: dict[str, object], settings: Settings, path: str = "") -> Article:
    """An Article from a ``{id?, text, title?, url?, published?|date?}`` record."""
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedDocument("the record has no 'text' string")
    text = scrub(text)
    check_text(text, settings)
    record_id = _field(record, "id")
    return Article.from_text(
        text,
        title=_field(record, "title"),
        url=_field(record, "url"),
        published=parse_date(record.get("published") or record.get("date"), path),
        source=_field(record, "source"),
        path=path,
        meta={"record_id": record_id} if record_id else {},
    )
