"""Every exception powderkeg raises, in one tree.

PowderkegError
├── ConfigError            (terminal) a bad setting or missing model; says how to fix it
│   ├── StoreNotFound        E002 no database at the path a read was pointed at (reads never create one)
│   ├── NotAStore            E003 the path is not a DuckDB file, or not one powderkeg wrote
│   ├── RuleFileError        E004 a pattern, refinement or word-list file is not valid (names file and key)
│   └── NotReadable          E005 a file or folder named on the command line is missing or cannot be read
├── DocumentError          (terminal for that document) the document is quarantined, the batch goes on
│   ├── EmptyDocument        E101 nothing to read
│   ├── BinaryDocument       E102 not text
│   ├── EncodingError        E103 not valid in the expected encoding
│   ├── TooLarge             E104 over the size limit
│   ├── MalformedDocument    E105 cannot be parsed (truncated JSON, broken HTML, no main text)
│   ├── UnsupportedDocument  E106 a file type we do not read
│   ├── CodingFailed         E107 the event coder failed on the document (a bug: report it with the document)
│   ├── Unstorable           E108 the store refused one of the document's values (a bug: report it likewise)
│   ├── FetchRefused         E110 a URL the fetcher will not touch (scheme, private address, robots.txt)
│   └── HTTPStatus           E111 the server answered with a 4xx status
├── GoldFormatError        E301 (terminal) a gold file for `powderkeg eval` is not in its set's format
├── FuseError              E401 (terminal) an unmerge names no fused event or report of it
├── AlertRuleError         E402 (terminal) an alert rules file is not valid
├── BriefError             E403 (terminal) a brief's scope names nothing it can read (article, region, dates)
│   └── UngroundedBrief      E404 the grounding checker found unsupported tokens: the brief is not written
├── StoreError             E501 (terminal) a database this powderkeg cannot open as it is (schema version)
└── TransientError         (retry) a network or lock problem that may pass
    ├── FetchFailed          E201 timeout, refused connection, truncated body, 5xx
    ├── Throttled            E202 429/503 or a host still backing off; ``retry_after`` says how long
    ├── DeliveryError        E203 an alert sink did not take the alert (retried with backoff)
    └── StoreLocked          E204 another process kept the DuckDB file locked past ``lock_wait``
ApiError                   (terminal for that request) answered as RFC 9457 problem JSON
├── BadParameter           E601 an option, query parameter or body that cannot be used (400; on the CLI, exit 2)
├── NotFound               E602 no such event, fused event, article or brief (404)
└── Unauthorized           E603 a write, or a read from off this machine, without the right token (401)

Each error carries a ``code`` and a ``remedy`` so a quarantine row tells the
user what to do, in the manner of spaCy's numbered errors.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]*[^\s'\"<>:.,;)]")


def redact_url(url: str, path: bool = False) -> str:
    """``url`` fit for a log line: a password or user in it, and every query value, become ``***``
    (``path=True`` also hides the path past its first segment, where webhook URLs keep their secret)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    host = f"[{host}]" if ":" in host else host
    netloc = ("***@" if parts.username or parts.password else "") + host + (f":{port}" if port else "")
    query = urlencode([(k, "***") for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    shown = parts.path
    if path and shown.strip("/").count("/"):
        shown = "/" + shown.strip("/").split("/")[0] + "/***"
    return urlunsplit((parts.scheme, netloc, shown, query, ""))


def redact(text: str) -> str:
    """``text`` with every URL in it redacted (see ``redact_url``)."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text)


class PowderkegError(Exception):
    code = "E000"
    remedy = ""

    def __init__(self, message: str, *, remedy: str | None = None) -> None:
        self.message = message
        if remedy is not None:
            self.remedy = remedy
        super().__init__(f"[{self.code}] {message}" + (f" ({self.remedy})" if self.remedy else ""))


class ConfigError(PowderkegError):
    code = "E001"


class StoreNotFound(ConfigError):
    code = "E002"
    remedy = "check --db / POWDERKEG_DB, or create the database first with `powderkeg run` (`make demo`)"


class NotAStore(ConfigError):
    code = "E003"
    remedy = "point --db at a DuckDB file written by powderkeg"


class RuleFileError(ConfigError):
    """A rule file (patterns, refinements, word lists) names a key, list, type or mode that does not exist."""

    code = "E004"


class NotReadable(ConfigError):
    code = "E005"
    remedy = "check the path and its permissions"


class DocumentError(PowderkegError):
    """The document cannot be processed; it is quarantined with this reason."""


class EmptyDocument(DocumentError):
    code = "E101"
    remedy = "the file has no text; remove it or fill it"


class BinaryDocument(DocumentError):
    code = "E102"
    remedy = "only text, HTML and JSONL are read; convert the file to text first"


class EncodingError(DocumentError):
    code = "E103"
    remedy = "re-save the file as UTF-8, or pass --encoding with the file's encoding"


class TooLarge(DocumentError):
    code = "E104"
    remedy = "split the document or raise max_chars in the settings"


class MalformedDocument(DocumentError):
    code = "E105"
    remedy = "check that the file is complete and well formed"


class UnsupportedDocument(DocumentError):
    code = "E106"
    remedy = "use .txt, .html or .jsonl"


class CodingFailed(DocumentError):
    code = "E107"
    remedy = "the rest of the batch is coded; please report this to powderkeg's maintainers with the document"


class Unstorable(DocumentError):
    code = "E108"
    remedy = (
        "the rest of the batch is stored; please report this to powderkeg's maintainers with the document"
    )


class GoldFormatError(PowderkegError):
    code = "E301"
    remedy = "check the file against the set's format (see ../shared/eval/README.md)"


class TransientError(PowderkegError):
    code = "E200"
    remedy = "try again later"


class FetchRefused(DocumentError):
    code = "E110"
    remedy = (
        "only public http(s) addresses that robots.txt allows are fetched; to fetch a private or local"
        ' host anyway, name it in the allow_hosts setting (powderkeg.toml: allow_hosts = ["HOST"],'
        " or POWDERKEG_ALLOW_HOSTS)"
    )


class HTTPStatus(DocumentError):
    code = "E111"
    remedy = "check the URL"


class FetchFailed(TransientError):
    code = "E201"
    remedy = "retried with exponential backoff"


class Throttled(TransientError):
    code = "E202"
    remedy = "the host asked us to slow down; retried after its Retry-After"

    def __init__(self, message: str, *, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class FuseError(PowderkegError):
    code = "E401"


class AlertRuleError(PowderkegError):
    code = "E402"
    remedy = "check the rules file against powderkeg/analyze/default_alerts.toml"


class BriefError(PowderkegError):
    code = "E403"


class UngroundedBrief(BriefError):
    """Raised with the checker's problems; ``problems`` lists each unsupported token."""

    code = "E404"
    remedy = "every listed token must be in the cited evidence or derived from the cited events"

    def __init__(self, message: str, *, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(message + "".join(f"\n  {p}" for p in problems))


class StoreError(PowderkegError):
    code = "E501"


class DeliveryError(TransientError):
    code = "E203"
    remedy = "the sink is retried with backoff; check that its address is reachable"


class StoreLocked(TransientError):
    """The DuckDB file stayed locked by another process for longer than ``lock_wait`` seconds."""

    code = "E204"
    remedy = (
        "wait for that process to finish its batch or stop it, then retry; lock_wait sets how long to wait"
    )

    def __init__(self, message: str, *, pid: int | None = None, remedy: str | None = None) -> None:
        self.pid = pid
        super().__init__(message, remedy=remedy)


class ApiError(PowderkegError):
    status = 400


class BadParameter(ApiError):
    code = "E601"
    status = 400
    remedy = "see /docs for the parameters each endpoint takes"


class NotFound(ApiError):
    code = "E602"
    status = 404
    remedy = "list what exists with /events, /fused or /alerts"


class Unauthorized(ApiError):
    code = "E603"
    status = 401
    remedy = "send the api_token setting as `Authorization: Bearer TOKEN`"
