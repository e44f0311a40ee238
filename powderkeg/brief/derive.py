"""Computed words: how a template turns structured fields into text, and how the checker redoes it.

Every function that renders a field (a code as a name, a date, a figure, a verb phrase) lives
here, next to ``verify``, which redoes a recorded ``Derivation`` from the cited events' own
records and says what does not match. The writer and the checker share one implementation,
so a derivation passes exactly when the text is what the fields give.

Kinds:
  name    a country or organisation code on one side of a cited event -> one of its names
  actor   a person's or body's canonical name in a cited report's actor or claimed_by field
  place   a cited event's place name (fused or per report)
  date    a date field of a cited event, formatted (day, week, month)
  number  a figure of a cited event (min, max or one report's value), formatted
  count   how many reports, sources or events the cited events have
  phrase  a verb phrase of phrases.toml for the cited event's type, mode or trigger lemma
  index   a reading of the tension index, its baseline, z or previous peak (recomputed from
          the recorded contributions and history; the cited events' contributions are redone)
  first   days since the previous event of a kind on the key (or since records begin)
  param   a parameter of the brief (look-back days, baseline periods)
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import statistics
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from ..analyze.index import contribution
from .source import event_of

MONTHS = "January February March April May June July August September October November December".split()


# -- names -----------------------------------------------------------------------------------


@functools.cache
def _knowledge() -> Any:
    from ..knowledge.known_actors import Knowledge

    return Knowledge()


@functools.cache
def name_forms() -> dict[str, frozenset[str]]:
    """Code (ISO3 or organisation) -> every name, alias, adjective and demonym the knowledge
    files give it, and the code itself. Capitals are left out: "Belgrade" for Serbia is a
    reading of the text, not a name the code gives."""
    kb = _knowledge()
    out: dict[str, set[str]] = {}
    for key, entries in kb.terms.items():
        for entry in entries:
            if entry.kind == "country" or entry.kind == "org":
                code = entry.code
                out.setdefault(code, {code}).update(kb.forms.get(key, {key}))
    for code in kb.countries:
        out.setdefault(code, {code})
    return {code: frozenset(forms) for code, forms in out.items()}


def display_name(code: str) -> str:
    """How a brief names a code: a country's name, an organisation's acronym (NATO, KFOR)
    or else its name; an unknown code as it is."""
    kb = _knowledge()
    if code in kb.countries:
        return str(kb.countries[code])
    org = kb.orgs.get(code)
    if org is not None:
        return code if code.isupper() and len(code) <= 8 else str(org.name or code)
    return code


def is_org(code: str) -> bool:
    return code in _knowledge().orgs


def org_kind(code: str) -> str:
    org = _knowledge().orgs.get(code)
    return str(org.org_kind) if org is not None else ""


# -- formats ---------------------------------------------------------------------------------


def fmt_day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def fmt_date(day: dt.date, precision: str = "day") -> str:
    """day and week: "29 May 2023" (a week-precise date is said "around" it); month: "May 2023";
    weekof: the Monday of its week (a weekly index period)."""
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    if precision == "weekof":
        return fmt_day(day - dt.timedelta(days=day.weekday()))
    return fmt_day(day)


def fmt_number(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def fmt_figure(value: float) -> str:
    """An index figure: one decimal."""
    return f"{value:.1f}"


# -- phrases ---------------------------------------------------------------------------------


@functools.cache
def phrase_table() -> dict[str, Any]:
    text = resources.files("powderkeg.brief").joinpath("phrases.toml").read_text("utf-8")
    return tomllib.loads(text)


_RULE = re.compile(r"^[^:]*:[A-Z]+(?:/[\w-]+)?:(?:verb|noun):([^\[|]+)")


def lemma_of(rule: str) -> str:
    """The trigger lemma a coding rule names ("builtin:ASSAULT:verb:kill|verb" -> "kill")."""
    m = _RULE.match(rule or "")
    return m.group(1).strip() if m else ""


def phrase_entry(event_type: str, mode: str | None, lemma: str = "") -> list[str]:
    """[past, base, alone] for a type, mode and trigger lemma (see phrases.toml)."""
    table = phrase_table().get(event_type) or {}
    entry = (
        (table.get("lemmas") or {}).get(lemma)
        or (table.get("modes") or {}).get(mode or "")
        or table.get("default")
        or ["acted towards {target}", "act towards {target}", "acted"]
    )
    past, base = entry[0], entry[1]
    alone = entry[2] if len(entry) > 2 else _alone(past)
    return [past, base, alone]


def noun_of(event_type: str, mode: str | None) -> str:
    nouns = phrase_table().get("nouns", {})
    return str(nouns.get(f"{event_type}/{mode or ''}") or nouns.get(event_type) or "")


def takes_target(event_type: str) -> bool | str:
    """True, or "own" (only the source's own units) for a type (see phrases.toml)."""
    value = (phrase_table().get(event_type) or {}).get("target", True)
    return value if value == "own" else bool(value)


_DANGLING = re.compile(r"\s+(?:with|on|against|to|for|from|of|at|into|between|near)$")


def _alone(phrase: str) -> str:
    return _DANGLING.sub("", phrase.replace(" {target}", "").replace("{target}", "")).strip()


def phrase_pieces(phrase: str) -> list[str]:
    """The literal pieces of a phrase around its placeholder."""
    return [p.strip() for p in phrase.split("{target}") if p.strip()]


def event_phrases(citation_record: Mapping[str, Any], reports: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every literal phrase piece phrases.toml gives a cited event (its type and mode, and the
    trigger lemma of each of its reports), with the words for its figures."""
    out: set[str] = set()
    lemmas = {lemma_of(r.get("rule", "")) for r in reports} | {""}
    for lemma in lemmas:
        for phrase in phrase_entry(citation_record["type"], citation_record.get("mode"), lemma):
            out.update(phrase_pieces(phrase))
    nouns = phrase_table().get("nouns", {})
    for key in (citation_record["type"], f"{citation_record['type']}/{citation_record.get('mode') or ''}"):
        if key in nouns:
            out.add(nouns[key])
    words = phrase_table().get("numbers", {})
    for name in citation_record.get("numbers") or {}:
        if name in words:
            out.add(words[name])
    return out


# -- verification ----------------------------------------------------------------------------


def _field(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


def _codes(record: Mapping[str, Any], field: str) -> set[str]:
    if field in ("source", "target"):
        return set(record.get(field) or ())
    if field == "place":
        return {(record.get("place") or {}).get("country") or "", record.get("context_country") or ""} - {""}
    return set()


def _close(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), abs_tol=0.051)
    except (TypeError, ValueError):
        return False


def verify(d: Any, citations: Mapping[str, Any], params: Mapping[str, Any]) -> str | None:
    """None when the derivation ``d`` holds for the cited events; else what is wrong."""
    missing = [e for e in d.events if e not in citations]
    if missing:
        return f"reads events it does not cite: {missing}"
    records = [citations[e].record for e in d.events]
    reports = [r for e in d.events for r in citations[e].reports.values()]
    check = _CHECKS.get(d.kind)
    if check is None:
        return f"unknown derivation kind {d.kind!r}"
    return check(d, records, reports, citations, params)


def _name(d: Any, records: list[dict[str, Any]], *_: Any) -> str | None:
    code = str(d.value)
    if not any(code in _codes(r, d.field) for r in records):
        return f"{code} is not in the {d.field} of {list(d.events)}"
    if d.text not in name_forms().get(code, {code}):
        return f"{d.text!r} is not a name of {code}"
    return None


def _actor(d: Any, records: list[dict[str, Any]], reports: list[dict[str, Any]], *_: Any) -> str | None:
    names: set[str] = set()
    for r in reports:
        if r.get("claimed_by"):
            names.add(r["claimed_by"])
        for side in ("source", "target"):
            for a in r.get(side) or []:
                if a.get("name"):
                    names.add(a["name"])
    return None if d.text in names else f"{d.text!r} names no actor of the cited reports"


def _place(d: Any, records: list[dict[str, Any]], reports: list[dict[str, Any]], *_: Any) -> str | None:
    names = {(r.get("place") or {}).get("name") for r in records + reports} - {None, ""}
    return None if d.text in names else f"{d.text!r} is no place of the cited events"


def _date(d: Any, records: list[dict[str, Any]], *_: Any) -> str | None:
    values = {_field(r, d.field) for r in records} - {None}
    if str(d.value) not in values:
        return f"{d.value} is not the {d.field} of {list(d.events)}"
    if any(r.get("date_basis") == "ingested" for r in records if d.field == "date"):
        return "the date is the day an undated article was ingested, not the event's"
    precision = d.inputs.get("precision", "day")
    expected = fmt_date(dt.date.fromisoformat(str(d.value)), precision)
    return None if d.text == expected else f"{d.text!r} should read {expected!r}"


def _number(d: Any, records: list[dict[str, Any]], *_: Any) -> str | None:
    values = [_field(r, d.field) for r in records]
    if not any(v is not None and _close(v, d.value) for v in values):
        return f"{d.value} is not the {d.field} of {list(d.events)}"
    return None if d.text == fmt_number(d.value) else f"{d.text!r} should read {fmt_number(d.value)!r}"


def _count(d: Any, records: list[dict[str, Any]], *_: Any) -> str | None:
    what, figure = d.field, d.inputs.get("figure")
    if figure:  # the reports that give one figure
        given = {
            rid for r in records for rid in ((r.get("numbers") or {}).get(figure) or {}).get("by_report", {})
        }
        listed = set(d.inputs.get("reports", ()))
        if not listed <= given:
            return f"reports {sorted(listed - given)} give no {figure} figure"
        n = len(listed)
    elif what == "reports":
        n = len({rep["id"] for r in records for rep in r.get("reports", ())})
    elif what == "sources":
        n = len({rep["article_id"] for r in records for rep in r.get("reports", ())})
    elif what == "events":
        n = len(records)
    else:
        return f"unknown count {what!r}"
    if n != d.value:
        return f"{what} of {list(d.events)} is {n}, not {d.value}"
    return None if d.text == fmt_number(n) else f"{d.text!r} should read {n}"


def _phrase(d: Any, records: list[dict[str, Any]], reports: list[dict[str, Any]], *_: Any) -> str | None:
    allowed: set[str] = set()
    for r in records:
        mine = [rep for rep in reports if rep.get("id") in {x["id"] for x in r.get("reports", ())}]
        allowed |= event_phrases(r, mine or [r])
    return None if d.text in allowed else f"{d.text!r} is no phrase for the cited events' types"


def _index(d: Any, records: list[dict[str, Any]], reports: Any, citations: Any, params: Any) -> str | None:
    c = d.inputs
    contributions: dict[str, float] = c.get("contributions", {})
    for eid, value in contributions.items():
        if eid in citations and citations[eid].kind == "fused":
            given = contribution(event_of(citations[eid].record))
            if not _close(given, value):
                return f"{eid} contributes {given:.2f}, not {value}"
    if "raw" in c and not _close(sum(contributions.values()), c["raw"]):
        return f"the contributions add up to {sum(contributions.values()):.2f}, not {c['raw']}"
    if "reading" in c and "raw" in c and not _close(c["raw"] * c.get("factor", 1.0), c["reading"]):
        return f"raw {c['raw']} x volume factor {c.get('factor')} is not {c['reading']}"
    history = [v for _, v in c.get("history", [])]
    if "median" in c:
        median = statistics.median(history) if len(history) >= c.get("min_history", 3) else 0.0
        if not _close(median, c["median"]):
            return f"the median of the history is {median:.2f}, not {c['median']}"
        if history and len(history) >= c.get("min_history", 3):
            mad = statistics.median(abs(x - median) for x in history)
            scale = max(1.4826 * mad, c.get("min_scale", 2.0))
        else:
            scale = c.get("min_scale", 2.0)
        if not _close(scale, c.get("scale")):
            return f"the scale is {scale:.2f}, not {c.get('scale')}"
        if "z" in c and not _close((c["reading"] - median) / scale, c["z"]):
            return f"z is {(c['reading'] - median) / scale:.2f}, not {c['z']}"
    if "peak" in c:
        peak = max(history) if history else None
        if peak is None or not _close(peak, c["peak"]):
            return f"the highest earlier reading is {peak}, not {c['peak']}"
    value = c.get(d.field)
    if value is None or not _close(value, d.value):
        return f"{d.field} is {value}, not {d.value}"
    return None if d.text == fmt_figure(d.value) else f"{d.text!r} should read {fmt_figure(d.value)!r}"


def _first(d: Any, records: list[dict[str, Any]], *_: Any) -> str | None:
    c = d.inputs
    event = next((r for r in records if r["id"] == c.get("event")), None)
    if event is None or not event.get("date"):
        return "the event it counts from is not cited, or has no date"
    if event.get("date_precision", "day") not in ("day", "week"):
        return f"the event is dated to the {event['date_precision']} only: no days to count"
    if c.get("previous"):
        prev = next((r for r in records if r["id"] == c["previous"]), None)
        if prev is None:
            return "the previous event is not cited"
        if prev.get("date_precision", "day") not in ("day", "week"):
            return f"the previous event is dated to the {prev['date_precision']} only: no days to count"
        since = dt.date.fromisoformat(prev["date"])
    else:
        since = dt.date.fromisoformat(c["records_since"])
    days = (dt.date.fromisoformat(event["date"]) - since).days
    if days != d.value:
        return f"{days} days, not {d.value}"
    if d.field == "ordinal":
        return None if d.text == "first" else f"{d.text!r} should read 'first'"
    return None if d.text == fmt_number(days) else f"{d.text!r} should read {days}"


def _param(d: Any, records: Any, reports: Any, citations: Any, params: Mapping[str, Any]) -> str | None:
    value = params.get(d.field)
    if not (d.value in value if isinstance(value, list) else value == d.value):
        return f"parameter {d.field} is {value}, not {d.value}"
    expected = fmt_number(d.value) if isinstance(d.value, int | float) else str(d.value)
    return None if d.text == expected else f"{d.text!r} should read {expected!r}"


_CHECKS = {
    "name": _name,
    "actor": _actor,
    "place": _place,
    "date": _date,
    "number": _number,
    "count": _count,
    "phrase": _phrase,
    "index": _index,
    "first": _first,
    "param": _param,
}
