"""Refinements (``[[refinement]]`` tables, ``data/refinements.toml``): rewrites of an event's reading.

A refinement says: at this ``stage`` of coding a trigger, ``when`` these
conditions hold of the reading so far, ``then`` change its type or mode (or
take the mode of the weapon its clause names), drop the event, or keep it.
``extract/refine.py`` applies them; this module reads and checks them.

The stages, in the order the coder reaches them:

- ``trigger``: only the trigger and its parse are known; a refinement may drop it.
- ``sides``: the sides are found, before the event is checked for the actors its type needs.
- ``no-actor``: for an event with no actor although its pattern needs one; it is
  dropped unless a refinement keeps it.
- ``event``: the event stands; the last rewrite before factuality, numbers and place.
- ``pledge``: an actor's own announced action ("will", "is ready to", "... unless");
  the reading a refinement gives is a second event, the announcement itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import RuleFileError
from .lexicon import MODE_PHRASES, PHRASES, Lexicon, list_kinds
from .ontology import EVENT_TYPES, Mode
from .rule_files import RuleFile, check_keys, expect, expect_strings, unknown

STAGES = ("trigger", "sides", "no-actor", "event", "pledge")
REFINEMENT_KEYS = ("name", "stage", "when", "then")
_LATER = ("sides", "no-actor", "event", "pledge")

#: condition -> (what its value is, the stages it may be used in)
CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "type": ("types", STAGES),  # the reading's type is (one of) these
    "mode": ("modes", STAGES),  # its mode is (one of) these; "" is no mode
    "pos": ("pos", STAGES),  # the trigger is a VERB or a NOUN pattern
    "trigger_dep": ("label", STAGES),  # the trigger's dependency label ("amod": a participle on a noun)
    "trigger_in": ("words", STAGES),  # the trigger's lemma is one of these words
    "clause_names": ("phrases", STAGES),  # the trigger's clause names one of these
    "subject_names": ("phrases", STAGES),  # the trigger's subject (or passive subject) names one
    "doer_names": ("phrases", STAGES),  # who or what does the trigger is one of these (with its compounds)
    "object_names": ("phrases", STAGES),  # an object of the trigger (or of its "to" verb) names one
    "has_sources": ("bool", _LATER),  # an actor was found on the source side
    "has_targets": ("bool", _LATER),  # an actor was found on the target side
    "has_object": ("bool", STAGES),  # the trigger has a direct object
    "particle_in": ("words", STAGES),  # the trigger has one of these particles or prepositions ("call on")
    "object_is": ("words", STAGES),  # the head of the trigger's object is one of these words
    "of_object_is": ("words", STAGES),  # the head of its "of"/"about" phrase is one ("warned of retaliation")
    "child_deps": ("words", STAGES),  # the trigger has a child with one of these labels ("oprd")
    "xcomp_in": ("words", STAGES),  # the trigger's "to" verb is one of these ("declined to comment")
    # its "to" or "that" verb codes only events of these types, by its hand-written patterns
    # ("vowed to retake the city": ASSAULT)
    "complement_types": ("types", STAGES),
    "announces": (
        "words",
        STAGES,
    ),  # its complement announces its own act of these ("warned it would strike")
    "states_fact": ("words", STAGES),  # its "that" clause says what is or was: none of these modals
    "refused": ("bool", ("event",)),  # the action is refused ("will not lift", "declined to resign")
    "held_out": ("marks", ("pledge",)),  # the action is held out on a condition ("if", "unless")
    "ready": ("bool", ("pledge",)),  # the actor says it is ready to act ("is ready to host talks")
    "weighed": ("bool", ("sides",)),  # the act is weighed as an option ("is considering imposing")
}
#: what a refinement may do
ACTIONS = ("type", "mode", "mode_from", "only", "if_found", "tag", "drop", "keep")


@dataclass(frozen=True)
class Refinement:
    name: str
    stage: str
    when: tuple[tuple[str, Any], ...]  # (condition, value): types/modes/words as frozensets
    type: str | None = None  # the type to set
    mode: str | None = None  # the mode to set ("" clears it)
    mode_from: str = ""  # a mode -> phrases list (instruments): the mode of the one the clause names
    only: frozenset[str] = frozenset()  # ... among these modes only
    if_found: bool = False  # ... and the whole rewrite only when such a mode is found
    tag: str = ""  # appended to the pattern's origin (":tag"), so an event's rule shows it
    drop: bool = False  # the event is not coded
    keep: bool = False  # the reading stands: no later refinement of the stage applies
    origin: str = ""  # the file it comes from


def read_refinements(files: Iterable[RuleFile], lexicon: Lexicon) -> list[Refinement]:
    """The refinements of every file, checked against the schema and the lexicon."""
    out: list[Refinement] = []
    seen: dict[str, str] = {}
    for rule_file in files:
        tables = rule_file.data.get("refinement", [])
        expect(rule_file.path, "refinement", "refinement", tables, list, "an array of [[refinement]] tables")
        for i, table in enumerate(tables):
            refinement = _read(rule_file.path, i, table, lexicon)
            if refinement.name in seen:
                raise RuleFileError(
                    f"{rule_file.path}: refinement {i + 1}: name {refinement.name!r} is taken",
                    remedy=f"it is defined in {seen[refinement.name]}; give yours another name",
                )
            seen[refinement.name] = rule_file.path
            out.append(refinement)
    return out


def _read(path: str, i: int, table: dict[str, Any], lexicon: Lexicon) -> Refinement:
    where = f"refinement {i + 1} ({table.get('name', '?')})"
    check_keys(path, where, table, REFINEMENT_KEYS)
    for key in ("name", "stage"):
        expect(path, where, key, table.get(key), str, "a string")
    stage = table["stage"]
    if stage not in STAGES:
        raise unknown(path, where, stage, STAGES, "stage")
    when = table.get("when", {})
    then = table.get("then", {})
    expect(path, where, "when", when, dict, "a table of conditions")
    expect(path, where, "then", then, dict, "a table of actions")
    check_keys(path, where + " when", when, CONDITIONS, "condition")
    check_keys(path, where + " then", then, ACTIONS, "action")
    conditions = tuple(
        (key, _condition(path, where, stage, key, value, lexicon)) for key, value in when.items()
    )
    return Refinement(
        name=table["name"], stage=stage, when=conditions, origin=path, **_actions(path, where, then)
    )


def _condition(path: str, where: str, stage: str, key: str, value: object, lexicon: Lexicon) -> Any:
    kind, stages = CONDITIONS[key]
    if stage not in stages:
        raise RuleFileError(
            f"{path}: {where}: condition {key!r} cannot be used in stage {stage!r}",
            remedy=f"use it in stage {' or '.join(stages)}",
        )
    if kind == "bool":
        expect(path, where, key, value, bool, "true or false")
        return value
    if kind in ("pos", "label", "marks"):
        expect(path, where, key, value, str, "a string")
        if kind == "pos" and value not in ("VERB", "NOUN"):
            raise unknown(path, where, str(value), ("VERB", "NOUN"), "pos")
        return value
    if kind in ("types", "modes"):
        items = [value] if isinstance(value, str) else expect_strings(path, where, key, value)
        known = EVENT_TYPES if kind == "types" else [m.value for m in Mode]
        for item in items:
            if item not in known:
                raise unknown(path, where, item, known, kind[:-1])
        return frozenset(items)
    return _word_list(path, where, key, value, kind, lexicon)


def _word_list(path: str, where: str, key: str, value: object, kind: str, lexicon: Lexicon) -> Any:
    """A list named by the lexicon (a string) or written out (an array), as words or phrases."""
    if isinstance(value, str):
        kinds = list_kinds()
        if value not in kinds or kinds[value] == MODE_PHRASES or not _wordy(kinds[value]):
            raise unknown(path, where, value, [n for n, k in kinds.items() if _wordy(k)], "word list")
        return lexicon.phrases(value) if kind == PHRASES else lexicon.words(value)
    words = expect_strings(path, where, key, value)
    if kind == PHRASES:
        return tuple(tuple(w.lower().split()) for w in words)
    return frozenset(w.lower() for w in words)


def _wordy(kind: str) -> bool:
    return kind in ("words", "ordered", "phrases")


def _actions(path: str, where: str, then: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "type" in then:
        expect(path, where, "type", then["type"], str, "a string")
        if then["type"] not in EVENT_TYPES:
            raise unknown(path, where, then["type"], EVENT_TYPES, "type")
        out["type"] = then["type"]
    modes = [m.value for m in Mode]
    if "mode" in then:
        expect(path, where, "mode", then["mode"], str, "a string")
        if then["mode"] not in modes:
            raise unknown(path, where, then["mode"], modes, "mode")
        out["mode"] = then["mode"]
    if "mode_from" in then:
        kinds = list_kinds()
        if then["mode_from"] not in kinds or kinds[then["mode_from"]] != MODE_PHRASES:
            raise unknown(
                path,
                where,
                str(then["mode_from"]),
                [n for n, k in kinds.items() if k == MODE_PHRASES],
                "mode list",
            )
        out["mode_from"] = then["mode_from"]
    if "only" in then:
        only = expect_strings(path, where, "only", then["only"])
        for mode in only:
            if mode not in modes:
                raise unknown(path, where, mode, modes, "mode")
        out["only"] = frozenset(only)
    for key in ("tag",):
        if key in then:
            expect(path, where, key, then[key], str, "a string")
            out[key] = then[key]
    for key in ("if_found", "drop", "keep"):
        if key in then:
            expect(path, where, key, then[key], bool, "true or false")
            out[key] = then[key]
    if out.get("drop") and len(out) > 1:
        raise RuleFileError(
            f"{path}: {where}: drop = true with other actions", remedy="a dropped event needs nothing else"
        )
    return out
