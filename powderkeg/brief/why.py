"""Why this matters, computed from the tension index and the key's history.

- the peak reading in the window, its z against the series' own baseline (``analyze.escalation``)
  and whether it escalates;
- the previous peak in the look-back before the window, and whether this one is higher;
- firsts: the top conflict events of the window whose kind (type and mode) the key had not seen
  for at least ``first_gap`` days ("the first armed clash on Serbia–Kosovo in 36 days"); days are
  counted only between dates known to the day or week (``COUNTABLE``): an event dated to the month
  only is never a "first", nor one whose previous event of its kind is (it may have come on any
  day of its month);
- an event of the window dated to the month only: it has no reading in a daily or weekly series
  (``analyze.index.TOO_COARSE``), so the brief says that its date is known to the month only;
- who is now involved: countries and organisations in the window's events on the key that none
  of its events of the previous ``first_days`` named, and troop movements by outside parties.

For one undated article there is no series: the sentence says what its events add up to.
Each figure is an ``index``, ``first`` or ``param`` derivation whose recorded computation the
checker redoes (contributions of the cited events, sums, median, MAD scale, z, maxima, days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analyze.escalation import Assessment, assess
from ..analyze.index import TOO_COARSE, Key, contribution, period_of, readings
from ..records import FusedEvent
from .derive import display_name, fmt_figure, fmt_number, noun_of
from .model import Citation, Sentence
from .phrase import Writer, event_clause, event_date, name_codes
from .select import CONFLICT_TYPES, Scope, main_parties
from .source import event_of

if TYPE_CHECKING:
    from ..store.fused import Volume

Cite = Callable[[dict[str, Any]], Citation]
CiteEvent = Callable[[FusedEvent], Citation]  # the citation of a reading's contributing event


@dataclass(frozen=True)
class History:
    """The key's dated events from the start of the look-back to the end of the window."""

    events: list[dict[str, Any]]  # matching the key, dated by their text, oldest first
    volume: Volume
    records_since: dt.date | None  # the store's first text-dated fused event


def _step(by: str) -> dt.timedelta:
    return dt.timedelta(days=7 if by == "week" else 1)


def _period_words(by: str) -> str:
    return "weeks" if by == "week" else "days"


def _label(w: Writer, scope: Scope, cited: Sequence[Citation], params: dict[str, Any]) -> None:
    """The key's name: each code named from a cited event's field that holds it."""
    if scope.kind == "region":
        w.derive(scope.label, "param", [], "region", scope.label, "the brief's region")
        return
    assert scope.key is not None
    for i, code in enumerate(scope.key.countries):
        if i:
            w.add("–" if scope.kind == "dyad" else "and")
        holder = next(
            (
                (c, f)
                for c in cited
                for f in ("source", "target", "place")
                if code in set(c.record.get(f) or ())
                or (
                    f == "place"
                    and code
                    in {(c.record.get("place") or {}).get("country"), c.record.get("context_country")}
                )
            ),
            None,
        )
        if holder:
            w.derive(display_name(code), "name", [holder[0].id], holder[1], code, f"the name of {code}")
        else:
            w.derive(code, "param", [], "key", code, "a code of the brief's key")


def _reading_inputs(
    a: Assessment, history: list[tuple[dt.date, float]], params: dict[str, Any]
) -> dict[str, Any]:
    r = a.reading
    return {
        "key": r.key,
        "by": r.by,
        "period": r.period.isoformat(),
        "contributions": {e.id: round(c, 4) for c, e in r.top},
        "raw": round(r.raw, 4),
        "factor": round(r.index / r.raw, 6) if r.index is not None and r.raw else 1.0,
        "reading": round(r.index or 0.0, 4),
        "history": [[p.isoformat(), round(v, 4)] for p, v in history],
        "median": round(a.median, 4),
        "scale": round(a.scale, 4),
        "z": round(a.z or 0.0, 4),
        "min_history": params["min_history"],
        "min_scale": params["min_scale"],
    }


@dataclass(frozen=True)
class _Matched:
    """The key, for events already matched to it: ``readings`` need not match them again."""

    key: Key

    @property
    def label(self) -> str:
        return self.key.label

    def matches(self, event: FusedEvent) -> bool:
        return True


