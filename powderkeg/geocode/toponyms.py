"""Find the place names of a parsed article and resolve them together.

spaCy's small model labels many places as organisations or people ("Fargo",
"Minnesota", "Sri Lanka") and leaves others unlabelled ("MANSFIELD --"), so a
toponym is found in four ways:

* a GPE, LOC or FAC entity, or a country name the knowledge base matched, that
  the gazetteer knows (a building through the place it is named after:
  "Manila Cathedral");
* a demonym or adjective ("Russian", "Texans"): found as a toponym of its place
  and marked ``demonym``, so that an event never takes it for its location;
  before an area word, a people's name that an area of the gazetteer bears is
  that area ("the Amhara region", "Kachin State");
* any other capitalised name the gazetteer knows, with evidence that it is a
  place here: the article names it as a place elsewhere (one sense per
  article), it is a country or a first-level area, it follows a preposition of
  place ("in Fargo", "near Moorhead"), it is followed by a state (", W.Va.") or
  "County", or it is the article's dateline. The place at the head of an
  organisation's name ("Fargo Police Department") counts when the article
  names that place elsewhere;
* a known name in a list with a place found ("in Cizre and Silopi"): one
  sense per list, whatever the recogniser calls the name. A name the
  recogniser calls a nationality (NORP) but that is no demonym or word for a
  people ("Kayseri", "Bitlis": foreign names it has not seen) is weighed as
  any other name; a lower-case area word after a name ("Silopi district",
  "Hatay province") is evidence, as Turkish and other foreign news writes it.

Organisations and people the knowledge base knows ("Srpska Lista", "Hamas")
are never places, even when a town shares their name; a union of countries the
gazetteer holds as a region ("the EU") is both. Nor is a name where the article means a
person of that name ("Taylor said" after "Greg Taylor": ``people.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.symbols import ADJ, NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from .cues import (
    AREA_AFTER,
    AREA_WORDS,
    DATELINE_DASH,
    DISEASE_AFTER,
    LIST_JOINT,
    NEVER,
    PEOPLE_AREA_AFTER,
    PLACE_LABELS,
    PLACE_PREPS,
    area_named,
    followed_by_area,
    gaz_key,
    place_cue,
)
from .doctext import doc_text
from .features import kind
from .gazetteer import Gazetteer, fold
from .inside import names_inside
from .people import a_persons, article_people
from .resolve import WIDE, Resolved, candidates, resolve

_WORDS = {ADJ, NOUN, PROPN}
#: feasts and seasons of faiths, written as names and never places here, though some are a town's
#: other name in the gazetteer ("Passover"); the recogniser often leaves them unlabelled
FEASTS = {
    "Passover", "Easter", "Christmas", "Lent", "Advent", "Pentecost", "Ramadan", "Eid", "Hanukkah",
    "Chanukah", "Purim", "Yom Kippur", "Rosh Hashanah", "Diwali", "Holi", "Thanksgiving", "Halloween",
    "Sukkot", "Shavuot", "Vesak", "Nowruz",
}  # fmt: skip


def _trim(full: str, start: int, end: int) -> tuple[int, int]:
    """Character span without a leading article or trailing possessive."""
    if full[start:end].lower().startswith("the "):
        start += 4
    if full[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


def toponym_spans(doc: Doc, gaz: Gazetteer, full: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of every place name in ``doc``, in order, without overlaps; ``full`` is
    ``doc.text`` (which joins every token: build it once, not per name)."""
    full = doc_text(doc) if full is None else full
    actors = set(_actor_chars(doc, gaz))
    found: dict[int, tuple[int, int, str]] = {}
    taken: set[int] = set()

    def add(start: int, end: int, name: bool = True) -> None:
        """``name``: a place's name, which heads a company's name ("Georgia Pacific Corp") in vain."""
        if full[start:end] in FEASTS:
            return
        if start < end and not taken & set(range(start, end)) and not actors & {start, end - 1}:
            if name and (_in_company(full, start, end, gaz) or _in_disease(full, start, end, gaz)):
                return
            found[start] = (start, end, full[start:end])
            taken.update(range(start, end))

    # 1. entities the recogniser calls places, extended by a following "County"
    # Doc.ents and Doc.__iter__ build new objects on each call: once per article
    ents = list(doc.ents)
    tokens, bare = _capitalised(doc)
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            span = _with_area_word(ent)
            start, end = _trim(full, span.start_char, span.end_char)
            text = full[start:end]
            if text and (
                candidates(gaz, text) or gaz.demonym(text) or gaz.contextual(text) or _natural(text)
            ):
                add(start, end)
    named = {gaz_key(full[s:e]) for s, e, _ in found.values()}
    # 2. unions of countries ("the EU"); demonyms and adjectives; country names the knowledge base matched
    for start, end in _unions(doc, gaz):
        add(*_trim(full, start, end))
    for start, end in _demonyms(ents, tokens, gaz):
        # "the Amhara region": a people's name before an area word names the area called so
        area = _people_area(full, start, end, gaz)
        if area is not None:
            add(start, area)
        else:
            add(start, end, name=False)  # "American Airlines": where the company is from
    for start, end in _country_mentions(doc):
        if full[start:end] in gaz:
            add(start, end)
    # 3. other known names with evidence that they are places here
    pending: list[tuple[int, int]] = []
    for span in _other_names(doc, ents, bare, gaz):
        span = _with_area_word(span)
        start, end = _trim(full, span.start_char, span.end_char)
        text = full[start:end]
        options = gaz.candidates(text)
        if options and _is_place_here(span, text, options, named, full):
            add(start, end)
            named.add(gaz_key(text))
        elif options:
            pending.append((start, end))
    for start, end in _listed_with(pending, found, full):
        add(start, end)
    for start, end in names_inside(doc, ents, gaz, named):
        add(start, end)
    for start, end in _datelines(full, gaz):
        add(start, end, name=False)
    for tok in tokens:  # "WA", "NT", "PNG": a place where the article is set in their region (resolve.py)
        if tok.text.isupper() and gaz.contextual(tok.text):
            add(tok.idx, tok.idx + len(tok))
    people = article_people(ents, gaz, full)
    spans = [found[k] for k in sorted(found)]
    return [f for i, f in enumerate(spans) if not a_persons(doc, f, people, full, spans[i - 1 : i + 2])]


