"""Key takeaways: when an outsider's military move leads, a main party's own move is told
too. Hand-built events, no store."""

from __future__ import annotations

from typing import Any

from powderkeg.brief.compose import BriefParams, _takeaways

from .brief_helpers import citation, report

ENVOY_MOVE = {
    "id": "F1",
    "type": "MOBILIZE",
    "quad_class": 4,
    "source": ["NATO"],
    "target": ["XKX"],
    "n_reports": 5,
    "sentence": "NATO sent two hundred more troops to the north of the province.",
}
OWN_MOVE = {
    "id": "F2",
    "type": "MOBILIZE",
    "quad_class": 4,
    "source": ["SRB"],
    "target": ["XKX"],
    "n_reports": 1,
    "sentence": "Serbia moved armoured units closer to the boundary line.",
}

THREAT = {
    "id": "F3",
    "type": "THREATEN",
    "quad_class": 3,
    "source": ["XKX"],
    "target": ["SRB"],
    "n_reports": 3,
    "sentence": "Kosovo warned Serbia against any incursion.",
}


def _cite(e: dict[str, Any]):
    record = {k: v for k, v in e.items() if k != "sentence"}
    return citation(e["id"], [report(f"r-{e['id']}", e["sentence"])], **record)


def _cited(events: list[dict[str, Any]], parties: set[str]) -> list[set[str]]:
    order = [(5.0 - i, e) for i, e in enumerate(events)]
    groups = [[ce] for ce in order]
    out = _takeaways(groups, order, _cite, None, [], [], BriefParams(), parties)
    return [set(s.cites) for s in out]


def test_a_main_partys_own_move_follows_an_outsiders():
    cited = _cited([ENVOY_MOVE, THREAT, OWN_MOVE], {"SRB", "XKX"})
    assert cited == [{"F1"}, {"F2"}, {"F3"}]


def test_a_main_party_leading_takes_one_slot():
    own_leads = {**OWN_MOVE, "n_reports": 9}
    cited = _cited([own_leads, THREAT, ENVOY_MOVE], {"SRB", "XKX"})
    assert cited == [{"F2"}, {"F3"}, {"F1"}]
