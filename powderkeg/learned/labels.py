"""The event-type model's labels, and what each gold set's labels allow of them.

A label is ``TYPE`` or ``TYPE/mode`` (one of the type and mode pairs the
patterns code, ``patterns.toml``), or ``NONE``: the sentence reports no event.
Public statements (STATEMENT, CAMEO 01, outside PLOVER) are no label: the rules
alone code them, and to the model a bare statement is ``NONE``, as it is to
PLOVER; so a statement pattern leaves the label set, and the model, as they are.
A gold set rarely names one label: PLOVER records give a type, the five-way
set a CAMEO class, CASE 2021 an ACLED-style class, IndiaPoliceEvents police
actions. Each of these allows a set of labels, and the model is trained to put
its probability on the set (partial-label learning), so sets with different
labellings train one model.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from importlib import resources

from ..knowledge.ontology import STATEMENT_TYPES, case2021_label, case2021_text_label, code, five_way

NONE = "NONE"


def label(type_: str, mode: str = "") -> str:
    return f"{type_}/{mode}" if mode else type_


def split(name: str) -> tuple[str, str]:
    type_, _, mode = name.partition("/")
    return type_, mode


@functools.cache
def all_labels() -> tuple[str, ...]:
    """``NONE`` and every type and mode the built-in patterns code (those with a trigger),
    sorted; public statements are no label (the module docstring)."""
    text = resources.files("powderkeg.knowledge").joinpath("data/patterns.toml").read_text("utf-8")
    found = {
        label(group.get("type", ""), group.get("mode", ""))
        for group in tomllib.loads(text).get("pattern", [])
        if (group.get("verbs") or group.get("nouns")) and group.get("type", "") not in STATEMENT_TYPES
    }
    return (NONE, *sorted(found))


def _types(names: Iterable[str], *types: str) -> set[str]:
    return {n for n in names if split(n)[0] in types}


#: sector pairs a CASE class can depend on (who acts, who is acted on)
_SECTORS = [
    (s, t) for s in ((), ("PRO",), ("MIL",), ("REB",), ("COP",), ("CVL",)) for t in ((), ("PRO",), ("MIL",))
]


def plover_allowed(event_type: str, labels: tuple[str, ...]) -> set[str]:
    return _types(labels, event_type)


def fiveway_allowed(pentaclass: int, labels: tuple[str, ...]) -> set[str]:
    """Labels whose CAMEO code falls in the five-way class; class 0 (statements and appeals)
    also allows no event, which is what a bare statement is to PLOVER."""
    out = {n for n in labels if n != NONE and five_way(code(*split(n)).cameo) == pentaclass}
    return out | {NONE} if pentaclass == 0 else out


def case2021_allowed(case_label: str, labels: tuple[str, ...]) -> set[str]:
    """Labels that give the CASE class as a text's primary event, for some sectors of its
    actors; a protest met by force or arrests gives its own two classes."""
    out = set()
    for n in labels:
        if n == NONE:
            continue
        for source, target in _SECTORS:
            acled = code(*split(n), source, target).acled_type
            if case2021_label(acled) == case_label:
                out.add(n)
                break
            for answer in ("Excessive force against protesters", "Arrests"):
                if case2021_text_label([answer], acled) == case_label:
                    out.add(n)
    return out


#: police actions (IndiaPoliceEvents) -> the labels a police event of that kind has
POLICE_KILL = {"ASSAULT", "ASSAULT/firearms", "ASSAULT/massacre", "ASSAULT/assassinate", "ASSAULT/repression"}
POLICE_FORCE = {
    "ASSAULT", "ASSAULT/firearms", "ASSAULT/beat", "ASSAULT/repression", "COERCE/repression",
    "ASSAULT/clash", "ASSAULT/torture",
}  # fmt: skip
POLICE_ARREST = {"COERCE/arrest"}


def police_allowed(actions: Iterable[str], labels: tuple[str, ...]) -> set[str] | None:
    """A sentence's police actions allow the labels of any of them (a sentence can tell two);
    a sentence with no police action at all is no arrest or crowd control (by anyone:
    only the police arrest and disperse crowds in that news), anything else; a sentence
    with some other police action says nothing usable (None)."""
    actions = set(actions)
    out: set[str] = set()
    if "ARREST" in actions:
        out |= POLICE_ARREST
    if "KILL" in actions and "FORCE" in actions:
        out |= POLICE_KILL & POLICE_FORCE
    elif "KILL" in actions:
        out |= POLICE_KILL
    elif "FORCE" in actions:
        out |= POLICE_FORCE
    if out:
        return out & set(labels)
    if actions:
        return None
    return set(labels) - POLICE_ARREST - {"COERCE/repression"}
