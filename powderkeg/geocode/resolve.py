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
("Georgia" among "Alabama" and "Texas"). A bare name may be a county ("Sarpy"
for Sarpy County), which the article's locale decides. A country's name is no country
where the text says otherwise: after a town and a comma it is the area holding the town
("Gainesville, Georgia"), and before "man" or "woman" a town ("a Lebanon woman": a
country's people go by its demonym). A name's own reading is never
evidence for itself. A town's name met only inside an organisation's name ("the Venice
Commission", "Cambridge Analytica") is no evidence of where the article is, and is read as the
best-known place of that name where that lies abroad; a local institution's ("Richmond Police
Department", "the Richmond Tigers") is the article's town. A small town whose country the
article has nothing else in ("Heathrow", a Florida town, in news from London) is read at the
article's town: the place meant is one the gazetteer lacks. So is a name the gazetteer lacks
altogether (a village, a suburb, a stream): news names places too small for it near where it is
set, so it is read at the article's town, else at the first-level area it names most. Two passes:
the first reads every name alone, the second with what the first gave.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..records import Place
from .colocation import elsewhere, locale
from .cues import counties_first, county_listed, no_country, resident
from .features import GENERIC_WORDS, embassy_of, home, kind
from .gazetteer import Candidate, Gazetteer, distance_km, fold

#: prior of a feature on the log10(population) scale (a country outranks a 10-million city)
FEATURE_PRIOR = {"PCLI": 8.6, "CONT": 9.0, "ADM1": 6.8, "RGN": 6.5, "SEA": 6.5, "BDR": 4.0, "BLDG": 7.0}
#: an administrative area of known population ranks as that many people and this much more, up
#: to the ADM1 prior: Lagos State is as prominent as any first-level region, the Bahamas' Long
#: Island district is not
AREA_BONUS = 1.0
CAPITAL_BONUS = 1.0
EXACT_BONUS = 1.5  # the place's own name, not one of its alternates
#: a sea whose name's own head word says it is water ("the Red Sea"), over the areas named after it
#: (Sudan's and Egypt's Red Sea provinces) unless the article places it among them
WATER_BONUS = 1.0
#: a county read by its bare name ("Sarpy" for Sarpy County): what a town's own name gets, taken away
BARE_COUNTY = 1.5
CONTEXT_COUNTRY = 3.0
NEIGHBOUR = 0.8
NEARBY_KM = 250.0
NEARBY = 1.2
#: a place inside a first-level area the article names ("Austin" with "Indiana")
CONTAINED = 2.0
#: a place in the first-level area where the article's other places lie (its locale), by their share
LOCAL = 1.5
#: a reading beside a reading of another name, whichever that name turns out to be ("Richmond" and
#: "Madison County": the Richmond in that Madison County), per other name up to COLOCATED_MAX; not
#: where the article's locale is another first-level area (geocode/colocation.py)
COLOCATED_KM = 30.0
COLOCATED = 1.5
COLOCATED_MAX = 3.0
#: a first-level area whose country's other first-level areas the article names ("Georgia"
#: among "Alabama" and "Texas"), per other area, up to SIBLINGS_MAX
SIBLING = 1.0
SIBLINGS_MAX = 3.0
#: a first-level area or country that holds a town written right before it with a comma
#: ("Gainesville, Georgia"): the convention is strong enough to outweigh a country's prior
HOLDS_TOWN = 5.0
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
    #: a demonym or adjective ("Russian", "Texans") read as its place: where an actor comes from,
    #: never where an event happened
    demonym: bool = False
    #: a street or building the gazetteer does not hold ("Hampton Avenue", "Altnagelvin Hospital"),
    #: placed at the town it lies in: the place is that town's point, not the feature's
    inside: bool = False
    #: named inside an organisation's name ("Bank of America", "University of Texas", "Real Madrid"):
    #: a toponym (the gold sets annotate it), but the organisation is no place, so never an event's
    embedded: bool = False

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
            "demonym": self.demonym,
            "inside": self.inside,
            "embedded": self.embedded,
        }


def prior(c: Candidate, name: str, towns: frozenset[str] = frozenset()) -> float:
    """The prior of reading ``name`` as ``c`` alone; ``towns``: the folded names of the towns
    among the readings, for a second-level area named like one of them (see ``_area_bonus``)."""
    base = FEATURE_PRIOR.get(c.feature)
    if c.feature in ADMIN and c.population:
        base = min(FEATURE_PRIOR["ADM1"], math.log10(c.population + 1) + _area_bonus(c, towns))
    elif base is None:
        base = math.log10(c.population + 1) + (CAPITAL_BONUS if c.feature == "PPLC" else 0.0)
    if c.feature == "ADM2" and fold(c.name) != fold(name) and fold(c.name).startswith(fold(name) + " "):
        # a county by its bare name ("Sarpy" for Sarpy County) is one only where the article is local
        base -= BARE_COUNTY
    if c.feature == "SEA" and kind(name) == "natural":
        base += WATER_BONUS
    if fold(c.name) == fold(name).removeprefix("the "):
        # a country called by its own name is the country, not its capital or a namesake town
        base += EXACT_BONUS * (3 if c.feature == "PCLI" else 1)
    return base


def _area_bonus(c: Candidate, towns: frozenset[str]) -> float:
    """AREA_BONUS, except for a second-level area named just like a town ("Cambridge", a Perth
    council, beside the towns called Cambridge): by that name it is one more namesake and ranks
    as its people, as a town does; "Suffolk County" keeps it."""
    return 0.0 if c.feature == "ADM2" and fold(c.name) in towns else AREA_BONUS


def priors(options: Sequence[Candidate], name: str) -> dict[int, float]:
    """The prior of each reading of ``name``, an area named after a large town in it ranked down."""
    seats = {(c.country, c.admin1) for c in options
             if c.feature.startswith("PPL") and c.population >= SEAT_POPULATION and c.admin1}  # fmt: skip
    towns = frozenset(fold(c.name) for c in options if c.feature.startswith("PPL"))
    return {
        c.id: prior(c, name, towns)
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
    """What the article's other names say about each name: its evidence.

    Built from each name's current reading (first alone, then in context); a name's own
    reading is never evidence for itself ("Georgia" read as the country does not make the
    article Georgian). Names count by their mentions, a dateline three times.
    """

    votes: dict[str, Counter[str]] = field(default_factory=dict)  # name -> countries it speaks for
    areas: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (country, admin1) it names
    local: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)  # name -> areas it lies in
    anchors: list[tuple[str, Candidate]] = field(default_factory=list)  # name -> a place it is
    focus: str = ""
    #: the small readings of every name (towns, counties) by grid cell: for readings that lie together
    cells: dict[tuple[int, int], list[tuple[str, Candidate]]] = field(default_factory=dict)
    #: names the text marks as areas: "Washington state", "the state of Washington", or in a list
    #: of names ("Utah, Virginia, Washington and Wyoming")
    marked: frozenset[str] = frozenset()
    #: the areas a name written right after a town holds that town in ("Gainesville, Georgia":
    #: Georgia holds a Gainesville as a US state, not as a country): (country, admin1), and
    #: (country, "") for the country
    holding: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)

    def colocated(self, key: str, c: Candidate) -> int:
        """How many other names have a reading within COLOCATED_KM of ``c``."""
        row, col = _cell(c)
        near = {
            k
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for k, o in self.cells.get((row + dr, col + dc), ())
            if k != key and distance_km(o.lat, o.lon, c.lat, c.lon) < COLOCATED_KM
        }
        return len(near)

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

    def locale(self, key: str, c: Candidate) -> float:
        """Share of the other names' mentions that lie in ``c``'s first-level area."""
        if not c.admin1:
            return 0.0
        total = same = 0
        for k, areas in self.local.items():
            if k != key:
                total += sum(areas.values())
                same += areas.get((c.country, c.admin1), 0)
        return same / total if total else 0.0

    def siblings(self, key: str, c: Candidate) -> int:
        return sum(k != key and area[0] == c.country and area != (c.country, c.admin1)
                   for k, area in self.areas.items())  # fmt: skip


