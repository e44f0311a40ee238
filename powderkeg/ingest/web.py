"""All of powderkeg's HTTP: one guarded, polite fetcher.

``Fetcher.fetch(url)`` returns a ``Page`` or raises one of the errors in
errors.py. What it guarantees:

- only ``http`` and ``https``; every hop of a redirect chain is checked again;
- no private, loopback, link-local, multicast or reserved address, checked
  after DNS resolution and again by the client's transport (``GuardedTransport``),
  which sends the request to the very address it checked, keeping the host name
  for the Host header and TLS (no DNS rebinding), unless the URL's host is named
  in ``settings.allow_hosts``;
- at most ``max_redirects`` hops, ``fetch_timeout`` seconds in all from the moment the
  request gets its turn at the host (connecting, the headers and the body: every socket
  operation ends by the fetch's deadline, so a server that drips its headers a byte at a
  time is cut off like one that stalls; time spent waiting behind the host's other
  requests is not counted, or a slow feed would fail its neighbours unasked) and
  ``fetch_max_bytes`` bytes after decompression, which is done here chunk by
  chunk with a cap so a gzip bomb costs at most that many bytes;
- robots.txt, a delay between the starts of requests to one host (``Page.started``)
  and a limit on requests in flight to it, exponential backoff after errors and Retry-After after 429/503;
- conditional GET: pass the ``etag`` and ``last_modified`` of the last
  response and a 304 comes back as ``Page.not_modified``.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from ..errors import FetchFailed, FetchRefused, HTTPStatus, Throttled, TooLarge
from ..settings import Settings
from .charset import decode_body

REDIRECTS = {301, 302, 303, 307, 308}
ROBOTS_AGENT = "powderkeg"


@dataclass(frozen=True)
class Page:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    seconds: float = 0.0
    started: float = 0.0  # when its (last) request was started, on the fetcher's time.monotonic() clock

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text, with its charset checked rather than trusted."""
        return decode_body(self.body, self.content_type)


class Guard:
    """Decides which URLs and addresses may be contacted."""

    def __init__(self, allow_hosts: tuple[str, ...] = ()) -> None:
        self.allow_hosts = {h.lower().strip("[]") for h in allow_hosts}

    def check_url(self, url: str) -> tuple[str, int]:
        """The URL's host and port if it may be fetched; FetchRefused otherwise (no traffic sent)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"{url}: scheme {parts.scheme or '(none)'!r} is not http or https")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchRefused(f"{url}: no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchRefused(f"{url}: bad port") from None
        self.addresses(host, port)
        return host, port

    def addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host``; every address must be public unless the host is allowed by name."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchFailed(f"{host}: cannot resolve ({exc})") from None
        found = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
        if host.strip("[]") not in self.allow_hosts:
            for address in found:
                if not is_public(address):
                    raise FetchRefused(f"{host} resolves to {address}, which is not a public address")
        return found


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and a network may route to: IPv4-mapped
    (::ffff:a.b.c.d), 6to4 (2002:AABB:CCDD::), Teredo (server and client), NAT64
    (64:ff9b::a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d)."""
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_public(address: str) -> bool:
    """A global unicast address, and so is every IPv4 address it embeds (6to4, Teredo, NAT64...)."""
    ip: Any = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner and not all(map(_global, inner)):
            return False
        if ip.ipv4_mapped is not None:
            return True
    return _global(ip)


def _global(ip: Any) -> bool:
    return bool(ip.is_global) and not (
        ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
    )


_DEADLINE = threading.local()


