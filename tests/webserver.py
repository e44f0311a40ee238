"""A real HTTP server on 127.0.0.1 for tests and benchmarks, run in a thread.

Tests set ``server.routes[path] = Route(...)``: a status, body and headers,
plus behaviours that real servers show: an ETag that turns a conditional GET
into a 304, a delay before answering, headers or a body dripped slowly, a body
cut short of its Content-Length. ``server.hits`` counts requests per path.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: bool = False  # send an ETag and answer 304 to a matching If-None-Match
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between chunks of 16 bytes
    drip_headers: float = 0.0  # seconds between header lines (60 of them), before any body
    truncate: int | None = None  # send only this many bytes of the body, then close

    @property
    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        self.server.hits[path] += 1
        self.server.log.append((time.monotonic(), path))
        route = self.server.routes.get(path)
        if callable(route):
            route = route()
        if route is None:
            route = Route(b"not found", status=404, content_type="text/plain")
        if route.delay:
            time.sleep(route.delay)
        data = route.data
        tag = '"' + hashlib.sha1(data).hexdigest()[:12] + '"'
        if route.etag and self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(route.status)
        if route.drip_headers:
            self.flush_headers()
            for i in range(60):
                time.sleep(route.drip_headers)
                self.wfile.write(f"X-Slow-{i}: .\r\n".encode())
                self.wfile.flush()
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(data)))
        if route.etag:
            self.send_header("ETag", tag)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if route.truncate is not None:
            self.wfile.write(data[: route.truncate])
            self.wfile.flush()
            self.close_connection = True
            return
        if route.drip:
            for i in range(0, len(data), 16):
                self.wfile.write(data[i : i + 16])
                self.wfile.flush()
                time.sleep(route.drip)
            return
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route | Callable[[], Route]]
    hits: Counter[str]
    log: list[tuple[float, str]]

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a slow or dripped answer is expected here


class WebServer:
    """``with WebServer() as web: web.url("/feed.xml")``."""

    def __init__(self, port: int = 0) -> None:
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.routes = {}
        self.httpd.hits = Counter()
        self.httpd.log = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def routes(self) -> dict[str, Route | Callable[[], Route]]:
        return self.httpd.routes

    @property
    def hits(self) -> Counter[str]:
        return self.httpd.hits

    @property
    def log(self) -> list[tuple[float, str]]:
        return self.httpd.log

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> WebServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 document from ``{title, link, guid?, description?, pubDate?}`` items."""
    body = "".join(
        "<item>"
        + "".join(
            f"<{k}>{_esc(v)}</{k}>"
            for k, v in item.items()
            if k in ("title", "link", "guid", "description", "pubDate")
        )
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{_esc(title)}</title><link>http://127.0.0.1/</link><description>t</description>"
        f"{body}</channel></rss>"
    )


def atom(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """An Atom 1.0 document from ``{title, link, id?, summary?, updated?}`` items."""
    entries = "".join(
        "<entry>"
        f'<title>{_esc(i["title"])}</title><link href="{_esc(i["link"])}"/>'
        f"<id>{_esc(i.get('id', i['link']))}</id><updated>{i.get('updated', '2023-09-24T10:00:00Z')}</updated>"
        f"<summary>{_esc(i.get('summary', ''))}</summary>"
        "</entry>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_esc(title)}</title><id>urn:test</id><updated>2023-09-24T10:00:00Z</updated>"
        f"{entries}</feed>"
    )


def article_html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{_esc(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<!doctype html><html><head><title>{_esc(title)}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{_esc(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright News Ltd</footer></body></html>"
    )


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def wait_for_http(url: str, seconds: float = 30.0) -> None:
    """Return once ``url`` answers 200 (a server starting in a thread or another process)."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {seconds} s")
