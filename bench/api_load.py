"""Load on the HTTP API: 50 concurrent clients for 60 s against a synthetic store of 200,000 events.

    python bench/api_load.py [--events 200000] [--clients 50] [--seconds 60] [--db FILE] [--against DIR]

Builds the store with SQL (articles, events with their contract records and trigger
evidence, fused events of two reports each; no spaCy), starts `powderkeg serve` on
127.0.0.1 in its own process, waits until it is idle (it builds its in-memory indexes at
start; requests meanwhile are answered by SQL), warms it up for 5 s (not counted), then runs the clients in closed loops over three kinds of request,
picked at random with weights 6:3:1 (``--weights``):

- ``/events``, filtered as an analyst would: a window of 7, 30, 90 or 365 days starting on
  a random day of the two years; one or two types (80% of requests), one or two countries
  (80%), a factuality (30%), a word or phrase of the sentences (20%); pages of 100, and one
  request in four after a page follows its ``next_cursor``;
- ``/fused/{id}`` for a random one of 5,000 sampled fused events;
- ``/tension`` for a random dyad (70%) or country, by day or week, over a year starting on
  a random day.

The clients are one asyncio process with a minimal keep-alive HTTP/1.1 client (httpx costs
~4 ms of CPU per request, which would take the CPU the server is measured on). Prints
requests/s, p50/p95/p99 latency per kind and overall, errors (any status but 200, or a failed
request), the load average, and CPU per request of the server and of the clients. With
``--against DIR`` it then does the same with the powderkeg package of another checkout (say
``git worktree add /tmp/base main``) and prints the ratios. Every loop is bounded in time and
in requests, and targets 127.0.0.1 only. Targets: 0 errors, p95 < 250 ms for a filtered
/events page.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from against import command

from powderkeg import Store

COUNTRIES = ["SRB", "XKX", "BIH", "MNE", "MKD", "ALB", "HRV", "UKR", "RUS", "SYR", "ISR", "PSE", "SDN", "NGA", "MLI",
             "COD", "ETH", "MMR", "AFG", "YEM"]  # fmt: skip
TYPES = [
    "ASSAULT",
    "PROTEST",
    "COERCE",
    "THREATEN",
    "ACCUSE",
    "CONSULT",
    "AGREE",
    "MOBILIZE",
    "REQUEST",
    "SUPPORT",
]
QUADS = {"ASSAULT": (4, -10.0), "PROTEST": (4, -6.5), "COERCE": (4, -7.0), "THREATEN": (3, -6.0), "ACCUSE": (3, -2.0),
         "CONSULT": (1, 1.0), "AGREE": (1, 3.0), "MOBILIZE": (4, -5.0), "REQUEST": (3, -0.5), "SUPPORT": (2, 4.0)}  # fmt: skip
MAX_REQUESTS = 2_000_000  # a bound on every client loop besides the time


def build(db: Path, n_events: int) -> None:
    """A synthetic store: n_events reports from n_events/5 articles over two years, fused in pairs.
    Ids are hashes, as the store's are (so no lookup is helped by ids that sort as they were added)."""
    with Store(db) as store, store.unit() as con:
        con.execute(
            "CREATE TEMP TABLE c AS SELECT unnest(?) AS code, generate_subscripts(?, 1) AS i", [COUNTRIES] * 2
        )
        types = "[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
        quads = "map {" + ", ".join(f"'{t}': {q}" for t, (q, _) in QUADS.items()) + "}"
        scores = "map {" + ", ".join(f"'{t}': {s}" for t, (_, s) in QUADS.items()) + "}"
        countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        n_articles = max(n_events // 5, 1)
        con.execute(
            f"""
            INSERT INTO articles (id, url, title, published, source, path, text, n_chars, n_events, meta, seq)
            SELECT substr(md5('a' || i), 1, 16), printf('https://news.invalid/%d', i), printf('Synthetic report %d', i),
                   DATE '2022-01-01' + CAST(i % 730 AS INTEGER), printf('outlet %d', i % 50), '',
                   printf('Synthetic article %d. Forces clashed with protesters near the border.', i), 70, 5, '{{}}',
                   i + 1
            FROM range({n_articles}) t(i)
            """
        )
        con.execute(
            f"""
            CREATE TEMP TABLE gen AS
            SELECT i, substr(md5('e' || i), 1, 16) AS id, substr(md5('a' || (i // 5)), 1, 16) AS article_id,
                   {types}[1 + CAST(hash(i * 3) % {len(TYPES)} AS INTEGER)] AS type,
                   {countries}[1 + CAST(hash(i * 5) % {len(COUNTRIES)} AS INTEGER)] AS src,
                   {countries}[1 + CAST(hash(i * 7) % {len(COUNTRIES)} AS INTEGER)] AS tgt,
                   DATE '2022-01-01' + CAST((i // 5) % 730 AS INTEGER) AS date,
                   CASE WHEN hash(i * 11) % 20 = 0 THEN 'denied' WHEN hash(i * 11) % 10 = 1 THEN 'claimed'
                        ELSE 'asserted' END AS factuality,
                   CAST(hash(i * 13) % 6 AS INTEGER) AS killed,
                   35.0 + (hash(i * 17) % 2000) / 100.0 AS lat, 15.0 + (hash(i * 19) % 3000) / 100.0 AS lon
            FROM range({n_events}) t(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO events (id, article_id, type, mode, cameo, acled_type, quad_class, score, source_countries,
                target_countries, source_orgs, target_orgs, place_country, date, date_precision, killed, injured,
                arrested, size, factuality, claimed_by, sentence, sentence_start, sentence_index, rule, confidence,
                record, seq)
            SELECT id, article_id, type, NULL, '190', 'Armed clash', {quads}[type], {scores}[type], [src], [tgt],
                   [], [], tgt, date, 'day', killed, NULL, NULL, NULL, factuality, NULL,
                   printf('Forces of %s clashed with %s protesters, killing %d, report %d.', src, tgt, killed, i),
                   0, 0, 'synthetic', 0.8,
                   json_object('id', id, 'type', type, 'mode', NULL, 'cameo', '190', 'acled_type', 'Armed clash',
                     'quad_class', {quads}[type], 'score', {scores}[type],
                     'source', json_object('text', 'forces of ' || src, 'country', src, 'org', NULL, 'sector', 'MIL'),
                     'target', json_object('text', tgt || ' protesters', 'country', tgt, 'org', NULL, 'sector', 'PRO'),
                     'place', json_object('name', 'Town ' || (i % 997), 'country', tgt, 'admin1', NULL, 'lat', lat,
                                          'lon', lon, 'precision', 'place'),
                     'date', CAST(date AS VARCHAR), 'date_precision', 'day',
                     'numbers', json_object('killed', killed, 'injured', NULL, 'arrested', NULL, 'size', NULL),
                     'factuality', factuality, 'claimed_by', NULL, 'article_id', article_id,
                     'sentence', printf('Forces of %s clashed with %s protesters, killing %d, report %d.',
                                        src, tgt, killed, i),
                     'spans', json_object('trigger', [10, 17]), 'rule', 'synthetic', 'confidence', 0.8),
                   i // 5 + 1
            FROM gen
            """
        )
        con.execute(
            "INSERT INTO evidence (event_id, field, start_char, end_char, text, seq)"
            " SELECT id, 'trigger', 10, 17, 'clashed', i // 5 + 1 FROM gen"
        )
        con.execute(
            "CREATE TEMP TABLE members AS SELECT id AS report_id, 'F' || substr(md5('F' || (i // 2)), 1, 15) AS fused_id, article_id,"
            " type, src, tgt, date, factuality, killed, tgt AS country, i FROM gen WHERE factuality <> 'denied'"
        )
        con.execute(
            "INSERT INTO fused_members (report_id, fused_id, article_id, how, score, reason, seq)"
            " SELECT report_id, fused_id, article_id, 'founded', 0, 'synthetic', i // 5 + 1 FROM members"
        )
        con.execute(
            f"""
            INSERT INTO fused_events (id, type, mode, quad_class, score, date, date_min, date_max, date_precision,
                date_basis, source_keys, target_keys, place_name, place_country, factuality, n_reports, n_sources,
                killed_min, killed_max, record, seq)
            SELECT fused_id, first(type), NULL, {quads}[first(type)], {scores}[first(type)], min(date), min(date),
                   max(date), 'day', 'text', list(DISTINCT src), list(DISTINCT tgt), 'Town', first(country),
                   'asserted', count(*), count(DISTINCT article_id), min(killed), max(killed),
                   json_object('id', fused_id, 'type', first(type), 'mode', NULL, 'quad_class', {quads}[first(type)],
                     'score', {scores}[first(type)], 'date', CAST(min(date) AS VARCHAR), 'date_precision', 'day',
                     'date_basis', 'text', 'dates', NULL, 'source', list(DISTINCT src), 'target', list(DISTINCT tgt),
                     'place', json_object('name', 'Town', 'country', first(country)), 'context_country', first(country),
                     'places', json_object(), 'factuality', 'asserted',
                     'numbers', json_object('killed', json_object('min', min(killed), 'max', max(killed),
                                                                   'by_report', json_object())),
                     'n_reports', count(*), 'n_sources', count(DISTINCT article_id),
                     'reports', list(json_object('id', report_id, 'article_id', article_id, 'outlet', 'outlet',
                                                 'sentence', 'Forces clashed.', 'factuality', factuality))),
                   min(i // 5 + 1)
            FROM members GROUP BY fused_id
            """
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), a figure the machine's load does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, limit: float = 300.0) -> tuple[float, float]:
    """Wait until the server has built its start-up indexes: until it uses under 5% of a core for a
    second (or ``limit`` s pass). Returns (wall seconds waited, server CPU seconds meanwhile)."""
    started, cpu0 = time.perf_counter(), cpu_seconds(pid)
    last = cpu0
    while time.perf_counter() - started < limit:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            break
        last = now
    return time.perf_counter() - started, cpu_seconds(pid) - cpu0


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (Linux /proc), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1 (a few dozen lines of asyncio: httpx spends
    ~4 ms of CPU per request, which on two cores would take the CPU the server is measured on)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, timeout: float) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._get(target), timeout)

    async def _get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