#: last words of a company's registered name: a place's name right before one, or before one more
#: capitalised word and one, is part of the company's ("Georgia Pacific Corp", "Texas Instruments Inc"),
#: not a place ("Platte Co." is a county: "Co" is left out)
LEGAL_WORDS = {
    "Inc", "Incorporated", "Ltd", "Limited", "Corp", "Corporation", "Company", "Holdings", "Bancorp",
    "Bankshares", "PLC", "plc", "LLC", "LLP", "GmbH",
}  # fmt: skip
#: words of a company's trade right after a place's name: a town's or area's name before one is the
#: company's ("Dublin Bank"). Before either kind, a country's name is where the company is from
#: ("Malaysia Airlines", "Japan Tobacco Inc"), as a demonym would say, and stays a toponym (GeoWebNews
#: annotates it so); a name that is also a first-level area's ("Georgia") is not only a country's.
#: "Police", "Council" and the like are a place's own institutions (inside.INSTITUTION_WORDS).
TRADE_WORDS = {"Airlines", "Airways", "Bank", "Group"}
#: (on one line: a title's last word is no part of the next line's first name)
_LEGAL_AFTER = re.compile(r"((?: +[A-Z][\w&'’.-]*){0,1}?) +(" + "|".join(sorted(LEGAL_WORDS)) + r")\b")
_TRADE_AFTER = re.compile(r" +(" + "|".join(sorted(TRADE_WORDS)) + r")\b")


