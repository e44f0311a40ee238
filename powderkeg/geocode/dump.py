"""Load a GeoNames dump (``allCountries.txt``, ``cities500.txt``, a country file) into the gazetteer.

The format is GeoNames' own: UTF-8, tab-separated, 19 columns (geonameid,
name, asciiname, alternatenames, latitude, longitude, feature class, feature
code, country code, cc2, admin1 code, admin2, admin3, admin4, population,
elevation, dem, timezone, modification date). Rows replace those with the same
geonameid; populated places (P), administrative areas (A), water bodies (H),
areas and regions (L), spots (S) and terrain (T) are kept.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import MalformedDocument
from .build import _insert, _usable, fold

log = logging.getLogger(__name__)
KEEP_CLASSES = set("PAHLST")
#: GeoNames feature codes of independent and dependent political entities
COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if line.startswith("#") or not line.strip():
                continue
            yield number, line.rstrip("\n").split("\t")


def import_geonames(
    con: sqlite3.Connection, path: str | os.PathLike[str], iso3: dict[str, str], batch: int = 20_000
) -> tuple[int, int]:
    """Add the dump's places; returns (rows added, rows skipped). ``iso3`` maps ISO2 -> ISO3."""
    source = Path(path)
    added = skipped = 0
    rows: list[tuple] = []
    names: list[tuple[str, int]] = []
    for number, cols in _lines(source):
        if len(cols) < 15:
            if added == 0 and skipped >= 10:
                raise MalformedDocument(
                    f"{source}: line {number} has {len(cols)} columns, GeoNames dumps have 19",
                    remedy="pass allCountries.txt, cities500.txt or a country file from download.geonames.org",
                )
            skipped += 1
            continue
        try:
            gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
            population = int(cols[14] or 0)
        except ValueError:
            skipped += 1
            continue
        if cols[6] not in KEEP_CLASSES:
            skipped += 1
            continue
        code = cols[7] if cols[7] not in COUNTRY_CODES else "PCLI"
        feature = "ADM1" if code == "ADM1" else code
        rows.append(
            (gid, cols[1], iso3.get(cols[8], cols[8]), cols[10], feature, lat, lon, population, "geonames")
        )
        alternates = cols[3].split(",") if cols[3] else []
        keys = {fold(n) for n in [cols[1], cols[2], *alternates] if n and _usable(n)}
        names += [(k, gid) for k in keys]
        added += 1
        if len(rows) >= batch:
            _insert(con, rows, names)
            rows, names = [], []
    _insert(con, rows, names)
    con.commit()
    log.info("imported %d places from %s (%d lines skipped)", added, source, skipped)
    return added, skipped
