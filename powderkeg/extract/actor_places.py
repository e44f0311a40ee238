"""The country a place name gives an actor: a sizeable town or a first-level area in the
gazetteer ("Shanghai authorities" are China's). ``ActorResolver`` prefers towns in a country
the article names before it falls back on ``city_country``."""

from __future__ import annotations

from collections.abc import Callable

from ..geocode.gazetteer import Gazetteer

#: populated places this large are known well enough to name their country's actors
CITY_POPULATION = 50_000
#: ... and this large when the article names their country
NAMED_TOWN_POPULATION = 10_000

PlaceCountry = Callable[[str], str]


def city_country(name: str, gazetteer: Gazetteer) -> str:
    """ISO3 of the town ``name`` when the gazetteer knows it as a sizeable place, or of the
    first-level area (state, province) of that name when no town has it, else ''."""
    # administrative areas count their towns' people: "Shanghai" the municipality is not a rival town
    candidates = gazetteer.candidates(name)
    towns = [c for c in candidates if not c.feature.startswith("ADM")]
    best = max(towns, key=lambda c: c.population, default=None)
    if best is None:
        # no town of that name: a state or province ("West Darfur State", "Sindh")
        states = [c for c in candidates if c.feature == "ADM1"]
        best = max(states, key=lambda c: c.population, default=None)
        return best.country if best is not None else ""
    if best.feature.startswith(("PCL", "SEA", "RGN", "CONT")):
        return ""
    return best.country if best.population >= CITY_POPULATION else ""
