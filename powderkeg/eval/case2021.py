"""Score the coder on CASE 2021 task 2 (case2021_task2_test.jsonl format: ``text``, ``label``).

The text's label comes from its events: the primary event (extract/primary.py,
OTHER events competing with PLOVER ones) gives an ACLED-style sub-event type,
made specific by ``specific`` (below), mapped to the 30 CASE labels by ``ontology.case2021_text_label`` (frozen in
ontology.toml before any CASE score was seen). A text with no event has no
label and counts as a miss. Weighted F1 is over all 30 classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..extract.primary import primary, rank
from ..knowledge.ontology import case2021_text_label
from ..records import Event
from .common import classification, code_records, read_jsonl, score_rows
from .report import Metric, Report

if TYPE_CHECKING:
    from ..pipeline import Pipeline

LABELS = (
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK",
    "ATTACK", "ATTRIB", "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DIPLO", "DISR_WEAP",
    "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT", "GRENADE", "HQ_ESTABLISHED", "MAN_MADE_DISASTER",
    "MOB_VIOL", "NATURAL_DISASTER", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER",
    "ORG_CRIME", "OTHER", "PEACE_PROTEST", "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER",
    "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB", "VIOL_DEMONSTR",
)  # fmt: skip


def specific(event: Event | None, events: list[Event]) -> Event | None:
    """An attack with no mode reads as the same sentence's more specific attack, if any
    ("killed ... in a grenade attack": the grenade attack)."""
    if event is None or event.type != "ASSAULT" or event.mode:
        return event
    same = [
        e
        for e in events
        if e.type == "ASSAULT" and e.mode and e.counted and e.sentence_index == event.sentence_index
    ]
    return min(same, key=lambda e: rank(e, events)) if same else event


def evaluate(path: str | Path, pipeline: Pipeline | None = None, errors: int = 0) -> Report:
    records = read_jsonl(path, ["text", "label"])
    rows = []
    for record, events in code_records(records, pipeline):
        event = specific(primary(events), events)
        counted = [e.acled_type for e in events if e.counted]
        label = case2021_text_label(counted, event.acled_type if event is not None else None)
        rows.append((record, record["label"], label, event))
    labels = sorted(set(LABELS) | {g for _, g, _, _ in rows})

    def figures(part: Sequence[tuple]) -> list[Metric]:
        out = classification([(g, p) for _, g, p, _ in part], labels, "case2021")
        return [*out, Metric("texts", len(part), len(part)), Metric("classes", len(labels), len(labels))]

    return score_rows(Report("case2021", str(path)), rows, figures, errors)
