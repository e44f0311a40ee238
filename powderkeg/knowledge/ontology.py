"""PLOVER type (+ mode, + actors) -> CAMEO root, quad class, score, ACLED sub-event type.

The numbers live in ``data/ontology.toml``; the ACLED mapping is a short,
documented decision list below; ACLED sub-event -> CASE 2021 label is a table
in the same file. All were written once and frozen before any score on a gold
set was seen (mapping version 1; version 2 added the CASE 2021 labels, the
OTHER path and the modes that ACLED sub-event types need, also before scores).

OTHER is the explicit path for what is not a political event between actors
(natural and man-made disasters, organised crime): ``OTHER_TYPES`` holds it,
``PLOVER_TYPES`` does not, and it has no CAMEO code (quad class 0).

STATEMENT is CAMEO 01, "make public statement", which PLOVER does not code:
a comment of concern or hope, condolences, declining to comment, considering
an option, claiming or denying responsibility, a symbolic act. Such a record
keeps its CAMEO 01x code (five-way class 0) and a score of 0, is the main
event of a text only when the text has no other act (``extract/primary.py``),
and is never fused, so it adds nothing to the tension index, its news volume
or the alerts.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class EventType(StrEnum):
    """The event types: PLOVER's 16, in PLOVER's order, then OTHER and STATEMENT (outside PLOVER).

    Members are strings, so ``pattern.type == EventType.ASSAULT`` compares a
    type read from a data file with the constant.
    """

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"
    OTHER = "OTHER"
    STATEMENT = "STATEMENT"


class Mode(StrEnum):
    """Every mode some type has (``data/ontology.toml`` says which type has which).

    The empty mode is ``Mode.NONE``: the type with nothing more specific.
    """

    NONE = ""
    ABDUCT = "abduct"
    ACCESS = "access"
    ACCORD = "accord"
    AERIAL = "aerial"
    AGREEMENT = "agreement"
    ALLEGE = "allege"
    ARREST = "arrest"
    ASSASSINATE = "assassinate"
    ASSIST = "assist"
    BAN = "ban"
    BASE = "base"
    BEAT = "beat"
    BOYCOTT = "boycott"
    CEASEFIRE = "ceasefire"
    CHANGE = "change"
    CHEMICAL = "chemical"
    CLAIM_RESPONSIBILITY = "claim-responsibility"
    CLASH = "clash"
    CLEANSING = "cleansing"
    CONSIDER = "consider"
    CRIME = "crime"
    CURFEW = "curfew"
    DECLINE_COMMENT = "decline-comment"
    DEMAND = "demand"
    DEMO = "demo"
    DEMONSTRATE = "demonstrate"
    DENY_RESPONSIBILITY = "deny-responsibility"
    DEPORT = "deport"
    DE_ESCALATE = "de-escalate"
    DISAPPROVE = "disapprove"
    DISARM = "disarm"
    DISCONTINUE = "discontinue"
    DISRUPT = "disrupt"
    EASE = "ease"
    EMPATHETIC = "empathetic"
    EXPEL = "expel"
    EXPLOSIVES = "explosives"
    FIREARMS = "firearms"
    GRENADE = "grenade"
    HEAVY_WEAPONS = "heavy-weapons"
    HUNGER = "hunger"
    INVESTIGATE = "investigate"
    LEADERSHIP = "leadership"
    MAN_MADE_DISASTER = "man-made-disaster"
    MARTIAL_LAW = "martial-law"
    MASSACRE = "massacre"
    MEET = "meet"
    MOB = "mob"
    NATURAL_DISASTER = "natural-disaster"
    OBSTRUCT = "obstruct"
    OCCUPY = "occupy"
    OPTIMISTIC = "optimistic"
    PESSIMISTIC = "pessimistic"
    PHONE = "phone"
    POLICE = "police"
    POLITICAL = "political"
    PRAISE = "praise"
    RECOGNIZE = "recognize"
    RELATIONS = "relations"
    RELEASE = "release"
    REPRESSION = "repression"
    RESTRICT = "restrict"
    RETURN = "return"
    RIOT = "riot"
    SEIZE = "seize"
    SEXUAL = "sexual"
    SUICIDE_ATTACK = "suicide-attack"
    SYMBOLIC = "symbolic"
    TERRITORY = "territory"
    THIRD_PARTY = "third-party"
    TORTURE = "torture"
    TROOPS = "troops"
    UNCONVENTIONAL = "unconventional"
    VIOLENCE = "violence"
    VISIT = "visit"
    WITHDRAW = "withdraw"
    YIELD = "yield"


PLOVER_TYPES: tuple[str, ...] = tuple(
    t.value for t in EventType if t not in (EventType.OTHER, EventType.STATEMENT)
)

#: occurrences that are no political event between actors: disasters, crime (see ontology.toml)
OTHER_TYPES: tuple[str, ...] = (EventType.OTHER.value,)
#: public statements, CAMEO 01 (see ontology.toml): no PLOVER type, never fused or counted by indices
STATEMENT_TYPES: tuple[str, ...] = (EventType.STATEMENT.value,)
EVENT_TYPES: tuple[str, ...] = PLOVER_TYPES + OTHER_TYPES + STATEMENT_TYPES

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


def modes_of(type_: str) -> frozenset[str]:
    """The modes ``type_`` has in ``data/ontology.toml``, with the empty mode."""
    return frozenset({"", *_table().get(type_, {}).get("modes", {})})


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
    - STATEMENT claim-responsibility or deny-responsibility -> Attribution of
      responsibility; any other public statement -> Other (ACLED codes no
      statements).
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
      of territory. AGREE, and what ACLED's codebook lists as agreements ("peace
      agreements/talks, ceasefires, prisoner exchanges, prisoner releases,
      surrenders"): talks (CONSULT with no mode, or mediation), the RETREAT
      modes ceasefire, release and disarm -> Agreement.
    - ACCUSE (not disapprove/investigate) -> Attribution of responsibility.
    - everything else (visits, calls, SUPPORT, REQUEST, REJECT, THREATEN, SANCTION,
      AID, COOPERATE, CONCEDE, RETREAT) -> Diplomatic event.
    """
    src, tgt = set(source), set(target)
    if type_ == EventType.STATEMENT:
        responsibility = mode in (Mode.CLAIM_RESPONSIBILITY, Mode.DENY_RESPONSIBILITY)
        return "Attribution of responsibility" if responsibility else "Other"
    if type_ == EventType.OTHER:
        return _OTHER_BY_MODE.get(mode, "Other")
    if type_ == EventType.ASSAULT:
        return _assault_type(mode, src, tgt)
    if type_ == EventType.PROTEST:
        return _PROTEST_BY_MODE.get(mode, "Peaceful protest")
    if type_ == EventType.COERCE:
        if mode == Mode.REPRESSION and "PRO" in tgt:
            return "Excessive force against protesters"
        return _COERCE_BY_MODE.get(mode, "Other")
    if type_ == EventType.MOBILIZE:
        return "Headquarters or base established" if mode == Mode.BASE else "Change to group/activity"
    if type_ == EventType.RETREAT and mode == Mode.WITHDRAW and src & ARMED:
        return "Non-violent transfer of territory"
    if (
        type_ == EventType.AGREE
        or (type_ == EventType.RETREAT and mode in _AGREED_RETREATS)
        or (type_ == EventType.CONSULT and mode in _TALKS)
    ):
        return "Agreement"
    if type_ == EventType.ACCUSE and mode not in (Mode.DISAPPROVE, Mode.INVESTIGATE):
        return "Attribution of responsibility"
    return "Diplomatic event"


