"""First-level areas by code and by name, for exports and filters: ``Admin1Areas``.

A place's ``admin1`` is a GeoNames admin1 code ("VO", or "10097358" for Kosovo's Mitrovica
district), unique only within its country. Analysts know areas by name, as ACLED's ``admin1``
column gives them: ``name(country, code)`` reads the gazetteer's ADM1 rows for the name,
and ``codes(text)`` turns what a user typed (a name in any case, with or without accents,
or a code) into the codes to match. The gazetteer is opened on first use, and each table is
read once.
"""

from __future__ import annotations

import difflib
import functools
import threading
from collections import defaultdict

from ..errors import BadParameter
from .build import fold
from .gazetteer import Gazetteer, gazetteer_at

#: which ADM1 row names an area when several share a code: a GeoNames dump's, a user's, ours, then derived
SOURCE_RANK = {"geonames": 0, "user": 1, "powderkeg": 2}


class Admin1Areas:
    """Names of first-level areas by (ISO3 country, admin1 code), and codes by name."""

    def __init__(self, gazetteer: Gazetteer | str = "") -> None:
        """``gazetteer``: an open one, or the path of one (``""``: the default file), opened on first use."""
        self._gazetteer = gazetteer
        self._lock = threading.Lock()

    @functools.cached_property
    def _tables(
        self,
    ) -> tuple[dict[tuple[str, str], str], dict[str, set[tuple[str, str]]], set[tuple[str, str]]]:
        """(names by (country, code), (country, code) pairs by folded name, every (country, code) a
        place has, in upper case)."""
        with self._lock:
            gaz = self._gazetteer
            con = (gaz if isinstance(gaz, Gazetteer) else gazetteer_at(gaz)).con
            rows = con.execute(
                "SELECT country, admin1, name, source, population FROM places"
                " WHERE feature = 'ADM1' AND admin1 != ''"
            ).fetchall()
            best: dict[tuple[str, str], tuple[int, int, str]] = {}
            for country, code, name, source, population in rows:
                rank = (SOURCE_RANK.get(source, 3), -population, name)
                if (country, code) not in best or rank < best[(country, code)]:
                    best[(country, code)] = rank
            by_name: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for key, country, code in con.execute(
                "SELECT n.key, p.country, p.admin1 FROM names n JOIN places p ON p.id = n.id"
                " WHERE p.feature = 'ADM1' AND p.admin1 != ''"
            ).fetchall():
                by_name[key].add((country, code))
            codes = {
                (country, code.upper())
                for country, code in con.execute(
                    "SELECT DISTINCT country, admin1 FROM places WHERE admin1 != ''"
                )
            }
        return {k: v[2] for k, v in best.items()}, dict(by_name), codes

    def name(self, country: str, code: str) -> str:
        """The area's name ("Mitrovica" for XKX 10097358), or '' when the gazetteer has none."""
        if not code:
            return ""
        return self._tables[0].get((country or "", code), "")

    def codes(self, text: str) -> tuple[str, ...]:
        """What to match for an area a user named: ``ISO3.CODE`` for each area of that name
        ("Mitrovica" -> XKX.10097358); a code as typed ("VO", "SRB.VO") when it is one.
        An unknown name is ``BadParameter`` with the closest names."""
        names, by_name, codes = self._tables
        value = text.strip()
        found = by_name.get(fold(value))
        if found:
            return tuple(sorted(f"{country}.{code}" for country, code in found))
        country, dot, code = value.upper().partition(".")
        if dot and (country, code) in codes or not dot and any(c == value.upper() for _, c in codes):
            return (value.upper(),)
        shown = {fold(n): n for n in names.values()}
        close = [shown[k] for k in difflib.get_close_matches(fold(value), sorted(shown), n=3)]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise BadParameter(
            f"unknown admin1 {value!r}{hint}",
            remedy="give a first-level area's name (Vojvodina) or its GeoNames admin1 code (VO, SRB.VO)",
        )
