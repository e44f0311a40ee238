"""HTML -> Article: main text and metadata by trafilatura.

The publication date comes from the page's metadata only (meta tags, JSON-LD, <time>, the
URL), never from a year the text mentions ("in 2014" is not when the article appeared),
and never later than the day the page was fetched (or read).
"""

from __future__ import annotations

import datetime as dt

from ..errors import MalformedDocument
from ..records import Article
from ..settings import Settings
from .text import check_text, parse_date


def extract_html(
    html: str, settings: Settings, *, path: str = "", url: str = "", fetched: dt.date | None = None
) -> Article:
    """The page's main text as an Article; ``fetched`` (default: today) caps its date."""
    import trafilatura

    if "<" not in html:
        raise MalformedDocument("no HTML markup found")
    latest = fetched or dt.date.today()
    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        # metadata only: htmldate's extensive search reads years out of the text. No real max_date:
        # given a metadata date past it, htmldate guesses another (its month's first day); refused below.
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": "2999-12-31"},
    )
    published = parse_date(getattr(doc, "date", None))
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < settings.min_words:
        raise MalformedDocument("no main text could be extracted from the HTML")
    check_text(text, settings)
    return Article.from_text(
        text,
        title=getattr(doc, "title", None) or "",
        url=url or getattr(doc, "url", None) or "",
        published=published if published is not None and published <= latest else None,
        source=getattr(doc, "sitename", None) or "",
        path=path,
    )
