"""The HTTP API through its real ASGI app (httpx's ASGI transport), over the demo store."""

from __future__ import annotations

import asyncio
import shutil

import httpx
import pytest

from powderkeg import EventQuery, Settings, Store
from powderkeg.api import check_bind, create_app
from powderkeg.errors import ConfigError

pytestmark = pytest.mark.slow
TOKEN = "s3cret-token"


def call(app, method: str, url: str, client: str = "127.0.0.1", **kwargs) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://pk.test") as c:
            return await c.request(method, url, **kwargs)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def app(demo_store):
    return create_app(Settings(db=str(demo_store), api_token=TOKEN))


@pytest.fixture()
def writable(demo_store, tmp_path, pipeline):
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_store, db)
    app = create_app(Settings(db=str(db), api_token=TOKEN))
    app.state.pk._pipeline = pipeline  # the session's loaded model
    return app, db


def get(app, url, **kwargs):
    return call(app, "GET", url, **kwargs)


def test_events_filter_as_the_cli_does(app, demo_store):
    r = get(app, "/events?type=ASSAULT&country=XKX&since=2023-05-01&page_size=500")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    with Store(demo_store, read_only=True) as store:
        want = [
            e["id"] for e in store.events(EventQuery(country="XKX", type="ASSAULT", since=_d("2023-05-01")))
        ]
    assert want and [e["id"] for e in r.json()["items"]] == want
    unconfirmed = get(app, "/events?include_unconfirmed=true&page_size=500").json()["items"]
    counted = get(app, "/events?page_size=500").json()["items"]
    assert len(unconfirmed) > len(counted)
    denied = get(app, "/events?factuality=denied,hypothetical&page_size=500").json()["items"]
    assert denied and {e["factuality"] for e in denied} <= {"denied", "hypothetical"}
    words = get(app, "/events?text=tear%20gas").json()["items"]
    assert words and all("tear gas" in e["sentence"].lower() for e in words)


def test_cursor_pages_walk_everything_once(app):
    whole = [e["id"] for e in get(app, "/events?page_size=500").json()["items"]]
    seen, cursor = [], None
    for _ in range(100):
        body = get(app, "/events", params={"page_size": 7, **({"cursor": cursor} if cursor else {})}).json()
        assert body["count"] <= 7
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == whole
    fused, cursor = [], None
    for _ in range(100):
        body = get(app, "/fused", params={"page_size": 10, **({"cursor": cursor} if cursor else {})}).json()
        fused += [f["id"] for f in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(fused) == len(set(fused)) == len(get(app, "/fused?page_size=500").json()["items"])


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/events?page_size=501", 400, "E601"),
        ("/events?type=ASSAUL", 400, "E601"),
        ("/events?since=May", 400, "E601"),
        ("/events?cursor=garbage", 400, "E601"),
        ("/tension?key=SRB-XKZ", 400, "E601"),
        ("/tension?key=SRB-XKX&by=year", 400, "E601"),
        ("/fused/Fnothing", 404, "E602"),
        ("/articles/nothing", 404, "E602"),
        ("/no/such/path", 404, "E602"),
    ],
)
def test_errors_are_problem_json_with_project_codes(app, url, status, code):
    r = get(app, url)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == code and body["status"] == status and body["type"].endswith(code)
    assert body["detail"] and body["remedy"] and body["instance"] == url.split("?")[0]


def test_etag_gives_304_when_unchanged(app):
    first = get(app, "/fused?page_size=5")
    tag = first.headers["etag"]
    assert get(app, "/fused?page_size=5", headers={"If-None-Match": tag}).status_code == 304
    assert get(app, "/fused?page_size=6", headers={"If-None-Match": tag}).status_code == 200


def test_fused_event_has_reports_evidence_and_log(app):
    items = get(app, "/fused?page_size=500").json()["items"]
    multi = max(items, key=lambda f: f["n_reports"])
    assert multi["n_reports"] > 1
    detail = get(app, f"/fused/{multi['id']}").json()
    assert len(detail["reports"]) == multi["n_reports"] and detail["log"]
    for report in detail["reports"]:
        assert report["evidence"] and report["article"]["title"]
        event = report["event"]
        for span in report["evidence"]:
            local = event["sentence"][
                span["start"] - report["sentence_start"] : span["end"] - report["sentence_start"]
            ]
            assert local == span["text"]
    assert all(f["point"] is None or -90 <= f["point"]["lat"] <= 90 for f in items)
    geo = get(app, "/fused.geojson?page_size=500").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == sum(1 for f in items if f["point"])


def test_article_text_carries_evidence_spans(app):
    event = get(app, "/events?type=ASSAULT&page_size=1").json()["items"][0]
    article = get(app, f"/articles/{event['article_id']}").json()
    spans = [s for s in article["spans"] if s["event_id"] == event["id"]]
    assert spans and any(s["field"] == "trigger" for s in spans)
    trigger = event["spans"]["trigger"]
    assert article["text"][trigger[0] : trigger[1]] in event["sentence"]


