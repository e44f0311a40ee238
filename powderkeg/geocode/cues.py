"""What the words around a known name say about it being a place, beyond prepositions of place.

News names the kind of place before a name ("the island of Lesbos", "the town of Cizre") and
directions from places ("north of Moorhead").
US news writes a legislator's home town after the party ("Rep. Barbara Doe, D-Fairfield"), a
resident by the town ("a 24-year-old Elkhart man", "Lancaster woman takes on the law"), a person
by the town they are from ("Jane Roe of Southlake", "John Doe, 24, of Elkhart") and counties in
lists that end with the word ("Butler, Clark, Hamilton or Warren counties", "Douglas, Sarpy and
Lancaster counties"). Each is a cue that a name the gazetteer knows is a place here
(`toponyms.py` asks only for names the recogniser did not call places).

The evidence that finding places (`toponyms.py`), places inside organisations' names (`inside.py`)
and telling people from places (`people.py`) share is here too: the recogniser's labels, prepositions
of place, area words and states after a name, a dateline's dash, what joins the names of a list, a
disease named after a place, and a country's or area's own name (``area_named``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .gazetteer import Candidate, fold

if TYPE_CHECKING:
    from spacy.tokens import Span

#: the recogniser's labels of places
PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: labels of names that are never places, whatever the gazetteer knows ("Passover", "Olympic")
NEVER = {"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "LAW"}
#: prepositions after which a known name is a place ("in Fargo"); "of" is left out ("Bank of America")
PLACE_PREPS = {"in", "near", "at", "outside", "from", "to", "into", "across", "around", "toward", "towards",
               "throughout", "inside", "downtown"}  # fmt: skip
#: words after a name that make it an area ("Otter Tail County")
AREA_WORDS = {"County", "Parish", "Township", "Borough", "Province", "Region", "State", "Oblast", "District"}
#: what follows a dateline's place, maybe after its state: " --", ", W.Va. --", " (AP)"
DATELINE_DASH = re.compile(r"^\s*(,\s*[A-Z][\w.]*(\s[A-Z][\w.]*)?)?\s*(--|—|–|-\s|\((AP|Reuters|AFP)\))")
#: an area word in lower case after a name: "Silopi district", "the Reyhanlı district of Hatay"
AREA_AFTER = re.compile(r"^\s+(?:district|districts|province|provinces|county|region|governorate)\b")
#: nouns for an administrative area, which the area's own name before them names: "the Tigray region";
#: after a people's name they make an area of it: "the Amhara region", "Kachin State"
AREA_NOUNS = {"region", "province", "state", "district", "zone", "county", "governorate", "prefecture", "oblast"}  # fmt: skip
PEOPLE_AREA_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(AREA_NOUNS)) + r")\b", re.IGNORECASE)
#: what joins two names of a list: "Cizre and Silopi", "Tunceli, Bingöl or Erzurum"
LIST_JOINT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")
#: a disease or virus named after a place, after its name: "Reston ebolavirus", "Marburg hemorrhagic
#: fever", "West Nile virus", "Crimean-Congo hemorrhagic fever"
DISEASE_AFTER = re.compile(
    r"(?:-[A-Z][\w]*)*\s+(?:ha?emorrhagic\s+)?(?:virus|fever|disease|ebolavirus|encephalitis)\b",
    re.IGNORECASE,
)
#: what every match of DISEASE_AFTER holds, matched the same way: a text without it has no
#: disease named after a place (looked for once per text, not once per name)
DISEASE_WORD = re.compile(r"virus|fever|disease|encephalitis", re.IGNORECASE)
#: first-level areas whose name after a comma places the name before it ("Lebanon, Ohio")
US_STATES = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Ontario", "Quebec",
    "Alberta", "Manitoba", "Saskatchewan", "Queensland", "Victoria", "Tasmania",
}  # fmt: skip

#: a party and home town after a legislator's name: "D-Fairfield", "R-Marshall", "DFL-Chisholm"
_PARTY = re.compile(r"(?:,\s*|\()(?:D|R|I|DFL|GOP)-$")
#: a resident named by their town: "A Gainesville man", "24-year-old Elkhart woman", a headline's "Lancaster woman"
_BEFORE_RESIDENT = re.compile(r"(?:^|\n|\b(?:[Aa]n?|[Tt]he|[Oo]f|year-old)\s+)$")
_RESIDENT = re.compile(
    r"^\s+(?:man|woman|men|women|resident|residents|native|natives|teen|teenager|boy|girl)\b"
)
#: the rest of a list of names that ends with "counties": ", Hamilton, Madison or Warren counties"
_NAME = r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)?"
_COUNTY_LIST = re.compile(
    rf"^(?:\s*,\s*{_NAME})*\s*,?\s*(?:(?:and|or|&)\s+{_NAME}\s+)?(?:counties|parishes)\b"
)
#: the kind of place before "of": "the island of Lesbos", "the Black Sea town of Rize", "the province of Hatay"
_KIND_OF = re.compile(
    r"\b(?:town|city|village|hamlet|port|island|province|district|region|county|governorate|municipality"
    r"|suburb|neighbou?rhood)\s+of\s+$"
)
#: a direction from a place: "north of Moorhead", "2 miles southwest of Lakeland", "west of Ridgeford"
_DIRECTION_OF = re.compile(r"\b(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of\s+$", re.IGNORECASE)
#: a person or an age before "of": "Jane Roe of Southlake", "John Doe, 24, of Elkhart"; a numbered
#: local unit of a club or union: "Troop 12 of Millbrook", "Local 450 of Ridgeford"
_AGE_OF = re.compile(r"(?:\b\d{1,3},|\b[A-Z][a-z]+ \d{1,4})\s+of\s+$")
#: a town's own services, people and surroundings after its name: "Millbrook police", "Ridgeford PD",
#: "Ridgeford firefighters", "Lakeland city council", "within Lakeland city limits", "the Lakeland area"
_LOCAL_AFTER = re.compile(
    r"\s+(?:police|PD|FD|officers|deputies|firefighters|residents|voters|taxpayers|homeowners|area|suburbs"
    r"|city\s+(?:council|limits|officials|hall|commission)|town\s+(?:council|board|officials))\b"
)


def place_cue(span: Span, full: str) -> bool:
    """Whether the words around ``span`` (a known name) say that it is a place."""
    start, end = span.start_char, span.end_char
    before = full[max(0, start - 12) : start]
    if _PARTY.search(before):
        return True
    if resident(full, start, end):
        return True
    if county_listed(full, end) or _LOCAL_AFTER.match(full, end):
        return True
    if _AGE_OF.search(before) or _DIRECTION_OF.search(full[max(0, start - 20) : start]):
        return True
    if _KIND_OF.search(full[max(0, start - 40) : start]):
        return True
    return _person_of(span)


def _person_of(span: Span) -> bool:
    """Whether ``span`` follows a person and "of", with or without a comma: "Jane Roe of Southlake",
    "said Roe, of Southlake" (the recogniser often calls the town a person too)."""
    doc = span.doc
    i = span.start - 1
    if i < 1 or doc[i].lower_ != "of":
        return False
    comma = doc[i - 1].text == ","
    person = doc[i - 2] if comma and i >= 2 else doc[i - 1]
    return person.ent_type_ == "PERSON" and (comma or span.root.ent_type_ != "PERSON")


def resident(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` names residents by their town: "a Lebanon woman", "24-year-old
    Elkhart man". A country's people go by its demonym ("a Lebanese woman"), so such a name is no
    country."""
    after, before = text[end : end + 20], text[max(0, start - 12) : start]
    return bool(_RESIDENT.match(after)) and bool(_BEFORE_RESIDENT.search(before))


