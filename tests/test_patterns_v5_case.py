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
