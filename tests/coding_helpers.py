"""Helpers for the coding tests, in one place: reading event dicts, coding sentence cases,
checking their expectations, and hand-built spaCy Docs for rule functions (no model).

Sentence cases (``tests/cases/*.toml``) are run by ``tests/test_cases.py``; the format:

    [[case]]
    text = "A man threw a grenade at a police patrol in Srinagar."
    date = "2023-05-30"          # optional publication date
    why = "what the case shows"  # optional
    expect = [
        { event = "first", type = "ASSAULT", mode = "grenade", case2021 = "GRENADE" },
        { event = "none", type = "COERCE" },
    ]

``event`` says which event the other keys are checked on (see ``EVENT_KINDS``);
``CHECKS`` lists the keys. An unknown key is an error, as in the rule files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc

from powderkeg.extract.coded import Coded, Dropped
from powderkeg.extract.events import doc_to_events
from powderkeg.extract.primary import primary
from powderkeg.knowledge.ontology import case2021_label, case2021_text_label
from powderkeg.records import Actor, Article, Event

CASES = Path(__file__).parent / "cases"


# -- event dicts (the ``code`` fixture's output) ------------------------------------------


def side(actors) -> list[dict]:  # type: ignore[no-untyped-def]
    """One side of an event dict as a list of actor dicts (a side may be one dict or none)."""
    if isinstance(actors, list):
        return [a for a in actors if a]
    return [actors] if actors else []


def countries(actors) -> set:  # type: ignore[no-untyped-def]
    """The countries (or organisations) of one side of an event dict."""
    return {a.get("country") or a.get("org") for a in side(actors)}


def first(code, text: str, type_: str) -> dict:  # type: ignore[no-untyped-def]
    """The first event of ``type_`` coded in ``text``; fails when there is none."""
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    return events[0]


# -- sentence cases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    file: str
    text: str
    date: str | None
    why: str
    expect: tuple[dict[str, Any], ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.text[:60]}"


@dataclass
class Coding:
    """One case's text as the pipeline codes it: the events, and the coder's own view."""

    events: list[Event]
    coded: list[Coded]
    dropped: list[Dropped] = field(default_factory=list)

    def rules_used(self) -> tuple[set[str], set[str]]:
        """The pattern families and refinements that made (or dropped) an event here."""
        families = {c.pattern.family for c in self.coded if c.pattern.family}
        refinements = {name for c in self.coded for name in c.refinements}
        refinements |= {d.reason for d in self.dropped}
        return families, refinements


def load_cases(folder: Path = CASES) -> list[Case]:
    out = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        unknown = set(data) - {"case"}
        assert not unknown, f"{path.name}: unknown table {sorted(unknown)}"
        for i, raw in enumerate(data.get("case", [])):
            bad = set(raw) - {"text", "date", "why", "expect"}
            assert not bad, f"{path.name}: case {i + 1}: unknown key {sorted(bad)}"
            for exp in raw.get("expect", []):
                bad = set(exp) - set(CHECKS) - {"event", "where", "n"}
                assert not bad, f"{path.name}: case {i + 1}: unknown expectation key {sorted(bad)}"
            out.append(
                Case(path.stem, raw["text"], raw.get("date"), raw.get("why", ""), tuple(raw["expect"]))
            )
    return out


def code_case(nlp, text: str, date: str | None) -> Coding:  # type: ignore[no-untyped-def]
    """Code ``text`` as ``Pipeline.code`` does, keeping the coder's own records."""
    doc = nlp.make_doc(text)
    doc._.published = dt.date.fromisoformat(date) if date else None
    doc = nlp(doc)
    article = Article(id="case", text=text, published=doc._.published)
    return Coding(list(doc_to_events(doc, article)), list(doc._.events or []), list(doc._.dropped or []))


def _codes(actors: Iterable[Actor], coded_only: bool = False) -> set[str]:
    codes = {a.country or a.org for a in actors}
    return codes - {""} if coded_only else codes


def _side(name: str) -> Callable[[Event], tuple[Actor, ...]]:
    return lambda e: e.source if name == "source" else e.target


def _side_checks(name: str) -> dict[str, Callable[[Event, Any, list[Event]], bool]]:
    get = _side(name)
    return {
        name: lambda e, v, _: _codes(get(e)) == set(v),  # every actor's code ("" for none), exactly
        f"{name}_coded": lambda e, v, _: _codes(get(e), coded_only=True) == set(v),  # the coded ones, exactly
        f"{name}_has": lambda e, v, _: set(v) <= _codes(get(e)),
        f"{name}_lacks": lambda e, v, _: not set(v) & _codes(get(e)),
        f"{name}_text": lambda e, v, _: any(v in a.text for a in get(e)),  # some actor's text contains it
        f"{name}_text_ends": lambda e, v, _: any(a.text.endswith(v) for a in get(e)),
        f"{name}_first": lambda e, v, _: bool(get(e)) and v in get(e)[0].text,  # the first actor's text
        f"{name}_texts": lambda e, v, _: [a.text for a in get(e)] == list(v),
        f"{name}_sectors_has": lambda e, v, _: set(v) <= {a.sector for a in get(e)},
        f"no_{name}": lambda e, v, _: (not get(e)) == v,
    }


def _numbers(e: Event, v: dict[str, int], _: list[Event]) -> bool:
    return all(getattr(e.numbers, k) == n for k, n in v.items())


