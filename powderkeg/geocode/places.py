"""spaCy component ``pk_places``: the article's place names, resolved together, on ``doc._.places``.

Runs after ``pk_mentions`` (country names it matched are toponyms too) and
before ``pk_events``, so that an event's location is chosen among places
read in the light of the whole article (its other places and countries), not
by looking one name up alone. ``doc._.places`` is a list of ``Resolved`` in
text order, demonyms among them (marked); ``places_at`` finds the place covering
a character span, never a demonym.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .gazetteer import gazetteer_at
from .resolve import Resolved
from .toponyms import geocode_doc

if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)


@Language.factory(
    "pk_places",
    requires=["doc.ents", "doc._.mentions"],
    assigns=["doc._.places"],
    default_config={"gazetteer": ""},
)
def make_places(nlp: Language, name: str, gazetteer: str) -> Callable[[Doc], Doc]:
    gaz = gazetteer_at(gazetteer)

    def places(doc: Doc) -> Doc:
        doc._.places = geocode_doc(doc, gaz)
        return doc

    return places


def places_at(places: Sequence[Resolved] | None, start: int, end: int) -> Resolved | None:
    """The resolved place overlapping the character span [start, end), if any.

    A demonym ("Russian", "Serb") is where an actor comes from, never where an event
    happened, so it is never the place at a span; nor is a place named inside an
    organisation's name ("protesters at Bank of America" are not in America).
    """
    for place in places or ():
        if place.start < end and start < place.end and not (place.demonym or place.embedded):
            return place
    return None
