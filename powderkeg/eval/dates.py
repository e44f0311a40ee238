"""Date accuracy on dated sentences: does an event get the day (or week, or month) it happened?

The set (``data/dates.jsonl``, written by the project: our own sentences, no outside text)
gives each sentence with its article's publication date, the event's trigger word, and the
event's date and precision: weekdays and months without a year in past and future tense,
absolute dates with and without a year, relative expressions ("yesterday", "three weeks
ago"), a year alone (unknown: not the publication week) and no date at all (the publication
date, week precision). A sentence is right when the coded event on that trigger has the gold
precision and the gold date at that precision (day: the day; week: within 3 days; month:
the month; unknown: no date). Halves ``look`` and ``confirm`` by a hash of the id, as for
every set: study errors on look, keep a change only if confirm does not get worse.

    powderkeg eval dates powderkeg/eval/data/dates.jsonl --errors 10
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Event
from .common import HALVES, code_records, half, read_jsonl
from .report import Report, bootstrap, cli, mean

if TYPE_CHECKING:
    from ..pipeline import Pipeline

#: the packaged set (`make eval` scores it beside the shared dev sets)
DEFAULT_SET = str(resources.files("powderkeg.eval").joinpath("data/dates.jsonl"))


def agrees(gold: dict[str, Any], event: Event | None) -> bool:
    if event is None or event.date_precision != gold["precision"]:
        return False
    if gold["date"] is None:
        return event.date is None
    if event.date is None:
        return False
    want = dt.date.fromisoformat(gold["date"])
    if gold["precision"] == "month":
        return (event.date.year, event.date.month) == (want.year, want.month)
    if gold["precision"] == "week":
        return abs((event.date - want).days) <= 3
    return event.date == want


def _on_trigger(record: dict[str, Any], events: list[Event]) -> Event | None:
    """The event coded on the gold trigger word (the first, if several)."""
    text, word = record["text"], record["trigger"].lower()
    for event in events:
        start, end = event.spans.get("trigger", (0, 0))
        if word in text[start:end].lower() or text[start:end].lower() in word:
            return event
    return None


def evaluate(path: str | Path = DEFAULT_SET, pipeline: Pipeline | None = None, errors: int = 0) -> Report:
    data = read_jsonl(path, ["id", "published", "text", "trigger", "date", "precision"])
    report = Report("dates", str(path))
    hits: dict[str, list[bool]] = {"": [], **{h: [] for h in HALVES}}
    found: list[bool] = []
    misses = []
    records = [{**r, "date": r["published"], "gold": r["date"]} for r in data]
    for record, events in code_records(records, pipeline):
        gold = {**record, "date": record["gold"]}
        event = _on_trigger(gold, events)
        ok = agrees(gold, event)
        found.append(event is not None)
        for part in ("", half(gold["id"])):
            hits[part].append(ok)
        if not ok and half(gold["id"]) == "look":
            misses.append(
                {"id": gold["id"], "published": gold["published"], "text": gold["text"],
                 "gold": [gold["gold"], gold["precision"]],
                 "got": [event.date.isoformat() if event and event.date else None,
                         event.date_precision if event else "no event on the trigger"]}
            )  # fmt: skip
    report.add(bootstrap(hits[""], mean, "accuracy"))
    for part in HALVES:
        report.add(bootstrap(hits[part], mean, f"{part}_accuracy"))
    report.add(bootstrap(found, mean, "trigger_coded"))
    report.add(
        bootstrap([ok for ok, f in zip(hits[""], found, strict=True) if f], mean, "accuracy_when_coded")
    )
    report.errors = misses[: errors or 0]
    report.notes.append(
        f"{len(data)} sentences of our own; right = the event on the gold trigger has the gold precision"
        " and date (week: within 3 days; month: the month); trigger_coded: an event was coded on the"
        " trigger at all (accuracy_when_coded: of those); --errors lists look's misses only"
    )
    return report


def main(argv: list[str] | None = None) -> None:
    cli(evaluate, argv)


if __name__ == "__main__":
    main()
