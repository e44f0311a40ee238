"""Whose date an article gets: the feed's wins; the page's only fills a missing one, from its
metadata (never a year in its text) and never later than the fetch. A real feed server on
127.0.0.1, the real watcher and a real DuckDB file."""

from __future__ import annotations

import datetime as dt

import pytest

from powderkeg import Settings, Store
from powderkeg.ingest.html import extract_html
from powderkeg.ingest.sources import FeedSource
from powderkeg.ingest.web import Fetcher
from powderkeg.monitor import Watcher
from powderkeg.pipeline import Pipeline
from powderkeg.store import Filters

from .webserver import Route, rss

FAST = dict(allow_hosts=("127.0.0.1",), host_delay=0.0, fetch_timeout=2.0, backoff_base=0.0, item_retries=2)
TOMORROW = (dt.date.today() + dt.timedelta(days=2)).isoformat()


def page(title: str, text: str, meta_date: str = "") -> str:
    meta = f'<meta property="article:published_time" content="{meta_date}T09:00:00Z">' if meta_date else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


# our own texts; each mentions earlier years in its body, as news does
BODIES = {
    "feed-wins": "Police said gunmen attacked a border post in the north of the country on Sunday, wounding"
    " two officers.\n\nIn 2014, a similar attack on the same post killed a guard.",
    "page-fills-in": "Farmers blocked the main highway into the capital for a third day, demanding lower fuel"
    " prices.\n\nThe last blockade, in March 2009, ended after the government cut the tax on diesel.",
    "body-year-is-not-a-date": "The opposition walked out of parliament on Sunday after the speaker refused a"
    " vote on the budget.\n\nThe party boycotted the chamber for most of 2011 as well.",
    "never-after-the-fetch": "A court sentenced a former mayor to six years in prison for taking bribes from"
    " builders.\n\nHe had governed the port city from 1998 to 2006.",
}
ITEMS = {
    # (pubDate of the feed item, meta date of its page, expected publication date)
    "feed-wins": ("Mon, 05 Dec 2016 08:00:00 GMT", "2014-01-01", dt.date(2016, 12, 5)),
    "page-fills-in": ("", "2016-12-07", dt.date(2016, 12, 7)),
    "body-year-is-not-a-date": ("", "", None),
    "never-after-the-fetch": ("", TOMORROW, None),
}


@pytest.fixture()
def stored(web, tmp_path, pipeline):
    items = []
    for i, (name, (pub, meta, _)) in enumerate(ITEMS.items()):
        web.routes[f"/a/{i}"] = Route(page(f"News {i}", BODIES[name], meta))
        item = {"title": f"News {i}", "link": web.url(f"/a/{i}"), "guid": name}
        if pub:
            item["pubDate"] = pub
        items.append(item)
    web.routes["/rss"] = Route(rss(items), content_type="application/rss+xml")
    settings = Settings(**FAST, db=str(tmp_path / "pk.duckdb"))
    with Store(settings.db) as store, Fetcher(settings) as fetcher:
        watcher = Watcher(
            [FeedSource("rss", web.url("/rss"))],
            store,
            Pipeline(settings, nlp=pipeline.nlp),
            fetcher,
            settings,
        )
        try:
            [report] = watcher.run_once()
        finally:
            watcher.close()
        assert report.new == len(ITEMS), report
        rows = store.con.execute("SELECT meta->>'entry', published, id FROM articles").fetchall()
        events = {
            entry: [e for e in store.events(Filters(article_id=aid, include_unconfirmed=True))]
            for entry, _, aid in rows
        }
    return {entry: published for entry, published, _ in rows}, events


def test_the_feed_date_wins_and_the_page_only_fills_in(stored):
    published, _ = stored
    assert published == {name: want for name, (_, _, want) in ITEMS.items()}


def test_events_are_not_dated_by_years_in_the_body(stored):
    _, events = stored
    attack = [e for e in events["feed-wins"] if e["type"] == "ASSAULT" and "Sunday" in e["sentence"]]
    assert attack and attack[0]["date"] == "2016-12-04"  # the Sunday before Monday 5 December 2016
    walkout = [e for e in events["body-year-is-not-a-date"] if "Sunday" in e["sentence"]]
    assert walkout and all(e["date"] is None and e["date_precision"] == "unknown" for e in walkout)


def test_a_local_html_file_takes_its_date_from_metadata_only():
    settings, body = Settings(), BODIES["feed-wins"]
    assert extract_html(page("t", body, "2016-12-07"), settings).published == dt.date(2016, 12, 7)
    assert extract_html(page("t", body), settings).published is None
    fetched = dt.date(2016, 12, 6)
    assert extract_html(page("t", body, "2016-12-07"), settings, fetched=fetched).published is None