def test_tension_marks_may_2023_escalation_and_gaps(app):
    body = get(app, "/tension?key=SRB-XKX&since=2023-05-01&until=2023-06-30").json()
    escalating = [r["period"] for r in body["readings"] if r["escalating"]]
    assert "2023-05-26" in escalating
    assert any(r["status"] == "insufficient coverage" for r in body["readings"])
    monthly = get(app, "/tension?key=SRB-XKX&by=month").json()["readings"]
    assert {r["period"][8:] for r in monthly} == {"01"}
    assert get(app, "/tension?key=region:western-balkans&by=week").status_code == 200


def test_timeline_counts_what_fused_lists(app):
    periods = get(app, "/timeline?by=week&type=ASSAULT").json()["periods"]
    listed = get(app, "/fused?type=ASSAULT&page_size=500").json()["items"]
    # an undated article's fused event is listed (by the day it was ingested) but has no period
    assert sum(p["total"] for p in periods) == len([f for f in listed if f["date_basis"] != "ingested"])


def test_openapi_and_dashboard_are_served(app):
    spec = get(app, "/openapi.json").json()
    assert {"/events", "/fused", "/fused/{fused_id}", "/tension", "/alerts", "/articles"} <= set(
        spec["paths"]
    )
    page = get(app, "/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert get(app, "/static/vendor/world-atlas/countries-50m.json").status_code == 200


def test_reads_off_loopback_and_writes_need_the_token(writable):
    app, _ = writable
    assert get(app, "/events", client="192.0.2.7").status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert get(app, "/events", client="192.0.2.7", headers=auth).status_code == 200
    r = call(app, "POST", "/articles", json={"text": "Serbian police detained two men in Zvecan on Monday."})
    assert r.status_code == 401 and r.json()["code"] == "E603"
    bad = {"Authorization": "Bearer wrong"}
    assert call(app, "POST", "/articles", json={"text": "x y z"}, headers=bad).status_code == 401


def test_post_articles_stores_codes_and_fuses(writable):
    app, db = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = {
        "id": "api-1",
        "title": "Clash in Zvecan",
        "published": "2023-06-12",
        "text": "Kosovo police arrested 14 Serb protesters in Zvecan on Sunday after clashes near the town hall.",
    }
    r = call(app, "POST", "/articles", json=[article, {"title": "no text"}], headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    [stored] = body["articles"]
    assert stored["new"] and stored["events"] and body["fused_touched"]
    assert body["quarantined"][0]["code"] == "E105"
    again = call(app, "POST", "/articles", json=article, headers=auth).json()
    assert again["articles"][0]["new"] is False
    assert [e["id"] for e in again["articles"][0]["events"]] == [e["id"] for e in stored["events"]]
    assert get(app, f"/articles/{stored['id']}").json()["title"] == "Clash in Zvecan"
    with Store(db, read_only=True) as store:
        assert store.article(stored["id"]) is not None


def test_refuses_a_public_address_without_a_token():
    with pytest.raises(ConfigError, match="api_token"):
        check_bind("0.0.0.0", Settings())
    check_bind("0.0.0.0", Settings(api_token="t"))
    check_bind("127.0.0.1", Settings())
    check_bind("::1", Settings())


def _d(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(("key", "args"), [("SRB-XKX", ["SRB", "XKX"]), ("XKX", ["XKX"]), ("SRB>XKX", None)])
def test_tension_reads_as_the_cli_does(app, demo_store, key, args):
    import json

    from typer.testing import CliRunner

    from powderkeg.cli import app as cli

    if args is None:
        args = ["SRB", "XKX", "--directed"]
    printed = CliRunner().invoke(cli, ["tension", *args, "--by", "week", "--json", "--db", str(demo_store)])
    assert printed.exit_code == 0, printed.output
    want = [json.loads(line) for line in printed.output.splitlines()]
    got = get(app, "/tension", params={"key": key, "by": "week"}).json()["readings"]
    assert [(r["period"], r["index"] is None, r["escalating"], r["n_events"]) for r in got] == [
        (r["period"], r["index"] is None, r["escalating"], r["n_events"]) for r in want
    ]
    assert all(abs((g["index"] or 0) - (w["index"] or 0)) < 1e-3 for g, w in zip(got, want, strict=True))


def test_briefs_are_served_grounded(app):
    r = get(app, "/briefs?key=SRB-XKX&since=2023-05-20&until=2023-06-05")
    assert r.status_code == 200, r.text
    brief = r.json()
    assert "SRB" in r.text and brief
    md = get(app, "/briefs?key=SRB-XKX&since=2023-05-20&until=2023-06-05&format=md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert get(app, "/briefs").json()["code"] == "E601"
    assert get(app, "/briefs?article=nothing-like-this").status_code == 404
