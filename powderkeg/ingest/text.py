"""Bytes to checked text: decoding, binary detection, size limits, front matter."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import BinaryDocument, EmptyDocument, EncodingError, TooLarge
from ..settings import Settings

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def decode(data: bytes, settings: Settings) -> str:
    """Decode a document's bytes, refusing what is not text."""
    if not data.strip():
        raise EmptyDocument("the document is empty")
    if len(data) > settings.max_bytes:
        raise TooLarge(f"{len(data):,} bytes is over the limit of {settings.max_bytes:,}")
    encoding = settings.encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        if b"\x00" in data[:4096]:
            raise BinaryDocument("the document holds NUL bytes")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        near = data[max(exc.start - 20, 0) : exc.start + 20]
        raise EncodingError(f"not valid {encoding} at byte {exc.start} (near {near!r})") from None
    except LookupError:
        raise EncodingError(f"unknown encoding {encoding!r}") from None
    check_text(text, settings, min_words=0)
    return text


def check_text(text: str, settings: Settings, min_words: int | None = None) -> None:
    """Refuse text that is empty, too long, too short, or mostly control characters."""
    if not text.strip():
        raise EmptyDocument("the document has no text")
    if len(text) > settings.max_chars:
        raise TooLarge(f"{len(text):,} characters is over the limit of {settings.max_chars:,}")
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(len(sample) // 100, 8):
        raise BinaryDocument("the document is mostly control characters")
    least = settings.min_words if min_words is None else min_words
    if len(text.split()) < least:
        raise EmptyDocument(f"fewer than {least} words of text")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---`` delimited ``key: value`` lines off the top of a text file."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :].lstrip("\r\n")


def parse_date(value: object) -> dt.date | None:
    """A publication date from ISO text (date or datetime), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in ("%Y%m%d", "%d %B %Y", "%B %d, %Y", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
