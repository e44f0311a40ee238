"""The primary event of a text: the main clause's event is at depth 0, what it embeds deeper.

Most main-event cases are sentence cases (tests/cases/primary.toml); this one checks
the depth of every event of the text against one another.
"""

from __future__ import annotations

import pytest

from powderkeg.extract.primary import primary

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "text,root_type",
    [
        # the main clause's event is at depth 0, the one it embeds deeper
        ("The governor accused the militia of attacking a convoy near Goma.", "ACCUSE"),
        ("Police arrested four men who had attacked a bus station.", "COERCE"),
    ],
)  # fmt: skip
def test_depth_counts_steps_to_the_root(pipeline, text, root_type):
    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    depths = {e.type: e.depth for e in events}
    assert depths.get(root_type) == 0, depths
    assert all(d > 0 for t, d in depths.items() if t != root_type), depths
    assert primary(events).type == root_type
