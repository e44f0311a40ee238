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

What a chunk reads does not grow with the store. The rules read the fused events of
the windows they judge (their baseline periods and the period) and, for each period of a
window, its news volume; the typical volume is the median over every period in the store.
The engine keeps the volume of every period (a count per period and series granularity,
so its size follows the number of days covered, not of articles) and recounts, after each
chunk, only the periods whose volume that chunk could change: those of the dates of every
report of the fused events it touched (for a daily or weekly series, of the reports precise
enough for it). A fused event is dated by one of its reports, with that report's precision,
and a report never leaves a fused event except by moving to another that fusion touched
too, so these dates hold the old and the new date of every fused event fusion changed or
removed, as far as the series counts it.
Fusion the engine did not observe (another process, ``unmerge``) shows in ``fuse_log`` as
reports outside the touched events: the counts are then read again in full.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from ..records import FusedEvent, shift_date, stable_id
from ..store.filters import DATED
from ..store.fused import FuseTables
from .escalation import Assessment, assess
from .index import TOO_COARSE, Reading, fits, period_of, readings
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


def _days(period: dt.date, by: str) -> list[dt.date]:
    """The days of a ``by`` period (up to the calendar's end)."""
    out = [period]
    while out[-1] < dt.date.max and period_of(day := out[-1] + dt.timedelta(days=1), by) == period:
        out.append(day)
    return out


def _spans(windows: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or adjacent date ranges merged, oldest first."""
    out: list[tuple[dt.date, dt.date]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


# the period of a fused event's date in each series granularity, in SQL (weeks start on Monday)
_PERIOD_SQL = {"day": "f.date", "week": "CAST(date_trunc('week', f.date) AS DATE)",
               "month": "CAST(date_trunc('month', f.date) AS DATE)"}  # fmt: skip


class _Window:
    """Dated fused events (oldest first, as ``FuseTables.events`` gives them)."""

    def __init__(self, events: list[FusedEvent]) -> None:
        self.events = [e for e in events if e.date is not None]
        self.dates = [e.date for e in self.events if e.date is not None]

    def between(self, since: dt.date, until: dt.date) -> list[FusedEvent]:
        return self.events[bisect_left(self.dates, since) : bisect_right(self.dates, until)]


@dataclass
class Reads:
    """What the evaluation read from the store: fused events, and the memberships it counted for
    the news volume (``full``: in full, when the counts were built or rebuilt)."""

    events: int = 0
    members: int = 0
    full: int = 0


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
        # articles per period, for each series granularity the rules use: built on first use
        self.counts: dict[str, dict[dt.date, int]] = {}
        self.seen_seq = 0  # the last fuse_log entry the counts take into account
        self.reads = Reads()  # of the last observe

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
        ids = list(fused_ids)
        self.reads = Reads()
        self._update_counts(ids)
        touched = self.tables.events_of(ids)
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
        # events of the windows and the alerts already fired are read once
        events = []
        for lo, hi in _spans((since, until) for _, _, since, until in todo):
            events += self.tables.events(lo, hi)
        self.reads.events += len(events)
        window = _Window(events)
        known = self._known_between(min(t[2] for t in todo), max(t[3] for t in todo))
        typical = {by: self._typical(by) for by in {rule.by for rule, *_ in todo}}
        fired = []
        for rule, period, since, until in todo:
            alert = self._evaluate(rule, period, since, until, window, known, typical[rule.by])
            if alert:
                fired.append(alert)
        return fired

    # -- news volume -----------------------------------------------------------

    def period_counts(self, by: str) -> dict[dt.date, int]:
        """Articles per ``by`` period over the whole store (``index.period_volume``), kept by ``observe``."""
        if by not in self.counts:
            self.counts[by] = self._count(by, None)
        return self.counts[by]

    def _typical(self, by: str) -> float:
        counts = self.period_counts(by)
        return statistics.median(counts.values()) if counts else 1

    def _count(self, by: str, days: list[dt.date] | None) -> dict[dt.date, int]:
        """Articles per ``by`` period, of the periods holding ``days`` (None: of every period)."""
        coarse = ", ".join(repr(p) for p in sorted(TOO_COARSE[by])) or "NULL"
        where = "" if days is None else " AND f.date BETWEEN ? AND ? AND f.date IN (SELECT unnest(?))"
        rows = self.con.execute(
            f"SELECT {_PERIOD_SQL[by]}, count(DISTINCT m.article_id), count(*)"
            " FROM fused_events f JOIN fused_members m ON m.fused_id = f.id"
            f" WHERE f.date IS NOT NULL AND {DATED.replace('date_basis', 'f.date_basis')}"
            f" AND coalesce(f.date_precision, 'day') NOT IN ({coarse}){where} GROUP BY 1",
            [] if days is None else [min(days), max(days), days],
        ).fetchall()
        read = sum(r[2] for r in rows)
        if days is None:
            self.reads.full += read
        else:
            self.reads.members += read
        return {period: n for period, n, _ in rows}

    def _update_counts(self, ids: list[str]) -> None:
        """Bring the kept counts up to date with the fusion that touched ``ids``."""
        row = self.con.execute("SELECT max(seq) FROM fuse_log WHERE seq > ?", [self.seen_seq]).fetchone()
        last = row[0] if row and row[0] is not None else self.seen_seq
        if not self.counts or last == self.seen_seq:
            self.seen_seq = last
            return
        members = self.con.execute(
            "SELECT m.report_id, e.date, coalesce(e.date_precision, 'unknown')"
            " FROM fused_members m JOIN events e ON e.id = m.report_id"
            " WHERE m.fused_id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
        logged = self.con.execute(
            "SELECT DISTINCT report_id FROM fuse_log WHERE seq > ? AND seq <= ?", [self.seen_seq, last]
        ).fetchall()
        self.seen_seq = last
        if {r[0] for r in logged} - {r[0] for r in members}:
            self.counts.clear()  # fusion this engine did not see: read the counts again when needed
            return
        dated = self.con.execute(
            "SELECT date FROM fused_events WHERE id IN (SELECT unnest(?)) AND date IS NOT NULL", [ids]
        ).fetchall()
        now = {r[0] for r in dated}
        for by, counts in self.counts.items():
            # a report too coarse for the series never dated a fused event it counted
            days = now | {d for _, d, precision in members if d is not None and fits(precision, by)}
            periods = {period_of(d, by) for d in days}
            for period in periods:
                counts.pop(period, None)
            if periods:
                counts.update(self._count(by, sorted({d for p in periods for d in _days(p, by)})))

    def _evaluate(
        self,
        rule: Rule,
        period: dt.date,
        since: dt.date,
        until: dt.date,
        window: _Window,
        known: set[str],
        typical: float,
    ) -> dict[str, Any] | None:
        events = [e for e in window.between(since, until) if rule.wants(e)]
        counts = self.period_counts(rule.by)
        periods = [period_of(since, rule.by)]
        while (end := _days(periods[-1], rule.by)[-1]) < until:
            periods.append(end + dt.timedelta(days=1))
        in_window = {p: counts[p] for p in periods if p in counts}
        series = readings(
            events, {}, rule.key, rule.by, rule.min_sources, since=since, until=until,
            counts=(in_window, typical),
        )  # fmt: skip
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
