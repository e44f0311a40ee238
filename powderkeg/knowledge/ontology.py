"""PLOVER type (+ mode, + actors) -> CAMEO root, quad class, score, ACLED sub-event type.

The numbers live in ``data/ontology.toml``; the ACLED mapping is a short,
documented decision list below; ACLED sub-event -> CASE 2021 label is a table
in the same file. All were written once and frozen before any score on a gold
set was seen (mapping version 1; version 2 added the CASE 2021 labels, the
OTHER path and the modes that ACLED sub-event types need, also before scores).

OTHER is the explicit path for what is not a political event between actors
(natural and man-made disasters, organised crime): ``OTHER_TYPES`` holds it,
``PLOVER_TYPES`` does not, and it has no CAMEO code (quad class 0).
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

#: event types outside PLOVER (see ontology.toml, "outside PLOVER")
OTHER_TYPES = ("OTHER",)
EVENT_TYPES = PLOVER_TYPES + OTHER_TYPES

ARMED = {"MIL", "REB", "UAF", "COP", "INS"}
STATE_FORCES = {"MIL", "COP", "GOV"}


@dataclass(frozen=True)
class Coding:
    cameo: str
    quad_class: int
    score: float
    acled_type: str


@functools.cache
def _data() -> dict[str, dict]:
    text = resources.files("powderkeg.knowledge").joinpath("data/ontology.toml").read_text("utf-8")
    return tomllib.loads(text)


def _table() -> dict[str, dict]:
    return _data()["types"]


def quad_class(cameo: str) -> int:
    if not cameo:
        return 0
    root = int(cameo[:2])
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def five_way(cameo: str) -> int | None:
    """ConfliBERT's five classes from a CAMEO code (see ontology.toml); None without one."""
    if not cameo:
        return None
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
    - OTHER natural-disaster / man-made-disaster / crime -> Natural disaster /
      Man-made disaster / Organised crime.
    - ASSAULT by protesters -> Violent demonstration; by MIL/COP on protesters ->
      Excessive force against protesters; occupy -> Government regains
      territory when state forces (MIL/COP/GOV) act, otherwise Non-state actor
      overtakes territory; aerial -> Air/drone strike; heavy-weapons ->
      Shelling/artillery/missile attack; explosives -> Remote
      explosive/landmine/IED; suicide-attack -> Suicide bomb; grenade ->
      Grenade; chemical/unconventional -> Chemical weapon; sexual -> Sexual
      violence; abduct -> Abduction/forced disappearance; by civilians -> Mob
      violence; clash, or armed on armed -> Armed clash; otherwise Attack.
    - PROTEST riot -> Violent demonstration, mob -> Mob violence, otherwise
      Peaceful protest.
    - COERCE arrest -> Arrests; seize -> Looting/property destruction;
      disrupt -> Disrupted weapons use; repression of protesters -> Excessive
      force against protesters; otherwise Other.
    - MOBILIZE base -> Headquarters or base established, otherwise Change to
      group/activity. RETREAT withdraw by armed actors -> Non-violent transfer
      of territory. AGREE -> Agreement.
    - ACCUSE (not disapprove/investigate) -> Attribution of responsibility.
    - everything else (CONSULT, SUPPORT, REQUEST, REJECT, THREATEN, SANCTION,
      AID, COOPERATE, CONCEDE, RETREAT) -> Diplomatic event.
    """
    src, tgt = set(source), set(target)
    if type_ == "OTHER":
        return {
            "natural-disaster": "Natural disaster",
            "man-made-disaster": "Man-made disaster",
            "crime": "Organised crime",
        }.get(mode, "Other")
    if type_ == "ASSAULT":
        if "PRO" in src:
            return "Violent demonstration"
        if "PRO" in tgt and src & {"MIL", "COP"}:
            return "Excessive force against protesters"
        if mode == "occupy":
            if src & STATE_FORCES:
                return "Government regains territory"
            return "Non-state actor overtakes territory"
        by_mode = {
            "aerial": "Air/drone strike",
            "heavy-weapons": "Shelling/artillery/missile attack",
            "explosives": "Remote explosive/landmine/IED",
            "suicide-attack": "Suicide bomb",
            "sexual": "Sexual violence",
            "abduct": "Abduction/forced disappearance",
            "grenade": "Grenade",
            "chemical": "Chemical weapon",
            "unconventional": "Chemical weapon",
        }
        if mode in by_mode:
            return by_mode[mode]
        if "CVL" in src and not src & ARMED:
            return "Mob violence"
        if mode == "clash" or (src & ARMED and tgt & ARMED):
            return "Armed clash"
        return "Attack"
    if type_ == "PROTEST":
        return {"riot": "Violent demonstration", "mob": "Mob violence"}.get(mode, "Peaceful protest")
    if type_ == "COERCE":
        if mode == "arrest":
            return "Arrests"
        if mode == "seize":
            return "Looting/property destruction"
        if mode == "disrupt":
            return "Disrupted weapons use"
        if mode == "repression" and "PRO" in tgt:
            return "Excessive force against protesters"
        return "Other"
    if type_ == "MOBILIZE":
        return "Headquarters or base established" if mode == "base" else "Change to group/activity"
    if type_ == "RETREAT" and mode == "withdraw" and src & ARMED:
        return "Non-violent transfer of territory"
    if type_ == "AGREE":
        return "Agreement"
    if type_ == "ACCUSE" and mode not in ("disapprove", "investigate"):
        return "Attribution of responsibility"
    return "Diplomatic event"


def case2021_label(acled: str) -> str:
    """The CASE 2021 task 2 label of an ACLED-style sub-event type (table in ontology.toml)."""
    return _data()["case2021"].get(acled, "OTHER")


def case2021_text_label(acled_types: list[str], primary: str | None) -> str | None:
    """One CASE 2021 label for a text from its primary event and the other events in it.

    A peaceful protest met by arrests or dispersal in the same text is a
    protest with intervention; met by force (repression), force against
    protesters. None when the text has no event.
    """
    if primary is None:
        return None
    if primary == "Peaceful protest":
        if "Excessive force against protesters" in acled_types:
            return "FORCE_AGAINST_PROTEST"
        if "Arrests" in acled_types or "Other" in acled_types:
            return "PROTEST_WITH_INTER"
    return case2021_label(primary)


@functools.cache
def type_modes() -> dict[str, tuple[str, ...]]:
    """Each event type's modes, sorted: the ones ontology.toml gives a code and the ones the
    packaged patterns (patterns.toml) code; a mode with no entry takes its type's code and score."""
    patterns = tomllib.loads(
        resources.files("powderkeg.knowledge").joinpath("data/patterns.toml").read_text("utf-8")
    )
    found: dict[str, set[str]] = {t: set(_table()[t].get("modes", {})) for t in EVENT_TYPES}
    for pattern in patterns.get("pattern", []):
        if pattern.get("mode") and pattern.get("type") in found:
            found[pattern["type"]].add(pattern["mode"])
    return {t: tuple(sorted(modes)) for t, modes in found.items()}
