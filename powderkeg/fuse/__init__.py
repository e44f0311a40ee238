"""Event identity: reports of the same real-world event become one fused event.

``fuse(con)`` fuses every counted report not yet fused (or only those of the
given articles) and returns the ids of the fused events it created or changed.
It runs in one transaction and is idempotent: with nothing new it changes
nothing. ``unmerge(con, fused_id, report_ids)`` takes reports out of a fused
event into one of their own, logs it, and keeps them from rejoining it.
The matching rules are in ``match.py``; the assignment in ``cluster.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from ..errors import FuseError
from ..records import FusedEvent, Report, Spread, shift_date
from ..store.fused import FuseTables, Member, ReportCache
from .cluster import Clusters, fused_id, summarise
from .match import WINDOW_DAYS

REACH = dt.timedelta(days=max(WINDOW_DAYS.values()))


def span(reports: Sequence[Report]) -> tuple[dt.date, dt.date]:
    """The days within ``REACH`` of the reports' dates, from first to last: the fused reports
    read (those of the events in reach, see ``FuseTables.members_in_reach``) are dated in it."""
    dates = [r.date for r in reports if r.date is not None]
    if not dates:
        return dt.date.min, dt.date.min
    return shift_date(min(dates), -REACH), shift_date(max(dates), REACH)


def fuse(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str] | None = None,
    cache: ReportCache | None = None,
) -> list[str]:
    """Fuse pending reports; return the ids of the fused events touched, in date order.

    A run that fuses batch after batch passes one ``cache`` to all its calls, so that the
    reports already fused are not read from the store and parsed again for every batch.
    """
    tables = FuseTables(con, cache)
    tables.cache.turn()
    con.execute("BEGIN TRANSACTION")
    try:
        pending = tables.pending(article_ids)
        if not pending:
            con.execute("COMMIT")
            return []
        lo, hi = span(pending)
        clusters = Clusters(tables.members_in_reach(pending, REACH, lo, hi), tables.blocks())
        touched: dict[str, dt.date] = {}
        rows: dict[str, Member] = {}  # report id -> its membership, written once at the end
        log: list[Member] = []
        for report in pending:
            a = clusters.assign(report)
            if a.how == "founded":
                tables.found(a.fused_id, report.article_id)
            rows[report.id] = Member(report.id, a.fused_id, report.article_id, a.how, a.score, a.reason)
            log.append(rows[report.id])
            touched[a.fused_id] = min(touched.get(a.fused_id, dt.date.max), report.date or dt.date.max)
        # each fused event's reports as the merges below find them: A into B, then B into C, moves
        # A's reports twice (``clusters.members`` holds only the end state)
        holding = {fid: list(reports) for fid, reports in clusters.members.items()}
        for gone, keep, score, reason in clusters.consolidate(set(touched)):
            why = f"{gone} merged in: {reason}"
            for report in holding.pop(gone, []):
                rows[report.id] = Member(report.id, keep, report.article_id, "merged", score, why)
                log.append(rows[report.id])
                holding.setdefault(keep, []).append(report)
            tables.drop(gone)
            touched[keep] = min(touched.get(keep, dt.date.max), touched.pop(gone, dt.date.max))
        told = {r.id: r for reports in clusters.members.values() for r in reports}
        tables.write_members(list(rows.values()), log, told)
        tables.upsert_many([summarise(fid, reports) for fid, reports in tables.reports_of(touched).items()])
        tables.cache.reach.settle(con)
        con.execute("COMMIT")
    except BaseException:
        tables.cache.reach.clear()  # it took in writes rolled back
        con.execute("ROLLBACK")
        raise
    return sorted(touched, key=lambda f: (touched[f], f))


def unmerge(con: duckdb.DuckDBPyConnection, fused: str, report_ids: Sequence[str] = ()) -> list[str]:
    """Split reports (all but the first, when none are named) out of a fused event.

    Each report taken out founds a fused event of its own and is blocked from
    rejoining ``fused``. Returns the new fused ids.
    """
    tables = FuseTables(con)
    fid = tables.resolve(fused)
    if fid is None:
        raise FuseError(f"no single fused event matches {fused!r}", remedy="see `powderkeg events` or `show`")
    reports = tables.reports_of([fid]).get(fid, [])
    by_id = {r.id: r for r in reports}
    chosen: list[Report] = []
    for rid in report_ids:
        match = [r for k, r in by_id.items() if k.startswith(rid)]
        if len(match) != 1:
            raise FuseError(
                f"{rid!r} names no single report of {fid}", remedy=f"its reports: {sorted(by_id)}"
            )
        chosen.append(match[0])
    if not report_ids:
        chosen = sorted(reports, key=lambda r: r.sort_key)[1:]
    if not chosen:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        new_ids = []
        for report in chosen:
            new = fused_id(report.id, "split", fid)
            member = Member(report.id, new, report.article_id, "split", 0.0, f"unmerged from {fid}")
            tables.found(new, report.article_id)
            tables.write_members([member], [member], by_id)
            tables.block(report.id, fid)
            tables.upsert(summarise(new, [report]))
            new_ids.append(new)
        rest = [r for r in reports if r not in chosen]
        if rest:
            tables.upsert(summarise(fid, rest))
        else:
            tables.drop(fid)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return new_ids


__all__ = ["FusedEvent", "Report", "Spread", "fuse", "unmerge"]
