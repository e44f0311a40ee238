"""Bytes to checked text: decoding, binary detection, size limits, front matter."""

from __future__ import annotations

import datetime as dt
import logging
import re

from ..errors import BinaryDocument, EmptyDocument, EncodingError, TooLarge
from ..settings import Settings

log = logging.getLogger(__name__)

#: the remedy of a file or line over ``max_bytes`` (``max_chars`` limits the decoded text)
BYTES_REMEDY = "split the document or raise max_bytes in the settings"

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def decode(data: bytes, settings: Settings) -> str:
    """Decode a document's bytes, refusing what is not text."""
    if not data.strip():
        raise EmptyDocument("the document is empty")
    if len(data) > settings.max_bytes:
        raise TooLarge(
            f"{len(data):,} bytes is over the limit of {settings.max_bytes:,}", remedy=BYTES_REMEDY
        )
    encoding = settings.encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        if b"\x00" in data and _wide(encoding) is None:
            raise _nul_bytes(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        near = data[max(exc.start - 20, 0) : exc.start + 20]
        raise EncodingError(f"not valid {encoding} at byte {exc.start} (near {near!r})") from None
    except LookupError:
        raise EncodingError(f"unknown encoding {encoding!r}") from None
    if "\x00" in text:
        raise BinaryDocument(
            f"the text holds {text.count(chr(0)):,} NUL characters once decoded as {encoding}"
        )
    check_text(text, settings, min_words=0)
    return text


def _wide(encoding: str) -> str | None:
    """'16' or '32' for UTF-16/UTF-32 encodings (whose text holds NUL bytes), else None."""
    name = encoding.lower().replace("_", "-")
    return next((w for w in ("16", "32") if name.startswith((f"utf-{w}", f"utf{w}"))), None)


def _nul_bytes(data: bytes) -> Exception:
    """The error for NUL bytes in a document read as a narrow encoding: UTF-16 without a
    byte-order mark (NULs in every other byte) says so, anything else is binary."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs >= 4:
        for order, nuls in (("le", sample[1::2]), ("be", sample[0::2])):
            if (
                nuls.count(0) >= 0.6 * pairs
                and (sample[0::2] if order == "le" else sample[1::2]).count(0) < 0.1 * pairs
            ):
                return EncodingError(
                    f"looks like UTF-16 ({order.upper()}) without a byte-order mark",
                    remedy=f"pass --encoding utf-16-{order} (or re-save the file as UTF-8)",
                )
    first = data.index(b"\x00")
    return BinaryDocument(f"the document holds {data.count(0):,} NUL bytes (the first at byte {first:,})")


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
    if least and (found := len(text.split(maxsplit=least))) < least:
        raise EmptyDocument(
            f"{found} word{'s' if found != 1 else ''} of text, fewer than the {least} a document needs",
            remedy="lower min_words in the settings to keep shorter texts",
        )


def scrub(value: str) -> str:
    """``value`` with lone surrogates (from JSON escapes such as \\ud800, or a file name that is
    not UTF-8) replaced by U+FFFD, so it can be hashed, stored and printed."""
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


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


#: publication dates outside [EARLIEST, ingestion day + LATEST_AHEAD] are read as missing (with a warning)
EARLIEST = dt.date(1900, 1, 1)
LATEST_AHEAD = dt.timedelta(days=1)


def parse_date(value: object, origin: str = "") -> dt.date | None:
    """A publication date from ISO text (date or datetime), or None; a date before 1900 or more
    than a day after today (9999-12-01, 0001-01-01) is a mistake in the source: None, with a warning."""
    return sane_date(_parse_date(value), origin)


def sane_date(day: dt.date | None, origin: str = "", today: dt.date | None = None) -> dt.date | None:
    """``day`` if it lies between 1900 and a day after ``today``, else None (logged as a warning)."""
    if day is None:
        return None
    latest = (today or dt.date.today()) + LATEST_AHEAD
    if EARLIEST <= day <= latest:
        return day
    log.warning(
        "%spublication date %s is not between %s and %s: read as missing",
        f"{origin}: " if origin else "",
        day.isoformat(),
        EARLIEST.isoformat(),
        latest.isoformat(),
    )
    return None


def _parse_date(value: object) -> dt.date | None:
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
