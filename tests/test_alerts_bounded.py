"""The alert engine keeps the news volume itself: the same alerts as reading it over the whole
store, for any chunking of a feed, while what it reads per chunk does not grow with the store."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from powderkeg import Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.index import period_volume
from powderkeg.analyze.rules import load_rules
from powderkeg.fuse import fuse

from .fusion_helpers import article, event

RULES = """
[defaults]
baseline = 10
min_index = 3.0
min_scale = 1.0
cooldown_days = 5
sinks = []

[[rules]]
name = "sk"
dyad = ["SRB", "XKX"]

[[rules]]
name = "ru-ua-weekly"
dyad = ["RUS", "UKR"]
by = "week"
baseline = 3

[[rules]]
name = "armenia"
country = "ARM"

[[rules]]
name = "balkans-violence"
region = "western-balkans"
types = ["ASSAULT", "COERCE"]
"""
DYADS = [("SRB", "XKX"), ("BIH", "MNE"), ("RUS", "UKR"), ("ARM", "AZE")]
START = dt.date(2024, 1, 1)


class FullHistory(AlertEngine):
    """The engine as it was: the news volume read over the whole store for every evaluation."""

    def period_counts(self, by: str) -> dict[dt.date, int]:
        return period_volume(self.tables.volume(None, None), by)

    def _update_counts(self, ids: list[str]) -> None:
        pass


def feed(days: int, seed: int = 3) -> list[tuple]:
    """Articles in the order a feed brings them: a few a day for each dyad, calm talks with bursts
    of violence, several outlets on one event (fusion merges them), late reports of events weeks
    old, month-dated events, and undated articles."""
    rng = random.Random(seed)
    items = []
    for day in range(days):
        date = START + dt.timedelta(days=day)
        for d, (a, b) in enumerate(DYADS):
            burst = rng.random() < 0.06
            for n in range(rng.choice([1, 1, 2]) + (3 if burst else 0)):
                name = f"{day}-{d}-{n}"
                art = article(name, date.isoformat(), source=f"outlet-{n % 4}")
                when = date - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 20]))
                if burst and n > 0:
                    ev = event(art, "ASSAULT", a, b, date.isoformat(), killed=2 + n % 2, place=("Zvecan", b))
                elif rng.random() < 0.05:
                    ev = event(art, "COERCE", b, a, when.replace(day=1).isoformat(), precision="month")
                elif rng.random() < 0.04:
                    art = article(name, None)
                    ev = event(art, "THREATEN", a, b, None)
                else:
                    kind = rng.choice(["CONSULT", "CONSULT", "PROTEST", "THREATEN", "COERCE"])
                    ev = event(art, kind, rng.choice([a, b]), b if kind != "PROTEST" else a, when.isoformat())
                items.append((art, [ev]))
    return items


def replay(tmp_path, items, chunk: int, engine_class: type[AlertEngine], label: str):
    """Store, fuse and evaluate ``items`` ``chunk`` at a time; every seventh chunk is fused by
    someone else (the engine does not observe it). Returns the alerts and each observe's reads."""
    rules = load_rules(_rules(tmp_path))
    with Store(str(tmp_path / f"{label}.duckdb")) as store:
        engine = engine_class(store.con, rules, {})
        fired, reads = [], []
        for number, start in enumerate(range(0, len(items), chunk)):
            part = items[start : start + chunk]
            store.add_many(part)
            touched = fuse(store.con, [art.id for art, _ in part])
            if number % 7 == 6:
                continue
            fired += engine.observe(touched)
            reads.append(
                (engine.reads, store.con.execute("SELECT count(*) FROM fused_members").fetchone()[0])
            )
        engine.close()
    return fired, reads


def _rules(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES, "utf-8")
    return path


@pytest.mark.parametrize("chunk", [5000, 37, 12])
def test_alerts_are_those_of_the_full_history_read_for_any_chunking(tmp_path, chunk):
    items = feed(120)
    kept, _ = replay(tmp_path, items, chunk, AlertEngine, "kept")
    full, _ = replay(tmp_path, items, chunk, FullHistory, "full")
    assert len(full) >= 5 and {a["rule"] for a in full} >= {"sk", "ru-ua-weekly", "balkans-violence"}
    assert kept == full  # every alert, with its index, baseline, z and evidence


def test_what_a_chunk_reads_does_not_grow_with_the_store(tmp_path):
    items = feed(200)
    _, reads = replay(tmp_path, items, 24, AlertEngine, "kept")
    assert reads[0][0].full > 0  # the counts are built once...
    rebuilt = [r for r, _ in reads[1:] if r.full]  # ...and again only after fusion it did not see
    assert 0 < len(rebuilt) <= len(reads) // 6 + 1
    final = reads[-1][1]  # memberships in the store at the end
    # fused events and memberships read per chunk, once the rules' windows (a month) are full
    early = [r.events + r.members for r, size in reads if not r.full and 0.2 * final <= size <= 0.4 * final]
    late = [r.events + r.members for r, size in reads if not r.full and size >= 0.8 * final]
    assert len(early) >= 5 and len(late) >= 5
    # the store doubled and more between them; a late chunk reads about what an early one did
    assert sum(late) / len(late) <= 1.3 * sum(early) / len(early), (early, late)
    assert max(late) <= 2 * max(early) and max(late) < final / 2, (early, late)
