"""The watch loop against a real server on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from typer.testing import CliRunner

from powderkeg import Settings, Store
from powderkeg.cli import app
from powderkeg.ingest.sources import FeedSource
from powderkeg.ingest.web import Fetcher
from powderkeg.monitor import Watcher
from powderkeg.pipeline import Pipeline
from powderkeg.store.sources import SourceBook

from .conftest import DEMO
from .webserver import Route, article_html, atom, rss

pytestmark = pytest.mark.slow  # every test here codes with the spaCy model

FAST = dict(allow_hosts=("127.0.0.1",), host_delay=0.0, fetch_timeout=3.0, backoff_base=0.0, item_retries=2)


def demo_texts(n: int) -> list[tuple[str, str]]:
    out = []
    for path in sorted(DEMO.glob("*.txt"))[:n]:
        head, _, body = path.read_text("utf-8").partition("\n---\n")
        title = re.search(r"title:\s*(.+)", head)
        out.append((title.group(1).strip() if title else path.stem, body.strip()))
    return out


def publish(web, texts, start=0):
    """Serve each text as a page; return feed items for them."""
    items = []
    for i, (title, text) in enumerate(texts, start=start):
        web.routes[f"/a/{i}"] = Route(article_html(title, text))
        items.append({"title": title, "link": web.url(f"/a/{i}"), "guid": f"item-{i}", "description": title})
    return items


@pytest.fixture()
def watch(tmp_path, pipeline):
    opened = []

    def make(sources, **overrides):
        settings = Settings(**{**FAST, "db": str(tmp_path / "pk.duckdb"), **overrides})
        store = Store(settings.db)
        fetcher = Fetcher(settings)
        watcher = Watcher(sources, store, Pipeline(settings, nlp=pipeline.nlp), fetcher, settings)
        opened.append((watcher, fetcher, store))
        return watcher

    yield make
    for watcher, fetcher, store in opened:
        watcher.close()
        fetcher.close()
        store.close()


def test_new_entries_are_coded_once_and_304_costs_nothing(web, watch):
    texts = demo_texts(6)
    items = publish(web, texts)
    web.routes["/rss"] = Route(rss(items[:3]), content_type="application/rss+xml", etag=True)
    web.routes["/atom"] = Route(atom(items[3:]), content_type="application/atom+xml", etag=True)
    watcher = watch([FeedSource("rss", web.url("/rss")), FeedSource("atom", web.url("/atom"))])
    first = watcher.run_once()
    assert [(r.new, r.error) for r in first] == [(3, ""), (3, "")]
    assert sum(r.events for r in first) == watcher.store.counts().events > 0
    rows = watcher.store.con.execute("SELECT text_from, count(*) FROM source_entries GROUP BY 1").fetchall()
    assert rows == [("page", 6)]
    pages = sum(web.hits[f"/a/{i}"] for i in range(6))
    second = watcher.run_once()
    assert all(r.not_modified for r in second)
    assert sum(web.hits[f"/a/{i}"] for i in range(6)) == pages  # no page fetched again
    more = publish(web, demo_texts(8)[6:], start=6)
    web.routes["/rss"] = Route(rss(items[:3] + more), content_type="application/rss+xml", etag=True)
    third = watcher.run_once()
    assert (third[0].entries, third[0].new) == (5, 2) and third[1].not_modified
    assert watcher.store.counts().articles == 8


def test_near_duplicates_are_linked_and_not_coded_again(web, watch):
    [(title, text)] = demo_texts(1)
    items = publish(web, [(title, text)])
    copy = "PRISTINA (Reuters) - " + text.replace("Monday", "Sunday") + "\n\nReporting by the wire desk."
    web.routes["/copy"] = Route(article_html(title, copy))
    web.routes["/rss"] = Route(rss(items), content_type="application/rss+xml")
    web.routes["/wire"] = Route(rss([{"title": title, "link": web.url("/copy"), "guid": "w1"}]))
    watcher = watch([FeedSource("rss", web.url("/rss")), FeedSource("wire", web.url("/wire"))])
    original, wire = watcher.run_once()
    assert (original.new, original.events > 0) == (1, True)
    assert (wire.new, wire.duplicates, wire.events) == (0, 1, 0)
    con = watcher.store.con
    [(copy_id, original_id, similarity)] = con.execute("SELECT * FROM article_duplicates").fetchall()
    assert similarity >= 0.6 and copy_id != original_id
    assert con.execute("SELECT n_events FROM articles WHERE id = ?", [copy_id]).fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM events WHERE article_id = ?", [copy_id]).fetchone() == (0,)
    sources = SourceBook(watcher.store).further_sources(original_id)
    assert {(s["source"], s["outcome"]) for s in sources} == {("rss", "new"), ("wire", "duplicate")}


def test_bad_sources_never_stop_the_watcher(web, watch):
    items = publish(web, demo_texts(2))
    web.routes["/good"] = Route(rss(items[:1]))
    web.routes["/malformed"] = Route("<rss><channel><title>broken", content_type="application/rss+xml")
    web.routes["/busy"] = Route("busy", status=429, headers={"Retry-After": "120"})  # holds back its host
    web.routes["/private"] = Route(status=302, headers={"Location": "http://169.254.169.254/feed"})
    bomb = gzip.compress(b" " * 50_000_000)
    web.routes["/bomb"] = Route(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    web.routes["/slow"] = Route(rss(items), delay=4.0)  # past fetch_timeout
    web.routes["/cut"] = Route(rss(items), truncate=100)
    names = ["good", "malformed", "busy", "private", "bomb", "slow", "cut"]
    sources = [FeedSource(n, web.url(f"/{n}")) for n in names if n != "busy"]
    sources.append(FeedSource("busy", f"http://localhost:{web.port}/busy"))  # another host name
    watcher = watch(sources, fetch_max_bytes=1_000_000, allow_hosts=("127.0.0.1", "localhost"))
    reports = {r.source: r for r in watcher.run_once()}
    assert reports["good"].new == 1 and not reports["good"].error
    expected = {
        "malformed": "E105",
        "busy": "E202",
        "private": "E110",
        "bomb": "E104",
        "slow": "E201",
        "cut": "E201",
    }
    assert {n: reports[n].error.split()[0] for n in expected} == expected
    assert reports["busy"].retry_after == 120
    health = {h["name"]: h for h in SourceBook(watcher.store).health()}
    assert health["good"]["last_success"] and not health["good"]["last_error"]
    assert all(health[n]["last_error_reason"].startswith(code) for n, code in expected.items())


def test_transient_page_failures_stay_pending_then_fall_back_to_the_summary(web, watch):
    (title, text), (title2, text2) = demo_texts(2)
    web.routes["/a/0"] = Route("down", status=500)
    web.routes["/a/1"] = Route(article_html(title2, text2))
    summary = text.split("\n")[0]
    items = [
        {"title": title, "link": web.url("/a/0"), "guid": "i0", "description": summary},
        {"title": title2, "link": web.url("/a/1"), "guid": "i1"},
    ]
    web.routes["/rss"] = Route(rss(items), etag=True)
    watcher = watch([FeedSource("rss", web.url("/rss"))])
    [first] = watcher.run_once()
    assert (first.new, first.pending) == (1, 1)
    assert SourceBook(watcher.store).validators("rss") == ("", "")  # not saved: a 304 would hide i0
    [second] = watcher.run_once()  # second failure reaches item_retries: the summary is used
    assert (second.new, second.pending) == (1, 0)
    meta = watcher.store.con.execute(
        "SELECT a.meta FROM articles a JOIN source_entries e ON e.article_id = a.id WHERE e.entry_key = 'i0'"
    ).fetchone()[0]
    assert json.loads(meta)["text_from"] == "feed-summary"
    assert SourceBook(watcher.store).validators("rss")[0]
    assert watcher.run_once()[0].not_modified


def test_run_url_and_sources_cli(web, tmp_path, monkeypatch):
    items = publish(web, demo_texts(2))
    web.routes["/feed"] = Route(atom([{"title": i["title"], "link": i["link"]} for i in items]))
    for name, value in {"ALLOW_HOSTS": "127.0.0.1", "HOST_DELAY": "0"}.items():
        monkeypatch.setenv(f"POWDERKEG_{name}", value)
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()
    result = runner.invoke(app, ["run", web.url("/feed"), "--db", db])
    assert result.exit_code == 0, result.output
    assert len(re.findall(r"^new +[0-9a-f]{16} ", result.output, re.M)) == 2
    page = runner.invoke(app, ["run", web.url("/a/0"), "--db", db])
    assert page.exit_code == 0 and "known" in page.output  # the same text, reached as a page
    health = runner.invoke(app, ["sources", "--db", db, "--json"])
    [row] = [r for r in json.loads(health.output) if r["name"] == web.url("/feed")]
    assert (row["items_seen"], row["items_new"]) == (2, 2) and row["median_fetch_s"] is not None
    table = runner.invoke(app, ["sources", "--db", db])
    assert table.exit_code == 0 and "2 sources in" in table.output


# a rule that fires on the first conflict event about Kosovo, to show that alerts are evaluated
EAGER_RULES = """
[[rules]]
name = "any-kosovo"
country = "XKX"
z = 0.1
min_index = 0.1
sinks = ["file"]

