"""Relative dates count back from publication (forwards for announced events): the resolver alone,
on expressions written for this test (the eval set, powderkeg/eval/data/dates.jsonl, scores whole
sentences through the coder)."""

from __future__ import annotations

import datetime as dt

import pytest

from powderkeg.extract.dates import resolve

WEDNESDAY = dt.date(2024, 7, 10)


@pytest.mark.parametrize(
    ("text", "future", "date", "precision"),
    [
        ("Tuesday", False, "2024-07-09", "day"),  # the last such day before
        ("Wednesday", False, "2024-07-10", "day"),  # the publication day itself (as wires write it)
        ("Thursday", False, "2024-07-04", "day"),  # last week's
        ("last Wednesday", False, "2024-07-03", "day"),
        ("Thursday", True, "2024-07-11", "day"),  # announced: the next one
        ("Monday", True, "2024-07-15", "day"),
        ("next Wednesday", False, "2024-07-17", "day"),  # "next" counts forwards whatever the tense
        ("January", False, "2024-01-01", "month"),  # the last such month up to publication
        ("July", False, "2024-07-01", "month"),
        ("in late August", False, "2023-08-01", "month"),
        ("last July", False, "2023-07-01", "month"),
        ("August", True, "2024-08-01", "month"),
        ("March", True, "2025-03-01", "month"),
        ("3 June", False, "2024-06-03", "day"),
        ("20 July", False, "2023-07-20", "day"),  # after publication, so last year's
        ("20 July", True, "2024-07-20", "day"),
        ("May 2019", False, "2019-05-01", "month"),
        ("in 2014", False, None, "unknown"),  # a year alone: no finer date
        ("yesterday", False, "2024-07-09", "day"),
        ("last month", False, "2024-06-30", "month"),
    ],
)
def test_relative_dates_count_from_publication(text, future, date, precision):
    day, got = resolve(text, WEDNESDAY, future)
    assert (day.isoformat() if day else None, got) == (date, precision)


def test_without_a_publication_date_relative_dates_resolve_to_nothing():
    assert resolve("Sunday", None) == (None, "")
    assert resolve("January", None) == (None, "")
    assert resolve("24 September 2023", None) == (dt.date(2023, 9, 24), "day")
