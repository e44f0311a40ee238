"""What a brief is about and which fused events it rests on, ranked by their weight in tension.

A scope is a dyad, a country or a region (a ``Key`` of the tension index) over [since, until],
or one article. Dated scopes read the fused events of the key dated in the window by their
text: an article without a publication date has its events placed on the day it was ingested
(``date_basis: ingested``), which is not when they happened, so they are left out of dated
briefs and counted in the brief's notes. An article scope takes every fused event any of the
article's reports belongs to, dated or not; its brief gives no dates it does not have.

Events are ranked by their contribution to the tension index (``analyze.index.contribution``),
so what drives tension comes first and cooperation last. ``incidents`` groups conflict events
that are one episode (the same or the next day, or the same undated article, sharing an actor
or a place) so that a takeaway can tell a clash and the force used against it together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..analyze.index import Key, contribution
from ..analyze.regions import region
from .derive import is_org
from .source import event_of

CONFLICT_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "THREATEN", "SANCTION"})
EPISODE_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})


@dataclass(frozen=True)
class Scope:
    kind: str  # dyad | country | region | article
    label: str
    key: Key | None
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: str | None = None

    @property
    def dated(self) -> bool:
        return self.kind != "article"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "countries": list(self.key.countries) if self.key else [],
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "article_id": self.article_id,
        }


def parse_key(key: Key | str | Sequence[str]) -> tuple[str, Key]:
    """(kind, Key) from a Key, "SRB-XKX", "SRB XKX", ["SRB", "XKX"], "SRB" or "region:NAME"."""
    if isinstance(key, Key):
        return ("dyad" if key.dyad else "region" if key.name else "country"), key
    if isinstance(key, str) and key.startswith("region:"):
        name = key.split(":", 1)[1]
        members = region(name)
        if not members:
            from ..errors import BriefError

            raise BriefError(
                f"unknown region {name!r}", remedy="use a UN M49 sub-region name, e.g. 'Southern Europe'"
            )
        return "region", Key(members, name=name)
    codes = key.replace("-", " ").replace("–", " ").split() if isinstance(key, str) else list(key)
    parsed = Key.parse(codes)
    return ("dyad" if parsed.dyad else "country"), parsed


def ranked(events: Sequence[dict[str, Any]]) -> list[tuple[float, dict[str, Any]]]:
    """(contribution, event), largest first; ties by date and id so that the order is stable."""
    scored = [(contribution(event_of(e)), e) for e in events]
    return sorted(scored, key=lambda ce: (-ce[0], ce[1].get("date") or "", ce[1]["id"]))


def _keys(event: dict[str, Any]) -> set[str]:
    return set(event.get("source") or ()) | set(event.get("target") or ())


def _near(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("date_basis") == "ingested" or b.get("date_basis") == "ingested":
        same_time = bool({r["article_id"] for r in a["reports"]} & {r["article_id"] for r in b["reports"]})
    else:
        da, db = a.get("date"), b.get("date")
        same_time = bool(da and db and abs((dt.date.fromisoformat(da) - dt.date.fromisoformat(db)).days) <= 1)
    if not same_time:
        return False
    pa, pb = (a.get("place") or {}).get("name"), (b.get("place") or {}).get("name")
    return bool(_keys(a) & _keys(b)) or bool(pa and pa == pb)


def incidents(events: Sequence[tuple[float, dict[str, Any]]]) -> list[list[tuple[float, dict[str, Any]]]]:
    """Ranked events grouped into episodes (connected by ``_near`` among ASSAULT, COERCE and
    PROTEST events); each group keeps its rank order and the groups are ordered by their top
    event. Other events are groups of one."""
    groups: list[list[tuple[float, dict[str, Any]]]] = []
    for ce in events:
        if ce[1]["type"] in EPISODE_TYPES and ce[0] > 0:
            joined = [
                g for g in groups if g[0][1]["type"] in EPISODE_TYPES and any(_near(ce[1], o) for _, o in g)
            ]
            if joined:
                target = joined[0]
                for other in joined[1:]:
                    target += other
                    groups.remove(other)
                target.append(ce)
                continue
        groups.append([ce])
    for g in groups:
        g.sort(key=lambda ce: (-ce[0], ce[1]["id"]))
    return groups


def main_parties(order: Sequence[tuple[float, dict[str, Any]]], key: Any = None) -> set[str]:
    """The key's countries; for an article, the two countries its events weigh most on."""
    if key is not None:
        return set(key.countries)
    weight: dict[str, float] = {}
    for c, e in order:
        for code in set(e.get("source") or ()) | set(e.get("target") or ()):
            if not is_org(code):
                weight[code] = weight.get(code, 0.0) + max(c, 0.1)
    return set(sorted(weight, key=lambda k: (-weight[k], k))[:2])
