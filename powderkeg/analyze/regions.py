"""Countries and regions for index keys, from the knowledge files (read on first use)."""

from __future__ import annotations

import functools

from ..knowledge.tables import read_rows


@functools.cache
def countries() -> dict[str, str]:
    """ISO3 code -> UN M49 sub-region (e.g. XKX -> Southern Europe)."""
    return {row["iso3"]: row.get("region", "") for row in read_rows("countries.tsv") if row.get("iso3")}


def is_country(code: str) -> bool:
    return code in countries()


def region(name: str, extra: dict[str, list[str]] | None = None) -> tuple[str, ...]:
    """Members of a region: one defined in a rules file, else a UN M49 sub-region by name."""
    if extra and name in extra:
        return tuple(c.upper() for c in extra[name])
    members = tuple(sorted(c for c, r in countries().items() if r.lower() == name.lower()))
    return members