WORDS = ["clashed", "protesters", "killing 3", "forces of srb", "xkx protesters", "report 12", "report 4711",
         "killing 0, report 19", "border"]  # fmt: skip


def events_params(rng: random.Random) -> dict[str, str]:
    """A filtered /events page as an analyst asks for one: a date window of a week to a year starting
    anywhere in the two years, one or two types and/or countries, sometimes a factuality or a word."""
    start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(730))
    params = {"page_size": "100", "since": start.isoformat(),
              "until": (start + dt.timedelta(days=rng.choice([7, 30, 90, 365]))).isoformat()}  # fmt: skip
    if rng.random() < 0.8:
        params["type"] = ",".join(rng.sample(TYPES, rng.choice([1, 1, 2])))
    if rng.random() < 0.8:
        params["country"] = ",".join(rng.sample(COUNTRIES, rng.choice([1, 1, 2])))
    if rng.random() < 0.3:
        params["factuality"] = rng.choice(["asserted", "asserted,claimed", "claimed"])
    if rng.random() < 0.2:
        params["text"] = rng.choice(WORDS)
    return params


def next_cursor(body: bytes) -> str | None:
    """The page's next_cursor (it leads the body, so no need to parse the whole page)."""
    head = body[:300]
    at = head.find(b'"next_cursor":"')
    return head[at + 15 : head.index(b'"', at + 15)].decode("ascii") if at >= 0 else None


