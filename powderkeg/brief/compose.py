"""The deterministic templates: a Brief's sections from its scope's ranked fused events.

- What happened: the events with the largest contribution to tension, one sentence each.
- Key takeaways (3–6): the top episode (a clash told with the force used against it), the top
  military move (and a main party's own when an outsider's leads), the top verbal conflict,
  the index's peak (or, when the window has no reading, that its top event is dated to the
  month only), who is now involved, and the first thing to watch, each when there is one,
  topped up with the next events.
- Why this matters: ``why.py``.
- What to watch: announced and hypothetical reports (never fused, cited one by one), threats,
  and alerts fired on the key in the window.
- Headline: the top episode's first event, said short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..analyze.escalation import Baseline
from .model import Brief, Citation, Evidence, Sentence
from .phrase import Writer, event_clause, event_date
from .select import EPISODE_TYPES, Scope, incidents, main_parties, ranked
from .source import BriefSource, as_fused, event_of
from .why import (
    History,
    article_sentences,
    coarse_sentences,
    first_sentences,
    involved_sentences,
    peak_sentences,
    series,
)


@dataclass(frozen=True)
class BriefParams:
    happened: int = 8  # events under "What happened"
    takeaways: int = 6
    watch: int = 5
    baseline: int = Baseline().baseline  # periods of the index's baseline
    min_scale: float = Baseline().min_scale
    min_history: int = Baseline().min_history
    min_sources: int = 1
    lookback_days: int = 365  # how far back the previous peak is looked for
    first_days: int = 90  # who counts as newly involved: not in the key's events of these days
    first_gap: int = 30  # a "first" needs this many days without an event of its kind
    max_firsts: int = 2
    max_names: int = 4
    max_moves: int = 3
    max_sum_cites: int = 12
    by: str = ""  # day or week; empty: day for windows up to 31 days, else week

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Pool:
    """Citations, built once per event from the store (its reports and their articles)."""

    def __init__(self, source: BriefSource) -> None:
        self.source = source
        self.citations: dict[str, Citation] = {}

    def __call__(self, record: dict[str, Any]) -> Citation:
        if record["id"] not in self.citations:
            self.prefetch([record])
        return self.citations[record["id"]]

    def prefetch(self, records: Sequence[dict[str, Any]]) -> None:
        """Build the citations of these events at once: three reads for all of them."""
        todo = [r for r in records if r["id"] not in self.citations]
        if not todo:
            return
        light = [
            r["id"] for r in todo if r.get("light")
        ]  # read for ranking from columns: the full record now
        full = self.source.records(light) if light else {}
        todo = [full.get(r["id"], r) for r in todo]
        reports = self.source.reports(rep["id"] for r in todo for rep in r.get("reports", ()))
        articles = self.source.articles(rep["article_id"] for rep in reports.values())
        for record in todo:
            self.citations[record["id"]] = self._citation(record, reports, articles)

    @staticmethod
    def _citation(
        record: dict[str, Any], reports: dict[str, dict[str, Any]], articles: dict[str, Any]
    ) -> Citation:
        kind = "fused" if record["id"].startswith("F") else "report"
        report_ids = [r["id"] for r in record.get("reports", ())]
        evidence = []
        seen = set()
        for rid in report_ids:
            rep = reports.get(rid)
            if rep is None:
                continue
            art = articles.get(rep["article_id"], {})
            start = int(rep.get("sentence_start", 0))
            if (rep["article_id"], start) in seen:
                continue
            seen.add((rep["article_id"], start))
            evidence.append(
                Evidence(
                    rid,
                    rep["article_id"],
                    art.get("url") or "",
                    art.get("title") or "",
                    art.get("outlet") or "",
                    rep["sentence"],
                    start,
                    start + len(rep["sentence"]),
                    art.get("published"),
                    {k: list(v) for k, v in (rep.get("spans") or {}).items()},
                )
            )
        mine = {rid: reports[rid] for rid in report_ids if rid in reports}
        return Citation(record["id"], kind, record, mine, tuple(evidence))


def compose(
    source: BriefSource,
    scope: Scope,
    events: Sequence[dict[str, Any]],
    history: History | None,
    params: BriefParams,
    notes: Sequence[str] = (),
) -> Brief:
    """The brief of a scope from its events (dated scopes: those dated in the window)."""
    p = params.to_dict()
    if scope.key is not None:
        p["key"] = list(scope.key.countries)
        if scope.kind == "region":
            p["region"] = scope.key.name
    cite = Pool(source)
    order = ranked(events)
    threats = [e for _, e in order if e["type"] == "THREATEN"][: params.watch]
    cite.prefetch([e for _, e in order[: 3 * params.happened]] + threats)
    groups = incidents(order)
    happened = [_event_sentence(cite(e), "happened") for c, e in order[: params.happened] if c > 0]
    if len(happened) < 3:
        happened += [_event_sentence(cite(e), "happened") for c, e in order if c <= 0][: 3 - len(happened)]

    why: list[Sentence] = []
    peak: Sentence | None = None
    involved: list[Sentence] = []
    if scope.dated and history is not None and scope.key is not None:
        assert scope.since and scope.until
        by = params.by or ("day" if (scope.until - scope.since).days <= 31 else "week")
        p["by"] = by
        assessed = series(history, scope.key, by, scope.since, scope.until, p)
        by_id = {e["id"]: e for e in history.events}
        peaks, peak = peak_sentences(scope, assessed, lambda e: cite(by_id[e.id]), p)
        why += peaks
        coarse = coarse_sentences(scope, order, by, cite, p)
        why += coarse
        if peak is None and coarse:  # no reading to tell: the takeaway says why its top event has none
            peak = coarse[0]
        why += first_sentences(scope, order, history, cite, p)
        lo, hi = (scope.since - dt.timedelta(days=params.first_days)).isoformat(), scope.since.isoformat()
        before = [e for e in history.events if e.get("date") and lo <= e["date"] < hi]  # ISO dates
        involved = involved_sentences(scope, order, before, cite, p)
    else:
        peaks = article_sentences(scope, order, cite, p)
        peak = peaks[0] if peaks else None
        why += peaks
        involved = involved_sentences(scope, order, None, cite, p)
    why += involved

    watch = _watch(source, scope, events, cite, params)
    takeaways = _takeaways(groups, order, cite, peak, involved, watch, params, main_parties(order, scope.key))
    headline = _headline(groups, cite) if groups else None
    sections = {
        "headline": (headline,) if headline else (),
        "takeaways": tuple(takeaways),
        "happened": tuple(happened),
        "why": tuple(why),
        "watch": tuple(watch),
    }
    used = {c for group in sections.values() for s in group for c in s.cites}
    citations = {cid: c for cid, c in cite.citations.items() if cid in used}
    return Brief(scope.to_dict(), sections, citations, p, "templates", tuple(notes))


def _event_sentence(c: Citation, section: str, **kw: Any) -> Sentence:
    w = Writer(section)
    event_clause(w, c, **kw)
    return w.sentence()


def _headline(groups: list[list[tuple[float, dict[str, Any]]]], cite: Any) -> Sentence:
    """The top episode's best-corroborated event (then the largest contribution), said short."""
    top = max(groups[0], key=lambda ce: (ce[1].get("n_sources") or 1, ce[0]))
    w = Writer("headline")
    event_clause(w, cite(top[1]), date=False, short=True)
    s = w.sentence()
    return Sentence(s.text.rstrip("."), s.cites, s.derivations, "headline")


