"""PLOVER type (+ mode, + actors) -> CAMEO root, quad class, score, ACLED sub-event type.

The numbers live in ``data/ontology.toml``; the ACLED mapping is a short,
documented decision list below. Both were written once and frozen before any
score on a gold set was seen (mapping version 1).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

ARMED = {"MIL", "REB", "UAF", "COP", "INS"}


@dataclass(frozen=True)
class Coding:
    cameo: str
    quad_class: int
    score: float
    acled_type: str


@functools.cache
def _table() -> dict[str, dict]:
    text = resources.files("powderkeg.knowledge").joinpath("data/ontology.toml").read_text("utf-8")
    return tomllib.loads(text)["types"]


def quad_class(cameo: str) -> int:
    root = int(cameo[:2])
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def five_way(cameo: str) -> int:
    """ConfliBERT's five classes from a CAMEO code (see ontology.toml)."""
    root = int(cameo[:2])
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13 or root == 16:
        return 3
    return 4


def code(
    type_: str, mode: str = "", source_sectors: tuple[str, ...] = (), target_sectors: tuple[str, ...] = ()
) -> Coding:
    entry = _table()[type_]
    mode_entry = entry.get("modes", {}).get(mode, {})
    cameo = mode_entry.get("cameo", entry["cameo"])
    score = float(mode_entry.get("goldstein", entry["goldstein"]))
    return Coding(cameo, quad_class(cameo), score, acled_type(type_, mode, source_sectors, target_sectors))


def acled_type(type_: str, mode: str, source: tuple[str, ...], target: tuple[str, ...]) -> str:
    """ACLED-style sub-event type for a PLOVER event.

    Decision list (first match wins):
    - ASSAULT by protesters -> Violent demonstration; by MIL/COP on protesters ->
      Excessive force against protesters; aerial -> Air/drone strike;
      heavy-weapons -> Shelling/artillery/missile attack; explosives ->
      Remote explosive/landmine/IED; suicide-attack -> Suicide bomb; sexual ->
      Sexual violence; abduct -> Abduction/forced disappearance; armed on armed
      -> Armed clash; otherwise Attack.
    - PROTEST riot -> Violent demonstration, otherwise Peaceful protest.
    - COERCE arrest -> Arrests; seize -> Looting/property destruction;
      repression of protesters -> Excessive force against protesters;
      otherwise Other.
    - MOBILIZE -> Change to group/activity. AGREE -> Agreement.
    - ACCUSE -> Attribution of responsibility.
    - everything else (CONSULT, SUPPORT, REQUEST, REJECT, THREATEN, SANCTION,
      AID, COOPERATE, CONCEDE, RETREAT) -> Diplomatic event.
    """
    src, tgt = set(source), set(target)
    if type_ == "ASSAULT":
        if "PRO" in src:
            return "Violent demonstration"
        if "PRO" in tgt and src & {"MIL", "COP"}:
            return "Excessive force against protesters"
        by_mode = {
            "aerial": "Air/drone strike",
            "heavy-weapons": "Shelling/artillery/missile attack",
            "explosives": "Remote explosive/landmine/IED",
            "suicide-attack": "Suicide bomb",
            "sexual": "Sexual violence",
            "abduct": "Abduction/forced disappearance",
        }
        if mode in by_mode:
            return by_mode[mode]
        if src & ARMED and tgt & ARMED:
            return "Armed clash"
        return "Attack"
    if type_ == "PROTEST":
        return "Violent demonstration" if mode == "riot" else "Peaceful protest"
    if type_ == "COERCE":
        if mode == "arrest":
            return "Arrests"
        if mode == "seize":
            return "Looting/property destruction"
        if mode == "repression" and "PRO" in tgt:
            return "Excessive force against protesters"
        return "Other"
    if type_ == "MOBILIZE":
        return "Change to group/activity"
    if type_ == "AGREE":
        return "Agreement"
    if type_ == "ACCUSE":
        return "Attribution of responsibility"
    return "Diplomatic event"
