"""Countries and regions for index keys (see ``knowledge/countries.py``, which reads the files)."""

from __future__ import annotations

from ..knowledge.countries import region_members, subregion_of


def countries() -> dict[str, str]:
    """ISO3 code -> UN M49 sub-region (e.g. XKX -> Southern Europe)."""
    return subregion_of()


def is_country(code: str) -> bool:
    return code in subregion_of()


def region(name: str, extra: dict[str, list[str]] | None = None) -> tuple[str, ...]:
    """Members of a region: one of ``extra`` (a rules file's [regions]), a named region
    (knowledge/data/regions.toml), else a UN M49 sub-region by name."""
    return region_members(name, extra)
