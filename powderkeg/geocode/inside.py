"""Places named inside the name of an organisation, a person's title or a building.

The recogniser labels the whole name ("Gainesville Police", "Anderson County Sheriff"); the place
inside it is a toponym only with evidence that it is one there (``names_inside``), and words of
organisations' names that towns also bear ("Superior Court") are not (``toponyms.py`` asks).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span

from .cues import AREA_WORDS, NEVER, PLACE_LABELS, area_named, gaz_key
from .doctext import doc_text
from .gazetteer import Gazetteer

#: words that, after a place's name inside an organisation's, make it a local institution of that place
#: ("Gainesville Police", "Huntsville City Council", "Lombard Public Library")
INSTITUTION_WORDS = {
    "Police", "Sheriff", "Fire", "City", "Council", "Schools", "School", "High", "Public", "Department", "Mayor",
    "Board", "Courthouse", "Library", "Hospital", "Airport", "Chamber", "Commission", "Commissioners", "Township",
    "Village", "Town", "Area", "Regional", "Municipal", "Community", "Metro", "Water", "Jail", "Detention",
    "Health", "Park", "Parks", "Elementary", "Middle", "Junior", "Senior", "Memorial", "Court", "Circuit",
    "Superior", "Medical", "Correctional", "Historical", "Volunteer", "Emergency", "Maternity", "Government",
}  # fmt: skip
#: last words of the name of a building or street that a town's name in the possessive heads
FACILITY_WORDS = {
    "Hospital", "Airport", "Station", "Road", "Street", "Avenue", "Square", "Bridge", "Harbour", "Harbor",
    "Port", "Stadium", "Cathedral", "Prison", "Market", "Park", "Centre", "Center", "Hall", "Library",
}  # fmt: skip
#: words a name runs over inside an organisation's name
_PART = ("PROPN",)


def names_inside(doc: Doc, ents: list[Span], gaz: Gazetteer, named: set[str]) -> Iterator[tuple[int, int]]:
    """Places named inside the name of an organisation, person-like title or building ("Education
    Minnesota", "Anderson County Sheriff", "Gainesville Police", "Lutheran School in Lombard",
    "Fargo-Moorhead"), when the article names the place elsewhere, it is a country or first-level area,
    its name says it is an area ("... County"), an institution word follows it, or "in" precedes it."""
    full = doc_text(doc)
    for ent in ents:
        if ent.label_ in PLACE_LABELS or ent.label_ in NEVER or len(ent) < 2:
            continue
        # each word read once: whether a name runs over it, where it starts and ends
        toks = list(ent)
        part = [t.pos_ in _PART for t in toks]
        starts = [t.idx for t in toks]
        ends = [t.idx + len(t) for t in toks]
        first, whole = ent.start, full[ent.start_char : ent.end_char]
        i = first
        while i < ent.end:
            if not part[i - first] or not toks[i - first].text[:1].isupper():
                i += 1
                continue
            for j in range(min(ent.end, i + 4), i, -1):
                if not all(part[i - first : j - first]):
                    continue
                text = full[starts[i - first] : ends[j - 1 - first]]  # the words' Span.text
                if text == whole:
                    continue
                sub = doc[i:j]
                if _org_words(sub):
                    continue
                options = gaz.candidates(text)
                if options and _inside_evidence(sub, ent, options, named, gaz):
                    yield sub.start_char, sub.end_char
                    i = j - 1
                    break
            i += 1


#: words of organisations' names that are no places there, though towns bear them ("Superior Court")
ORG_WORDS = {"Superior", "Supreme", "Federal", "National", "International", "United", "General", "Central"}


def _org_words(sub: Span) -> bool:
    """Whether ``sub`` is only words of an organisation's name before another ("Police" of "Richmond
    Police Department", "Superior" of "Bantam Superior Court"), not a place it is named after."""
    after = sub.doc[sub.end] if sub.end < len(sub.doc) else None
    return (
        after is not None
        and after.text in INSTITUTION_WORDS
        and all(t.text in INSTITUTION_WORDS or t.text in ORG_WORDS for t in sub)
    )


def _inside_evidence(sub: Span, ent: Span, options: Sequence, named: set[str], gaz: Gazetteer) -> bool:
    """Whether a known name inside an organisation's or title's name is a place (see names_inside)."""
    doc = sub.doc
    after = doc[sub.end] if sub.end < ent.end else None
    adjective = after is not None and gaz.demonym(after.text) is not None
    if gaz_key(sub.text) in named or any(
        c.feature != "CONT" and area_named(c, sub.text, adjective) for c in options
    ):
        return True
    if sub[-1].text in AREA_WORDS:
        return True
    if after is not None and after.text in INSTITUTION_WORDS:
        return True
    if (
        after is not None
        and after.text in ("'s", "’s")
        and sub.start == ent.start
        and ent[-1].text in FACILITY_WORDS
    ):
        return True  # a town's own building or street: "Derry's Altnagelvin Hospital", "Lakeland's New Road"
    before = doc[sub.start - 1] if sub.start > ent.start else None
    return before is not None and (before.lower_ == "in" or before.text in AREA_BEFORE)


#: words before a town's name inside an organisation's that make the whole an area: "Metro Vancouver"
AREA_BEFORE = {"Metro", "Greater", "Metropolitan", "Downtown"}