#: RETREAT modes that ACLED's codebook gives as examples of its Agreement sub-event type
_AGREED_RETREATS = (Mode.CEASEFIRE, Mode.RELEASE, Mode.DISARM)
#: CONSULT modes of talks (meetings, negotiation, mediation), ACLED's "peace talks"; not a
#: visit nor a phone call
_TALKS = ("", Mode.THIRD_PARTY)
_OTHER_BY_MODE: dict[str, str] = {
    Mode.NATURAL_DISASTER: "Natural disaster",
    Mode.MAN_MADE_DISASTER: "Man-made disaster",
    Mode.CRIME: "Organised crime",
}
_PROTEST_BY_MODE: dict[str, str] = {Mode.RIOT: "Violent demonstration", Mode.MOB: "Mob violence"}
_COERCE_BY_MODE: dict[str, str] = {
    Mode.ARREST: "Arrests",
    Mode.SEIZE: "Looting/property destruction",
    Mode.DISRUPT: "Disrupted weapons use",
}
_ASSAULT_BY_MODE: dict[str, str] = {
    Mode.AERIAL: "Air/drone strike",
    Mode.HEAVY_WEAPONS: "Shelling/artillery/missile attack",
    Mode.EXPLOSIVES: "Remote explosive/landmine/IED",
    Mode.SUICIDE_ATTACK: "Suicide bomb",
    Mode.SEXUAL: "Sexual violence",
    Mode.ABDUCT: "Abduction/forced disappearance",
    Mode.GRENADE: "Grenade",
    Mode.CHEMICAL: "Chemical weapon",
    Mode.UNCONVENTIONAL: "Chemical weapon",
}


def _assault_type(mode: str, src: set[str], tgt: set[str]) -> str:
    """The ASSAULT branch of ``acled_type``."""
    if "PRO" in src:
        return "Violent demonstration"
    if "PRO" in tgt and src & {"MIL", "COP"}:
        return "Excessive force against protesters"
    if mode == Mode.OCCUPY:
        if src & STATE_FORCES:
            return "Government regains territory"
        return "Non-state actor overtakes territory"
    if mode in _ASSAULT_BY_MODE:
        return _ASSAULT_BY_MODE[mode]
    if "CVL" in src and not src & ARMED:
        return "Mob violence"
    if mode == Mode.CLASH or (src & ARMED and tgt & ARMED):
        return "Armed clash"
    return "Attack"


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


def type_modes() -> dict[str, tuple[str, ...]]:
    """Each event type's modes (``modes_of``), sorted."""
    return {t: tuple(sorted(modes_of(t) - {""})) for t in EVENT_TYPES}
