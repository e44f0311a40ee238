"""Where did the event happen? A location phrase attached to the trigger.

Version 1 looks for a location preposition (in, near, at, outside, along, ...)
on the trigger or on its arguments, whose object is a known country or a
place name (a GPE/LOC/FAC entity or a gazetteer name). "near the Kosovo
border" gives the country of the border. Actors are not places.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from ..records import Place

LOCATION_PREPS = {
    "in",
    "near",
    "at",
    "outside",
    "along",
    "across",
    "inside",
    "into",
    "to",
    "around",
    "off",
    "from",
    "toward",
    "towards",
    "on",
}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _name_span(tok: Token) -> tuple[int, int]:
    """Token index range of the proper name ending at ``tok`` (compounds included)."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].dep_ == "compound" and tok.doc[start - 1].head is tok:
        start -= 1
    if tok.ent_iob_ != "O" and tok.ent_type_ in PLACE_LABELS:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent.start, ent.end
    return start, tok.i + 1


def event_place(
    trigger: Token,
    arguments: list[Token],
    country_of: Callable[[Token], str],
    lookup: Callable[[str, str], Place | None],
    focus: str,
) -> Place | None:
    """The place of the event, or None. ``country_of`` maps a token to an ISO3 or ''."""
    heads = [trigger, *arguments]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATION_PREPS:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                place = _place_of(obj, country_of, lookup, focus)
                if place is not None:
                    return place
    return None


def _place_of(
    obj: Token, country_of: Callable[[Token], str], lookup: Callable[[str, str], Place | None], focus: str
) -> Place | None:
    doc = obj.doc
    # "the Kosovo border", "Serb-majority areas of Kosovo"
    words = [obj, *[c for c in obj.children if c.dep_ in ("compound", "amod", "poss")]]
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "with"):
            words += [c for c in prep.children if c.dep_ == "pobj"]
    if obj.ent_type_ in PLACE_LABELS or obj.pos_ == "PROPN":
        start, end = _name_span(obj)
        name = doc[start:end].text
        country = country_of(obj)
        if country:
            return Place(
                name=name,
                country=country,
                precision="country",
                span=(doc[start].idx, doc[end - 1].idx + len(doc[end - 1])),
            )
        found = lookup(name, focus)
        if found is not None:
            return Place(
                name=found.name,
                country=found.country,
                admin1=found.admin1,
                lat=found.lat,
                lon=found.lon,
                precision=found.precision,
                geonameid=found.geonameid,
                span=(doc[start].idx, doc[end - 1].idx + len(doc[end - 1])),
            )
    for word in words[1:]:
        country = country_of(word)
        if country:
            precision = (
                "region"
                if obj.lemma_.lower() in ("border", "boundary", "region", "north", "south")
                else "country"
            )
            return Place(
                name=f"{word.text} {obj.text}" if precision == "region" else word.text,
                country=country,
                precision=precision,
                span=(min(word.idx, obj.idx), max(word.idx + len(word), obj.idx + len(obj))),
            )
    return None