def _text_label(e: Event, v: str, events: list[Event]) -> bool:
    return case2021_text_label([x.acled_type for x in events if x.counted], e.acled_type) == v


def _alone_at_root(e: Event, v: bool, events: list[Event]) -> bool:
    trigger = e.spans["trigger"]
    return all(x.depth > 0 for x in events if x.spans["trigger"] != trigger) == v


#: expectation key -> its check on (event, value, all the text's events)
CHECKS: dict[str, Callable[[Event, Any, list[Event]], bool]] = {
    "type": lambda e, v, _: e.type == v,
    "type_not": lambda e, v, _: e.type != v,
    "mode": lambda e, v, _: e.mode == v,
    "cameo": lambda e, v, _: e.cameo == v,
    "acled": lambda e, v, _: e.acled_type == v,
    "case2021": lambda e, v, _: case2021_label(e.acled_type) == v,
    "case2021_text": _text_label,  # the text's CASE 2021 label with this event as its primary
    "factuality": lambda e, v, _: e.factuality == v,
    "factuality_not": lambda e, v, _: e.factuality != v,
    "counted": lambda e, v, _: e.counted == v,
    "claimed_by": lambda e, v, _: v in e.claimed_by,
    "has_claimant": lambda e, v, _: bool(e.claimed_by) == v,
    "depth": lambda e, v, _: e.depth == v,
    "alone_at_root": _alone_at_root,  # every event of another trigger is deeper
    "rule_contains": lambda e, v, _: v in e.rule,
    "rule_starts": lambda e, v, _: e.rule.startswith(v),
    "rule_ends": lambda e, v, _: e.rule.endswith(v),
    **_side_checks("source"),
    **_side_checks("target"),
    "numbers": _numbers,
    "date": lambda e, v, _: (e.date.isoformat() if e.date else "") == v,
    "date_precision": lambda e, v, _: e.date_precision == v,
    "place_country": lambda e, v, _: e.place is not None and e.place.country == v,
    "place_precision": lambda e, v, _: e.place is not None and e.place.precision == v,
    "place_located": lambda e, v, _: (e.place is not None and e.place.lat is not None) == v,
}

#: which events an expectation is about
EVENT_KINDS = {
    "any": "some event has every key",
    "first": "the first event matching `where` (default: its `type`) has every other key",
    "primary": "the text's primary event (extract/primary.py) has every key",
    "primary-plover": "the primary among PLOVER events has every key",
    "all": "there are events of its `type`, and each has every other key",
    "none": "no event has every key",
    "count": "exactly `n` events have every key",
}


def _holds(e: Event, exp: dict[str, Any], events: list[Event], skip: Iterable[str] = ()) -> bool:
    return all(CHECKS[k](e, v, events) for k, v in exp.items() if k in CHECKS and k not in skip)


def check(case: Case, events: list[Event]) -> int:
    """Assert every expectation of ``case``; the number of checks made."""
    shown = [(e.type, e.mode, e.acled_type, e.factuality, [a.text for a in e.source], [a.text for a in e.target], e.rule)
             for e in events]  # fmt: skip
    done = 0
    for exp in case.expect:
        kind = exp.get("event", "any")
        assert kind in EVENT_KINDS, f"{case.id}: unknown event kind {kind!r}"
        keys = [k for k in exp if k in CHECKS]
        if kind in ("any", "none", "count"):
            hits = [e for e in events if _holds(e, exp, events)]
            if kind == "any":
                assert hits, f"{case.why} no event with {exp}: {shown}"
            elif kind == "none":
                assert not hits, f"{case.why} an event with {exp}: {shown}"
            else:
                assert len(hits) == exp["n"], (
                    f"{case.why} {len(hits)} events with {exp}, not {exp['n']}: {shown}"
                )
            done += 1
            continue
        if kind == "all":
            chosen = [e for e in events if e.type == exp["type"]]
            assert chosen, f"{case.why} no {exp['type']} event: {shown}"
            keys = [k for k in keys if k != "type"]
        elif kind == "first":
            where = exp["where"] if "where" in exp else {"type": exp["type"]}
            matching = [e for e in events if _holds(e, where, events)]
            assert matching, f"{case.why} no event with {where}: {shown}"
            chosen = matching[:1]
            keys = [k for k in keys if k not in where]
        else:
            event = primary(events, plover_only=kind == "primary-plover")
            assert event is not None, f"{case.why} no primary event: {shown}"
            chosen = [event]
        for k in keys:
            for e in chosen:
                assert CHECKS[k](e, exp[k], events), (
                    f"{case.why} {kind} event: {k} is not {exp[k]!r}: {shown}"
                )
                done += 1
    return done


# -- hand-built Docs for rule functions (no model) ---------------------------------------

_VOCAB = spacy.blank("en").vocab


def build(rows: list[tuple], ents: list[str] | None = None) -> Doc:
    """A parsed Doc from rows ``(word, lemma, pos, tag, dep, head)``, head a token index
    (the root points at itself); ``ents`` in IOB form ("B-GPE", "O", ...)."""
    words, lemmas, pos, tags, deps, heads = (list(col) for col in zip(*rows, strict=True))
    spaces = [True] * len(words)
    for i, w in enumerate(words[1:]):
        if w in (".", ",", "'s", "'", ":"):
            spaces[i] = False
    spaces[-1] = False
    return Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        lemmas=lemmas,
        pos=pos,
        tags=tags,
        deps=deps,
        heads=heads,
        ents=ents,
    )
