"""Country and region names as users type them: "Serbia", "srb", "XKX", "region:western-balkans".

Countries come from ``data/countries.tsv`` (ISO3 code, name, aliases, adjectives, UN M49
sub-region); named regions from ``data/regions.toml``. ``country_code`` reads one name,
``place_codes`` a comma-separated list in which ``region:NAME`` stands for its members (a
named region or a UN M49 sub-region: ``region:Southern Europe``, ``region:southern-europe``).
A name that matches nothing is ``BadParameter`` (E601) with the closest known names.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources

from ..errors import BadParameter
from .known_actors import ascii_fold
from .tables import read_rows

COUNTRY_REMEDY = "give an ISO3 code (Kosovo is XKX), a country name, or region:NAME"
REGION_REMEDY = "a region of knowledge/data/regions.toml (or of the alert rules) or a UN M49 sub-region"


@functools.cache
def subregion_of() -> dict[str, str]:
    """ISO3 code -> UN M49 sub-region (XKX -> Southern Europe)."""
    return {row["iso3"]: row.get("region", "") for row in read_rows("countries.tsv") if row.get("iso3")}


def _fold(name: str) -> str:
    return " ".join(ascii_fold(name).lower().replace("-", " ").split())


@functools.cache
def _names() -> dict[str, str]:
    """Every way countries.tsv writes a country (code, name, aliases, adjectives), folded -> ISO3."""
    names: dict[str, str] = {}
    for row in read_rows("countries.tsv"):
        code = row.get("iso3", "")
        if not code:
            continue
        forms = [code, row.get("iso2", ""), row.get("name", "")]
        forms += [f for column in ("aliases", "adjectives") for f in row.get(column, "").split("|")]
        for form in forms:
            if form.strip():
                names.setdefault(_fold(form), code)
    return names


@functools.cache
def _display() -> dict[str, str]:
    """ISO3 code -> the country's name."""
    return {row["iso3"]: row.get("name", "") for row in read_rows("countries.tsv") if row.get("iso3")}


@functools.cache
def named_regions() -> dict[str, tuple[str, ...]]:
    """The regions of ``data/regions.toml`` (western-balkans, ...): name -> ISO3 codes."""
    text = resources.files("powderkeg.knowledge").joinpath("data/regions.toml").read_text("utf-8")
    return {name: tuple(c.upper() for c in codes) for name, codes in tomllib.loads(text)["regions"].items()}


def subregions() -> dict[str, tuple[str, ...]]:
    """UN M49 sub-region name -> its ISO3 codes."""
    out: dict[str, list[str]] = {}
    for code, name in subregion_of().items():
        if name:
            out.setdefault(name, []).append(code)
    return {name: tuple(sorted(codes)) for name, codes in out.items()}


def region_members(name: str, extra: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
    """A region's ISO3 codes: one of ``extra`` (a rules file's [regions]), a named region, or a
    UN M49 sub-region ("Southern Europe", "southern-europe"); () when the name is none of them."""
    for table in (extra or {}, named_regions()):
        if name in table:
            return tuple(str(c).upper() for c in table[name])
    wanted = _fold(name)
    for sub, codes in subregions().items():
        if _fold(sub) == wanted:
            return codes
    return ()


def region_names(extra: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    return sorted({*(extra or {}), *named_regions(), *subregions()})


def country_code(text: str) -> str:
    """The ISO3 code a country code or name stands for ("Serbia", "serbian", "srb" -> SRB)."""
    code = _names().get(_fold(text))
    if code is None:
        close = difflib.get_close_matches(_fold(text), list(_names()), n=6, cutoff=0.7)
        hint = list(dict.fromkeys(f"{_display()[_names()[c]]} ({_names()[c]})" for c in close))[:3]
        raise BadParameter(
            f"unknown country {text!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""),
            remedy=COUNTRY_REMEDY,
        )
    return code


def region_codes(name: str, extra: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
    """``region_members``, or BadParameter with the closest region names."""
    members = region_members(name, extra)
    if not members:
        names = region_names(extra)
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5) or difflib.get_close_matches(
            _fold(name), [_fold(n) for n in names], n=3, cutoff=0.5
        )
        raise BadParameter(
            f"unknown region {name!r}" + (f"; did you mean {', '.join(close)}?" if close else ""),
            remedy=REGION_REMEDY,
        )
    return members


def place_codes(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """ISO3 codes from comma-separated countries and ``region:NAME``s, in order, without repeats."""
    parts = text.split(",") if isinstance(text, str) else list(text or ())
    codes: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if part.lower().startswith("region:"):
            codes += region_codes(part.split(":", 1)[1].strip())
        else:
            codes.append(country_code(part))
    return tuple(dict.fromkeys(codes))


def country_name(code: str) -> str:
    """A country's name from its ISO3 code (the code itself when unknown)."""
    return _display().get(code, code)
