"""Cases for the material-conflict coder and the OTHER path (issue 3, CASE 2021), in sentences written for the test."""

from __future__ import annotations

import pytest

from powderkeg.extract.primary import primary


def events_of(pipeline, text: str):
    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    return events


@pytest.mark.parametrize(
    "text,root_type",
    [
        # the main clause's event is at depth 0, the one it embeds deeper
        ("The governor accused the militia of attacking a convoy near Goma.", "ACCUSE"),
        ("Police arrested four men who had attacked a bus station.", "COERCE"),
    ],
)  # fmt: skip
def test_depth_counts_steps_to_the_root(pipeline, text, root_type):
    events = events_of(pipeline, text)
    depths = {e.type: e.depth for e in events}
    assert depths.get(root_type) == 0, depths
    assert all(d > 0 for t, d in depths.items() if t != root_type), depths
    assert primary(events).type == root_type


@pytest.mark.parametrize(
    "text,type_,acled",
    [
        # a toll with no one named is what the sentence's other event did
        (
            "Six people were killed after soldiers opened fire on protesters outside the stadium.",
            "ASSAULT",
            "Excessive force against protesters",
        ),
        ("Four workers were hurt when a gas tank exploded at a paint factory.", "OTHER", "Man-made disaster"),
        ("Two farmers were wounded after rebels ambushed an army patrol.", "ASSAULT", "Armed clash"),
    ],
)  # fmt: skip
def test_toll_belongs_to_its_cause(pipeline, text, type_, acled):
    events = events_of(pipeline, text)
    assert not any(e.type == "ASSAULT" and not e.mode and not e.source for e in events), [
        (e.type, e.mode, e.rule) for e in events
    ]
    event = primary(events)
    assert (event.type, event.acled_type) == (type_, acled), [(e.type, e.acled_type, e.rule) for e in events]


def test_toll_alone_stays(pipeline):
    events = events_of(pipeline, "Three villagers were killed near the border on Monday.")
    assert [(e.type, e.mode) for e in events] == [("ASSAULT", "")]