def _in_company(full: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the name at ``start:end`` heads or is a company's name (see LEGAL_WORDS, TRADE_WORDS),
    unless the whole or its tail is a known place ("West Bank", "Jordan West Bank")."""
    text = full[start:end]
    words = text.split()
    if len(words) > 1 and words[-1].rstrip(".") in LEGAL_WORDS | TRADE_WORDS:
        return not gaz.candidates(text) and not _country(gaz, " ".join(words[:-1]))
    after = _LEGAL_AFTER.match(full, end)
    if after is not None:
        tail = [*after.group(1).split(), after.group(2)]
        known = any(gaz.candidates(" ".join(tail[i:])) for i in range(len(tail) - 1))
        return not known and not _country(gaz, text)
    trade = _TRADE_AFTER.match(full, end)
    return trade is not None and not gaz.candidates(full[start : trade.end()]) and not _country(gaz, text)


def _in_disease(full: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the name at ``start:end`` names a disease or virus (see DISEASE_AFTER), not a place; a
    country's name standing alone stays one ("the United States flu season")."""
    if not DISEASE_AFTER.match(full, end):
        return False
    hyphened = (start > 0 and full[start - 1] == "-") or full[end : end + 1] == "-"
    return hyphened or not _country(gaz, full[start:end])


def _country(gaz: Gazetteer, name: str) -> bool:
    """Whether ``name`` is a country's and no first-level area's ("Kenya", not "Georgia")."""
    features = {c.feature for c in gaz.candidates(name)}
    return "PCLI" in features and "ADM1" not in features


def _with_area_word(span: Span) -> Span:
    """``span`` with a following area word ("Otter Tail" + "County")."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].text in AREA_WORDS and span[-1].pos_ == "PROPN":
        return doc[span.start : span.end + 1]
    return span


def _capitalised(doc: Doc) -> tuple[list[Token], set[int]]:
    """The capitalised adjectives, proper and common nouns of ``doc`` (only these are built as Token
    objects: building all of them dominated this module's time), and the indices of the proper
    nouns outside any entity."""
    rows = doc.to_array(["POS", "ENT_IOB", "IS_TITLE", "IS_UPPER"])
    out, bare = [], set()
    for i, (pos, iob, title, upper) in enumerate(rows.tolist()):
        if pos in _WORDS and (title or upper or pos == PROPN):
            tok = doc[i]
            if tok.text[:1].isupper():
                out.append(tok)
                if iob == 2 and (pos == PROPN or (pos == NOUN and title)):
                    # "O": outside every entity; a capitalised noun is a name the tagger did not
                    # know ("in Şanlıurfa province"), at a sentence's start too ("Millbrook police
                    # said"): the evidence asked of it below keeps "Police said" out
                    bare.add(i)
    return out, bare


def _demonyms(ents: list[Span], tokens: list[Token], gaz: Gazetteer) -> Iterator[tuple[int, int]]:
    """Demonyms and adjectives of places: NORP entities and capitalised words ("Sudanese"),
    whatever else the recogniser calls them ("Armenian" in "Armenian Embassy")."""
    for ent in ents:
        if ent.label_ == "NORP" and gaz.demonym(ent.text):
            yield ent.start_char, ent.end_char
    doc = tokens[0].doc if tokens else None
    for tok in tokens:
        if tok.ent_type_ in PLACE_LABELS:
            continue
        # "Sri Lankan", "South Korean": two words; else one
        nxt = doc[tok.i + 1] if doc is not None and tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.text[:1].isupper() and gaz.demonym(tok.text + tok.whitespace_ + nxt.text):
            yield tok.idx, nxt.idx + len(nxt)
        elif gaz.demonym(tok.text):
            yield tok.idx, tok.idx + len(tok)


def _people_area(full: str, start: int, end: int, gaz: Gazetteer) -> int | None:
    """Where the area ends that a demonym at ``start:end`` names with the area word after it: "the
    Amhara region", "Kachin State", "the Somali region" (of Ethiopia) are areas the gazetteer calls
    by the people's name ("Amhara", "Kachin State"), not the peoples' countries. None when no
    area word follows or no first- or second-level area has that name ("Kurdish region")."""
    after = PEOPLE_AREA_AFTER.match(full, end)
    if after is None:
        return None
    name, whole = fold(full[start:end]), fold(full[start : after.end()])
    areas = [c for c in gaz.candidates(full[start:end]) if c.feature in ("ADM1", "ADM2")]
    return after.end() if any(fold(c.name) in (name, whole) for c in areas) else None


def _other_names(doc: Doc, ents: list[Span], bare: set[int], gaz: Gazetteer) -> Iterator[Span]:
    """Entities not labelled as places, and runs of capitalised proper nouns outside entities. A
    NORP entity is one of them when it is a proper noun and no demonym: the recogniser calls names
    it has not seen, as foreign towns often are ("Kayseri", "Bitlis"), nationalities or groups."""
    for ent in ents:
        if ent.label_ not in PLACE_LABELS and ent.label_ not in NEVER:
            yield _without_party(ent)
            yield from _parts(ent)
        elif ent.label_ == "NORP" and _unseen_name(ent, gaz):
            yield ent
    run: list[int] = []
    for i in [*sorted(bare), -2]:
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            yield doc[run[0] : run[-1] + 1]
        run = [i]


#: words and marks that join several names into one entity of the recogniser: "Grant, Mahnomen",
#: "Otter Tail/Grant", "Troop 12 of Wakefield"
_JOINS = {",", "/", "of", "and", "&", ";"}


def _parts(ent: Span) -> Iterator[Span]:
    """The runs of capitalised proper nouns of an entity that joins several names (see _JOINS), each
    to be weighed as a name of its own: "Troop 12 of Wakefield" names the town Wakefield when a cue
    says so ("Troop 12 of"), a list of counties each county."""
    if len(ent) < 3 or not any(t.text in _JOINS for t in ent):
        return
    run: list[Token] = []
    for tok in [*ent, None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper():
            run.append(tok)
            continue
        if run and len(run) < len(ent):
            yield ent.doc[run[0].i : run[-1].i + 1]
        run = []


#: a legislator's party before their home town, which the recogniser joins to it ("D-Millbrook")
PARTIES = {"D", "R", "I", "DFL", "GOP"}


def _without_party(ent: Span) -> Span:
    """``ent`` less a party and hyphen at its head: "D-Millbrook" names the town Millbrook."""
    if len(ent) > 2 and ent[0].text in PARTIES and ent[1].text == "-":
        return ent[2:]
    return ent


def _unseen_name(ent: Span, gaz: Gazetteer) -> bool:
    """Whether a NORP entity is a proper noun that names no people: no demonym, adjective or word
    of a group ("Kayseri", not "Kurdish", "Republican" or "Sunni")."""
    word = ent.text.removesuffix("s")  # a plural: "Kurds", "Muslims"
    return (
        all(t.pos_ == "PROPN" for t in ent)
        and gaz.demonym(ent.text) is None
        and gaz.demonym(word) is None
        and not word.endswith(GROUP_SUFFIXES)
    )


#: endings of words for peoples, faiths and parties ("Republican", "Sunni" is a demonym's)
GROUP_SUFFIXES = ("an", "ese", "ish", "ic", "ist", "ite", "ian")


def _listed_with(
    pending: list[tuple[int, int]], found: dict[int, tuple[int, int, str]], full: str
) -> Iterator[tuple[int, int]]:
    """The known names of ``pending`` that stand in a list with a place found (one sense per list:
    "in Cizre and Silopi", "Residents of Kadıköy and Beşiktaş"), the list followed in both
    directions from each place found."""
    ends = {e for _, e, _ in found.values()}
    starts = set(found)
    left = sorted(pending)
    grown = True
    while grown:
        grown = False
        for start, end in list(left):
            before = any(LIST_JOINT.fullmatch(full, e, start) for e in ends if e <= start and start - e < 8)
            after = any(LIST_JOINT.fullmatch(full, end, s) for s in starts if s >= end and s - end < 8)
            if before or after:
                left.remove((start, end))
                ends.add(end)
                starts.add(start)
                grown = True
                yield start, end


def _is_place_here(span: Span, text: str, options: Sequence, named: set[str], full: str) -> bool:
    """Whether a known name that the recogniser did not call a place is one here."""
    if len(text) < 3 or not text[:1].isupper():
        return False
    if gaz_key(text) in named:
        return True  # the article names it as a place elsewhere
    if any(area_named(c, text) for c in options):
        return True
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in PLACE_PREPS and before.pos_ == "ADP":
        return True
    after = full[span.end_char : span.end_char + 30]
    if followed_by_area(after) or AREA_AFTER.match(after) or place_cue(span, full):
        return True
    opens = (
        span.start_char == 0 or "\n" in full[max(0, span.start_char - 2) : span.start_char] or text.isupper()
    )
    if opens and DATELINE_DASH.match(after):
        return True  # a dateline
    return all(c.feature not in WIDE for c in options) and text.split()[-1] in AREA_WORDS


#: a dateline: a place in capitals, maybe its state, then a dash or an agency ("TORRINGTON — ",
#: "LEWISBURG, W.Va. -- ", "BEIRUT (AP) ") at the start of the text, a line or a sentence
_DATELINE = re.compile(
    r"(?:^|[.!?\n]\s+|\n|\s(?=[A-Z .,'\-]+\s*\((?:AP|Reuters|AFP)\)))"
    r"([A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*)(?:,\s*([A-Z][\w.]+(?: [A-Z][\w.]+)?))?"
    r"\s*(?:--|—|–|:\s|\((?:AP|Reuters|AFP)\))"
)


def _datelines(text: str, gaz: Gazetteer) -> Iterator[tuple[int, int]]:
    """The places of datelines, and the state that follows one ("LEWISBURG, W.Va. --")."""
    for match in _DATELINE.finditer(text):
        for group in (1, 2):
            name = match.group(group)
            if name and len(name) > 2 and gaz.candidates(name):
                yield match.start(group), match.end(group)


def _actor_chars(doc: Doc, gaz: Gazetteer) -> Iterable[int]:
    """Characters of names the knowledge base knows only as actors ("Srpska Lista", "Hamas"); not
    of a union of countries the gazetteer holds as a region ("the EU": an actor and an area)."""
    for mention in _mentions(doc):
        kinds = {e.kind for e in mention.entries}
        if kinds and kinds <= {"org", "person"}:
            span = doc[mention.start : mention.end]
            if not _union(gaz, span.text):
                yield from range(span.start_char, span.end_char)


def _unions(doc: Doc, gaz: Gazetteer) -> Iterator[tuple[int, int]]:
    """Character spans of the unions of countries the knowledge base matched ("the EU")."""
    for mention in _mentions(doc):
        span = doc[mention.start : mention.end]
        if _union(gaz, span.text):
            yield span.start_char, span.end_char


def _union(gaz: Gazetteer, name: str) -> bool:
    """Whether ``name`` is a union of countries: an area across borders the gazetteer holds by
    that name (the EU), not an organisation's seat (the UN, NATO: BLDG)."""
    return any(c.feature == "RGN" and not c.country for c in gaz.candidates(name))


def _mentions(doc: Doc) -> Iterator:
    """The knowledge base's mentions in ``doc`` (``pk_mentions``), each once: several keys of
    ``doc._.mentions`` may hold the same one."""
    mentions = doc._.mentions if doc.has_extension("mentions") else None
    seen = set()
    for mention in (mentions or {}).values():
        if id(mention) not in seen:
            seen.add(id(mention))
            yield mention


def _country_mentions(doc: Doc) -> Iterable[tuple[int, int]]:
    for mention in _mentions(doc):
        if any(e.kind in ("country", "capital") for e in mention.entries):
            span = doc[mention.start : mention.end]
            # "Serbian" and "Serb" name a country too, but as an adjective: a demonym, found above
            if span.root.pos_ == "PROPN" and span.root.ent_type_ != "NORP":
                yield span.start_char, span.end_char


def geocode_doc(
    doc: Doc, gaz: Gazetteer, given: Sequence[tuple[int, int]] | None = None, focus: str = ""
) -> list[Resolved]:
    """Resolved places of ``doc``; with ``given`` spans, exactly those spans are resolved."""
    full = doc_text(doc)
    if given is not None:
        spans = [(s, e, full[s:e]) for s, e in given]
        return [r for r in resolve(gaz, spans, focus, text=full) if r is not None]
    spans = toponym_spans(doc, gaz, full)
    found = [
        r for r in resolve(gaz, spans, focus, text=full) if r is not None and not _out_of_context(r, gaz)
    ]
    inside = _in_organisations(doc)
    return [replace(r, embedded=True) if r.start in inside or _in_club(full, r) else r for r in found]


def _natural(text: str) -> bool:
    """Whether a place the recogniser found is a stream, lake or mountain by its words ("Red River"):
    one the gazetteer lacks is read near the article's town (``resolve._unknown``)."""
    return kind(text) == "natural"


def _in_organisations(doc: Doc) -> set[int]:
    """Characters of the names after "of" in an organisation's name ("Bank of America", "the
    University of Texas", "Bank of Japan"): the organisation is not in the place, only named after
    it. A place heading the name ("Fargo Police Department") is where the organisation acts."""
    out: set[int] = set()
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        of = next((t for t in ent[1:-1] if t.lower_ == "of"), None)
        if of is not None:
            out.update(range(of.idx + len(of), ent.end_char))
    return out


#: words of a sports club's name before or after its town's ("Real Madrid", "Manchester United")
CLUB_BEFORE = {"Real", "Atletico", "Atlético", "Inter", "Sporting", "Dynamo", "Dinamo", "Olympique"}
CLUB_AFTER = {"United", "FC", "Rovers", "Wanderers", "Hotspur", "Albion"}


def _in_club(full: str, found: Resolved) -> bool:
    """Whether a place names a sports club here: "Real Madrid", "Manchester United"."""
    before = full[max(0, found.start - 12) : found.start].split()
    after = full[found.end : found.end + 12].split()
    return bool(before and before[-1] in CLUB_BEFORE) or bool(after and after[0].rstrip(".,;:") in CLUB_AFTER)


def _out_of_context(found: Resolved, gaz: Gazetteer) -> bool:
    """Whether a name found in the text is a region's abbreviation ("SA", "WA", "PNG") read outside
    that region: as a town that spells it (Siá in Cyprus) or not at all. A found name only; given
    spans are read as given."""
    meant = gaz.contextual(found.text)
    return bool(meant) and found.place not in {c for c, _ in meant}
