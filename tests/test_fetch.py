"""The fetcher against a real server on 127.0.0.1: guards, limits, politeness, backoff, charsets."""

from __future__ import annotations

import gzip
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from powderkeg import Settings
from powderkeg.errors import FetchFailed, FetchRefused, HTTPStatus, Throttled, TooLarge
from powderkeg.ingest.charset import decode_body
from powderkeg.ingest.web import Fetcher, Guard, GuardedTransport, is_public, retry_after

from .webserver import Route

FAST = dict(allow_hosts=("127.0.0.1",), host_delay=0.0, fetch_timeout=2.0, backoff_base=0.3, robots=True)


@pytest.fixture()
def fetcher():
    with Fetcher(Settings(**FAST)) as f:
        yield f


def test_plain_fetch_and_conditional_get(web, fetcher):
    web.routes["/a"] = Route("<p>hello</p>", etag=True)
    page = fetcher.fetch(web.url("/a"))
    assert page.status == 200 and page.text() == "<p>hello</p>" and page.etag
    again = fetcher.fetch(web.url("/a"), etag=page.etag)
    assert again.not_modified and again.body == b""
    assert web.hits["/a"] == 2 and web.hits["/robots.txt"] == 1  # robots.txt is asked once per host


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "//x"])
def test_only_http_and_https(fetcher, url):
    with pytest.raises(FetchRefused, match="scheme"):
        fetcher.fetch(url)


@pytest.mark.parametrize("host", ["localhost", "2130706433", "127.1", "[::1]", "0.0.0.0"])
def test_loopback_in_disguise_is_refused_after_resolution(web, fetcher, host):
    web.routes["/secret"] = Route("secret")
    with pytest.raises(FetchRefused, match="not a public address"):
        fetcher.fetch(f"http://{host}:{web.port}/secret")
    assert web.hits["/secret"] == 0


def test_loopback_is_refused_unless_allowed(web):
    web.routes["/a"] = Route("<p>hi</p>")
    with Fetcher(Settings(host_delay=0.0)) as guarded, pytest.raises(FetchRefused):
        guarded.fetch(web.url("/a"))
    assert sum(web.hits.values()) == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
def test_redirect_to_a_private_address_is_refused_before_connecting(web, fetcher, target):
    web.routes["/go"] = Route(status=302, headers={"Location": target})
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="not a public address"):
        fetcher.fetch(web.url("/go"))
    assert time.monotonic() - started < 1.0  # refused, not a connect attempt that timed out


def test_redirect_chain_is_followed_up_to_the_limit(web):
    for i in range(4):
        web.routes[f"/r{i}"] = Route(status=301, headers={"Location": f"/r{i + 1}"})
    web.routes["/r4"] = Route("<p>end</p>")
    with Fetcher(Settings(**{**FAST, "max_redirects": 4})) as f:
        page = f.fetch(web.url("/r0"))
        assert page.final_url == web.url("/r4") and page.text() == "<p>end</p>"
    with (
        Fetcher(Settings(**{**FAST, "max_redirects": 3})) as f,
        pytest.raises(FetchRefused, match="redirects"),
    ):
        f.fetch(web.url("/r0"))


def test_robots_txt_is_obeyed(web, fetcher):
    web.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    web.routes["/private/x"] = Route("<p>no</p>")
    web.routes["/public"] = Route("<p>yes</p>")
    assert fetcher.fetch(web.url("/public")).status == 200
    with pytest.raises(FetchRefused, match="robots.txt"):
        fetcher.fetch(web.url("/private/x"))
    assert web.hits["/private/x"] == 0


def test_response_size_limit(web):
    web.routes["/big"] = Route(b"x" * 50_000)
    with Fetcher(Settings(**{**FAST, "fetch_max_bytes": 10_000})) as f, pytest.raises(TooLarge):
        f.fetch(web.url("/big"))


def test_gzip_bomb_is_stopped_at_the_cap(web):
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # 200 MB in about 200 kB
    web.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    web.routes["/small"] = Route(gzip.compress(b"<p>fine</p>"), headers={"Content-Encoding": "gzip"})
    with Fetcher(Settings(**{**FAST, "fetch_max_bytes": 1_000_000})) as f:
        with pytest.raises(TooLarge, match="gzip"):
            f.fetch(web.url("/bomb"))
        assert f.fetch(web.url("/small")).text() == "<p>fine</p>"


def test_slow_answer_and_slow_body_time_out(web):
    web.routes["/slow"] = Route("<p>late</p>", delay=1.0)
    web.routes["/drip"] = Route("<p>" + "word " * 200 + "</p>", drip=0.05)
    with Fetcher(Settings(**{**FAST, "fetch_timeout": 0.6, "backoff_base": 0.0})) as f:
        for path in ("/slow", "/drip"):
            with pytest.raises(FetchFailed, match=r"0\.6 s"):
                f.fetch(web.url(path))


def test_waiting_for_the_host_is_not_counted_against_a_fetch(web):
    """``fetch_timeout`` is the server's time: a request that waits for the host's politeness
    delay, or for a slot held by requests the server does not answer, gets its whole timeout
    from its own turn, and is answered."""
    web.routes["/quick"] = Route("<p>quick</p>")
    polite = Settings(**{**FAST, "fetch_timeout": 0.5, "host_delay": 1.0, "robots": False})
    with Fetcher(polite) as f:
        first, second = f.fetch(web.url("/quick")), f.fetch(web.url("/quick"))
    assert second.started - first.started >= 1.0 and second.text() == "<p>quick</p>"

    web.routes["/stall"] = Route("<p>late</p>", delay=5.0)
    one_slot = Settings(
        **{**FAST, "fetch_timeout": 0.6, "backoff_base": 0.0, "robots": False, "host_concurrency": 1}
    )
    with Fetcher(one_slot) as f, ThreadPoolExecutor(3) as pool:
        stalls = []
        for n in (1, 2):  # each holds the one slot for its 0.6 s; submitted in turn
            stalls.append(pool.submit(f.fetch, web.url(f"/stall?{n}")))
            time.sleep(0.1)
        quick = pool.submit(f.fetch, web.url("/quick"))
        for stall in stalls:
            with pytest.raises(FetchFailed, match=r"0\.6 s"):
                stall.result()
        page = quick.result()
    assert page.text() == "<p>quick</p>" and page.seconds > 1.0  # it waited for both


