"""The dashboard in headless Debian chromium, against a real server on 127.0.0.1 over the demo store.

Screenshots go to tests/screenshots/ (git-ignored): look at them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import httpx
import pytest

from powderkeg import Settings
from powderkeg.api import create_app

from .webserver import wait_for_http

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("POWDERKEG_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "dash-token"
HOSTILE = "<script>window.__pwned = 1</script>"
BREAKOUT = '"><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def server(demo_store, tmp_path_factory, pipeline):
    import uvicorn

    db = tmp_path_factory.mktemp("dash") / "demo.duckdb"
    shutil.copy(demo_store, db)
    app = create_app(Settings(db=str(db), api_token=TOKEN))
    app.state.pk._pipeline = pipeline
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/openapi.json")
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: `make test` installs Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_dashboard(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)


def visible_event_counts(page) -> int:
    """Events the map shows: single dots plus the numbers on the clusters."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#map .pk-dot, #map .pk-cluster')]
             .reduce((n, node) => n + (node.classList.contains('pk-cluster') ? Number(node.textContent) : 1), 0)"""
    )


def test_map_shows_the_demo_events_and_a_click_shows_the_evidence(server, page):
    fused = httpx.get(server + "/fused?page_size=500").json()["items"]
    placed = [f for f in fused if f["point"]]
    open_dashboard(page, server + "/")
    assert page.text_content("#map-count").startswith(f"{len(placed)} of {len(fused)} events")
    page.evaluate("() => map.setView([44, 20], 3)")  # everything in view, clustered
    page.wait_for_timeout(400)
    assert visible_event_counts(page) == len(placed)
    shot(page, "dashboard-map")
    for _ in range(12):  # open clusters as a user would until single events show
        if page.locator("#map .pk-dot").count():
            break
        page.locator("#map .pk-cluster").first.click()
        page.wait_for_timeout(500)
    dot = page.locator("#map .pk-dot").first
    fid = dot.get_attribute("data-id")
    dot.click()
    page.wait_for_selector("#panel .sentence mark.f-trigger")
    detail = httpx.get(server + f"/fused/{fid}").json()
    shown = page.locator("#panel .sentence").first.text_content()
    assert shown == detail["reports"][0]["event"]["sentence"]
    assert f"event={fid}" in page.url
    shot(page, "dashboard-event")
    page.locator("#panel button", has_text="read the article").first.click()
    page.wait_for_selector("#panel .article-text mark")
    assert detail["reports"][0]["event"]["sentence"] in page.text_content("#panel .article-text")
    assert not page.errors


def test_a_filter_updates_the_timeline_and_the_url(server, page):
    open_dashboard(page, server + "/")
    before = int(page.get_attribute("#timeline", "data-total"))
    want = sum(p["total"] for p in httpx.get(server + "/timeline?by=week&type=ASSAULT").json()["periods"])
    assert 0 < want < before
    page.select_option("#filters select[name=type]", "ASSAULT")
    page.wait_for_function(f"() => document.getElementById('timeline').dataset.total === '{want}'")
    assert page.text_content("#timeline-total") == f"{want} events"
    assert "type=ASSAULT" in page.url
    shot(page, "dashboard-filtered")
    again = page.context.new_page()  # the URL holds the view
    open_dashboard(again, page.url)
    assert again.get_attribute("#timeline", "data-total") == str(want)
    assert again.input_value("#filters select[name=type]") == "ASSAULT"


def test_srb_xkx_tension_shows_the_may_2023_escalation(server, page):
    open_dashboard(page, server + "/")
    page.fill("#tension-form input[name=key]", "SRB-XKX")
    page.click("#tension-form button")
    page.wait_for_selector("#tension rect.reading.escalation[data-period='2023-05-26']")
    may = page.locator("#escalations li.escalation[data-period^='2023-05']")
    assert may.count() >= 1 and "2023-05-26" in may.first.text_content()
    assert page.locator("#tension rect.gap").count() > 0  # insufficient coverage is drawn, not 0
    page.locator("#tension-wrap").scroll_into_view_if_needed()
    shot(page, "dashboard-tension")
    may.first.locator("button").click()
    page.wait_for_selector("#panel .sentence")
    assert not page.errors


def test_hostile_article_text_renders_as_text(server, page):
    text = (
        f"Kosovo police arrested 12 Serb protesters in Zvecan on Sunday. {HOSTILE} "
        f"Witnesses said {BREAKOUT} the crowd dispersed."
    )
    record = {
        "title": f"Arrests {HOSTILE}{BREAKOUT}",
        "published": "2023-06-05",
        "source": f"Outlet {BREAKOUT}",
        "url": "javascript:window.__pwned=3",
        "text": text,
    }
    r = httpx.post(
        server + "/articles", json=record, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    )
    assert r.status_code == 201, r.text
    fused_id = r.json()["fused_touched"][0]
    article_id = r.json()["articles"][0]["id"]
    open_dashboard(page, server + f"/?event={fused_id}")
    page.wait_for_selector("#panel .report")
    panel = page.text_content("#panel")
    assert "<script>" in panel and 'onerror="window.__pwned = 2"' in panel  # shown, as text
    assert page.locator("#panel a[href^='javascript']").count() == 0
    page.locator("#panel button", has_text="read the article").first.click()
    page.wait_for_selector("#panel .article-text")
    assert HOSTILE in page.text_content("#panel .article-text") and article_id in page.url
    shot(page, "dashboard-hostile")
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src='x'], #panel script").count() == 0
    assert not page.errors
