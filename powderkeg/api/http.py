"""HTTP conventions of the API: problem JSON (RFC 9457), ETags, cursors, tokens.

- Every error is ``application/problem+json`` with the project's error ``code`` and its
  ``remedy`` beside RFC 9457's ``type``, ``title``, ``status``, ``detail`` and ``instance``.
- Every successful GET carries a strong ETag (a hash of the body); a matching
  ``If-None-Match`` gets 304 with no body.
- Lists are pages: ``page_size`` (at most 500) and an opaque ``next_cursor`` that
  encodes the last row's sort key (keyset pagination: a page never shifts when rows
  are added before it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from ..errors import BadParameter, PowderkegError, Unauthorized

MAX_PAGE = 500
JSON = "application/json"


def problem(exc: PowderkegError, status: int, instance: str, **extra: Any) -> Response:
    body = {
        "type": f"urn:powderkeg:error:{exc.code}",
        "title": type(exc).__name__,
        "status": status,
        "detail": exc.message,
        "code": exc.code,
        "remedy": exc.remedy,
        "instance": instance,
        **extra,
    }
    headers = {"Retry-After": "1"} if status == 503 else None
    return Response(json.dumps(body), status, headers=headers, media_type="application/problem+json")


def etagged(request: Request, body: bytes, media_type: str = JSON, status: int = 200) -> Response:
    """``body`` with its ETag, or 304 when the client already has it."""
    tag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    seen = request.headers.get("if-none-match", "")
    if seen and (seen.strip() == "*" or tag in (t.strip().removeprefix("W/") for t in seen.split(","))):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, status, headers={"ETag": tag, "Cache-Control": "no-cache"}, media_type=media_type)


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def page_body(items_json: Sequence[str | bytes], next_cursor: str | None, **extra: Any) -> bytes:
    """A page of items that are already JSON text or its UTF-8 (stored records are not parsed and
    re-dumped)."""
    head = dumps({**extra, "next_cursor": next_cursor, "count": len(items_json)})
    items = b",".join(i if isinstance(i, bytes) else i.encode("utf-8") for i in items_json)
    return head[:-1] + b',"items":[' + items + b"]}"


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, default=str, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, length: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise BadParameter(f"cursor {cursor[:40]!r} is not one this API gave out") from None
    if not isinstance(key, list) or len(key) != length:
        raise BadParameter(f"cursor {cursor[:40]!r} is not one this API gave out")
    return key


def page_size(value: int) -> int:
    if not 1 <= value <= MAX_PAGE:
        raise BadParameter(f"page_size must be 1..{MAX_PAGE}, not {value}")
    return value


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(request: Request, token: str) -> None:
    """A bearer token equal to the ``api_token`` setting, or ``Unauthorized``."""
    if not token:
        raise Unauthorized("this server has no api_token, so it takes no writes and no remote reads")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized("missing or wrong bearer token")
