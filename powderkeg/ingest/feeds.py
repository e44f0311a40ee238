"""RSS 2.0 / Atom 1.0 feeds -> entries -> Articles.

``parse_feed`` reads a feed's bytes with feedparser (never a URL: all HTTP is
web.py's). The entry's ``published`` (else ``updated``) date is the article's; a date from
the page only fills in a missing one (from its metadata, never from a year in its text,
never later than the fetch: see html.py). ``entry_article`` fetches an entry's page and extracts its main text
with trafilatura; when the page cannot be had for good (404, robots.txt, no
main text, too large, refused), the entry's own summary is used and the
Article says so in ``meta["text_from"] == "feed-summary"``. A transient
failure (timeout, 5xx, 429) is raised for the caller to retry later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import io
import re
from dataclasses import dataclass

from ..errors import DocumentError, MalformedDocument
from ..records import Article
from ..settings import Settings
from .html import extract_html
from .text import check_text
from .web import Fetcher

_TAG = re.compile(r"<[^>]+>")
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class Entry:
    """One item a source lists: a feed entry, or a page itself (``html`` already fetched)."""

    key: str  # the feed's guid/id, else its link, else a hash of title and summary
    url: str
    title: str = ""
    summary: str = ""  # plain text
    published: dt.date | None = None
    html: str = ""


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    return bool(_FEED_START.match(body[:2048]))


def parse_feed(body: bytes, url: str = "", content_type: str = "") -> list[Entry]:
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-type": content_type or "application/xml"}
    )
    problem = parsed.get("bozo_exception")
    benign = isinstance(problem, feedparser.NonXMLContentType | feedparser.CharacterEncodingOverride)
    if not parsed.entries and (not parsed.get("version") or (problem is not None and not benign)):
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom channel found"
        raise MalformedDocument(f"{url}: not a readable feed ({reason})")
    entries = []
    for raw in parsed.entries:
        link = str(raw.get("link") or "")
        title = _plain(raw.get("title", ""))
        summary = _plain(raw.get("summary", "") or _content(raw))
        key = str(raw.get("id") or link or "")
        if not key:
            key = "sha:" + hashlib.sha256(f"{title}\x1f{summary}".encode()).hexdigest()[:16]
        stamp = raw.get("published_parsed") or raw.get("updated_parsed")
        published = dt.date(*stamp[:3]) if stamp else None
        entries.append(Entry(key=key, url=link, title=title, summary=summary, published=published))
    return entries


def _content(raw: dict) -> str:
    content = raw.get("content") or []
    return str(content[0].get("value", "")) if content else ""


def _plain(value: object) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", str(value or ""))).split())


def entry_article(entry: Entry, fetcher: Fetcher, settings: Settings, source: str = "") -> Article:
    """The entry's page as an Article; its summary when the page is unusable for good.

    Raises TransientError (retry later) or DocumentError (neither page nor summary usable).
    """
    meta = {"feed": source, "entry": entry.key}
    fetched = dt.datetime.now(dt.UTC).date()
    try:
        if entry.html:
            text, final_url = entry.html, entry.url
        else:
            if not entry.url:
                raise MalformedDocument("the entry has no link")
            page = fetcher.fetch(entry.url)
            text, final_url = page.text(), page.final_url
        article = extract_html(text, settings, url=final_url, fetched=fetched)
        meta["text_from"] = "page"
    except DocumentError as exc:
        if entry.html or not entry.summary:
            raise
        return summary_article(entry, settings, source, reason=exc.message)
    return dataclasses.replace(
        article,
        title=entry.title or article.title,
        url=entry.url or article.url,
        published=entry.published or article.published,  # the feed's date wins; the page's only fills in
        source=source or article.source,
        meta={**article.meta, **meta},
    )


def summary_article(entry: Entry, settings: Settings, source: str = "", reason: str = "") -> Article:
    """The entry's title and summary as an Article, marked as coming from the feed."""
    text = entry.summary
    if entry.title and not text.startswith(entry.title):
        text = f"{entry.title}.\n\n{text}" if text else entry.title
    check_text(text, settings)
    return Article.from_text(
        text,
        title=entry.title,
        url=entry.url,
        published=entry.published,
        source=source,
        meta={"feed": source, "entry": entry.key, "text_from": "feed-summary", "why": reason},
    )