def _takeaways(
    groups: list[list[tuple[float, dict[str, Any]]]],
    order: list[tuple[float, dict[str, Any]]],
    cite: Any,
    peak: Sentence | None,
    involved: list[Sentence],
    watch: list[Sentence],
    params: BriefParams,
    parties: set[str],
) -> list[Sentence]:
    """Slots, each filled when there is something for it: the top episode, the top military
    move (and a main party's own, when an outsider's leads), the top verbal conflict (between the main parties first), the index, who is involved,
    the first thing to watch; then the next episodes up to three takeaways."""
    out: list[Sentence] = []
    used: set[str] = set()

    def episode(group: list[tuple[float, dict[str, Any]]]) -> Sentence:
        """Up to three events of one episode, the best corroborated first."""
        w = Writer("takeaways")
        group = sorted(group, key=lambda ce: (-(ce[1].get("n_sources") or 1), -ce[0], ce[1]["id"]))
        for i, (_, e) in enumerate(group[:3]):
            if i:
                w.add(";")
            event_clause(w, cite(e), date=i == 0)
            used.add(e["id"])
        return w.sentence()

    conflict = [g for g in groups if g[0][0] > 0]

    def prominent(wanted: Any) -> list[tuple[float, dict[str, Any]]] | None:
        """Among the groups whose top event is wanted, the most told (reports), then the one
        weighing most in tension."""
        hits = [g for g in conflict if wanted(g[0][1]) and g[0][1]["id"] not in used]
        return max(hits, key=lambda g: (g[0][1].get("n_reports") or 1, g[0][0])) if hits else None

    def between(e: dict[str, Any]) -> bool:
        return bool(set(e.get("source") or ()) & parties) and bool(set(e.get("target") or ()) & parties)

    def own(e: dict[str, Any]) -> bool:
        return bool(set(e.get("source") or ()) & parties)

    clash = prominent(lambda e: e["type"] in EPISODE_TYPES)
    if clash:
        out.append(episode(clash))
    move = prominent(lambda e: e["type"] == "MOBILIZE")
    if move:
        out.append(episode(move))
    if move and not own(move[0][1]):
        # an outsider's military move leads ("NATO sent troops"): a main party's own is told too
        mine = prominent(lambda e: e["type"] == "MOBILIZE" and own(e))
        if mine:
            out.append(episode(mine))
    verbal = prominent(lambda e: e.get("quad_class") == 3 and between(e)) or prominent(
        lambda e: e.get("quad_class") == 3
    )
    if verbal:
        out.append(episode(verbal))
    if peak is not None:
        out.append(Sentence(peak.text, peak.cites, peak.derivations, "takeaways"))
    if involved:
        out.append(Sentence(involved[0].text, involved[0].cites, involved[0].derivations, "takeaways"))
    for g in conflict:
        if len(out) >= 3:
            break
        if g[0][1]["id"] not in used:
            out.append(episode(g))
    if watch and len(out) < params.takeaways:
        out.append(Sentence(watch[0].text, watch[0].cites, watch[0].derivations, "takeaways"))
    for _, e in order:
        if len(out) >= 3:
            break
        if e["id"] not in used:
            out.append(episode([(0.0, e)]))
    unique: dict[str, Sentence] = {}
    for s in out:
        unique.setdefault(s.text, s)
    return list(unique.values())[: params.takeaways]


