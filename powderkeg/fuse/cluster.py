"""Assign reports to fused events, and summarise a fused event from its reports.

Assignment is incremental and greedy, in date order: a new report joins the
existing fused event none of whose reports it conflicts with (so a chain of
near-matches cannot glue two events together: every report can veto) and with
at least one of which it has positive evidence of identity, choosing the best
such match; with no such event it founds a new one. Existing
assignments never move, which keeps ids stable and makes re-running a no-op.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..records import NUMBER_FIELDS, FusedEvent, Report, Spread, shift_date, stable_id
from .match import WINDOW_DAYS, Match, identity

MAX_WINDOW = max(WINDOW_DAYS.values())

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "unknown": 3}
PLACE_RANK = {"place": 0, "admin1": 1, "country": 2, "region": 3, "": 4}


def fused_id(founder: str, *salt: str) -> str:
    return "F" + stable_id("fused", founder, *salt, length=15)


@dataclass(frozen=True)
class Assignment:
    report: Report
    fused_id: str
    how: str  # founded | merged
    score: float
    reason: str


class Clusters:
    """The fused events within reach of the reports being fused."""

    def __init__(self, members: Iterable[tuple[Report, str]], blocks: set[tuple[str, str]]) -> None:
        self.members: dict[str, list[Report]] = {}
        for report, fid in members:
            self.members.setdefault(fid, []).append(report)
        self.blocks = blocks
        # the fused events of each type, in the order of ``members``: only these can match
        # (a report joins only its own type), so a report is compared with them alone
        self.of_type: dict[str, dict[str, None]] = {}
        for fid, reports in self.members.items():
            self.of_type.setdefault(reports[0].type, {})[fid] = None

    def assign(self, report: Report) -> Assignment:
        best: tuple[float, str, str] | None = None
        for fid in self._in_reach(report):
            if (report.id, fid) in self.blocks:
                continue
            reports = self.members[fid]
            matches = []
            for other in reports:
                found = identity(report, other)
                if found is None:
                    break
                matches.append(found)
            else:
                strong = [m for m in matches if m.evidence]
                if strong:
                    top = max(strong, key=lambda m: m.score)
                    if best is None or top.score > best[0]:
                        best = (top.score, fid, top.reason)
        if best is None:
            fid, n = fused_id(report.id), 0
            while fid in self.members or (report.id, fid) in self.blocks:  # it founded one it left
                n += 1
                fid = fused_id(report.id, "refound", str(n))
            self.members[fid] = [report]
            self.of_type.setdefault(report.type, {})[fid] = None
            return Assignment(report, fid, "founded", 0.0, "")
        self.members[best[1]].append(report)
        return Assignment(report, best[1], "merged", best[0], best[2])

    def consolidate(self, touched: set[str]) -> list[tuple[str, str, float, str]]:
        """Merge fused events that turn out to be one once all reports are in.

        Greedy assignment can found two events for one incident when its first
        reports share nothing and a later one links them. Two fused events (one
        of them touched now) merge when no pair of their reports conflicts, some
        pair has evidence, and no report was unmerged from the other. Returns
        (absorbed, into, score, reason) for each merge, and updates the members.
        """
        merges = []
        apart: set[tuple[str, str]] = set()  # pairs found not joinable, while neither has changed
        near: dict[str, list[str]] = {}  # each event's candidates, see ``_near``
        changed = True
        while changed:
            changed = False
            for a in sorted(touched & self.members.keys()):
                of_type = self.of_type[self.members[a][0].type]
                if a not in near:
                    near[a] = self._near(a)
                for b in near[a]:
                    if b not in of_type or (a, b) in apart:  # merged away, or found not joinable
                        continue
                    if not (found := self._joinable(a, b)):
                        apart.add((a, b))
                    else:
                        # the event first reported keeps its id, so ids stay stable as reports arrive
                        keep, gone = sorted((a, b), key=lambda f: min(r.sort_key for r in self.members[f]))
                        self.members[keep].extend(self.members.pop(gone))
                        del self.of_type[self.members[keep][0].type][gone]
                        apart = {pair for pair in apart if keep not in pair}  # it has new reports
                        touched.discard(gone)
                        touched.add(keep)
                        merges.append((gone, keep, found.score, found.reason))
                        changed = True
                        break
                if changed:
                    break
        return merges

    def _near(self, a: str) -> list[str]:
        """The other fused events of ``a``'s type that are not too far apart in time from it to
        be one (``_in_reach`` of its first report).

        ``consolidate`` asks once per event, not again after each merge: a merge appends the
        absorbed event's reports to the one kept, so no event's first report changes, and takes
        the absorbed one out of ``of_type``, where nothing is added; so the candidates still in
        ``of_type`` later are these, in this order. (Testing every pair again after every merge,
        about one a batch, cost a tenth of consolidating.)"""
        return self._in_reach(self.members[a][0], skip=a)

    def _in_reach(self, report: Report, skip: str | None = None) -> list[str]:
        """The fused events of ``report``'s type but ``skip``, in ``of_type``'s order, whose first
        reports are not too far apart in time from it to be one (``_days_near``): ``identity``
        need not be asked of the others."""
        lo, hi = _days_near(report)
        return [
            b
            for b in self.of_type.get(report.type, {})
            if b != skip
            and (
                (first := self.members[b][0]).date is None
                or first.article_id == report.article_id
                or lo <= first.date <= hi
            )
        ]

    def _joinable(self, a: str, b: str) -> Match | None:
        """The best evidence between two fused events, or None if any pair conflicts."""
        best: Match | None = None
        for x in self.members[a]:
            for y in self.members[b]:
                if (x.id, b) in self.blocks or (y.id, a) in self.blocks:
                    return None
                found = identity(x, y)
                if found is None:
                    return None
                if found.evidence and (best is None or found.score > best.score):
                    best = found
        return best


def _days_near(report: Report) -> tuple[dt.date, dt.date]:
    """The first and last day another article's dated report can be on and be one event with
    this report: MAX_WINDOW days either side of its date (held at the calendar's ends), every
    day when it has none. Reports further apart in time than any window, ``identity`` would say
    None, so the fused events holding them cannot be one: a cheap test that spares the call,
    written out in ``Clusters._in_reach``'s loop over the candidates (a call per pair cost more)."""
    if report.date is None:
        return dt.date.min, dt.date.max
    return shift_date(report.date, -MAX_WINDOW), shift_date(report.date, MAX_WINDOW)


def _mode(values: Iterable[str]) -> str:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def summarise(fid: str, reports: Sequence[Report]) -> FusedEvent:
    """One fused event from its reports; disagreements kept as min, max and per report."""
    reports = sorted(reports, key=lambda r: r.sort_key)
    numbers: dict[str, Spread[int]] = {}
    for name in NUMBER_FIELDS:
        said = {r.id: n for r in reports if (n := r.numbers.get(name)) is not None}
        if said:
            numbers[name] = Spread(min(said.values()), max(said.values()), said)
    dated = {r.id: r.date for r in reports if r.date is not None}
    dates = Spread(min(dated.values()), max(dated.values()), dated) if dated else None
    best = min(
        (r for r in reports if r.date is not None),
        key=lambda r: (PRECISION_RANK.get(r.date_precision, 3), r.date or dt.date.max),
        default=None,
    )
    placed = [r for r in reports if r.place_name or r.place_country]
    place_votes = Counter((r.place_name, r.place_country) for r in placed)
    place = (
        min(
            place_votes,
            key=lambda p: (
                -place_votes[p],
                min(
                    PLACE_RANK.get(r.place_precision, 4)
                    for r in placed
                    if (r.place_name, r.place_country) == p
                ),
            ),
        )
        if placed
        else ("", "")
    )
    return FusedEvent(
        id=fid,
        type=reports[0].type,
        mode=_mode(r.mode for r in reports),
        quad_class=Counter(r.quad_class for r in reports).most_common(1)[0][0],
        score=float(statistics.median(r.score for r in reports)),
        date=best.date if best else None,
        date_precision=best.date_precision if best else "unknown",
        date_basis=best.date_basis if best else "ingested",
        source_keys=tuple(sorted(set().union(*(r.source_keys for r in reports)))),
        target_keys=tuple(sorted(set().union(*(r.target_keys for r in reports)))),
        place_name=place[0],
        place_country=place[1],
        factuality="asserted" if any(r.factuality == "asserted" for r in reports) else "claimed",
        reports=tuple(r.cited for r in reports),
        numbers=numbers,
        dates=dates,
        places={r.id: f"{r.place_name or '?'} ({r.place_country or '?'})" for r in placed},
        context_country=place[1] or _mode(r.context_country for r in reports),
    )
