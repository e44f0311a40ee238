"""HTML -> Article: main text and metadata by trafilatura."""

from __future__ import annotations

from ..errors import MalformedDocument
from ..records import Article
from ..settings import Settings
from .text import check_text, parse_date


def extract_html(html: str, settings: Settings, *, path: str = "", url: str = "") -> Article:
    import trafilatura

    if "<" not in html:
        raise MalformedDocument("no HTML markup found")
    doc = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, favor_precision=True
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < settings.min_words:
        raise MalformedDocument("no main text could be extracted from the HTML")
    check_text(text, settings)
    return Article.from_text(
        text,
        title=getattr(doc, "title", None) or "",
        url=url or getattr(doc, "url", None) or "",
        published=parse_date(getattr(doc, "date", None)),
        source=getattr(doc, "sitename", None) or "",
        path=path,
    )
