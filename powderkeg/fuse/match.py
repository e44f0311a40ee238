"""Are two reports the same real-world event? A compatibility test and an identity score.

Two reports may be one event when all of these hold:

- the same PLOVER type, and modes that agree (or one report has none);
- dates within a window that grows with the coarser of the two precisions
  (day 1, week 7, month 31 days); an undated report (placed on its article's
  ingestion day) only fuses with reports of its own article;
- actors that agree side by side: a side known in both reports must share a
  country or organisation, and no actor may sit on the source side of one
  and the target side of the other (a reversed dyad is a different event),
  except for symmetric kinds (meetings, clashes) where the sides may swap;
- places that agree: the same country when both name one, and within
  ``MAX_KM`` when both have coordinates at town precision.

Identity also needs positive evidence: at least one shared actor or the same
named place. The score (higher is surer) adds shared actors, a shared place,
the same article, and subtracts the date gap relative to the window.
"""

from __future__ import annotations

import math

from .model import Report

WINDOW_DAYS = {"day": 1, "week": 7, "month": 31, "unknown": 7}
MAX_KM = 50.0
SYMMETRIC_TYPES = frozenset({"CONSULT"})
SYMMETRIC_MODES = frozenset({"clash"})


def window(a: Report, b: Report) -> int:
    return max(WINDOW_DAYS.get(a.date_precision, 7), WINDOW_DAYS.get(b.date_precision, 7))


def _sides_agree(a_src: frozenset[str], a_tgt: frozenset[str], b: Report) -> int | None:
    """Shared actor count when the sides agree, else None."""
    for mine, theirs in ((a_src, b.source_keys), (a_tgt, b.target_keys)):
        if mine and theirs and not mine & theirs:
            return None
    if (a_src & b.target_keys and not a_src & b.source_keys) or (
        a_tgt & b.source_keys and not a_tgt & b.target_keys
    ):
        return None
    return len(a_src & b.source_keys) + len(a_tgt & b.target_keys)


def _km(a: Report, b: Report) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def identity(a: Report, b: Report) -> tuple[float, str] | None:
    """(score, reason) when ``a`` and ``b`` can be the same event, else None."""
    if a.type != b.type or a.id == b.id:
        return None
    same_article = a.article_id == b.article_id
    if a.mode and b.mode and a.mode != b.mode:
        return None
    if a.date_basis == "ingested" or b.date_basis == "ingested" or a.date is None or b.date is None:
        if not same_article:
            return None
        gap, span = 0, 1
    else:
        gap, span = abs((a.date - b.date).days), window(a, b)
        if gap > span:
            return None
    shared = _sides_agree(a.source_keys, a.target_keys, b)
    if shared is None and (a.type in SYMMETRIC_TYPES or {a.mode, b.mode} & SYMMETRIC_MODES):
        shared = _sides_agree(a.target_keys, a.source_keys, b)
    if shared is None:
        return None
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None
    km = _km(a, b) if a.place_precision == b.place_precision == "place" else None
    if km is not None and km > MAX_KM:
        return None
    same_place = bool(a.place_name) and a.place_name == b.place_name
    if not shared and not same_place:
        return None
    score = shared + same_place + 0.5 * same_article - gap / (span + 1)
    reasons = [f"{a.type}", f"{shared} shared actor(s)", f"{gap} day(s) apart (window {span})"]
    if same_place:
        reasons.append(f"same place {a.place_name}")
    if same_article:
        reasons.append("same article")
    return score, ", ".join(reasons)