def _best(cands: Sequence[Candidate], name: str, gaz: Gazetteer, article: _Article) -> Candidate:
    key = fold(name)
    context = article.context(key)
    total = sum(context.values()) or 1

    base, home = priors(cands, name), locale(article.local, key)
    # a name that is also its country's capital ("Washington") is the capital, which national news
    # names among its areas, unless the text marks it as the area ("Washington state")
    capitals = set() if key in article.marked else {c.country for c in cands if c.feature == "PPLC"}

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
        elif not c.country and context:
            # a sea or a region across borders lies in no country, so no article's countries speak
            # against it: it scores as if in the article's main country ("the Middle East" in US
            # news is the region, not a Baltimore neighbourhood that has its name)
            s += CONTEXT_COUNTRY * max(context.values()) / total + NEIGHBOUR
        if c.feature != "ADM1" and article.contains(key, c):
            s += CONTAINED
        if c.feature not in WIDE and c.feature != "ADM1":
            s += LOCAL * article.locale(key, c)
            if not elsewhere(home, c):  # common names' towns cluster anywhere
                s += min(COLOCATED_MAX, COLOCATED * article.colocated(key, c))
        # near another place of the article (the area holding it already counted as CONTAINED); not
        # near a capital, which national news names for its government ("Washington said")
        if c.feature not in WIDE and any(
            k != key and a.id != c.id and a.feature != "PPLC" and (a.feature != "ADM1" or (a.country, a.admin1) != (c.country, c.admin1))
            and distance_km(a.lat, a.lon, c.lat, c.lon) < NEARBY_KM
            for k, a in article.anchors
        ):  # fmt: skip
            s += NEARBY
        if c.feature == "ADM1" and c.country not in capitals:
            s += min(SIBLINGS_MAX, SIBLING * article.siblings(key, c))
        if c.feature in ("ADM1", "PCLI") and (
            c.country,
            c.admin1 if c.feature == "ADM1" else "",
        ) in article.holding.get(key, ()):
            s += HOLDS_TOWN
        return s

    return max(cands, key=score)


