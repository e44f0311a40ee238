"""Cases for the coder changes of issue 3 (round 5), in sentences written for the test."""

from __future__ import annotations

import pytest

from powderkeg.extract.primary import primary


def _primary(pipeline, text: str):  # type: ignore[no-untyped-def]
    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    return primary(events, plover_only=True), events


@pytest.mark.parametrize(
    "text,type_",
    [
        # the main clause's event outweighs the one in a leading subordinate clause
        ("After Ruritanian rebels shelled the border town, Kenya recalled its ambassador.", "SANCTION"),
        ("Having seized the ship, Iranian forces released the crew on Friday.", "RETREAT"),
    ],
)  # fmt: skip
def test_main_clause_event_is_primary(pipeline, text, type_):
    event, events = _primary(pipeline, text)
    assert event is not None and event.type == type_, [(e.type, e.depth) for e in events]
    assert event.depth == 0
    assert all(e.depth > 0 for e in events if e.spans["trigger"] != event.spans["trigger"])