def _watch(
    source: BriefSource, scope: Scope, events: Sequence[dict[str, Any]], cite: Any, params: BriefParams
) -> list[Sentence]:
    out: list[Sentence] = []
    if scope.dated:
        assert scope.since and scope.until
        pending = [as_fused(r) for r in source.unconfirmed(scope.since, scope.until)]
    else:
        pending = [as_fused(r) for r in source.unconfirmed(None, None, scope.article_id)]
    if scope.key is not None:
        pending = [e for e in pending if scope.key.matches(event_of(e))]
    pending = [
        e for e in pending if e.get("source") or e.get("target")
    ]  # said by or to no one: nothing to watch
    for e in sorted(pending, key=lambda e: (e["factuality"] != "future", e.get("date") or "", e["id"]))[
        : params.watch
    ]:
        w = Writer("watch")
        w.add("Announced:" if e["factuality"] == "future" else "Possible:")
        event_clause(w, cite(e), base=True, date=False, claim=False)
        out.append(w.sentence())
    threats = [e for _, e in ranked([e for e in events if e["type"] == "THREATEN"])][
        : max(0, params.watch - len(out))
    ]
    for e in threats:
        w = Writer("watch")
        w.add("Threat:")
        event_clause(w, cite(e))
        out.append(w.sentence())
    if scope.dated and scope.key is not None:
        assert scope.since and scope.until
        ids = {e["id"] for e in events}
        for alert in source.alerts(scope.since, scope.until):
            drivers = [x for x in alert.get("events", ()) if x["id"] in ids]
            if not drivers:
                continue
            record = next(e for e in events if e["id"] == drivers[0]["id"])
            c = cite(record)
            w = Writer("watch")
            w.add("Alert: the rule")
            w.add(alert["rule"].lower())
            w.add("fired for the")
            w.add("week" if alert.get("by") == "week" else "day")
            w.add("of")
            precision = "weekof" if alert.get("by") == "week" else "day"
            if precision == "week" or record.get("date") == alert.get("period"):
                event_date(w, c, prefix=False, precision=precision)
            w.cite(c.id, *[cite(next(e for e in events if e["id"] == x["id"])).id for x in drivers[1:]])
            out.append(w.sentence())
    return out