[sinks.file]
type = "jsonl"
path = "{path}"
"""


def _fused_state(db):
    with Store(db, read_only=True) as store:
        con = store.con
        counted = con.execute(
            "SELECT count(*) FROM events WHERE factuality IN ('asserted', 'claimed')"
            " AND type <> 'STATEMENT'"  # public statements are never fused
        ).fetchone()[0]
        members = con.execute("SELECT count(*) FROM fused_members").fetchone()[0]
        fused = con.execute("SELECT count(*) FROM fused_events").fetchone()[0]
        alerts = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return counted, members, fused, alerts


@pytest.fixture()
def live_cli(web, tmp_path, monkeypatch):
    items = publish(web, demo_texts(3))
    web.routes["/feed"] = Route(atom([{"title": i["title"], "link": i["link"]} for i in items]))
    for name, value in {"ALLOW_HOSTS": "127.0.0.1", "HOST_DELAY": "0"}.items():
        monkeypatch.setenv(f"POWDERKEG_{name}", value)
    rules = tmp_path / "rules.toml"
    rules.write_text(EAGER_RULES.format(path=tmp_path / "alerts.jsonl"), "utf-8")
    return str(tmp_path / "live.duckdb"), str(rules), tmp_path / "alerts.jsonl"


def test_watch_fuses_and_evaluates_alert_rules(web, tmp_path, live_cli):
    db, rules, sent = live_cli
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "feed"\nurl = "{web.url("/feed")}"\n', "utf-8")
    result = CliRunner().invoke(
        app, ["watch", "--once", "--sources", str(sources), "--db", db, "--alerts", rules]
    )
    assert result.exit_code == 0, result.output
    counted, members, fused, alerts = _fused_state(db)
    assert counted > 0 and members == counted and 0 < fused <= counted
    assert alerts > 0 and len(sent.read_text("utf-8").splitlines()) == alerts


def test_run_on_urls_honours_alerts(web, live_cli):
    db, rules, sent = live_cli
    result = CliRunner().invoke(app, ["run", web.url("/feed"), "--db", db, "--alerts", rules])
    assert result.exit_code == 0, result.output
    counted, members, fused, alerts = _fused_state(db)
    assert counted > 0 and members == counted and 0 < fused <= counted
    assert alerts > 0 and len(sent.read_text("utf-8").splitlines()) == alerts


def test_the_watcher_fuses_what_it_stores(web, watch):
    items = publish(web, demo_texts(3))
    web.routes["/rss"] = Route(rss(items))
    watcher = watch([FeedSource("rss", web.url("/rss"))])
    watcher.run_once()
    con = watcher.store.con
    counted = con.execute(
        "SELECT count(*) FROM events WHERE factuality IN ('asserted', 'claimed')"
        " AND type <> 'STATEMENT'"  # public statements are never fused
    ).fetchone()
    assert counted[0] > 0 and con.execute("SELECT count(*) FROM fused_members").fetchone() == counted


def test_a_stop_takes_effect_between_chunks_and_the_rest_waits_for_the_next_poll(web, watch):
    import threading

    items = publish(web, demo_texts(6))
    web.routes["/rss"] = Route(rss(items), content_type="application/rss+xml", etag=True)
    watcher = watch([FeedSource("rss", web.url("/rss"))], commit_every=2)
    stop = threading.Event()
    watcher.on_progress = lambda _name, done, total: stop.set()  # Ctrl-C during the first chunk
    [first] = watcher.run_once(stop)
    assert (first.new, first.pending) == (2, 4)
    assert sum(web.hits[f"/a/{i}"] for i in range(6)) <= 4  # at most the next chunk was asked for
    [second] = watcher.run_once()  # no 304: the validators were not saved while entries wait
    assert not second.not_modified and (second.new, second.pending) == (4, 0)
    assert watcher.store.counts().articles == 6


def _stored(store):
    return {
        "articles": store.con.execute("SELECT id, url, n_events FROM articles ORDER BY id").fetchall(),
        "events": store.con.execute("SELECT id, article_id, type FROM events ORDER BY id").fetchall(),
    }


def test_a_poll_commits_in_units_of_commit_every_and_a_crash_keeps_the_units_before_it(web, watch, tmp_path):
    """Like `run`, the watcher commits ``commit_every`` new entries per unit of work: a hard failure
    in a later unit of a poll loses that unit only, the next poll adds just what is missing, and the
    store ends as after a poll in one unit."""
    items = publish(web, demo_texts(5))
    web.routes["/rss"] = Route(rss(items), content_type="application/rss+xml", etag=True)
    watcher = watch([FeedSource("rss", web.url("/rss"))], commit_every=2)
    commit, units = watcher.commit, []

    class Failing:
        """The watcher's commit, failing hard on the unit that holds the fifth entry's article."""

        def __call__(self, batch, also=None):
            units.append(len(batch))
            if any(article.url.endswith("/a/4") for article, _ in batch):
                raise RuntimeError("disk full")  # not one article's values: the whole unit fails
            return commit(batch, also)

        def __getattr__(self, name):
            return getattr(commit, name)

    watcher.commit = Failing()
    with pytest.raises(RuntimeError):
        watcher.run_once()
    assert units == [2, 2, 1]
    assert watcher.store.counts().articles == 4  # the units before the failure were committed
    watcher.commit = commit
    [again] = watcher.run_once()  # no 304: the failed poll saved no validators
    assert (again.entries, again.new, again.known) == (5, 1, 0)
    [idle] = watcher.run_once()
    assert idle.not_modified or (idle.new, idle.known) == (0, 0)
    one_unit = watch([FeedSource("rss", web.url("/rss"))], db=str(tmp_path / "one.duckdb"))
    [whole] = one_unit.run_once()
    assert whole.new == 5
    assert _stored(watcher.store) == _stored(one_unit.store)