#: what follows a dateline's place: "ATLANTA - ", "MANSFIELD -- ", "BEIRUT (AP) "
_DATELINE_AFTER = re.compile(r"^(,\s*[A-Z][\w.]*(\s[A-Z][\w.]*)?)?\s*(--|—|–|-\s|\((AP|Reuters|AFP)\))")
DATELINE_WEIGHT = 3


def _evidence(
    readings: dict[str, Sequence[Candidate]],
    cells: dict[tuple[int, int], list[tuple[str, Candidate]]],
    picks: dict[str, Candidate],
    weights: Counter[str],
    focus: str,
    alone: bool,
    adjectives: frozenset[str] = frozenset(),
    marked: frozenset[str] = frozenset(),
    holding: dict[str, frozenset[tuple[str, str]]] | None = None,
) -> _Article:
    """The article's evidence from each name's pick; ``alone``: the first pass, where only names with
    one reading, countries and first-level areas speak."""
    article = _Article(focus=focus, cells=cells, marked=marked, holding=holding or {})
    for key, pick in picks.items():
        if not pick.country:
            continue
        sure = len(readings[key]) == 1 or pick.feature in ("PCLI", "ADM1")
        if alone and not sure:
            continue
        article.votes.setdefault(key, Counter())[pick.country] += weights[key] if not alone else 1
        if pick.feature not in WIDE:
            article.anchors.append((key, pick))
        if pick.feature == "ADM1" and pick.admin1 and key not in adjectives:
            # "English" says where someone is from, not that the article is set in England
            article.areas[key] = (pick.country, pick.admin1)
        elif pick.admin1 and pick.feature not in WIDE:
            article.local.setdefault(key, Counter())[(pick.country, pick.admin1)] += weights[key]
    return article


#: words a US county's name drops in local news ("DuPage" for DuPage County)
COUNTY_WORDS = ("County", "Parish")
#: the word "County" as news abbreviates it ("Platte Co.")
COUNTY_SHORT = ("Co.", "Cnty.")
_WORD = re.compile(r"[A-Z][\w'’.-]*")


