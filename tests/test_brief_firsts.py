"""A brief's "first … in N days" counts days only between dates known to the day (or week): an
event dated to the month only may have happened on any of its days. Hand-built events, no store."""

from __future__ import annotations

import datetime as dt

import pytest

from powderkeg.analyze.index import Key
from powderkeg.brief.check import check
from powderkeg.brief.model import Derivation
from powderkeg.brief.select import Scope
from powderkeg.brief.why import History, first_sentences

from .brief_helpers import brief, citation, report, sentence

PARAMS = {"max_firsts": 2, "first_gap": 30}
SCOPE = Scope("dyad", "SRB-XKX", Key.parse(["SRB", "XKX"]), dt.date(2023, 5, 1), dt.date(2023, 6, 30))


def _event(fid: str, date: str, precision: str) -> dict:
    return {
        "id": fid,
        "type": "ASSAULT",
        "mode": "clash",
        "date": date,
        "date_precision": precision,
        "date_basis": "text",
        "source": ["SRB"],
        "target": ["XKX"],
        "place": {"name": None, "country": "XKX"},
    }


def _cite(event: dict):
    return citation(event["id"], [report(f"r-{event['id']}", "Gunmen fought a police patrol.")], **event)


def _firsts(event: dict, *history: dict) -> list[str]:
    past = History(sorted([*history, event], key=lambda e: e["date"]), None, dt.date(2023, 1, 1))
    return [s.text for s in first_sentences(SCOPE, [(5.0, event)], past, _cite, PARAMS)]


def test_days_are_counted_between_two_days():
    [text] = _firsts(_event("F2", "2023-06-20", "day"), _event("F1", "2023-05-01", "day"))
    assert "was the first" in text and "in 50 days" in text


def test_a_week_dated_event_counts_from_its_day():
    [text] = _firsts(_event("F2", "2023-06-19", "week"), _event("F1", "2023-05-01", "day"))
    assert "in 49 days" in text


@pytest.mark.parametrize(
    ("event", "history"),
    [
        # the event itself is dated to June only: no day to count from
        (_event("F2", "2023-06-01", "month"), [_event("F1", "2023-04-01", "day")]),
        # the previous one was in May: any day of it, so 20 to 50 days before
        (_event("F2", "2023-06-20", "day"), [_event("F1", "2023-05-01", "month")]),
        # "last month" dated at its end, later than the event's day but in the same month
        (_event("F2", "2023-05-10", "day"), [_event("F0", "2023-03-01", "day"), _event("F1", "2023-05-31", "month")]),
    ],
    ids=["event-month", "previous-month", "same-month"],
)  # fmt: skip
def test_a_month_dated_event_makes_no_first(event, history):
    assert _firsts(event, *history) == []


def test_the_checker_refuses_days_counted_from_a_month():
    month = _cite(_event("F1", "2023-06-01", "month"))
    first = Derivation(
        "first",
        "first",
        ("F1",),
        "ordinal",
        61,
        inputs={"event": "F1", "previous": None, "records_since": "2023-04-01"},
    )
    problems = check(
        brief([sentence("The clash was the first in 61 days.", ["F1"], first)], [month])
    ).problems
    assert any("dated to the month only" in p.why for p in problems), problems