async def run_clients(
    host: str,
    port: int,
    clients: int,
    seconds: float,
    fused_ids: list[str],
    weights: list[int],
    seed: int = 0,
) -> dict[str, Any]:
    """``clients`` closed loops for ``seconds``; after a /events page, the next /events request of
    the same client follows its next_cursor one time in four (reading on)."""
    results: dict[str, Any] = {"events": [], "fused": [], "tension": [], "errors": []}
    deadline = time.monotonic() + seconds

    def request(rng: random.Random, last: dict[str, Any]) -> tuple[str, str, dict]:
        kind = rng.choices(["events", "fused", "tension"], weights=weights)[0]
        if kind == "events":
            if last.get("cursor") and rng.random() < 0.25:
                return kind, "/events", {**last["params"], "cursor": last["cursor"]}
            return kind, "/events", events_params(rng)
        if kind == "fused":
            return kind, f"/fused/{rng.choice(fused_ids)}", {}
        a, b = rng.sample(COUNTRIES, 2)
        key = f"{a}-{b}" if rng.random() < 0.7 else a
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(365))
        return kind, "/tension", {"key": key, "by": rng.choice(["day", "week"]), "since": start.isoformat(),
                                  "until": (start + dt.timedelta(days=364)).isoformat()}  # fmt: skip

    async def client(n: int) -> None:
        rng = random.Random(seed + n)
        conn = Connection(host, port)
        last: dict[str, Any] = {}
        try:
            for _ in range(MAX_REQUESTS // clients):
                if time.monotonic() >= deadline:
                    return
                kind, path, params = request(rng, last)
                target = path + ("?" + urlencode(params) if params else "")
                started = time.perf_counter()
                try:
                    status, body = await conn.get(target, timeout=30)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    conn.close()
                    status, body = 0, repr(exc).encode()
                took = time.perf_counter() - started
                if status == 200:
                    results[kind].append(took)
                    if kind == "events":
                        last = {"params": {k: v for k, v in params.items() if k != "cursor"},
                                "cursor": next_cursor(body)}  # fmt: skip
                else:
                    results["errors"].append((kind, target, status, body[:200]))
        finally:
            conn.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", help="keep the synthetic store here (built if missing)")
    parser.add_argument(
        "--weights", default="6,3,1", help="shares of /events, /fused/{id}, /tension requests"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of requests not counted first")
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="also serve with the powderkeg package of another checkout, and compare",
    )
    parser.add_argument("--build-only", action="store_true", help="build the store at --db and stop")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="pk-load-")
    db = Path(args.db) if args.db else Path(folder.name) / "load.duckdb"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.events)
        print(f"built {db} with {args.events:,} events in {time.perf_counter() - started:.1f} s")
    if args.build_only:
        return
    with Store(db, read_only=True) as store:
        counts = store.counts()
        fused_ids = [
            r[0] for r in store.con.execute("SELECT id FROM fused_events USING SAMPLE 5000").fetchall()
        ]
        n_fused = store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0]
    print(f"store: {counts.events:,} events, {n_fused:,} fused events, {counts.articles:,} articles")
    weights = [int(w) for w in args.weights.split(",")]
    print(
        f"mix: /events {weights[0]}, /fused/{{id}} {weights[1]}, /tension {weights[2]} (see --help for each)"
    )
    mine = measure(db, args, fused_ids, weights, None)
    report("this checkout", mine)
    if args.against:  # the same store, built by the other checkout (its own schema version)
        other = Path(folder.name) / f"against-{args.events}.duckdb"
        subprocess.run(
            command(args.against, __file__, "--build-only", "--events", str(args.events), "--db", str(other)),
            check=True,
            capture_output=True,
        )
        theirs = measure(other, args, fused_ids, weights, args.against)
        report(f"baseline: {args.against}", theirs)
        for kind in ("events", "fused", "tension"):
            a, b = mine[kind], theirs[kind]
            print(f"{kind:<8} p95 {percentile(a, 0.95) * 1e3:8.0f} ms vs {percentile(b, 0.95) * 1e3:8.0f} ms"
                  f" (x{percentile(b, 0.95) / percentile(a, 0.95):.1f});"
                  f" requests/s x{len(a) / mine['elapsed'] / max(len(b) / theirs['elapsed'], 1e-9):.1f}")  # fmt: skip
    folder.cleanup()