@contextmanager
def deadline(until: float) -> Iterator[None]:
    """Every socket operation of a ``DeadlineTransport`` in this thread ends by ``until``
    (``time.monotonic()``), however slowly the other side answers."""
    before = getattr(_DEADLINE, "until", None)
    _DEADLINE.until = until
    try:
        yield
    finally:
        _DEADLINE.until = before


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    until = getattr(_DEADLINE, "until", None)
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise late("the deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


@contextmanager
def _as_httpx() -> Iterator[None]:
    """httpcore's errors as httpx's classes of the same name (ReadTimeout, ConnectError, ...)."""
    try:
        yield
    except (
        httpcore.TimeoutException,
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
    ) as exc:
        same = next(getattr(httpx, c.__name__) for c in type(exc).__mro__ if hasattr(httpx, c.__name__))
        raise same(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self.stream

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


class DeadlineTransport(httpx.BaseTransport):
    """An HTTP/1.1 transport (httpcore's connection pool, as httpx's own) whose every socket
    operation ends by the calling thread's ``deadline``: httpx's timeouts count per operation,
    so without it a server that sends a byte a second holds a fetch for ever."""

    def __init__(self) -> None:
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream if isinstance(request.stream, Iterable) else None,
            extensions=request.extensions,
        )
        with _as_httpx():
            answer = self.pool.handle_request(core)
        stream = answer.stream if isinstance(answer.stream, Iterable) else [b""]
        return httpx.Response(
            answer.status, headers=answer.headers, stream=_Body(stream), extensions=answer.extensions
        )

    def close(self) -> None:
        self.pool.close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to addresses the guard passed.

    It resolves the request's host itself, refuses the request unless every address may be
    contacted, then sends it to a checked address while the Host header and the TLS server
    name (SNI, and so the certificate check) stay the host's name: DNS cannot change its
    answer between the check and the connection.
    """

    def __init__(self, guard: Guard, transport: httpx.BaseTransport | None = None) -> None:
        self.guard = guard
        self.transport = transport or DeadlineTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        last: httpx.ConnectError | None = None
        for address in self.guard.addresses(url.host, port):
            pinned = httpx.Request(
                request.method,
                url.copy_with(host=address),
                headers=request.headers,  # with Host: the name, not the address
                stream=request.stream,
                extensions={**request.extensions, "sni_hostname": url.host},
            )
            try:
                return self.transport.handle_request(pinned)
            except httpx.ConnectError as exc:
                last = exc
        raise last or httpx.ConnectError(f"no address for {url.host}", request=request)

    def close(self) -> None:
        self.transport.close()


def guarded_client(settings: Settings) -> httpx.Client:
    """An httpx client behind the same guard as the fetcher, for other traffic (alert webhooks):
    no private, loopback, link-local or reserved address unless ``allow_hosts`` names the host,
    no redirects, no proxies from the environment, ``fetch_timeout`` per operation."""
    return httpx.Client(
        transport=GuardedTransport(Guard(settings.allow_hosts)),
        follow_redirects=False,
        trust_env=False,
        timeout=settings.fetch_timeout,
        headers={"User-Agent": settings.user_agent},
    )


def _client(settings: Settings, guard: Guard) -> httpx.Client:
    return httpx.Client(
        transport=GuardedTransport(guard),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    failures: int = 0
    blocked_until: float = 0.0


class Fetcher:
    """A polite, guarded HTTP client. Thread-safe; pass one to everything that fetches."""

    def __init__(self, settings: Settings | None = None, client: httpx.Client | None = None) -> None:
        self.settings = settings or Settings()
        self.guard = Guard(self.settings.allow_hosts)
        self.client = client or _client(self.settings, self.guard)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[float, RobotFileParser]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "", robots: bool = True) -> Page:
        started = time.monotonic()
        deadline = (
            0.0  # from the first hop's turn at its host: a wait behind other requests is not the server's
        )
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            host, _ = self.guard.check_url(current)
            if robots and self.settings.robots:
                self._check_robots(current)
            with self._turn(host) as (state, start):
                deadline = deadline or time.monotonic() + self.settings.fetch_timeout
                with self._request(current, headers, deadline, state) as response:
                    if response.status_code in REDIRECTS and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"])
                        continue
                    body = (
                        b"" if response.status_code == 304 else read_body(response, deadline, self.settings)
                    )
                    state.failures = 0
                    return Page(
                        url=url,
                        final_url=current,
                        status=response.status_code,
                        body=body,
                        content_type=response.headers.get("content-type", ""),
                        etag=response.headers.get("etag", ""),
                        last_modified=response.headers.get("last-modified", ""),
                        seconds=time.monotonic() - started,
                        started=start,
                    )
        raise FetchRefused(f"{url}: more than {self.settings.max_redirects} redirects")

    @contextmanager
    def _request(
        self, url: str, headers: dict[str, str], deadline_at: float, state: _Host
    ) -> Iterator[httpx.Response]:
        left = deadline_at - time.monotonic()
        if left <= 0:
            raise FetchFailed(f"{url}: no answer within {self.settings.fetch_timeout} s")
        try:
            with (
                deadline(deadline_at),
                self.client.stream("GET", url, headers=headers, timeout=left) as response,
            ):
                status = response.status_code
                if status in (429, 503):
                    wait = retry_after(response.headers.get("retry-after"), self._backoff(state))
                    state.blocked_until = time.monotonic() + min(wait, self.settings.backoff_max)
                    raise Throttled(f"{url}: HTTP {status}, retry after {wait:.0f} s", retry_after=wait)
                if status >= 500:
                    raise FetchFailed(f"{url}: HTTP {status}")
                if 400 <= status < 500:
                    raise HTTPStatus(f"{url}: HTTP {status}")
                yield response
        except FetchFailed:
            self._fail(state)
            raise
        except httpx.TimeoutException:
            self._fail(state)
            raise FetchFailed(f"{url}: no answer within {self.settings.fetch_timeout} s") from None
        except httpx.TransportError as exc:
            self._fail(state)
            raise FetchFailed(f"{url}: {type(exc).__name__}: {exc}") from None

    def _backoff(self, state: _Host) -> float:
        return min(self.settings.backoff_base * 2 ** max(state.failures - 1, 0), self.settings.backoff_max)

    def _fail(self, state: _Host) -> None:
        state.failures += 1
        state.blocked_until = max(state.blocked_until, time.monotonic() + self._backoff(state))

    @contextmanager
    def _turn(self, host: str) -> Iterator[tuple[_Host, float]]:
        """Wait for this host's backoff, politeness delay and a free slot; give the host's state
        and the start given to this request (at least ``host_delay`` after the one before)."""
        with self._lock:
            state = self._hosts.setdefault(host, _Host(threading.Semaphore(self.settings.host_concurrency)))
        wait = state.blocked_until - time.monotonic()
        if wait > 0:
            raise Throttled(f"{host} is backing off for {wait:.0f} s more", retry_after=wait)
        with state.slots:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                state.next_start = start + self.settings.host_delay
            if start > now:
                time.sleep(start - now)
            yield state, start

    def backing_off(self, url: str) -> float:
        """Seconds before ``url``'s host may be asked again (0 if it may be now)."""
        state = self._hosts.get((urlsplit(url).hostname or "").lower())
        return max(state.blocked_until - time.monotonic(), 0.0) if state else 0.0

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is None or cached[0] < time.monotonic():
            parser = RobotFileParser()
            try:
                page = self.fetch(origin + "/robots.txt", robots=False)
                parser.parse(page.text().splitlines())
            except (HTTPStatus, FetchRefused):  # no robots.txt (RFC 9309: 4xx means allowed)
                parser.parse([])
            cached = (time.monotonic() + self.settings.robots_ttl, parser)
            self._robots[origin] = cached
        if not cached[1].can_fetch(ROBOTS_AGENT, url):
            raise FetchRefused(
                f"{url}: disallowed by {origin}/robots.txt", remedy="the site asks robots not to"
            )


def retry_after(value: str | None, default: float) -> float:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); ``default`` if absent or bad."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(when.timestamp() - time.time(), 0.0)


