"""Find the place names of a parsed article and resolve them together.

A toponym is a GPE, LOC or FAC entity of spaCy's recogniser, or a country
name the knowledge base matched, that the gazetteer knows. Demonyms and
nationality words ("Serb protesters", "ethnic Albanian mayors": NORP, or a
country's adjective), organisations and people are not places, even when a
town happens to share their name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from ..knowledge.tables import read_rows, split_list
from .gazetteer import Gazetteer
from .resolve import Resolved, resolve

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NOT_PLACE_LABELS = {"NORP", "ORG", "PERSON", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT"}


@functools.cache
def demonyms(extra_dir: str = "") -> frozenset[str]:
    """Nationality adjectives and demonyms ("Serbian", "Serbs"), lower case, that are not also names."""
    words, names = set(), set()
    for row in read_rows("countries.tsv", extra_dir):
        words.update(
            w.lower() for w in split_list(row.get("adjectives", "")) + split_list(row.get("demonyms", ""))
        )
        names.update(w.lower() for w in [row.get("name", ""), *split_list(row.get("aliases", ""))])
    for row in read_rows("ethnic_groups.tsv", extra_dir):
        words.update(w.lower() for w in split_list(row.get("term", "")))
    return frozenset(words - names)


def _trim(full: str, start: int, end: int) -> tuple[int, int]:
    """Character span without a leading article or trailing possessive."""
    if full[start:end].lower().startswith("the "):
        start += 4
    if full[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


def toponym_spans(doc: Doc, gaz: Gazetteer, extra_dir: str = "") -> list[tuple[int, int, str]]:
    """(start, end, text) of every place name in ``doc``, in order, without overlaps."""
    not_places = demonyms(extra_dir)
    full = doc.text  # Doc.text joins every token: build it once, not per name
    found: dict[int, tuple[int, int, str]] = {}
    taken: set[int] = set(_actor_chars(doc))
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            if ent.label_ in NOT_PLACE_LABELS:
                taken.update(range(ent.start_char, ent.end_char))
            continue
        start, end = _trim(full, ent.start_char, ent.end_char)
        text = full[start:end]
        if not text or text.lower() in not_places or text not in gaz:
            continue
        found[start] = (start, end, text)
        taken.update(range(start, end))
    for mention in _country_mentions(doc):
        start, end = mention
        if start in taken or end - 1 in taken:
            continue
        text = full[start:end]
        if text.lower() in not_places or text not in gaz:
            continue
        found[start] = (start, end, text)
        taken.update(range(start, end))
    return [found[k] for k in sorted(found)]


def _actor_chars(doc: Doc) -> Iterable[int]:
    """Characters of names the knowledge base knows only as actors ("Srpska Lista", "Hamas")."""
    mentions = doc._.mentions if doc.has_extension("mentions") else None
    for mention in (mentions or {}).values():
        kinds = {e.kind for e in mention.entries}
        if kinds and kinds <= {"org", "person"}:
            span = doc[mention.start : mention.end]
            yield from range(span.start_char, span.end_char)


def _country_mentions(doc: Doc) -> Iterable[tuple[int, int]]:
    mentions = doc._.mentions if doc.has_extension("mentions") else None
    seen = set()
    for mention in (mentions or {}).values():
        if id(mention) in seen:
            continue
        seen.add(id(mention))
        if any(e.kind in ("country", "capital") for e in mention.entries):
            span = doc[mention.start : mention.end]
            # "Serbian" and "Serb" name a country too, but as an adjective, not a place
            if span.root.pos_ == "PROPN" and span.root.ent_type_ not in NOT_PLACE_LABELS:
                yield span.start_char, span.end_char


def geocode_doc(
    doc: Doc, gaz: Gazetteer, given: Sequence[tuple[int, int]] | None = None, focus: str = ""
) -> list[Resolved]:
    """Resolved places of ``doc``; with ``given`` spans, exactly those spans are resolved."""
    if given is not None:
        full = doc.text
        spans = [(s, e, full[s:e]) for s, e in given]
    else:
        spans = toponym_spans(doc, gaz)
    return [r for r in resolve(gaz, spans, focus) if r is not None]
