"""Bytes from the web -> text, without trusting the declared charset blindly.

Pages are often mislabelled: a header that says ISO-8859-1 over UTF-8 bytes,
or UTF-8 over windows-1251. The order tried: a byte-order mark; UTF-8 when
the label is missing or a Latin-1 family one (Latin-1 decodes anything, so it
proves nothing, while valid non-ASCII UTF-8 is almost never an accident); the
declared charset (header, then ``<meta charset>``); charset-normalizer's guess.
Its guesses on short Western text often tie (cp1257 and cp1252 read French
equally well), so among guesses about as plausible as the best one the
charset most used on the web wins.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_LATIN = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "us-ascii", "ascii", "windows-1252", "cp1252"}
#: by share of web pages, most used first
_COMMON = (
    "utf_8",
    "cp1252",
    "cp1251",
    "cp1250",
    "shift_jis",
    "euc_jp",
    "gb2312",
    "euc_kr",
    "cp1256",
    "iso8859_2",
)
_TAGS = re.compile(rb"<[^>]*>")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def declared_charset(content_type: str, body: bytes) -> str:
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        return match.group(1).lower()
    meta = _META_CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii", "ignore").lower() if meta else ""


def _strict(body: bytes, charset: str) -> str | None:
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(body: bytes, content_type: str = "") -> str:
    for bom, charset in _BOMS:
        if body.startswith(bom):
            return body.decode(charset, "replace")
    declared = declared_charset(content_type, body)
    if not declared or declared in _LATIN:
        text = _strict(body, "utf-8")
        if text is not None:
            return text
    if declared:
        text = _strict(body, declared)
        if text is not None:
            return text
    from charset_normalizer import from_bytes

    results = list(from_bytes(_TAGS.sub(b" ", body[:200_000])))  # markup only blurs the guess
    if not results:
        return body.decode("utf-8", "replace")
    least = min(r.chaos for r in results)
    plausible = [r for r in results if r.chaos <= least + 0.05]

    def rank(result: object) -> int:
        names = getattr(result, "could_be_from_charset", [])
        return min((_COMMON.index(n) for n in names if n in _COMMON), default=len(_COMMON))

    return _strict(body, min(plausible, key=rank).encoding) or body.decode("utf-8", "replace")
