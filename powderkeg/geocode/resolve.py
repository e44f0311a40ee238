"""Toponym resolution: each name in an article -> one place, read in the light of the others.

A name alone is ranked by its prior: what kind of place it is (country,
first-level region, sea, capital, town) and how many people live there (an
administrative area counts the people of its towns). An area named like a
large town inside it is, by that bare name, the town ("Aleppo", not Aleppo
Governorate). The article then votes: the countries its unambiguous names
point at form its context, and a reading is preferred when it lies in a
context country (or next to one), near another place of the same article, or
inside a first-level area the article names ("Springfield" with "Illinois");
a first-level area named among others of its country is read as one of them
("Georgia" among "Alabama" and "Texas"). A name's own reading is never
evidence for itself. Two passes: the first reads every name alone, the second
with what the first gave.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Place
from .build import fold
from .gazetteer import Candidate, Gazetteer, distance_km

#: prior of a feature on the log10(population) scale (a country outranks a 10-million city)
FEATURE_PRIOR = {"PCLI": 8.6, "CONT": 9.0, "ADM1": 6.8, "RGN": 6.5, "SEA": 6.5, "BDR": 4.0}
#: an administrative area of known population ranks as that many people and this much more, up
#: to the ADM1 prior: Lagos State is as prominent as any first-level region, the Bahamas' Long
#: Island district is not
AREA_BONUS = 1.0
CAPITAL_BONUS = 1.0
EXACT_BONUS = 1.5  # the place's own name, not one of its alternates
CONTEXT_COUNTRY = 3.0
NEIGHBOUR = 0.8
NEARBY_KM = 250.0
NEARBY = 1.2
#: a place inside a first-level area the article names ("Austin" with "Indiana")
CONTAINED = 2.0
#: a first-level area whose country's other first-level areas the article names ("Georgia"
#: among "Alabama" and "Texas"), per other area, up to SIBLINGS_MAX
SIBLING = 1.0
SIBLINGS_MAX = 3.0
#: an area named like a large town inside it is, by that name, the town ("New York", "Aleppo",
#: "Donetsk"); news names the area with its word ("Aleppo Governorate", "New York State")
SEAT_PENALTY = 2.0
SEAT_POPULATION = 100_000
ADMIN = ("ADM1", "ADM2")
WIDE = ("PCLI", "CONT", "SEA", "RGN")


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
    if c.feature in ADMIN and c.population:
        base = min(FEATURE_PRIOR["ADM1"], math.log10(c.population + 1) + AREA_BONUS)
    elif base is None:
        base = math.log10(c.population + 1) + (CAPITAL_BONUS if c.feature == "PPLC" else 0.0)
    if fold(c.name) == fold(name).removeprefix("the "):
        # a country called by its own name is the country, not its capital or a namesake town
        base += EXACT_BONUS * (3 if c.feature == "PCLI" else 1)
    return base


def priors(options: Sequence[Candidate], name: str) -> dict[int, float]:
    """The prior of each reading of ``name``, an area named after a large town in it ranked down."""
    seats = {(c.country, c.admin1) for c in options
             if c.feature.startswith("PPL") and c.population >= SEAT_POPULATION and c.admin1}  # fmt: skip
    return {
        c.id: prior(c, name)
        - (SEAT_PENALTY if c.feature in ADMIN and (c.country, c.admin1) in seats else 0.0)
        for c in options
    }


def lookup(gaz: Gazetteer, name: str, context: str = "") -> Place | None:
    """The best place called ``name`` read alone, preferring ``context`` (ISO3) and its neighbours."""
    candidates = gaz.candidates(name)
    if not candidates:
        return None
    near = gaz.neighbours.get(context, set())
    base = priors(candidates, name)

    def rank(c: Candidate) -> float:
        closeness = 3.0 if c.country == context else 1.0 if c.country in near else 0.0
        return closeness + base[c.id]

    return max(candidates, key=rank).place()


@dataclass
class _Article:
    """What the article's names say when each is read alone: the evidence for the others.

    Each name's own reading is left out of the evidence for it, so that a name does
    not vote for itself ("Georgia" read as the country does not make the article
    Georgian).
    """

    votes: dict[str, Counter[str]]  # folded name -> the countries it speaks for
    areas: dict[str, tuple[str, str]]  # folded name -> (country, admin1 code) of its ADM1 reading
    anchors: list[tuple[str, Candidate]]  # folded name -> a place it surely is
    focus: str

    def context(self, key: str) -> Counter[str]:
        out: Counter[str] = Counter({self.focus: 2} if self.focus else {})
        for other, votes in self.votes.items():
            if other != key:
                out.update(votes)
        return out

    def contains(self, key: str, c: Candidate) -> bool:
        return bool(c.admin1) and any(
            k != key and area == (c.country, c.admin1) for k, area in self.areas.items()
        )

    def siblings(self, key: str, c: Candidate) -> int:
        return sum(k != key and area[0] == c.country and area != (c.country, c.admin1)
                   for k, area in self.areas.items())  # fmt: skip


def _best(cands: Sequence[Candidate], name: str, gaz: Gazetteer, article: _Article) -> Candidate:
    key = fold(name)
    context = article.context(key)
    total = sum(context.values()) or 1

    base = priors(cands, name)

    def score(c: Candidate) -> float:
        s = base[c.id]
        if c.country and context:
            s += CONTEXT_COUNTRY * context.get(c.country, 0) / total
            if context.get(c.country, 0) == 0 and any(
                c.country in gaz.neighbours.get(k, ()) for k in context
            ):
                s += NEIGHBOUR * 0.5
            elif context.get(c.country, 0):
                s += NEIGHBOUR
        if c.feature != "ADM1" and article.contains(key, c):
            s += CONTAINED
        # near another place of the article (the area holding it already counted as CONTAINED)
        if c.feature not in WIDE and any(
            k != key and a.id != c.id and (a.feature != "ADM1" or (a.country, a.admin1) != (c.country, c.admin1))
            and distance_km(a.lat, a.lon, c.lat, c.lon) < NEARBY_KM
            for k, a in article.anchors
        ):  # fmt: skip
            s += NEARBY
        if c.feature == "ADM1":
            s += min(SIBLINGS_MAX, SIBLING * article.siblings(key, c))
        return s

    return max(cands, key=score)


def resolve(gaz: Gazetteer, spans: Sequence[tuple[int, int, str]], focus: str = "") -> list[Resolved | None]:
    """Resolve ``(start, end, text)`` spans of one article together; None where nothing is known."""
    cands = [gaz.candidates(text) for _, _, text in spans]
    article = _Article(votes={}, areas={}, anchors=[], focus=focus)
    for options, (_, _, text) in zip(cands, spans, strict=True):
        if not options:
            continue
        alone = priors(options, text)
        pick = max(options, key=lambda x: alone[x.id])
        if not pick.country:
            continue
        key = fold(text)
        # a name with one reading, or a country / region, speaks for the article
        if len(options) == 1 or pick.feature in ("PCLI", "ADM1"):
            article.votes.setdefault(key, Counter())[pick.country] += 1
            if pick.feature not in WIDE:
                article.anchors.append((key, pick))
        if pick.feature == "ADM1" and pick.admin1:
            article.areas[key] = (pick.country, pick.admin1)
    out: list[Resolved | None] = []
    for (start, end, text), options in zip(spans, cands, strict=True):
        if not options:
            out.append(None)
            continue
        best = options[0] if len(options) == 1 else _best(options, text, gaz, article)
        out.append(Resolved(start, end, text, best))
    return out
