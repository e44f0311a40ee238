"""How long a brief takes over a month of a 200,000-event store.

Builds a synthetic store (articles, coded events with their sentences and spans, fused events,
memberships) through the store's own bulk insert, once, in a temporary folder (or --db to keep
it), then times ``build_brief`` (reading, ranking, the index series and its baseline, phrasing,
and the grounding check) for a month on the busiest dyad, its first country and its region, five
times each, interleaved, in wall and CPU seconds (the machine may be shared: CPU is the figure
its load does not inflate). As a same-run baseline it times what ``powderkeg tension`` does for
the same key and month (read the fused events and the volume, compute the readings, assess them).
With ``--against DIR`` it then runs itself with the powderkeg package of another checkout (say
``git worktree add /tmp/base main``), on a store that checkout builds, and prints the ratios.

    python bench/brief.py [--events 200000] [--db FILE] [--against DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from against import command

from powderkeg import Store
from powderkeg.analyze.escalation import assess
from powderkeg.analyze.index import Key, readings
from powderkeg.brief import build_brief, check
from powderkeg.knowledge.ontology import code as ontology_code
from powderkeg.store.duckdb import insert_rows
from powderkeg.store.fused import FuseTables

COUNTRIES = "UKR RUS SRB XKX ISR PSE IND PAK SDN SSD ETH ERI COD RWA ARM AZE MMR THA NGA NER".split()
NAMES = {
    "UKR": "Ukrainian",
    "RUS": "Russian",
    "SRB": "Serbian",
    "XKX": "Kosovo",
    "ISR": "Israeli",
    "PSE": "Palestinian",
}
VERBS = {
    "ASSAULT": ("attack", "attacked"), "COERCE": ("arrest", "arrested"), "PROTEST": ("protest", "protested against"),
    "MOBILIZE": ("deploy", "deployed troops near"), "THREATEN": ("threaten", "threatened"), "ACCUSE": ("accuse", "accused"),
    "REQUEST": ("urge", "urged"), "CONSULT": ("meet", "met"), "AGREE": ("agree", "agreed with"), "AID": ("aid", "sent aid to"),
}  # fmt: skip
START, DAYS = dt.date(2022, 1, 1), 730


def build(db: Path, n_events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    weights = [
        30 if c in ("UKR", "RUS") else 10 if c in ("SRB", "XKX", "ISR", "PSE") else 3 for c in COUNTRIES
    ]
    per_article = 10
    articles, events, members, fused = [], [], [], []
    pending_pair: dict | None = None
    for a in range(n_events // per_article):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        aid = f"a{a:07d}"
        sentences, offset = [], 0
        for k in range(per_article):
            src, tgt = rng.choices(COUNTRIES, weights, k=2)
            etype = rng.choice(list(VERBS))
            lemma, verb = VERBS[etype]
            town = f"Town{rng.randrange(500)}"
            killed = rng.choice([None] * 8 + [rng.randrange(1, 40)])
            s_name, t_name = NAMES.get(src, src.title()), NAMES.get(tgt, tgt.title())
            figure = f", and {killed} people were killed" if killed else ""
            sentence = f"{s_name} forces {verb} {t_name} positions near {town} on {day:%d %B %Y}{figure}."
            start = offset
            offset += len(sentence) + 1
            sentences.append(sentence)
            info = ontology_code(etype)
            eid = f"e{a:07d}{k}"
            spans = {
                "source": [start, start + len(s_name) + 7],
                "place": [start + sentence.index(town), start + sentence.index(town) + len(town)],
            }
            if killed:
                i = sentence.index(f"{killed} people")
                spans["numbers.killed"] = [start + i, start + i + len(f"{killed} people")]
            record = {
                "id": eid, "type": etype, "mode": None, "cameo": info.cameo, "acled_type": "", "quad_class": info.quad_class,
                "score": info.score, "source": [{"text": f"{s_name} forces", "country": src, "org": None, "sector": "MIL"}],
                "target": [{"text": f"{t_name} positions", "country": tgt, "org": None, "sector": None}],
                "place": {"name": town, "country": tgt, "admin1": None, "lat": None, "lon": None, "precision": "place"},
                "date": day.isoformat(), "date_precision": "day",
                "numbers": {"killed": killed, "injured": None, "arrested": None, "size": None},
                "factuality": "asserted", "claimed_by": None, "article_id": aid, "sentence": sentence, "spans": spans,
                "rule": f"bench:{etype}:verb:{lemma}|verb", "confidence": 0.9,
            }  # fmt: skip
            events.append((
                eid, aid, etype, None, info.cameo, "", info.quad_class, info.score, [src], [tgt], [], [], tgt, day, "day",
                killed, None, None, None, "asserted", None, sentence, start, k, record["rule"], 0.9, json.dumps(record),
            ))  # fmt: skip
            report = {
                "id": eid,
                "article_id": aid,
                "outlet": "bench",
                "sentence": sentence,
                "factuality": "asserted",
            }
            # one report in five joins the fused event of an earlier one of the same kind
            if pending_pair and pending_pair["type"] == etype and rng.random() < 0.5:
                f = pending_pair
                f["reports"].append(report)
                f["n_reports"] += 1
                f["n_sources"] = len({r["article_id"] for r in f["reports"]})
                members.append((eid, f["id"], aid, "merged", 1.0, "bench"))
                pending_pair = None
                continue
            fid = "F" + eid
            numbers = {"killed": {"min": killed, "max": killed, "by_report": {eid: killed}}} if killed else {}
            f = {
                "id": fid, "type": etype, "mode": None, "quad_class": info.quad_class, "score": info.score,
                "date": day.isoformat(), "date_precision": "day", "date_basis": "text", "dates": None,
                "source": [src], "target": [tgt], "place": {"name": town, "country": tgt}, "context_country": tgt,
                "places": {eid: f"{town} ({tgt})"}, "factuality": "asserted", "numbers": numbers,
                "n_reports": 1, "n_sources": 1, "reports": [report],
            }  # fmt: skip
            fused.append(f)
            members.append((eid, fid, aid, "founded", 0.0, "bench"))
            pending_pair = f if rng.random() < 0.2 else pending_pair
        articles.append(
            (
                aid,
                f"https://bench.invalid/{aid}",
                f"Report {a}",
                day,
                "bench",
                "",
                " ".join(sentences),
                offset,
                per_article,
                "{}",
            )
        )
    with Store(db) as store:
        from powderkeg.store.duckdb import EVENT_COLUMNS

        # each article numbered in order, on its events too (it leads their key): reads by article go by it
        seq = {row[0]: n for n, row in enumerate(articles, 1)}
        insert_rows(
            store.con,
            "articles (id, url, title, published, source, path, text, n_chars, n_events, meta, seq)",
            [(*row, seq[row[0]]) for row in articles],
        )
        insert_rows(store.con, f"events ({EVENT_COLUMNS}, seq)", [(*e, seq[e[1]]) for e in events])
        insert_rows(
            store.con,
            "fused_members (report_id, fused_id, article_id, how, score, reason, seq)",
            [(*m, seq[m[2]]) for m in members],
        )
        rows = [
            (
                f["id"], f["type"], None, f["quad_class"], f["score"], dt.date.fromisoformat(f["date"]), None, None, "day",
                "text", f["source"], f["target"], f["place"]["name"], f["place"]["country"], "asserted", f["n_reports"],
                f["n_sources"], *(2 * [(f["numbers"].get("killed") or {}).get("min")]), None, None, None, None, None, None,
                json.dumps(f),
            )
            for f in fused
        ]  # fmt: skip
        insert_rows(
            store.con,
            "fused_events (id, type, mode, quad_class, score, date, date_min, date_max, date_precision, date_basis,"
            " source_keys, target_keys, place_name, place_country, factuality, n_reports, n_sources, killed_min,"
            " killed_max, injured_min, injured_max, arrested_min, arrested_max, size_min, size_max, record, seq)",
            # numbered by the founder's article (schema step 13)
            [(*row, seq[f["reports"][0]["article_id"]]) for row, f in zip(rows, fused, strict=True)],
        )


def tension(store: Store, key: Key, since: dt.date, until: dt.date) -> int:
    tables = FuseTables(store.con)
    series = readings(
        tables.events(since, until), tables.volume(None, None), key, "day", since=since, until=until
    )
    return len(assess(series))


CASES = {"dyad UKR-RUS": "UKR-RUS", "country SRB": "SRB", "region Eastern Europe": "region:Eastern Europe"}
BASELINE = "baseline: tension readings UKR-RUS"


def measure(db: Path, rounds: int) -> dict[str, Any]:
    """Wall and CPU seconds of each brief (and of the baseline) per round, interleaved."""
    since, until = dt.date(2023, 6, 1), dt.date(2023, 6, 30)
    wall: dict[str, list[float]] = {name: [] for name in [*CASES, BASELINE]}
    cpu: dict[str, list[float]] = {name: [] for name in [*CASES, BASELINE]}
    sizes = {}
    load = [os.getloadavg()[0]]
    with Store(db, read_only=True) as store:
        counts = store.counts()
        fused = store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0]  # type: ignore[index]
        for _ in range(rounds):
            for name, key in CASES.items():
                t, c = time.perf_counter(), time.process_time()
                brief = build_brief(store, key, since, until)
                wall[name].append(time.perf_counter() - t)
                cpu[name].append(time.process_time() - c)
                sizes[name] = (len(brief.sentences), len(brief.citations), check(brief).ok)
            t, c = time.perf_counter(), time.process_time()
            tension(store, Key.parse(["UKR", "RUS"]), since, until)
            wall[BASELINE].append(time.perf_counter() - t)
            cpu[BASELINE].append(time.process_time() - c)
    load.append(os.getloadavg()[0])
    store_line = f"store: {counts.events:,} events, {fused:,} fused events, {counts.articles:,} articles"
    return {
        "wall": wall,
        "cpu": cpu,
        "sizes": sizes,
        "load": load,
        "store": store_line,
        "window": [str(since), str(until)],
    }


def report(label: str, m: dict[str, Any], rounds: int) -> None:
    base = statistics.median(m["wall"][BASELINE])
    print(f"{label}: {m['store']}")
    print(f"a brief over {m['window'][0]} .. {m['window'][1]} (median of {rounds} rounds, checker included;"
          f" load average {m['load'][0]:.1f} -> {m['load'][1]:.1f} on {os.cpu_count()} cores):")  # fmt: skip
    for name, ts in m["wall"].items():
        median, cpu = statistics.median(ts), statistics.median(m["cpu"][name])
        extra = ""
        if name in m["sizes"]:
            n_s, n_c, ok = m["sizes"][name]
            extra = f"  {n_s} sentences, {n_c} citations, check {'passed' if ok else 'FAILED'}"
        print(f"  {name:38s} {median:6.2f} s wall, {cpu:5.2f} s CPU (wall min {min(ts):.2f}, max {max(ts):.2f};"
              f" x{median / base:.1f} baseline){extra}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for --against)")
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="also run with the powderkeg package of another checkout, and compare",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.events)
            print(
                f"built a {args.events:,}-event store in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
        mine = measure(db, args.rounds)
    if args.json:
        print(json.dumps(mine))
        return
    report("this checkout", mine, args.rounds)
    if args.against:  # the other checkout builds its own store (its own schema version) and measures it
        out = subprocess.run(
            command(args.against, __file__, "--events", str(args.events), "--rounds", str(args.rounds), "--json"),
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        theirs = json.loads(out.strip().splitlines()[-1])
        report(f"baseline: {args.against}", theirs, args.rounds)
        for name in CASES:
            a, b = statistics.median(mine["wall"][name]), statistics.median(theirs["wall"][name])
            ca, cb = statistics.median(mine["cpu"][name]), statistics.median(theirs["cpu"][name])
            print(f"  {name:38s} x{b / a:.1f} faster (wall {b:.2f} -> {a:.2f} s, CPU {cb:.2f} -> {ca:.2f} s)")


if __name__ == "__main__":
    main()
