"""Feed parsing and entry -> Article, offline and against the local server."""

from __future__ import annotations

import datetime as dt

import pytest

from powderkeg import Settings
from powderkeg.errors import MalformedDocument
from powderkeg.ingest.feeds import Entry, entry_article, looks_like_feed, parse_feed
from powderkeg.ingest.sources import AutoSource, FeedSource, PageSource, load_sources
from powderkeg.ingest.web import Fetcher

from .webserver import Route, article_html, atom, rss

ITEMS = [
    {
        "title": "Police in Zvecan",
        "link": "http://x.test/a",
        "guid": "g-1",
        "pubDate": "Tue, 30 May 2023 10:00:00 GMT",
    },
    {"title": "No guid here", "link": "http://x.test/b", "description": "<p>Kosovo &amp; Serbia talks</p>"},
]
TEXT = (
    "Serb protesters threw stones at KFOR soldiers in Zvecan on Monday, NATO said.\n\n"
    "Thirty soldiers were injured in the clashes outside the municipal building."
)


def test_rss_and_atom_entries():
    entries = parse_feed(rss(ITEMS).encode())
    assert [e.key for e in entries] == ["g-1", "http://x.test/b"]
    assert entries[0].published == dt.date(2023, 5, 30)
    assert entries[1].summary == "Kosovo & Serbia talks"
    feed = atom([{"title": "T", "link": "http://x.test/c", "id": "urn:1", "summary": "s"}])
    [entry] = parse_feed(feed.encode(), content_type="application/atom+xml")
    assert (entry.key, entry.url, entry.published) == ("urn:1", "http://x.test/c", dt.date(2023, 9, 24))


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>not a feed</body></html>", b"\x00\x01\x02binary", b"<rss><channel><title>x"]
)
def test_malformed_feeds_raise(body):
    with pytest.raises(MalformedDocument):
        parse_feed(body, "http://x.test/feed")


def test_a_feed_broken_after_its_entries_still_gives_them():
    body = rss(ITEMS).encode().replace(b"</channel></rss>", b"<item><title>cut &")
    assert [e.key for e in parse_feed(body)][:2] == ["g-1", "http://x.test/b"]


def test_feed_sniffing():
    assert looks_like_feed(rss(ITEMS).encode()) and looks_like_feed(atom([]).encode())
    assert looks_like_feed(b"{}", "application/rss+xml; charset=utf-8")
    assert not looks_like_feed(b"<!doctype html><html></html>", "text/html")


def test_entry_page_is_extracted_or_the_summary_used(web):
    web.routes["/a"] = Route(article_html("Clashes", TEXT))
    settings = Settings(allow_hosts=("127.0.0.1",), host_delay=0.0)
    with Fetcher(settings) as fetcher:
        page = entry_article(Entry("k", web.url("/a"), "Clashes"), fetcher, settings, "test")
        assert (
            page.meta["text_from"] == "page" and "KFOR soldiers" in page.text and "Copyright" not in page.text
        )
        gone = Entry("k2", web.url("/gone"), "Police arrest four in Zvecan", summary=TEXT.split("\n")[0])
        summary = entry_article(gone, fetcher, settings, "test")
    assert summary.meta["text_from"] == "feed-summary" and "404" in summary.meta["why"]
    assert summary.text.startswith("Police arrest four in Zvecan.") and summary.source == "test"


def test_sources_toml(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[defaults]\ninterval = 45\n[[source]]\nname = "a"\nurl = "https://a.test/feed"\nkind = "feed"\n'
        '[[source]]\nurl = "https://b.test/page"\nkind = "page"\ninterval = 600\n'
        '[[source]]\nname = "c"\nurl = "https://c.test/"\n',
        "utf-8",
    )
    a, b, c = load_sources(path)
    assert isinstance(a, FeedSource) and a.interval == 45
    assert isinstance(b, PageSource) and b.name == "https://b.test/page" and b.interval == 600
    assert isinstance(c, AutoSource)
    path.write_text('[[source]]\nurl = "https://a.test"\nkind = "ftp"\n', "utf-8")
    with pytest.raises(Exception, match="unknown kind"):
        load_sources(path)
