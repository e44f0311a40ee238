"""Names of features inside or beside places: streets, buildings, rivers; and where they lie.

The built-in gazetteer holds towns and areas, not streets or buildings, so a
name such as "Hampton Avenue" or "Altnagelvin Hospital" has no entry of its
own. Such a name is read by its last word (its head, in English):

* a street or an address ("Paris Avenue", "2700 North Fourth Street") lies in
  a town, but not in the one it is named after;
* a building or institution ("Manila Cathedral", "Memorial Hospital") lies in
  the town it is named after, when it is named after one, else in the town the
  article is about;
* a natural feature ("Kish River", "Mahim Bay", "Lake Cumberland") is neither
  in its namesake nor a county of its name: without an entry of its own it is
  read as any name the gazetteer lacks is, near the article's town (see
  ``resolve._unknown``).

A generic word ("Hospital", "Centre", "Hill", "Republic") is never the place a
longer name is named after, whatever town of that name the gazetteer holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from .gazetteer import Candidate, Gazetteer

#: last words of streets and roads
STREET_WORDS = {"street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "rd.", "drive", "dr.", "lane",
                "boulevard", "blvd", "blvd.", "trail", "way", "highway", "hwy", "parkway", "pike", "court",
                "circle", "terrace", "place", "row", "alley", "streets", "avenues", "roads"}  # fmt: skip
#: last words of buildings, institutions and urban sites: in a town
BUILDING_WORDS = {
    "hospital", "clinic", "infirmary", "centre", "center", "campus", "house", "courthouse", "theatre", "theater",
    "palace", "hall", "church", "cathedral", "chapel", "mosque", "synagogue", "temple", "school", "university",
    "college", "academy", "institute", "estate", "gardens", "square", "stadium", "arena", "museum", "library",
    "gallery", "hotel", "restaurant", "embassy", "consulate", "station", "terminal", "prison", "jail", "mall",
    "market", "tower", "building", "plaza", "cemetery", "zoo",
}  # fmt: skip
#: first or last words of natural features: neither in their namesake town nor in the article's
NATURAL_WORDS = {"river", "creek", "brook", "lake", "lagoon", "bay", "gulf", "island", "islands", "mountain",
                 "mountains", "mount", "valley", "canyon", "head", "falls", "forest", "beach", "lakeshore",
                 "peninsula", "glacier", "reservoir", "swamp", "sea", "ocean", "strait"}  # fmt: skip
#: words that are never, on their own, the place a longer name is named after
GENERIC_WORDS = STREET_WORDS | BUILDING_WORDS | NATURAL_WORDS | {
    "republic", "town", "hill", "hills", "park", "national", "memorial", "state", "support", "trust", "city",
    "county", "district", "colony", "orchard", "loop", "central", "hub",
}  # fmt: skip
_ADDRESS = re.compile(r"^\d")
_POINTS = {"north", "south", "east", "west", "n", "s", "e", "w", "n.", "s.", "e.", "w."}


def kind(name: str) -> str:
    """``"street"``, ``"building"``, ``"natural"`` or ``""``: what a name's head word says it is (the
    word before "of" in "Embassy of Armenia"; "West" in "Eglinton Avenue West" is no head)."""
    words = name.lower().replace("’", "'").split()
    if len(words) < 2:
        return ""
    if _ADDRESS.match(name):
        return "street"
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    while len(words) > 1 and words[-1] in _POINTS:
        words.pop()
    head = words[-1]
    if head in STREET_WORDS:
        return "street"
    if head in NATURAL_WORDS or words[0] in ("lake", "mount", "gulf", "river"):
        return "natural"
    if head in BUILDING_WORDS or (len(words) > 1 and head.endswith("'s")):
        return "building"
    return ""


def home(
    picks: Mapping[str, Candidate], weights: Mapping[str, int], skip: set[str], abroad: str = ""
) -> Candidate | None:
    """The town an article is about: the town most of its mentions name (its dateline counts three
    times), on a tie the one in the country whose name and areas the article names most (an Irish
    article that names Dublin and London as often is set in Dublin), then the larger, outside the country
    ``abroad``; None when it names no such town."""
    countries: Counter[str] = Counter()
    for k, c in picks.items():
        if c.feature in ("PCLI", "ADM1"):  # the countries and areas the article names
            countries[c.country] += weights[k]
    towns = [(weights[k], countries[c.country], c.population, k) for k, c in picks.items()
             if k not in skip and c.feature.startswith("PPL") and c.country != abroad]  # fmt: skip
    return picks[max(towns)[-1]] if towns else None


def embassy_of(gaz: Gazetteer, name: str) -> str:
    """The country (ISO3) whose embassy or consulate ``name`` is ("Russian Embassy", "Embassy of
    Armenia"), which is not where it lies; "" for any other name."""
    words = name.replace("’", "'").split()
    if not {w.lower() for w in words} & {"embassy", "consulate"}:
        return ""
    for word in words:
        found = gaz.demonym(word)
        if found is None:
            found = next((c for c in gaz.candidates(word) if c.feature == "PCLI"), None)
        if found is not None and found.country:
            return found.country
    return ""
