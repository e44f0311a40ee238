"""Inputs that must never leave a store on which later runs, tension or alerts fail (issue 15).

Dates at the calendar's ends reach fusion and the index either from a document's metadata
(read as missing when outside 1900 .. tomorrow) or from its text ("on December 1, 9999",
kept: the text says so), so everything downstream must take any date without overflowing.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from powderkeg import Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.escalation import assess
from powderkeg.analyze.index import Key, readings
from powderkeg.analyze.rules import load_rules
from powderkeg.fuse import fuse
from powderkeg.ingest.text import parse_date
from powderkeg.records import shift_date
from powderkeg.store.fused import FuseTables

from .fusion_helpers import article, event


def _ahead(days: int) -> str:
    """A date ``days`` after today, as a marker resolved when the test runs (not at import,
    so that a run crossing midnight does not compare against yesterday)."""
    return f"today+{days}"


def _resolve(value: str) -> tuple[str, dt.date]:
    today = dt.date.today()
    if value.startswith("today+"):
        day = today + dt.timedelta(days=int(value.removeprefix("today+")))
        return day.isoformat(), day
    return value, today


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9999-12-01", None),
        ("0001-01-01", None),
        ("1899-12-31", None),
        (_ahead(2), None),
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2023-05-30T08:00:00Z", dt.date(2023, 5, 30)),
        (_ahead(1), "same"),  # time zones ahead
    ],
)
def test_a_publication_date_outside_a_sane_range_is_missing_with_a_warning(value, expected, caplog):
    value, day = _resolve(value)
    if expected == "same":
        expected = day
    with caplog.at_level(logging.WARNING, logger="powderkeg.ingest.text"):
        assert parse_date(value, "a.txt") == expected
    warned = [r.getMessage() for r in caplog.records]
    assert bool(warned) is (expected is None)
    if warned:
        assert "a.txt" in warned[0] and "read as missing" in warned[0]


def test_shifting_a_date_holds_at_the_calendars_ends():
    assert shift_date(dt.date(9999, 12, 1), 31) == dt.date.max
    assert shift_date(dt.date(1, 1, 1), -31) == dt.date.min
    assert shift_date(dt.date(2023, 5, 30), 2) == dt.date(2023, 6, 1)


RULES = """
[defaults]
min_index = 0.1
sinks = []

[[rules]]
name = "sk"
dyad = ["SRB", "XKX"]
by = "{by}"
"""


@pytest.mark.parametrize("day", ["9999-12-01", "9999-12-31", "0001-01-01", "0001-01-03"])
@pytest.mark.parametrize("by", ["day", "week"])
def test_fusion_tension_and_alerts_take_event_dates_at_the_calendars_ends(tmp_path, day, by):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(by=by), "utf-8")
    items = []
    for name in ("one", "two", "three"):  # one incident, three outlets: fused into one event
        a = article(f"{name}-{day}")
        items.append((a, [event(a, "ASSAULT", "SRB", "XKX", day, killed=3)]))
    with Store(tmp_path / "p.duckdb") as store:
        for a, events in items:
            store.add(a, events)
        touched = fuse(store.con)
        assert len(touched) == 1
        [fused] = FuseTables(store.con).events_of(touched)
        assert fused.date == dt.date.fromisoformat(day) and fused.n_sources == 3
        series = readings(FuseTables(store.con).events(), {}, Key.parse(["SRB", "XKX"]), by)
        assert assess(series) and series[-1].n_events == 1
        engine = AlertEngine(store.con, load_rules(rules_file), {})
        engine.observe(touched)
        a = article(f"four-{day}")  # a later batch fuses against the stored event
        store.add(a, [event(a, "ASSAULT", "SRB", "XKX", day, killed=3)])
        assert fuse(store.con, [a.id]) == touched
        assert fuse(store.con) == []
