"""The people an article names, so that a name found as a toponym is dropped where the article
means the person ("Taylor said") rather than the place of that name.

One sense per article: "Taylor said" is the sheriff "Greg Taylor" named earlier, not the town, and a
name the recogniser calls a person more often than a place is the person's, unless the article also
puts it alone after a preposition of place, a state, county or dateline follows it, or a cue or a list
says it is a place here (``toponyms.py`` asks, for each name found).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from .cues import (
    AREA_AFTER,
    AREA_WORDS,
    DATELINE_DASH,
    DISEASE_AFTER,
    DISEASE_WORD,
    LIST_JOINT,
    PLACE_LABELS,
    PLACE_PREPS,
    followed_by_area,
    gaz_key,
    place_cue,
)
from .gazetteer import Gazetteer

#: words that begin a place's name, not a person's: a recogniser's "person" "Village Malakal" is a village
PLACE_KINDS = {
    "Village", "Town", "City", "Lake", "Mount", "Mt", "Fort", "Port", "Camp", "Cape", "Saint", "St", "San",
    "Santa", "North", "South", "East", "West", "Upper", "Lower", "New", "Old", *AREA_WORDS,
}  # fmt: skip


def article_people(ents: list[Span], gaz: Gazetteer, full: str) -> dict[str, list[Span]]:
    """The names of people of the article, by the key of their surname: one sense per article, so
    "Taylor said" is the sheriff, not the town. A surname of a name given in full ("Greg Taylor",
    "Elizabeth Fairfield": a given name, maybe an initial, a surname), or a name the recogniser calls
    a person more often than a place, twice at least ("Kristina said ... Kristina's"). Not the names
    of countries, first-level areas and capitals ("George Washington" leaves Washington state a
    place), nor a name the article also writes alone after a preposition of place ("in Sochi, ...")."""
    out: dict[str, list[Span]] = {}
    votes: Counter[str] = Counter()
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            votes[gaz_key(ent.text)] -= 1
        if (
            ent.label_ != "PERSON"
            or not ent[0].is_alpha
            or ent[0].text in PLACE_KINDS
            or gaz.demonym(ent.text)
        ):
            continue
        if len(ent) == 1 or (len(ent) == 2 and ent[1].text in ("'s", "’s")):
            votes[gaz_key(ent[0].text)] += 1
            out.setdefault("?" + gaz_key(ent[0].text), []).append(ent[:1])
        elif len(ent) < 4 and all(t.is_title and (t.is_alpha or t.text.endswith(".")) for t in ent):
            out.setdefault(gaz_key(ent[-1].text), []).append(ent)
    for key, count in votes.items():
        if count >= 2 and "?" + key in out:
            out.setdefault(key, []).extend(out["?" + key])
    sick = DISEASE_WORD.search(full) is not None
    return {
        key: found
        for key, found in out.items()
        if not key.startswith("?")
        and not any(c.feature in ("PCLI", "ADM1", "PPLC") for c in gaz.candidates(found[0][-1].text))
        and not _placed_alone(full, found[0][-1].text, sick)
    }


#: words after a name that a preposition of place puts alone: "in Sochi, where", "near Taylor and"
_ALONE_AFTER = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|or|on|in|at|for|with|where|which|that|is|was|has|had|will)\b)"
)


def _placed_alone(full: str, name: str, sick: bool = True) -> bool:
    """Whether the article writes ``name`` alone after a preposition of place ("in Sochi, where"),
    not before a noun it qualifies ("in Fairfield hearing") nor as an owner ("at Taylor's house"),
    or names a virus after the place ("Reston ebolavirus", which the recogniser may read as a
    person's name in "Ebola Reston"); ``sick``: False when the article has no ``DISEASE_WORD``."""
    name = re.escape(name)
    if re.search(rf"\b(?:in|near|outside|inside|around|across)\s+{name}{_ALONE_AFTER}", full) is not None:
        return True
    return sick and re.search(rf"\b{name}{DISEASE_AFTER.pattern}", full, re.IGNORECASE) is not None


def a_persons(
    doc: Doc, found: tuple[int, int, str], people: dict[str, list[Span]], full: str, near: list
) -> bool:
    """Whether a name found is a person's of the article (see article_people): within a full name ("Ryan
    Bingham") or alone, unless a state, county or dateline says it is a place here ("Fairfield,
    Conn.", "FAIRFIELD --"). A name that is a person's only by the recogniser's votes is a place
    also after a preposition of place, with a cue (cues.py) or in a list with a place found beside it
    (``near``: the names found before and after it)."""
    start, end, text = found
    if gaz_key(text) not in people:
        return False
    full_names = [p for p in people[gaz_key(text)] if len(p) > 1]
    if any(p.start_char <= start and end <= p.end_char for p in full_names):
        return True
    after = full[end : end + 30]
    at_line = start == 0 or "\n" in full[max(0, start - 2) : start]
    if followed_by_area(after) or AREA_AFTER.match(after) or (at_line and DATELINE_DASH.match(after)):
        return False
    span = doc.char_span(start, end)
    if full_names or span is None:
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    placed = before is not None and before.lower_ in PLACE_PREPS and before.pos_ == "ADP"
    listed = any(
        LIST_JOINT.fullmatch(full, e, start) or LIST_JOINT.fullmatch(full, end, s) for s, e, _ in near
    )
    return not (placed or listed or place_cue(span, full))
