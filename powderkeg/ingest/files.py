"""Local files and folders -> Article records.

Supported: ``.txt`` (optional ``---`` front matter with title, url, published,
source), ``.html``/``.htm`` (main text and metadata by trafilatura) and
``.jsonl`` (one article per line: id, url, title, published, text). A file that
cannot be read becomes a ``Quarantined`` record; the stream goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DocumentError, MalformedDocument, UnsupportedDocument
from ..records import Article, Quarantined
from ..settings import Settings
from .text import check_text, decode, parse_date, split_front_matter

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

Item = Article | Quarantined


def read_paths(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Yield an Article or a Quarantined record for every document under ``paths``.

    Folders are walked in sorted order and files of other types in them are
    skipped; a file named explicitly with an unknown type is quarantined.
    """
    settings = settings or Settings()
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    yield from read_file(child, settings)
        elif path.exists():
            yield from read_file(path, settings)
        else:
            yield Quarantined(str(path), "E100", "no such file or folder")


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Quarantined(str(path), "E100", f"cannot read: {exc.strerror or exc}")
        return
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, data, settings)
            return
        if suffix in HTML_SUFFIXES:
            yield _read_html(path, data, settings)
        elif suffix in TEXT_SUFFIXES:
            yield _read_text(path, data, settings)
        else:
            raise UnsupportedDocument(f"unsupported file type {suffix or '(none)'!r}")
    except DocumentError as exc:
        yield Quarantined(str(path), exc.code, _reason(exc), digest, len(data))


def _reason(exc: DocumentError) -> str:
    return exc.message + (f"; {exc.remedy}" if exc.remedy else "")


def _read_text(path: Path, data: bytes, settings: Settings) -> Article:
    meta, body = split_front_matter(decode(data, settings))
    check_text(body, settings)
    return Article.from_text(
        body,
        title=meta.get("title", ""),
        url=meta.get("url", ""),
        published=parse_date(meta.get("published") or meta.get("date")),
        source=meta.get("source", ""),
        path=str(path),
    )


def _read_html(path: Path, data: bytes, settings: Settings) -> Article:
    from .html import extract_html

    html = decode(data, settings)
    return extract_html(html, settings, path=str(path))


def _read_jsonl(path: Path, data: bytes, settings: Settings) -> Iterator[Item]:
    text = decode(data, settings)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        origin = f"{path}:{number}"
        digest = hashlib.sha256(line.encode("utf-8")).hexdigest()[:16]
        try:
            yield article_from_record(_loads(line), settings, path=origin)
        except DocumentError as exc:
            yield Quarantined(origin, exc.code, _reason(exc), digest, len(line))


def _loads(line: str) -> dict[str, object]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedDocument(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    if not isinstance(record, dict):
        raise MalformedDocument("a JSONL line must hold an object")
    return record


def article_from_record(record: dict[str, object], settings: Settings, path: str = "") -> Article:
    """An Article from a ``{id?, text, title?, url?, published?|date?}`` record."""
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedDocument("the record has no 'text' string")
    check_text(text, settings)
    return Article.from_text(
        text,
        title=str(record.get("title") or ""),
        url=str(record.get("url") or ""),
        published=parse_date(record.get("published") or record.get("date")),
        source=str(record.get("source") or ""),
        path=path,
        meta={"record_id": str(record["id"])} if record.get("id") is not None else {},
    )
