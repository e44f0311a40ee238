"""Where did the event happen? A location phrase attached to the trigger.

Looks for a location preposition (in, near, at, outside, along, ...) on the
trigger or on its arguments. Its object is a place when the article's
resolved places (``doc._.places``, set by the ``pk_places`` component, which
reads every place name of the article together) cover it: "in Banjska" is
the Banjska the rest of the article points at. Without them (a pipeline with
no ``pk_places``) a name is looked up alone. "near the Kosovo border" gives
the border region of the country; nationality words and demonyms ("Serb"
in "Serb-majority areas") are never places, nor are actors, unless the
article's places read one as an area ("the Amhara region"). An area's own
name before an area noun ("the Tigray region") is that area.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from ..records import Place
from .cues import AREA_NOUNS, PLACE_LABELS
from .places import places_at
from .resolve import Resolved

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
    "toward",
    "towards",
    "on",
}
# "from" is left out on purpose: "gunmen from Serbia" says where actors come from, not
# where the event happened.


def _name_span(tok: Token) -> tuple[int, int]:
    """Token index range of the proper name ending at ``tok`` (compounds included)."""
    start = tok.i
    # spaCy builds a new Token per access: compare positions. A common noun ("the Kosovo
    # border") is no name; its compounds are read as the place it is a region of.
    while (
        tok.pos_ == "PROPN"
        and start > 0
        and tok.doc[start - 1].dep_ == "compound"
        and tok.doc[start - 1].head.i == tok.i
    ):
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
    leaving: bool = False,
) -> Place | None:
    """The place of the event, or None. ``country_of`` maps a token to an ISO3 or ''.

    A phrase that is itself a place ("in Banjska") wins over a country read
    from a modifier ("on Kosovo police"), whatever their order. For an event of
    ``leaving`` (a withdrawal) "from" names where it happened too ("withdrew
    from the town of Gorazde").
    """
    preps = LOCATION_PREPS | {"from"} if leaving else LOCATION_PREPS
    fallback = None
    for head in [trigger, *arguments]:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in preps:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                place, direct = _place_of(_named(obj), country_of, lookup, focus)
                if place is not None and direct:
                    return place
                fallback = fallback or place
    return fallback


def _place_of(
    obj: Token, country_of: Callable[[Token], str], lookup: Callable[[str, str], Place | None], focus: str
) -> tuple[Place | None, bool]:
    """The place a prepositional object names, and whether the object itself is that place."""
    doc = obj.doc
    resolved = doc._.places if doc.has_extension("places") else None
    # "the Kosovo border", "Serb-majority areas of Kosovo"
    # a name joined to the noun before a possessor: "Mali's Mopti region" is Mopti's region
    words = [obj, *sorted((c for c in obj.children if c.dep_ in ("compound", "amod", "poss")), key=_narrower)]
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "with"):
            words += [c for c in prep.children if c.dep_ == "pobj"]
    start, end = _name_span(obj)
    span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
    if resolved is not None:
        here = places_at(resolved, *span)
        if here is not None:
            return _from_resolved(here), True
    elif obj.ent_type_ in PLACE_LABELS or obj.pos_ == "PROPN":
        place = _looked_up(obj, doc[start:end].text, span, country_of, lookup, focus)
        if place is not None:
            return place, True
    for word in words[1:]:
        here = places_at(resolved, word.idx, word.idx + len(word)) if resolved is not None else None
        if here is None and not _names_place(word):
            continue  # "Serb" in "Serb-majority areas" is a people, not a place
        country = here.place.country if here is not None else country_of(word)
        if not country:
            continue
        if here is not None and obj.lemma_.lower() in AREA_NOUNS and here.place.feature in ("ADM1", "ADM2"):
            return _from_resolved(here), True  # "the Tigray region" is the area Tigray
        if obj.lemma_.lower() in REGION_WORDS:
            region = Place(
                name=f"{word.text} {obj.text}",
                country=country,
                precision="region",
                span=(min(word.idx, obj.idx), max(word.idx + len(word), obj.idx + len(obj))),
            )
            return region, True
        if here is not None:
            return _from_resolved(here), False
        return Place(
            name=word.text, country=country, precision="country", span=(word.idx, word.idx + len(word))
        ), False
    return None, False


def _narrower(word: Token) -> int:
    """Sort key of a place noun's modifiers: the noun's own names before its possessor's."""
    return word.dep_ == "poss"


#: nouns for a kind of place, which a name beside them names ("the capital Kabul")
PLACE_NOUNS = {"capital", "city", "town", "village", "province", "district", "port", "enclave", "county"}


def _named(obj: Token) -> Token:
    """The name in "the capital Kabul", "the town of Samarra", "the city, Goma"; else ``obj``.
    A place name right after the noun is its name even where the parser hung it elsewhere
    ("in Georgia's capital Tbilisi overnight", Tbilisi read as a modifier of the verb)."""
    if obj.pos_ != "NOUN" or obj.lemma_.lower() not in PLACE_NOUNS:
        return obj
    for child in obj.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            name = next((g for g in child.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
            if name is not None:
                return name
    after = obj.nbor(1) if obj.i + 1 < len(obj.doc) else None
    if (
        after is not None
        and after.pos_ == "PROPN"
        and after.ent_type_ in PLACE_LABELS
        and after.ent_iob_ == "B"
    ):
        return after
    return obj


#: nouns that make "the Kosovo border" a region of the country rather than the country
REGION_WORDS = {"border", "boundary", "region", "north", "south", "east", "west", "frontier"}


def _names_place(tok: Token) -> bool:
    """A proper name that may be a place: not a nationality word or demonym."""
    return tok.pos_ == "PROPN" and tok.ent_type_ != "NORP"


def _from_resolved(found: Resolved) -> Place:
    return found.place.place(span=(found.start, found.end))


def _looked_up(
    obj: Token,
    name: str,
    span: tuple[int, int],
    country_of: Callable[[Token], str],
    lookup: Callable[[str, str], Place | None],
    focus: str,
) -> Place | None:
    """A name looked up alone (no article-level resolution available)."""
    country = country_of(obj)
    if country:
        return Place(name=name, country=country, precision="country", span=span)
    found = lookup(name, focus)
    if found is None:
        return None
    return Place(
        name=found.name,
        country=found.country,
        admin1=found.admin1,
        lat=found.lat,
        lon=found.lon,
        precision=found.precision,
        geonameid=found.geonameid,
        span=span,
    )