def read_body(response: httpx.Response, deadline: float, settings: Settings) -> bytes:
    """The decompressed body, never more than ``fetch_max_bytes`` of it in memory."""
    cap = settings.fetch_max_bytes
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity") and declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"{response.url}: {int(declared):,} bytes is over the limit of {cap:,}")
    inflate = _decompressor(encoding, str(response.url))
    out = bytearray()
    for chunk in response.iter_raw():  # as it arrives (a chunk_size would buffer up to it)
        if time.monotonic() > deadline:
            raise FetchFailed(f"{response.url}: body not read within {settings.fetch_timeout} s")
        out += inflate(chunk, cap + 1 - len(out))
        if len(out) > cap:
            raise TooLarge(f"{response.url}: over the limit of {cap:,} bytes ({encoding} body)")
    return bytes(out)


def _decompressor(encoding: str, url: str) -> Any:
    if encoding in ("", "identity"):
        return lambda chunk, room: chunk
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchRefused(f"{url}: unsupported content encoding {encoding!r}")
    state: dict[str, Any] = {"d": zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else 0)}

    def inflate(chunk: bytes, room: int) -> bytes:
        d = state["d"]
        try:
            out = d.decompress(chunk, max(room, 1))
            while d.unconsumed_tail and len(out) < room:
                out += d.decompress(d.unconsumed_tail, room - len(out))
        except zlib.error:
            if encoding == "deflate" and not state.get("raw"):  # some servers send raw deflate
                state.update(d=zlib.decompressobj(-zlib.MAX_WBITS), raw=True)
                return inflate(chunk, room)
            raise FetchFailed(f"{url}: corrupt {encoding} body") from None
        return out  # as long as ``room`` when more is waiting: the caller then stops

    return inflate
