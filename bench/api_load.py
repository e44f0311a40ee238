"""Load on the HTTP API: 50 concurrent clients for 60 s against a synthetic store of 200,000 events.

    python bench/api_load.py [--events 200000] [--clients 50] [--seconds 60] [--db FILE]

Builds the store with SQL (articles, events with their contract records and trigger
evidence, fused events of two reports each; no spaCy), starts `powderkeg serve` on
127.0.0.1 in its own process, then runs the clients (one asyncio process, httpx) in
closed loops over three kinds of request, picked at random:

- ``/events`` with filters (type, country, a date window, factuality; pages of 100),
- ``/fused/{id}`` for a random fused event,
- ``/tension`` for a dyad or a country, by day or week, over a year.

Prints requests/s, p50/p95/p99 latency per kind and overall, and errors (any status
but 200, or a failed request). Every loop is bounded in time and in requests, and
targets 127.0.0.1 only. Targets: 0 errors, p95 < 250 ms for a filtered /events page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

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
    """A synthetic store: n_events reports from n_events/5 articles over two years, fused in pairs."""
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
            INSERT INTO articles (id, url, title, published, source, path, text, n_chars, n_events, meta)
            SELECT printf('a%08d', i), printf('https://news.invalid/%d', i), printf('Synthetic report %d', i),
                   DATE '2022-01-01' + CAST(i % 730 AS INTEGER), printf('outlet %d', i % 50), '',
                   printf('Synthetic article %d. Forces clashed with protesters near the border.', i), 70, 5, '{{}}'
            FROM range({n_articles}) t(i)
            """
        )
        con.execute(
            f"""
            CREATE TEMP TABLE gen AS
            SELECT i, printf('e%08d', i) AS id, printf('a%08d', i // 5) AS article_id,
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
                record)
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
                     'spans', json_object('trigger', [10, 17]), 'rule', 'synthetic', 'confidence', 0.8)
            FROM gen
            """
        )
        con.execute("INSERT INTO evidence SELECT id, 'trigger', 10, 17, 'clashed' FROM gen")
        con.execute(
            "CREATE TEMP TABLE members AS SELECT id AS report_id, printf('F%08d', i // 2) AS fused_id, article_id,"
            " type, src, tgt, date, factuality, killed, tgt AS country, i FROM gen WHERE factuality <> 'denied'"
        )
        con.execute(
            "INSERT INTO fused_members (report_id, fused_id, article_id, how, score, reason)"
            " SELECT report_id, fused_id, article_id, 'founded', 0, 'synthetic' FROM members"
        )
        con.execute(
            f"""
            INSERT INTO fused_events (id, type, mode, quad_class, score, date, date_min, date_max, date_precision,
                date_basis, source_keys, target_keys, place_name, place_country, factuality, n_reports, n_sources,
                killed_min, killed_max, record)
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
                                                 'sentence', 'Forces clashed.', 'factuality', factuality)))
            FROM members GROUP BY fused_id
            """
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), a figure the machine's load does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_clients(
    base: str, clients: int, seconds: float, fused_ids: list[str], weights: list[int]
) -> dict[str, list]:
    results: dict[str, list] = {"events": [], "fused": [], "tension": [], "errors": []}
    deadline = time.monotonic() + seconds

    def request(rng: random.Random) -> tuple[str, str, dict]:
        kind = rng.choices(["events", "fused", "tension"], weights=weights)[0]
        if kind == "events":
            year = rng.choice([2022, 2023])
            month = rng.randint(1, 12)
            params = {"type": rng.choice(TYPES), "country": rng.choice(COUNTRIES), "page_size": 100,
                      "since": f"{year}-{month:02d}-01", "until": f"{year + 1}-{month:02d}-01"}  # fmt: skip
            if rng.random() < 0.3:
                params["factuality"] = "asserted"
            return kind, "/events", params
        if kind == "fused":
            return kind, f"/fused/{rng.choice(fused_ids)}", {}
        a, b = rng.sample(COUNTRIES, 2)
        key = f"{a}-{b}" if rng.random() < 0.7 else a
        year = rng.choice([2022, 2023])
        return kind, "/tension", {"key": key, "by": rng.choice(["day", "week"]), "since": f"{year}-01-01",
                                  "until": f"{year}-12-31"}  # fmt: skip

    async def client(n: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(n)
        for _ in range(MAX_REQUESTS // clients):
            if time.monotonic() >= deadline:
                return
            kind, path, params = request(rng)
            started = time.perf_counter()
            try:
                response = await http.get(path, params=params)
                ok = response.status_code == 200
            except httpx.HTTPError as exc:
                ok, response = False, exc
            took = time.perf_counter() - started
            if ok:
                results[kind].append(took)
            else:
                results["errors"].append((kind, path, str(getattr(response, "status_code", response))))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
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
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="pk-load-")
    db = Path(args.db) if args.db else Path(folder.name) / "load.duckdb"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.events)
        print(f"built {db} with {args.events:,} events in {time.perf_counter() - started:.1f} s")
    with Store(db, read_only=True) as store:
        counts = store.counts()
        fused_ids = [
            r[0] for r in store.con.execute("SELECT id FROM fused_events USING SAMPLE 5000").fetchall()
        ]
        n_fused = store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0]
    print(f"store: {counts.events:,} events, {n_fused:,} fused events, {counts.articles:,} articles")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "powderkeg",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ],
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/events?page_size=1", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        load_before = os.getloadavg()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        started = time.perf_counter()
        results = asyncio.run(
            run_clients(
                base, args.clients, args.seconds, fused_ids, [int(w) for w in args.weights.split(",")]
            )
        )
        elapsed = time.perf_counter() - started
        server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    done = sum(len(results[k]) for k in ("events", "fused", "tension"))
    print(f"{args.clients} clients, {elapsed:.1f} s, {done:,} requests: {done / elapsed:.1f} requests/s, "
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
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    print(f"CPU per request: server {server_cpu / max(done, 1) * 1e3:.1f} ms, clients {client_cpu / max(done, 1) * 1e3:.1f} ms"
          f" (server used {server_cpu / elapsed:.2f} cores on average)")  # fmt: skip
    events_p95 = percentile(results["events"], 0.95) * 1e3
    print(f"targets: 0 errors ({'met' if not results['errors'] else 'MISSED'}), /events p95 < 250 ms "
          f"({events_p95:.0f} ms: {'met' if events_p95 < 250 else 'MISSED'})")  # fmt: skip
    if statistics.mean(results["events"] or [0]) and not args.db:
        folder.cleanup()


if __name__ == "__main__":
    main()
