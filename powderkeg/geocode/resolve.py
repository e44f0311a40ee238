"""Toponym resolution: each name in an article -> one place, read in the light of the others.

A name alone is ranked by its prior: what kind of place it is (country,
first-level region, sea, capital, town) and how many people live there. The
article then votes: the countries its unambiguous names point at form its
context, and a reading is preferred when it lies in a context country (or
next to one) or near another place of the same article. Two passes: the
first reads every name alone, the second with the context the first gave.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .build import fold
from .gazetteer import Candidate, Gazetteer, distance_km

#: prior of a feature on the log10(population) scale (a country outranks a 10-million city)
FEATURE_PRIOR = {"PCLI": 8.6, "CONT": 9.0, "ADM1": 6.8, "RGN": 6.5, "SEA": 6.5, "BDR": 4.0}
CAPITAL_BONUS = 1.0
EXACT_BONUS = 1.5  # the place's own name, not one of its alternates
CONTEXT_COUNTRY = 3.0
NEIGHBOUR = 0.8
NEARBY_KM = 250.0
NEARBY = 1.2


@dataclass(frozen=True)
class Resolved:
    start: int
    end: int
    text: str
    place: Candidate

    def to_dict(self) -> dict[str, object]:
        c = self.place
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "name": c.name,
            "lat": c.lat,
            "lon": c.lon,
            "geonameid": c.id if c.id < 2_000_000_000 else None,
            "country": c.country or None,
            "feature": c.feature,
            "precision": c.precision,
        }


def prior(c: Candidate, name: str) -> float:
    base = FEATURE_PRIOR.get(c.feature)
    if base is None:
        base = math.log10(c.population + 1) + (CAPITAL_BONUS if c.feature == "PPLC" else 0.0)
    if fold(c.name) == fold(name).removeprefix("the "):
        # a country called by its own name is the country, not its capital or a namesake town
        base += EXACT_BONUS * (3 if c.feature == "PCLI" else 1)
    return base


def _best(
    cands: Sequence[Candidate],
    name: str,
    gaz: Gazetteer,
    context: Counter[str],
    anchors: Sequence[Candidate],
) -> Candidate:
    total = sum(context.values()) or 1

    def score(c: Candidate) -> float:
        s = prior(c, name)
        if c.country and context:
            s += CONTEXT_COUNTRY * context.get(c.country, 0) / total
            if context.get(c.country, 0) == 0 and any(
                c.country in gaz.neighbours.get(k, ()) for k in context
            ):
                s += NEIGHBOUR * 0.5
            elif context.get(c.country, 0):
                s += NEIGHBOUR
        if c.feature not in ("PCLI", "CONT", "SEA", "RGN") and any(
            a.id != c.id and distance_km(a.lat, a.lon, c.lat, c.lon) < NEARBY_KM for a in anchors
        ):
            s += NEARBY
        return s

    return max(cands, key=score)


def resolve(gaz: Gazetteer, spans: Sequence[tuple[int, int, str]], focus: str = "") -> list[Resolved | None]:
    """Resolve ``(start, end, text)`` spans of one article together; None where nothing is known."""
    cands = [gaz.candidates(text) for _, _, text in spans]
    first = [
        max(c, key=lambda x, t=t: prior(x, t)) if c else None
        for c, (_, _, t) in zip(cands, spans, strict=True)
    ]
    context: Counter[str] = Counter()
    if focus:
        context[focus] += 2
    anchors = []
    for pick, options in zip(first, cands, strict=True):
        if pick is None or not pick.country:
            continue
        # a name with one reading, or a country / region, speaks for the article
        if len(options) == 1 or pick.feature in ("PCLI", "ADM1"):
            context[pick.country] += 1
            if pick.feature not in ("PCLI", "CONT", "SEA", "RGN"):
                anchors.append(pick)
    out: list[Resolved | None] = []
    for (start, end, text), options in zip(spans, cands, strict=True):
        if not options:
            out.append(None)
            continue
        best = options[0] if len(options) == 1 else _best(options, text, gaz, context, anchors)
        out.append(Resolved(start, end, text, best))
    return out