def series(
    history: History, key: Key, by: str, since: dt.date, until: dt.date, params: dict[str, Any]
) -> list[Assessment]:
    lo = period_of(since, by) - _step(by) * (params["baseline"] + params["lookback_days"] // _step(by).days)
    matched = _Matched(key)  # History.events are the key's already
    events = [event_of(e) for e in history.events]
    rs = readings(
        events,
        history.volume,
        matched,  # type: ignore[arg-type]  # a Key that matches everything
        by,
        params["min_sources"],
        top=10**6,
        since=lo,
        until=until,
    )
    from ..analyze.escalation import Baseline

    base = Baseline(params["baseline"], min_scale=params["min_scale"], min_history=params["min_history"])
    return assess(rs, base)


def peak_sentences(
    scope: Scope, assessed: list[Assessment], cite: CiteEvent, params: dict[str, Any]
) -> tuple[list[Sentence], Sentence | None]:
    """The window's peak reading with its z; the previous peak. Returns (sentences, the peak
    sentence again for the takeaways)."""
    assert scope.since and scope.until
    by = assessed[0].reading.by if assessed else "day"
    first = period_of(scope.since, by)
    window = [a for a in assessed if first <= a.reading.period <= scope.until and a.reading.index is not None]
    if not window:
        return [], None
    peak = max(window, key=lambda a: (a.reading.index or 0.0, a.reading.period))
    if not peak.reading.top:
        return [], None
    step = _step(by)
    hist = [
        (a.reading.period, a.reading.index)
        for a in assessed
        if a.reading.index is not None
        and peak.reading.period - step * params["baseline"] <= a.reading.period < peak.reading.period
    ]
    inputs = _reading_inputs(peak, hist, params)
    top = [cite(e) for _, e in peak.reading.top[:3]]  # the largest contributions, either sign
    w = Writer("why")
    w.add("The")
    _label(w, scope, top, params)
    w.add("tension index peaked at")
    w.derive(
        fmt_figure(inputs["reading"]),  # the value recorded, so writer and checker round alike
        "index",
        [t.id for t in top],
        "reading",
        inputs["reading"],
        "sum of contributions x volume factor",
        **inputs,
    )
    event_date(w, top[0], precision="weekof" if by == "week" else "day")
    w.add(", z =")
    w.derive(
        fmt_figure(inputs["z"]),
        "index",
        [t.id for t in top],
        "z",
        inputs["z"],
        "(reading - median) / scale",
        **inputs,
    )
    w.add("against a median of")
    w.derive(
        fmt_figure(inputs["median"]),
        "index",
        [t.id for t in top],
        "median",
        inputs["median"],
        "median of the baseline readings",
        **inputs,
    )
    w.add("over the previous")
    w.derive(fmt_number(params["baseline"]), "param", [], "baseline", params["baseline"], "baseline periods")
    w.add(_period_words(by))
    z = peak.z or 0.0
    w.add(":")
    w.add(
        "an escalation"
        if peak.escalating
        else "well above its usual level"
        if z >= 1
        else "within its usual range"
        if z > -1
        else "below its usual level"
    )
    w.cite(*[t.id for t in top])
    out = [w.sentence()]
    headline_sentence = out[0]
    prior = [
        a
        for a in assessed
        if a.reading.index is not None
        and first - dt.timedelta(days=params["lookback_days"]) <= a.reading.period < first
        and (a.reading.index or 0) > 0
    ]
    if prior:
        prev = max(prior, key=lambda a: (a.reading.index or 0.0, a.reading.period))
        prev_top = [cite(e) for c, e in [ce for ce in prev.reading.top if ce[0] > 0][:2]]
        if prev_top:
            w = Writer("why")
            w.add("The highest reading in the")
            w.derive(
                fmt_number(params["lookback_days"]),
                "param",
                [],
                "lookback_days",
                params["lookback_days"],
                "look-back days",
            )
            w.add("days before was")
            peak_value = round(prev.reading.index or 0.0, 4)
            pin = {
                "history": [[a.reading.period.isoformat(), round(a.reading.index or 0.0, 4)] for a in prior],
                "peak": peak_value,
            }
            w.derive(
                fmt_figure(peak_value),
                "index",
                [t.id for t in prev_top],
                "peak",
                pin["peak"],
                "the highest earlier reading",
                **pin,
            )
            event_date(w, prev_top[0], precision="weekof" if by == "week" else "day")
            w.add(", so this peak is")
            w.add("higher" if (peak.reading.index or 0) > (prev.reading.index or 0) else "not higher")
            w.cite(*[t.id for t in prev_top], *[t.id for t in top[:1]])
            out.append(w.sentence())
    return out, headline_sentence


def coarse_sentences(
    scope: Scope, ranked: Sequence[tuple[float, dict[str, Any]]], by: str, cite: Cite, params: dict[str, Any]
) -> list[Sentence]:
    """ "The date of the threat, October 2023, is known to the month only, so the Romania tension
    index has no daily reading of it", for the window's top event whose date is too coarse for
    the series (none when every event has a reading); an event without a noun is told whole."""
    coarse = [
        e
        for _, e in ranked
        if e.get("date") and e.get("date_basis") != "ingested" and e.get("date_precision") in TOO_COARSE[by]
    ]
    if not coarse:
        return []
    event = coarse[0]
    c = cite(event)
    noun = noun_of(event["type"], event.get("mode"))
    w = Writer("why")
    if noun:
        w.add("The date of the")
        w.derive(noun, "phrase", [c.id], "type", event["type"], "phrases.toml nouns")
        w.add(",")
        event_date(w, c, prefix=False)
        w.add(", is")
    else:
        event_clause(w, c, figures=False, short=True)
        w.add(": its date is")
    w.add(f"known to the {event['date_precision']} only, so the")
    _label(w, scope, [c], params)
    w.add("tension index has no")
    w.add("weekly" if by == "week" else "daily")
    w.add("reading of it")
    w.cite(c.id)
    return [w.sentence()]


#: date precisions a number of days can be counted from (a week's date is its day's, as the index reads it)
COUNTABLE = ("day", "week")


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _span(event: dict[str, Any]) -> tuple[str, str]:
    """The first and last days an event may have happened on (ISO): a month-dated one's whole month."""
    if event.get("date_precision") in COUNTABLE:
        return event["date"], event["date"]
    day = dt.date.fromisoformat(event["date"])
    return day.replace(day=1).isoformat(), _month_end(day).isoformat()


def first_sentences(
    scope: Scope,
    ranked: Sequence[tuple[float, dict[str, Any]]],
    history: History,
    cite: Cite,
    params: dict[str, Any],
) -> list[Sentence]:
    """ "The armed clash on 29 May 2023 was the first on Serbia–Kosovo in 36 days"."""
    out: list[Sentence] = []
    seen: set[tuple[str, str]] = set()
    of_kind: dict[tuple[str, str], list[dict[str, Any]]] | None = None  # the history by kind, once
    for c, event in ranked:
        if len(out) >= params["max_firsts"] or c <= 0:
            break
        kind = (event["type"], event.get("mode") or "")
        noun = noun_of(*kind)
        if event["type"] not in CONFLICT_TYPES or kind in seen or not noun or not event.get("date"):
            continue
        if event.get("date_precision") not in COUNTABLE:
            continue  # "in May 2023": no day to count from
        seen.add(kind)
        day = dt.date.fromisoformat(event["date"])
        if of_kind is None:
            of_kind = {}
            for e in history.events:
                if e.get("date"):
                    of_kind.setdefault((e["type"], e.get("mode") or ""), []).append(e)
        # ISO dates; a month-dated event counts from its month's first day to its last
        earlier = [e for e in of_kind.get(kind, ()) if _span(e)[0] < event["date"] and e["id"] != event["id"]]
        previous = max(earlier, key=lambda e: (_span(e)[1], e["id"])) if earlier else None
        if previous is not None and previous.get("date_precision") not in COUNTABLE:
            continue  # the previous one may have come on any day of its month: no count of days
        since = dt.date.fromisoformat(previous["date"]) if previous else history.records_since
        if since is None:
            continue
        days = (day - since).days
        if days < params["first_gap"]:
            continue
        cited = cite(event)
        w = Writer("why")
        w.add("The")
        w.derive(noun, "phrase", [cited.id], "type", event["type"], "phrases.toml nouns")
        event_date(w, cited)
        w.add("was the")
        inputs = {
            "event": event["id"],
            "previous": previous["id"] if previous else None,
            "records_since": since.isoformat(),
        }
        ids = [cited.id]
        if previous:
            ids.append(cite(previous).id)
        w.derive("first", "first", ids, "ordinal", days, "no earlier event of its kind in between", **inputs)
        w.add("on")
        _label(w, scope, [cited], params)
        w.add("in")
        w.derive(fmt_number(days), "first", ids, "days", days, "days since the previous one", **inputs)
        w.add("days")
        if previous:
            w.add(", since")
            event_date(w, cite(previous), prefix=False)
        else:
            w.add("of records")
        w.cite(*ids)
        out.append(w.sentence())
    return out


def involved_sentences(
    scope: Scope,
    window: Sequence[tuple[float, dict[str, Any]]],
    before: Sequence[dict[str, Any]] | None,
    cite: Cite,
    params: dict[str, Any],
) -> list[Sentence]:
    """Who is now involved (not in the key's events of the previous days; for an article, who
    besides its two main countries), and troop movements by outside parties."""
    key_codes = main_parties(window, scope.key)
    earlier = {k for e in before or () for k in set(e.get("source") or ()) | set(e.get("target") or ())}
    first_by: dict[str, dict[str, Any]] = {}
    for _, e in window:
        for code in list(e.get("source") or ()) + list(e.get("target") or ()):
            if code not in key_codes and code not in earlier and code not in first_by:
                first_by[code] = e
    out = []
    if first_by:
        codes = list(first_by)[: params["max_names"]]
        w = Writer("why")
        w.add("Newly involved:" if before is not None else "Also involved:")
        for i, code in enumerate(codes):
            if i:
                w.add("and" if i == len(codes) - 1 else ",")
            c = cite(first_by[code])
            field = "source" if code in (c.record.get("source") or ()) else "target"
            name_codes(w, c, [code], field)
        if before is not None:
            w.add(", in none of the events on")
            _label(w, scope, [cite(first_by[k]) for k in codes], params)
            w.add("in the")
            w.derive(
                fmt_number(params["first_days"]),
                "param",
                [],
                "first_days",
                params["first_days"],
                "look-back days",
            )
            w.add("days before")
        out.append(w.sentence())
    moves = [
        e
        for c, e in window
        if e["type"] == "MOBILIZE"
        and set(e.get("source") or ())
        and not set(e.get("source") or ()) & key_codes
    ][: params["max_moves"]]
    if moves:
        w = Writer("why")
        w.add("Troop movements by outside parties:")
        for i, e in enumerate(moves):
            if i:
                w.add(";")
            event_clause(w, cite(e), figures=True, short=True)
        out.append(w.sentence())
    return out


def article_sentences(
    scope: Scope, window: Sequence[tuple[float, dict[str, Any]]], cite: Cite, params: dict[str, Any]
) -> list[Sentence]:
    """For one article: what its events add up to on the index (no series: it may be undated)."""
    positive = [(c, e) for c, e in window if c > 0]
    if not positive:
        return []
    cited = [cite(e) for _, e in positive[: params["max_sum_cites"]]]
    weight: dict[str, float] = {}
    for c, e in positive:
        for code in set(e.get("source") or ()) | set(e.get("target") or ()):
            weight[code] = weight.get(code, 0.0) + c
    codes = [
        k
        for k in sorted(weight, key=lambda k: (-weight[k], k))
        if any(k in (x.record.get("source") or ()) or k in (x.record.get("target") or ()) for x in cited)
    ][:3]
    contributions = {e["id"]: round(contribution(event_of(e)), 4) for _, e in window}
    raw = round(sum(contributions.values()), 4)
    w = Writer("why")
    w.add("Together, the events of this article involving")
    for i, code in enumerate(codes):
        if i:
            w.add("and" if i == len(codes) - 1 else ",")
        holder = next(
            x
            for x in cited
            if code in (x.record.get("source") or ()) or code in (x.record.get("target") or ())
        )
        name_codes(w, holder, [code], "source" if code in (holder.record.get("source") or ()) else "target")
    w.add("add")
    w.derive(
        fmt_figure(raw),
        "index",
        [x.id for x in cited],
        "raw",
        raw,
        "sum of the events' contributions",
        contributions=contributions,
        raw=raw,
    )
    w.add("to the tension index")
    w.cite(*[x.id for x in cited])
    return [w.sentence()]
