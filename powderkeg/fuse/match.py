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
  for meetings (CONSULT) the two sides are one set of participants that must overlap;
- places that agree: the same country when both name one, and within
  ``MAX_KM`` when both have coordinates at town precision;
- figures that agree: casualty, arrest or crowd figures more than three times
  (and more than 5) apart are two events, not a disagreement.

Identity also needs positive evidence: a shared actor, the same named place, a
figure given alike (or within 30%), or, within one article, a report with no
actors at all restating its neighbour. The score (higher is surer) adds those,
the same article, and subtracts the date gap relative to the window. A report
joins a fused event when it conflicts with none of its reports and has
evidence with at least one (see cluster.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..records import SYMMETRIC_MODES, SYMMETRIC_TYPES, Report

WINDOW_DAYS = {"day": 1, "week": 7, "month": 31, "unknown": 7}
MAX_KM = 50.0
NUMBER_RATIO, NUMBER_GAP, NUMBER_CLOSE = 3.0, 5, 1.3


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
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _numbers(a: Report, b: Report) -> float | None:
    """Agreement of the figures both reports give: 1 per figure given alike, 0.5 per figure
    within ``NUMBER_CLOSE`` of the other; None when a pair is too far apart to be one event
    (more than ``NUMBER_RATIO`` times and ``NUMBER_GAP`` apart: 2 killed is not 20)."""
    alike = 0.0
    for name, x in a.figures:
        y = b.numbers.get(name)
        if y is None:
            continue
        low, high = sorted((x, y))
        if high - low > NUMBER_GAP and high > NUMBER_RATIO * low:
            return None
        if low > 0:
            alike += 1.0 if x == y else 0.5 if high <= NUMBER_CLOSE * low else 0.0
    return alike


def _place_conflict(a: Report, b: Report) -> bool:
    """Different countries, or towns too far apart. A place whose country no actor of either
    report belongs to, facing one that does, is taken for a geocoding slip and not held
    against the match ("on Thursday" read as Thursday Island)."""
    if a.place_country and b.place_country and a.place_country != b.place_country:
        actors = a.source_keys | a.target_keys | b.source_keys | b.target_keys
        return (a.place_country in actors) == (b.place_country in actors)
    km = _km(a, b) if a.place_precision == b.place_precision == "place" else None
    return km is not None and km > MAX_KM


@dataclass(frozen=True)
class Match:
    score: float
    evidence: bool  # positive evidence of identity, beyond the absence of a conflict
    # what ``reason`` says: type, shared actors, days apart, window, same place, figures, same article
    why: tuple[str, int, int, int, str, float, bool]

    @property
    def reason(self) -> str:
        """The match in words; written out only for the match chosen (fusion tries many pairs)."""
        type_, shared, gap, span, place, figures, same_article = self.why
        reasons = [type_, f"{shared} shared actor(s)", f"{gap} day(s) apart (window {span})"]
        if place:
            reasons.append(f"same place {place}")
        if figures:
            reasons.append(f"figures agree ({figures:g})")
        if same_article:
            reasons.append("same article")
        return ", ".join(reasons)


def identity(a: Report, b: Report) -> Match | None:
    """None when ``a`` and ``b`` cannot be one event; else how sure a match is."""
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
    if a.type in SYMMETRIC_TYPES or a.mode in SYMMETRIC_MODES or b.mode in SYMMETRIC_MODES:
        shared: int | None = len((a.source_keys | a.target_keys) & (b.source_keys | b.target_keys))
    else:
        shared = _sides_agree(a.source_keys, a.target_keys, b)
    if shared is None or _place_conflict(a, b):
        return None
    figures = _numbers(a, b)
    if figures is None:
        return None
    same_place = bool(a.place_name) and a.place_name == b.place_name
    # an actorless restatement in the same article ("Three people were killed ...")
    actorless = same_article and (
        not (a.source_keys or a.target_keys) or not (b.source_keys or b.target_keys)
    )
    score = shared + same_place + figures + 0.5 * same_article - gap / (span + 1)
    evidence = bool(shared or same_place or figures or actorless)
    why = (a.type, shared, gap, span, a.place_name if same_place else "", figures, same_article)
    return Match(score, evidence, why)
