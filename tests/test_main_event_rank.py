"""The main-event ranking (extract/primary.py ``rank``), criterion by criterion, on events
built by hand: each pair differs in one criterion and ties on the ones before it.

The sentence cases that show the ranking on real parses are in tests/cases/main_event.toml.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from powderkeg.extract.primary import primary
from powderkeg.records import Actor, Event, Numbers

BASE = Event(
    id="e",
    article_id="a",
    type="ASSAULT",
    mode="",
    cameo="18",
    quad_class=4,
    score=-9.0,
    acled_type="Attack",
    source=(Actor("rebels", sector="REB"),),
    target=(),
    place=None,
    date=None,
    date_precision="unknown",
    numbers=Numbers(),
    factuality="asserted",
    claimed_by="",
    sentence="",
    sentence_start=0,
    spans={"trigger": (10, 15)},
    rule="builtin:ASSAULT:verb:attack|verb",
    confidence=0.5,
)
POLICE = (Actor("police", sector="COP"),)
PROTESTERS = (Actor("protesters", sector="PRO"),)


def ev(**changes) -> Event:  # type: ignore[no-untyped-def]
    return replace(BASE, id=str(sorted(changes.items())), **changes)


@pytest.mark.parametrize(
    "first,second",
    [
        # 1. said to have happened: a counted event before a denied, future or hypothetical one
        (ev(type="ASSAULT", depth=2), ev(type="AGREE", factuality="denied")),
        (ev(type="THREATEN", depth=1), ev(type="ASSAULT", factuality="future")),
        (ev(factuality="claimed", depth=3), ev(factuality="hypothetical")),
        # 2. an act before a public statement
        (
            ev(rule="cameo:139:THREATEN:verb:give|verb", depth=2),
            ev(type="STATEMENT", mode="pessimistic", rule="builtin:comment:STATEMENT:verb:decline|verb"),
        ),
        # 3. the text's own events before a photo caption's
        (
            ev(rule="cameo:139:THREATEN:verb:give|verb", sentence_index=2),
            ev(spans={"trigger": (10, 15), "caption": (0, 11)}),
        ),
        # 4. hand-written patterns before imported ones
        (ev(sentence_index=1), ev(rule="cameo:139:THREATEN:verb:give|verb")),
        # 5. the earliest sentence
        (ev(depth=4), ev(sentence_index=1)),
        # 6. the main clause before relative, purpose, subordinate and complement clauses
        (ev(type="COERCE", confidence=0.1), ev(depth=2, confidence=0.9)),
        # 7. a demonstration before the force that answered it in its sentence, at any depth
        (
            ev(type="PROTEST", mode="demonstrate", source=PROTESTERS, depth=3),
            ev(type="COERCE", mode="repression", source=POLICE, target=PROTESTERS),
        ),
        # 8. confidence
        (ev(confidence=0.8, spans={"trigger": (40, 45)}), ev(confidence=0.6)),
        # 9. the earlier trigger
        (ev(), ev(spans={"trigger": (50, 55)})),
    ],
)  # fmt: skip
def test_each_criterion_decides_when_those_before_it_tie(first, second):
    assert primary([second, first]) is first
    assert primary([first, second]) is first


def test_force_yields_only_to_a_demonstration_it_met():
    force = ev(type="COERCE", mode="arrest", source=POLICE, target=(Actor("activists", sector="CVL"),))
    rally = ev(type="PROTEST", mode="demonstrate", source=(Actor("the governor", sector="GOV"),), depth=3)
    assert primary([rally, force]) is force  # someone else's rally
    elsewhere = replace(rally, source=PROTESTERS, sentence_index=1)
    assert primary([elsewhere, force]) is force  # a demonstration in another sentence


def test_plover_only_leaves_other_events_out():
    disaster = ev(type="OTHER", mode="natural-disaster")
    attack = ev(depth=2)
    assert primary([disaster, attack]) is disaster
    assert primary([disaster, attack], plover_only=True) is attack
    assert primary([disaster], plover_only=True) is None
    statement = ev(type="STATEMENT", mode="empathetic")
    assert primary([statement, disaster], plover_only=True) is None
    assert primary([statement, disaster], plover_only=True, statements=True) is statement
    assert primary([statement, attack], plover_only=True, statements=True) is attack


def test_a_demonstration_stands_at_the_depth_of_the_force_that_met_it():
    """The demonstration outranks the force that met it, and both yield to a higher clause."""
    demo = ev(type="PROTEST", mode="demonstrate", source=PROTESTERS, depth=3)
    force = ev(type="COERCE", mode="repression", source=POLICE, target=PROTESTERS, depth=1)
    main = ev(type="SANCTION", depth=0, confidence=0.1)
    assert primary([demo, force]) is demo
    assert primary([demo, force, main]) is main
    assert primary([demo, force, ev(type="SANCTION", depth=2)]) is demo