def test_truncated_body_is_a_transient_failure(web, fetcher):
    web.routes["/cut"] = Route("<p>" + "text " * 100 + "</p>", truncate=50)
    with pytest.raises(FetchFailed):
        fetcher.fetch(web.url("/cut"))


def test_429_with_retry_after_holds_the_host_back(web):
    web.routes["/busy"] = Route("slow down", status=429, headers={"Retry-After": "1"})
    with Fetcher(Settings(**FAST)) as f:
        with pytest.raises(Throttled) as info:
            f.fetch(web.url("/busy"))
        assert info.value.retry_after == 1.0
        web.routes["/busy"] = Route("<p>ok now</p>")
        with pytest.raises(Throttled):  # not asked again before Retry-After has passed
            f.fetch(web.url("/busy"))
        assert web.hits["/busy"] == 1
        time.sleep(1.05)
        assert f.fetch(web.url("/busy")).text() == "<p>ok now</p>"


def test_errors_back_off_exponentially(web):
    web.routes["/down"] = Route("oops", status=500)
    with Fetcher(Settings(**{**FAST, "backoff_base": 0.2})) as f:
        waits = []
        for _ in range(3):
            with pytest.raises(FetchFailed):
                f.fetch(web.url("/down"))
            waits.append(f.backing_off(web.url("/down")))
            time.sleep(waits[-1] + 0.01)
    assert waits[0] <= 0.2 < waits[1] <= 0.4 < waits[2] <= 0.8


def test_4xx_is_terminal_and_does_not_back_off(web, fetcher):
    with pytest.raises(HTTPStatus, match="404"):
        fetcher.fetch(web.url("/missing"))
    assert fetcher.backing_off(web.url("/missing")) == 0


def test_politeness_delay_between_requests_to_one_host(web):
    """The fetcher starts requests to one host at least ``host_delay`` apart, from any thread.

    What is measured is the start the fetcher gives each request (``Page.started``, its own
    clock), not when the server got to it: on a loaded machine the server's threads can be held
    up and then answer two requests back to back, which says nothing about the fetcher."""
    web.routes["/p"] = Route("<p>x</p>")
    settings = Settings(**{**FAST, "host_delay": 0.2, "robots": False, "host_concurrency": 4})
    with Fetcher(settings) as f, ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(lambda _: f.fetch(web.url("/p")), range(6)))
    starts = sorted(p.started for p in pages)
    assert web.hits["/p"] == 6
    assert all(b - a >= 0.2 - 1e-9 for a, b in zip(starts, starts[1:], strict=False)), starts  # float sums
    assert all(p.started <= time.monotonic() for p in pages)


@pytest.mark.parametrize(
    "text, encoding, label",
    [
        ("Priština, Zvečan и Митровица", "utf-8", "text/html; charset=iso-8859-1"),
        ("Сербия и Косово: переговоры в Брюсселе провалились снова", "cp1251", "text/html; charset=utf-8"),
        ("Café crème à Genève, déjà vu", "cp1252", "text/html"),
    ],
)
def test_mislabelled_charsets_are_detected(web, fetcher, text, encoding, label):
    body = f"<html><body><p>{text}</p></body></html>".encode(encoding)
    web.routes["/c"] = Route(body, content_type=label)
    assert text in fetcher.fetch(web.url("/c")).text()
    assert text in decode_body(body, label)


def test_public_addresses_and_retry_after_parsing():
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::1")
    assert not any(map(is_public, ["10.1.2.3", "192.168.0.1", "100.64.0.1", "::ffff:127.0.0.1", "240.0.0.1"]))
    assert retry_after("120", 5) == 120 and retry_after(None, 5) == 5 and retry_after("soon", 5) == 5
    assert 0 <= retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 5) <= 1


def test_the_guard_is_a_transport_that_any_httpx_client_can_use(web):
    """The address check happens in the transport, at connect time: a client that skips
    ``Fetcher``'s URL check still cannot reach a private address."""
    web.routes["/a"] = Route("<p>hi</p>")
    with httpx.Client(transport=GuardedTransport(Guard())) as client, pytest.raises(FetchRefused):
        client.get(web.url("/a"))
    with httpx.Client(transport=GuardedTransport(Guard(("127.0.0.1",)))) as client:
        assert client.get(web.url("/a")).text == "<p>hi</p>"
    with httpx.Client(transport=GuardedTransport(Guard(("localhost",)))) as client:
        response = client.get(f"http://localhost:{web.port}/a")  # connects to the address it checked
        assert response.text == "<p>hi</p>" and response.request.headers["host"] == f"localhost:{web.port}"
    assert web.hits["/a"] == 2


def test_the_fetcher_touches_no_private_httpx_attributes():
    import ast
    import inspect

    from powderkeg.ingest import web as module

    tree = ast.parse(inspect.getsource(module))
    private = [
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "state"))
    ]  # fmt: skip
    assert private == []