def measure(
    db: Path, args: argparse.Namespace, fused_ids: list[str], weights: list[int], source: str | None
) -> dict[str, Any]:
    """Serve ``db`` (with powderkeg from ``source`` when given), warm up, then run the clients."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        command(source, "-mpowderkeg", "serve", "--db", str(db), "--port", str(port), "--host", "127.0.0.1"),
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/events?page_size=1", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        results_ready = wait_idle(server.pid)
        if args.warmup:
            asyncio.run(
                run_clients("127.0.0.1", port, args.clients, args.warmup, fused_ids, weights, seed=10_000)
            )
        load_before = os.getloadavg()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        started = time.perf_counter()
        results = asyncio.run(run_clients("127.0.0.1", port, args.clients, args.seconds, fused_ids, weights))
        results["elapsed"] = time.perf_counter() - started
        results["server_cpu"] = cpu_seconds(server.pid) - server_cpu
        results["client_cpu"] = time.process_time() - client_cpu
        results["load"] = (load_before[0], os.getloadavg()[0])
        results["clients"] = args.clients
        results["peak_rss_mb"] = peak_rss_mb(server.pid)
        results["ready"] = results_ready
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def report(label: str, results: dict[str, Any]) -> None:
    elapsed = results["elapsed"]
    done = sum(len(results[k]) for k in ("events", "fused", "tension"))
    print(f"{label}: {results['clients']} clients, {elapsed:.1f} s, {done:,} requests: {done / elapsed:.1f} requests/s, "
          f"{len(results['errors'])} errors")  # fmt: skip
    print(f"{'endpoint':<16}{'n':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    everything = []
    for kind, label in (("events", "/events filtered"), ("fused", "/fused/{id}"), ("tension", "/tension")):
        values = results[kind]
        everything += values
        print(f"{label:<16}{len(values):>8}{len(values) / elapsed:>9.1f}{percentile(values, .5) * 1e3:>9.1f}"
              f"{percentile(values, .95) * 1e3:>9.1f}{percentile(values, .99) * 1e3:>9.1f}")  # fmt: skip
    print(f"{'all':<16}{len(everything):>8}{len(everything) / elapsed:>9.1f}"
          f"{percentile(everything, .5) * 1e3:>9.1f}{percentile(everything, .95) * 1e3:>9.1f}"
          f"{percentile(everything, .99) * 1e3:>9.1f}")  # fmt: skip
    if results["errors"]:
        print("first errors:", results["errors"][:5])
    waited, built = results["ready"]
    print(f"before the clients: {waited:.0f} s until the server was idle ({built:.1f} s of its CPU: start-up index"
          " builds), then a warm-up")  # fmt: skip
    load_before, load_after = results["load"]
    print(f"load average before {load_before:.2f}, after {load_after:.2f} ({os.cpu_count()} cores)")
    server_cpu, client_cpu = results["server_cpu"], results["client_cpu"]
    print(f"CPU per request: server {server_cpu / max(done, 1) * 1e3:.2f} ms, clients {client_cpu / max(done, 1) * 1e3:.2f} ms"
          f" (server used {server_cpu / elapsed:.2f} cores, clients {client_cpu / elapsed:.2f});"
          f" server peak memory {results['peak_rss_mb']:.0f} MiB")  # fmt: skip
    events_p95 = percentile(results["events"], 0.95) * 1e3
    print(f"targets: 0 errors ({'met' if not results['errors'] else 'MISSED'}), /events p95 < 250 ms "
          f"({events_p95:.0f} ms: {'met' if events_p95 < 250 else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    main()