def candidates(gaz: Gazetteer, name: str) -> Sequence[Candidate]:
    """The readings of ``name``, with those of the county it may name ("Sarpy", "Lancaster": local
    news drops the word; a county so named ranks below a town of that name unless the article is
    local to it); for a name the gazetteer lacks, else of the longest known name inside it ("Manila Cathedral", "Arizona State
    University"; never the word before "of"): a building or institution lies in the place it is named after. Not so a street
    ("Paris Avenue"), and a country is no such place ("Russian Embassy")."""
    found = _abbreviated(gaz.candidates(name), name)
    natural = kind(name) == "natural"
    counties = [] if natural else _counties(gaz, name)
    if found or counties:
        return (*found, *(c for c in counties if c not in found))
    words = name.split()
    if len(words) < 2 or kind(name) == "street" or natural or embassy_of(gaz, name):
        return ()  # a street named after a town is not in it, nor an embassy in what it is of
    # "the Line of Control", "Woodstock Chamber of Commerce": the word before "of" says what it
    # is, never the place it is named after (no town called Line, nor Chamber)
    head = words.index("of", 1) - 1 if "of" in words[1:] else -1
    for size in range(len(words) - 1, 0, -1):
        for at in range(len(words) - size + 1):
            part = words[at : at + size]
            if (
                at + size - 1 == head
                or not all(_WORD.fullmatch(w) for w in part)
                or all(w.lower() in DIRECTION_WORDS or w.lower() in GENERIC_WORDS for w in part)
            ):
                continue  # "Memorial Hospital" is not in a town called Hospital
            inner = [c for c in gaz.candidates(" ".join(part)) if _named_after(c, part)]
            if inner and gaz.demonym(" ".join(part)) is None:
                return inner
    return ()


#: an abbreviation in capitals: "EU", "U.N." (not a dateline's "IOWA")
_ABBREVIATION = re.compile(r"[A-Z]{2,3}|(?:[A-Z]\.){2,4}")


def _abbreviated(found: Sequence[Candidate], name: str) -> Sequence[Candidate]:
    """An abbreviation ("EU", "UN") is not a town whose own name it spells (Eu in France, Un in
    India), when it abbreviates something else the gazetteer holds."""
    if not _ABBREVIATION.fullmatch(name):
        return found
    meant = [c for c in found if not (c.feature.startswith("PPL") and fold(c.name) == fold(name))]
    return meant or found


def _counties(gaz: Gazetteer, name: str) -> list[Candidate]:
    """The counties (or parishes) a bare name may stand for: "Sarpy", "Hendricks"; and a name with
    the word abbreviated: "Sarpy Co."."""
    words = name.split()
    if len(words) > 1 and words[-1] in COUNTY_SHORT:
        # "Platte Co.": news abbreviates the word, the gazetteer does not
        return [c for c in gaz.candidates(" ".join([*words[:-1], "County"])) if c.feature == "ADM2"]
    if not words or words[-1] in COUNTY_WORDS:
        return []
    for word in COUNTY_WORDS:
        counties = [c for c in gaz.candidates(f"{name} {word}") if c.feature == "ADM2"]
        if counties:
            return counties
    return []


#: a one-word place a longer name is named after has this many people ("Nenagh MDC", not "Salt + Smoke")
NAMED_AFTER_POPULATION = 50_000


def _named_after(c: Candidate, part: list[str]) -> bool:
    """Whether ``c`` is a place a longer name is named after: not a country or wider area, and by its
    own name unless it is large (GeoNames' alternate names include words such as "Politics")."""
    if c.feature in WIDE:
        return False
    return fold(c.name) == fold(" ".join(part)) or c.population >= NAMED_AFTER_POPULATION


DIRECTION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                   "upper", "lower", "new", "old", "greater", "the"}  # fmt: skip


#: grid cells of half a degree: readings within COLOCATED_KM of each other lie in neighbouring cells
#: (south of 57 degrees of latitude; further north a few pairs are missed)
CELL_DEGREES = 0.5