def no_country(options: Sequence[Candidate]) -> Sequence[Candidate]:
    """``options`` without countries, when any reading is left ("Lebanon" in "a Lebanon woman")."""
    rest = [c for c in options if c.feature != "PCLI"]
    return rest or options


def county_listed(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is in a list that ends with "counties" ("Butler, Clark or
    Warren counties"): then it names a county, not the town of that name."""
    return bool(_COUNTY_LIST.match(text[end : end + 200]))


def counties_first(options: Sequence[Candidate]) -> Sequence[Candidate]:
    """The counties (second-level areas) among ``options``, when it has any and is no state or
    country ("Indiana, Hamilton and Boone counties" lists counties after a state)."""
    if any(c.feature in ("ADM1", "PCLI") for c in options):
        return options
    counties = [c for c in options if c.feature == "ADM2"]
    return counties or options


def gaz_key(text: str) -> str:
    """The key by which an article's names are compared: lower case, without a leading "the"."""
    return text.lower().removeprefix("the ")


def followed_by_area(after: str) -> bool:
    """Whether the text after a name is a state or county: ", W.Va.", ", Ohio", ", Marion County"."""
    nxt = re.match(r"^,\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", after)
    if nxt is None:
        return False
    words = nxt.group(1).split()
    return "." in nxt.group(1) or any(w in AREA_WORDS for w in words) or nxt.group(1) in US_STATES


#: a first-level area derived from fewer people is a parish of a small island ("Michael", Isle of Man),
#: whose name is more often a person's
AREA_EVIDENCE_POPULATION = 2_000


def area_named(c: Candidate, text: str, adjective: bool = False) -> bool:
    """Whether ``c`` is a country, continent or first-level area that ``text`` names by its own name or
    its name less a last word ("Rize" for Rize Province): evidence enough that the name is a place.
    Not by an abbreviation written as a word ("Act", not ACT), nor an area of a handful of people,
    nor by a part of its name before a demonym (``adjective``: "Free" of Free State in "Free Syrian
    Army" qualifies the Syrians)."""
    if c.feature not in ("PCLI", "ADM1", "CONT") or (adjective and fold(c.name) != fold(text)):
        return False
    if c.feature == "ADM1" and 0 < c.population < AREA_EVIDENCE_POPULATION:
        return False
    own, key = fold(c.name), fold(text).removeprefix("the ")
    return own == key or own.startswith(key + " ") or text.isupper()
