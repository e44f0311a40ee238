"""Evaluate alert rules as fused events arrive, and hand alerts to the sinks.

``AlertEngine.observe(fused_ids)`` looks at the periods those fused events
fall in, for every rule whose series they belong to, oldest period first. A
period that escalates fires once per rule and key (the ``alerts`` table keeps
what fired, so re-running fires nothing new) unless the rule is cooling down.
Each alert carries the events that drove it, with the sentences of every
report, and is queued to the rule's sinks; the caller never waits for delivery.
An alert counts as delivered to a sink only once that sink took it
(``alert_deliveries``): what a run could not deliver, because a sink was down or
the process stopped first, is sent again by the next engine (``resend``), so an
alert reaches each sink at least once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from ..records import FusedEvent, shift_date, stable_id
from ..store.fused import FuseTables, Volume
from .escalation import Assessment, assess
from .index import Reading, period_of, readings
from .rules import Rule, RuleSet
from .sinks import AlertSink, Dispatcher

log = logging.getLogger(__name__)
MAX_EVIDENCE = 3  # sentences per event in an alert


def alert_record(rule: Rule, a: Assessment) -> dict[str, Any]:
    """The alert as the sinks receive it and the ``alerts`` table keeps it (JSON)."""
    r: Reading = a.reading
    events = []
    for contribution, e in r.top:
        if contribution <= 0:
            continue
        events.append(
            {
                "id": e.id,
                "date": e.date.isoformat() if e.date else None,
                "type": e.label,
                "source": list(e.source_keys),
                "target": list(e.target_keys),
                "place": e.place_name or None,
                "n_sources": e.n_sources,
                "contribution": round(contribution, 2),
                "evidence": list(dict.fromkeys(rep.sentence for rep in e.reports))[:MAX_EVIDENCE],
                "report_ids": [rep.id for rep in e.reports],
            }
        )
    return {
        "id": stable_id("alert", rule.name, r.key, r.period.isoformat()),
        "rule": rule.name,
        "key": r.key,
        "by": r.by,
        "period": r.period.isoformat(),
        "index": round(r.index or 0.0, 2),
        "raw": round(r.raw, 2),
        "baseline": round(a.median, 2),
        "scale": round(a.scale, 2),
        "z": round(a.z or 0.0, 2),
        "n_sources": r.n_sources,
        "events": events,
    }


def _window(rule: Rule, period: dt.date) -> tuple[dt.date, dt.date]:
    """The days a rule reads to judge a period: its baseline periods and the period itself."""
    step = 7 if rule.by == "week" else 1
    return shift_date(period, -step * (rule.baseline.baseline + 1)), shift_date(period, step - 1)


class _Window:
    """Dated fused events (oldest first, as ``FuseTables.events`` gives them) and the news volume."""

    def __init__(self, events: list[FusedEvent], volume: Volume) -> None:
        self.events = [e for e in events if e.date is not None]
        self.dates = [e.date for e in self.events if e.date is not None]
        self.volume = volume

    def between(self, since: dt.date, until: dt.date) -> list[FusedEvent]:
        return self.events[bisect_left(self.dates, since) : bisect_right(self.dates, until)]


class AlertEngine:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        rules: RuleSet,
        sinks: Mapping[str, AlertSink],
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.con, self.rules, self.sinks = con, rules, sinks
        self.tables = FuseTables(con)
        self.dispatcher = dispatcher
        self.in_flight: set[tuple[str, str]] = set()  # (alert id, sink) queued and not settled

    # -- delivery ------------------------------------------------------------

    def _send(self, sink_name: str, record: dict[str, Any]) -> None:
        """Queue ``record`` to a sink; its row in ``alert_deliveries`` stays open until it is taken."""
        self.con.execute(
            "INSERT INTO alert_deliveries (alert_id, sink) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [record["id"], sink_name],
        )
        sink = self.sinks.get(sink_name)
        if sink is None:
            log.warning(
                "alert %s names sink %s, which is not configured: kept for later", record["id"], sink_name
            )
        elif self.dispatcher is not None and (record["id"], sink_name) not in self.in_flight:
            if self.dispatcher.submit(sink, record):
                self.in_flight.add((record["id"], sink_name))

    def resend(self) -> int:
        """Queue again every delivery an earlier run left open; return how many."""
        self.settle()
        rows = self.con.execute(
            "SELECT d.sink, a.record FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id"
            " WHERE d.delivered_at IS NULL ORDER BY a.period, a.id, d.sink"
        ).fetchall()
        for sink_name, record in rows:
            self._send(sink_name, json.loads(record))
        return len(rows)

    def settle(self) -> None:
        """Record what the dispatcher delivered or gave up on since the last call."""
        if self.dispatcher is None:
            return
        while True:
            try:
                done = self.dispatcher.outcomes.get_nowait()
            except queue.Empty:
                return
            self.in_flight.discard((done.alert_id, done.sink))
            self.con.execute(
                "UPDATE alert_deliveries SET attempts = attempts + ?, last_error = ?,"
                " delivered_at = CASE WHEN ? THEN now() END WHERE alert_id = ? AND sink = ?",
                [done.attempts, done.error or None, done.delivered, done.alert_id, done.sink],
            )

    def close(self, timeout: float | None = 30.0) -> None:
        """Deliver what is queued (waiting at most ``timeout`` seconds) and record it; what was not
        delivered by then stays open for the next run."""
        if self.dispatcher is not None:
            self.dispatcher.close(timeout)
        self.settle()

    # -- evaluation ----------------------------------------------------------

    def observe(self, fused_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Evaluate the rules on the periods these fused events touch; return the alerts fired."""
        self.settle()
        touched = self.tables.events_of(fused_ids)
        todo = []  # (rule, period, since, until), each rule's periods oldest first
        for rule in self.rules.rules:
            periods = sorted(
                {
                    period_of(e.date, rule.by)
                    for e in touched
                    if e.date and e.date_basis != "ingested" and rule.wants(e)
                }
            )
            todo += [(rule, period, *_window(rule, period)) for period in periods]
        if not todo:
            return []
        # every evaluation reads the same store (firing writes only to `alerts`), so the fused
        # events of all the windows, the news volume and the alerts already fired are read once
        since, until = min(t[2] for t in todo), max(t[3] for t in todo)
        window = _Window(self.tables.events(since, until), self.tables.volume(None, None))
        known = self._known_between(since, until)
        fired = []
        for rule, period, since, until in todo:
            alert = self._evaluate(rule, period, since, until, window, known)
            if alert:
                fired.append(alert)
        return fired

    def _evaluate(
        self,
        rule: Rule,
        period: dt.date,
        since: dt.date,
        until: dt.date,
        window: _Window,
        known: set[str],
    ) -> dict[str, Any] | None:
        events = [e for e in window.between(since, until) if rule.wants(e)]
        series = readings(
            events, window.volume, rule.key, rule.by, rule.min_sources, since=since, until=until
        )
        current = [a for a in assess(series, rule.baseline) if a.reading.period == period]
        if not current or not current[0].escalating:
            return None
        record = alert_record(rule, current[0])
        if record["id"] in known or self._cooling(rule, record):
            return None
        self.con.execute(
            "INSERT INTO alerts (id, rule, key, period, reading, z, record) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [
                record["id"],
                rule.name,
                record["key"],
                period,
                record["index"],
                record["z"],
                json.dumps(record),
            ],
        )
        known.add(record["id"])
        for name in rule.sinks:
            self._send(name, record)
        return record

    def _known_between(self, since: dt.date, until: dt.date) -> set[str]:
        """Ids of the alerts already fired for periods in [since, until]."""
        rows = self.con.execute("SELECT id FROM alerts WHERE period BETWEEN ? AND ?", [since, until])
        return {r[0] for r in rows.fetchall()}

    def _cooling(self, rule: Rule, record: dict[str, Any]) -> bool:
        period = dt.date.fromisoformat(record["period"])
        row = self.con.execute(
            "SELECT max(reading) FROM alerts WHERE rule = ? AND key = ? AND period < ? AND period >= ?",
            [rule.name, record["key"], period, shift_date(period, -rule.cooldown_days)],
        ).fetchone()
        last = row[0] if row else None
        return last is not None and record["index"] < rule.rearm * last

    def stored(self, since: dt.date | None = None) -> list[dict[str, Any]]:
        rows = self.con.execute(
            "SELECT record FROM alerts WHERE ? IS NULL OR period >= ? ORDER BY period, rule", [since, since]
        ).fetchall()
        return [json.loads(r[0]) for r in rows]