def _cell(c: Candidate) -> tuple[int, int]:
    return int(c.lat // CELL_DEGREES), int(c.lon // CELL_DEGREES)


def _cells(readings: dict[str, Sequence[Candidate]]) -> dict[tuple[int, int], list[tuple[str, Candidate]]]:
    """Each name's readings that are towns or second-level areas, by grid cell."""
    out: dict[tuple[int, int], list[tuple[str, Candidate]]] = {}
    for key, options in readings.items():
        for c in options:
            if c.feature not in WIDE and c.feature != "ADM1":
                out.setdefault(_cell(c), []).append((key, c))
    return out


def resolve(
    gaz: Gazetteer, spans: Sequence[tuple[int, int, str]], focus: str = "", text: str = ""
) -> list[Resolved | None]:
    """Resolve ``(start, end, text)`` spans of one article together; None where nothing is known.

    Every mention of a name gets the same reading. A demonym or adjective ("Sudanese",
    "Texans") is its place, whatever else shares the word ("Canadian", Texas). Three
    passes: names alone, then each in the light of the others' readings, twice. With the
    article's ``text``, a dateline ("ATLANTA - ...") weighs as three mentions.
    """
    demonyms = {fold(t): gaz.demonym(t) for _, _, t in spans}
    readings: dict[str, Sequence[Candidate]] = {}
    weights: Counter[str] = Counter()
    names: dict[str, str] = {}
    datelines: set[str] = set()
    for start, end, name in spans:
        key = fold(name)
        found = demonyms[key]
        readings[key] = (found,) if found is not None else readings.get(key) or candidates(gaz, name)
        names.setdefault(key, name)
        dateline = bool(text) and _is_dateline(text, start, end)
        weights[key] += DATELINE_WEIGHT if dateline else 1
        if dateline:
            datelines.add(key)
    listed = {fold(n) for _, e, n in spans if text and county_listed(text, e)}  # "Clark ... counties"
    residents = {fold(n) for s, e, n in spans if text and resident(text, s, e)}  # "a Lebanon woman"
    live = {k: _towns_first(v) if k in datelines else counties_first(v) if k in listed else v
            for k, v in readings.items() if v}  # fmt: skip
    live = {k: no_country(v) if k in residents else v for k, v in live.items()}
    adjectives = frozenset(k for k, found in demonyms.items() if found is not None)
    picks: dict[str, Candidate] = {}
    for key, options in live.items():
        alone = priors(options, names[key])
        picks[key] = max(options, key=lambda x: alone[x.id])
    for key, options in _in_context(gaz, names, picks, focus, live).items():
        live[key] = options
        alone = priors(options, names[key])
        picks[key] = max(options, key=lambda x: alone[x.id])
    if text:
        # "Sudan's Red Sea state", "the Red Sea governorate": an area, not the sea it is named after
        areas = _with_area_word(spans, text)
        live = {k: [c for c in v if c.feature != "SEA"] or v if k in areas else v for k, v in live.items()}
    cells = _cells(live)
    marked = _marked(spans, text) if text else frozenset(live)  # without the text, nothing says
    holding = _holding(spans, text, live) if text else {}
    # a town's name met only inside organisations' names ("Cambridge Analytica"): its reading alone
    namesakes = _namesakes(spans, text, picks, datelines)
    for first in (True, False, False):
        voting = {k: c for k, c in picks.items() if k not in namesakes}  # no organisation says where
        article = _evidence(live, cells, voting, weights, focus, first, adjectives, marked, holding)
        picks = {
            k: options[0]
            if len(options) == 1
            else _abroad(namesakes.get(k), _best(options, names[k], gaz, article))
            for k, options in live.items()
        }
    inside = {**_strays(gaz, picks, weights), **_inside(gaz, spans, text, live, picks, weights)}
    inside.update(_unknown(spans, live, picks, weights, inside))
    out: list[Resolved | None] = []
    for start, end, name in spans:
        key = fold(name)
        pick = inside.get(key) or picks.get(key)
        out.append(
            None
            if pick is None
            else Resolved(start, end, name, pick, demonym=demonyms[key] is not None, inside=key in inside)
        )
    return out


#: words after a town's name that make a local institution of it ("Fargo Police", "Richmond City
#: Council", "Salem High School"): named after the town because it is there, so the article's town
LOCAL_WORDS = GENERIC_WORDS | {
    "police", "fire", "sheriff", "sheriff's", "council", "borough", "public", "high", "schools",
    "community", "area", "metro", "regional", "airport", "mayor", "municipal", "township", "village",
    "county's", "city's", "times", "herald", "post", "news", "daily", "tribune", "gazette", "courier",
    "government", "board", "chamber", "republican", "republicans", "democrat", "democrats", "facility",
    "union", "department", "office", "agency", "authority", "governor",
}  # fmt: skip
#: words that follow a name in a sentence, not in an organisation's name: "in Athens Monday"
_TIME_WORDS = {w.lower() for w in (*calendar.day_name, *calendar.month_name) if w}
#: the capitalised words after a name: "Cambridge Analytica", "Evansville Federal Credit Union"
_NEXT_WORDS = re.compile(r"(?:[ \t]+[A-Z][\w'’.&-]*)+")


def _local(word: str) -> bool:
    """Whether ``word``, after a town's name, makes a local institution of it (see LOCAL_WORDS), a
    time of the sentence ("in Athens Monday"), or a team or people of the town by a plural
    ("the Richmond Tigers", "the Springfield Rotarians")."""
    head = word.lower().split("-")[0].rstrip(".'’")
    return head in LOCAL_WORDS or head in _TIME_WORDS or (head.endswith("s") and not head.endswith("ss"))


#: a town this small whose every reading lies in a country no other name of the article is in,
#: nor next to one, is a feature the gazetteer lacks (an airport, a suburb) named like a town abroad
STRAY_POPULATION = 10_000
#: the mentions the article's other names must make for its countries to say so
STRAY_EVIDENCE = 3


def _strays(gaz: Gazetteer, picks: dict[str, Candidate], weights: Counter[str]) -> dict[str, Candidate]:
    """The article's town for each small town read in a country the article has nothing else in
    ("Heathrow", a Florida town, in news from London): the place meant is one the gazetteer lacks,
    nearer the article's town than any namesake abroad."""
    countries: Counter[str] = Counter()
    for k, c in picks.items():
        countries[c.country] += weights[k]
    out = {}
    for key, c in picks.items():
        others = countries - Counter({c.country: countries[c.country]})
        if (
            _small(c)
            and not _backed(key, c, picks)
            and others.total() >= STRAY_EVIDENCE
            and not any(c.country in gaz.neighbours.get(k, ()) for k in others)
        ):
            town = home(picks, weights, {key}, c.country)
            if town is not None:
                out[key] = town
    return out


def _unknown(
    spans: Sequence[tuple[int, int, str]],
    live: dict[str, Sequence[Candidate]],
    picks: dict[str, Candidate],
    weights: Counter[str],
    placed: dict[str, Candidate],
) -> dict[str, Candidate]:
    """The article's town (else the first-level area it names most) for each name the gazetteer
    lacks (a village, a suburb, a festival's ground): news names villages, quarters, sites and
    streams too small for the gazetteer near where it is set, nearer its town than anywhere else
    we could say. No town or area named: not resolved."""
    lacking = {fold(n) for _, _, n in spans} - set(live) - set(placed)
    if not lacking:
        return {}
    town = home(picks, weights, set()) or _main_area(picks, weights)
    return dict.fromkeys(lacking, town) if town is not None else {}


def _main_area(picks: dict[str, Candidate], weights: Counter[str]) -> Candidate | None:
    """The first-level area the article's mentions name most ("NSW"), or None."""
    areas: Counter[Candidate] = Counter()
    for k, c in picks.items():
        if c.feature == "ADM1":
            areas[c] += weights[k]
    return areas.most_common(1)[0][0] if areas else None


def _small(c: Candidate) -> bool:
    """Whether ``c`` is a town small enough to be a namesake of a feature the gazetteer lacks."""
    return c.feature.startswith("PPL") and c.population < STRAY_POPULATION


def _backed(key: str, c: Candidate, picks: dict[str, Candidate]) -> bool:
    """Whether another name of the article is read in ``c``'s country: a country, an area or a larger
    town there, or another small town near ``c`` ("Heathrow" with "Lake Mary"). Two small namesakes
    far apart ("Pioneer", a California village, and "Smith", a Nevada one, in news from Yorkshire)
    are no evidence for each other, nor is one town named twice ("Glenrock", "Glenrock Lagoon")."""
    return any(
        k != key
        and o.country == c.country
        and (not _small(o) or (o.id != c.id and distance_km(o.lat, o.lon, c.lat, c.lon) < COLOCATED_KM))
        for k, o in picks.items()
    )


def _namesakes(
    spans: Sequence[tuple[int, int, str]], text: str, picks: dict[str, Candidate], datelines: set[str]
) -> dict[str, Candidate]:
    """The towns' names met only inside organisations' names (see ``_names_only``), with their
    readings alone; not a dateline's."""
    named = _names_only(spans, text) if text else frozenset()
    return {
        k: c for k, c in picks.items() if k in named and k not in datelines and c.feature.startswith("PPL")
    }


def _abroad(alone: Candidate | None, best: Candidate) -> Candidate:
    """The reading of an organisation's namesake: the best-known place of that name (``alone``) where
    it lies in another country than the article's reading (the Venice Commission in news from the
    US), else the article's (a US town's firm in US news is the article's town)."""
    return alone if alone is not None and alone.country != best.country else best


def _names_only(spans: Sequence[tuple[int, int, str]], text: str) -> frozenset[str]:
    """Names met only inside longer proper names that are no local institution ("Cambridge
    Analytica", "the Venice Commission", "Texas Instruments"): an organisation named after a place
    need not be in the article's country, so the name is read by its prior alone (the best-known
    place of that name) and not by the article's other places."""
    starts = {start for start, _, _ in spans}
    inside: dict[str, bool] = {}
    for _, end, name in spans:
        words = _NEXT_WORDS.match(text, end)
        named = (
            words is not None
            and not name.isupper()  # a dateline's "SAN ANTONIO"
            and not name.endswith(".")  # "in Chowchilla, Calif. Olson said": a new sentence
            and words.end() - len(words.group().lstrip()) not in starts
            and not any(_local(w) for w in words.group().split())
        )
        key = fold(name)
        inside[key] = inside.get(key, True) and named
    return frozenset(k for k, named in inside.items() if named)


def _in_context(
    gaz: Gazetteer,
    names: dict[str, str],
    picks: dict[str, Candidate],
    focus: str,
    live: dict[str, Sequence[Candidate]],
) -> dict[str, Sequence[Candidate]]:
    """The readings of names that are abbreviations of a region's own ("WA", "NT", "PNG" in
    Australian and Pacific news; see ``abbreviations.tsv``), for the names whose region the
    article is set in: where another of its names, read alone, lies (or its ``focus`` is)."""
    out: dict[str, Sequence[Candidate]] = {}
    for key, name in names.items():
        options = gaz.contextual(name)
        if not options:
            continue
        countries = {c.country for k, c in picks.items() if k != key} | {focus}
        meant = [c for c, context in options if context & countries]
        if meant:
            out[key] = (*meant, *(c for c in live.get(key, ()) if c not in meant))
    return out


def _inside(
    gaz: Gazetteer,
    spans: Sequence[tuple[int, int, str]],
    text: str,
    live: dict[str, Sequence[Candidate]],
    picks: dict[str, Candidate],
    weights: Counter[str],
) -> dict[str, Candidate]:
    """The town each street or building the gazetteer lacks lies in: the town named right after it
    ("Altnagelvin Hospital in Derry", "Hampton Avenue, St. Louis"), else the article's town (see
    ``features.home``), never one in the country an embassy is of ("the Russian Embassy"); unless it
    is named after an area ("Arizona State University") or after a town near another of the
    article's places ("Manila Cathedral" in an article about Manila)."""
    features = {
        fold(n): n for _, _, n in spans if kind(n) in ("street", "building") and not gaz.candidates(n)
    }
    if not features:
        return {}
    others = [c for k, c in picks.items() if k not in features and c.feature not in WIDE]
    at = {start: fold(name) for start, _, name in spans}
    out = {}
    for _, end, name in spans:
        key = fold(name)
        if key not in features or key in out:
            continue
        pick = picks.get(key) if key in live else None
        if pick is not None and not (
            pick.feature.startswith("PPL")
            and not any(
                o.id != pick.id and distance_km(o.lat, o.lon, pick.lat, pick.lon) < NEARBY_KM for o in others
            )
        ):
            continue
        abroad = embassy_of(gaz, name)
        after = _IN_TOWN.match(text, end) if text else None
        town = picks.get(at.get(after.end(), "")) if after else None
        if town is None or not town.feature.startswith("PPL") or town.country == abroad:
            town = home(picks, weights, set(features), abroad)
        if town is not None:
            out[key] = town
    return out


#: what joins a street or building to the town it lies in: "Hampton Avenue, St. Louis", "... in Derry"
_IN_TOWN = re.compile(r",\s*|\s+in\s+(?:the\s+)?")


#: what marks a name as an area: "Washington state", "the state of Washington", and the joints of a list
_STATE_AFTER = re.compile(r"\s+[Ss]tate\b")
_STATE_BEFORE = re.compile(r"\bstate of\s+$")
_LISTED = re.compile(r"(?:\s*,)?\s*(?:and|or|&)\s+|\s*,\s*")


#: an area's word right after a name: "Red Sea state", "Red Sea governorate", "Sindh province"
#: ("the Pacific region", "the Red Sea region" are the waters and their shores: no area's word)
_AREA_AFTER = re.compile(r"\s+(?:[Ss]tate|[Pp]rovince|[Gg]overnorate|[Dd]istrict|[Cc]ounty)\b")


def _with_area_word(spans: Sequence[tuple[int, int, str]], text: str) -> frozenset[str]:
    """The names written with an area's word right after them at one of their mentions."""
    return frozenset(fold(name) for _, end, name in spans if _AREA_AFTER.match(text, end))


def _marked(spans: Sequence[tuple[int, int, str]], text: str) -> frozenset[str]:
    """The names ``text`` marks as areas at one of their mentions (see ``_Article.marked``)."""
    ordered = sorted(spans)
    out = set()
    for i, (start, end, name) in enumerate(ordered):
        neighbours = (
            (ordered[i - 1][1], start) if i else None,
            (end, ordered[i + 1][0]) if i + 1 < len(ordered) else None,
        )
        listed = any(gap and gap[0] <= gap[1] and _LISTED.fullmatch(text, *gap) for gap in neighbours)
        if listed or _STATE_AFTER.match(text, end) or _STATE_BEFORE.search(text[max(0, start - 12) : start]):
            out.add(fold(name))
    return frozenset(out)


#: features of names that are only towns (or a town's county)
TOWNS = ("PPL", "PPLC", "ADM2")
#: a comma between two names: "Gainesville, Georgia", "Lebanon, Ohio"
_COMMA = re.compile(r"\s*,\s*")


def _holding(
    spans: Sequence[tuple[int, int, str]], text: str, live: dict[str, Sequence[Candidate]]
) -> dict[str, frozenset[tuple[str, str]]]:
    """For each name written right after a town and a comma ("Gainesville, Georgia"), the areas
    that hold a reading of that town: news names a town's area after it, so the name is the area
    that holds the town (see ``_Article.holding``)."""
    out: dict[str, set[tuple[str, str]]] = {}
    ordered = sorted(spans)
    for i, ((_, end, town), (start, after, name)) in enumerate(zip(ordered, ordered[1:], strict=False)):
        listed = i + 2 < len(ordered) and _LISTED.fullmatch(text, after, ordered[i + 2][0])
        readings = live.get(fold(town), ())
        if listed or not _COMMA.fullmatch(text, end, start) or any(c.feature not in TOWNS for c in readings):
            continue  # a list of names ("Utah, Virginia, Washington"), or no town before the comma
        if not any(c.feature == "PCLI" for c in live.get(fold(name), ())):
            continue  # only a country's name is read otherwise by its prior alone
        held = out.setdefault(fold(name), set())  # every reading of the town is one (TOWNS)
        held.update((c.country, c.admin1) for c in readings)
        held.update((c.country, "") for c in readings)
    return {k: frozenset(v) for k, v in out.items() if v}


def _towns_first(options: Sequence[Candidate]) -> Sequence[Candidate]:
    """A dateline names a town ("MALTA, Ill. --", "WASHINGTON --"), never a country or a region: its
    towns, when it has any."""
    towns = [c for c in options if c.feature.startswith("PPL")]
    return towns or options


def _is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start`` opens a line or the text and is followed by a dateline's dash."""
    before = text[max(0, start - 2) : start]
    opens = start == 0 or "\n" in before or (text[start:end].isupper() and len(text[start:end]) > 2)
    return opens and bool(_DATELINE_AFTER.match(text[end : end + 40]))
