"""Quality floors on the dev sets in ../shared/eval (the whole sets: each takes seconds).

Floors are regression guards set a margin below the current figure, not ratchets
that follow each gain; lowering one needs its reason in the commit message. The
full figures with intervals, and for each set's look and confirm halves, come
from `make eval`. Records the event-type model was trained on are scored by
cross-fitting (eval/learned.py), here as in `make eval`.
"""

from __future__ import annotations

import pytest

from powderkeg.eval import evaluator

from .conftest import shared

pytestmark = pytest.mark.slow  # the gold sets are coded with the spaCy model

FLOORS = [
    ("plover", "plover_gsr.jsonl", "type_accuracy", 0.82),
    ("plover", "plover_gsr.jsonl", "dyad_f1", 0.645),
    # the primary event's place on the 27 records that name one (0.444 when added; one record is 0.037)
    ("plover", "plover_gsr.jsonl", "location_accuracy", 0.37),
    ("fiveway", "conflibert_cameo_train.jsonl", "fiveway_macro_f1", 0.78),
    ("case2021", "case2021_task2_test.jsonl", "case2021_weighted_f1", 0.705),
    ("petrarch", "petr_unittest.jsonl", "root_accuracy", 0.58),
    ("actors", "ngec_actor_cases.json", "country_accuracy", 0.87),
    ("actors", "ngec_actor_cases.json", "sector_accuracy", 0.87),
    # police actions in lower-cased news (the learned layer scored by cross-fitting)
    ("india_police", "india_police_sents.jsonl", "arrest_f1", 0.65),
    ("india_police", "india_police_sents.jsonl", "force_f1", 0.62),
    ("india_police", "india_police_sents.jsonl", "kill_f1", 0.54),
]

_reports: dict[str, object] = {}


def _report(kind: str, name: str, pipeline):  # type: ignore[no-untyped-def]
    if kind not in _reports:
        _reports[kind] = evaluator(kind)(shared("eval", name), pipeline)
    return _reports[kind]


@pytest.mark.parametrize("kind,name,metric,floor", FLOORS)
def test_dev_set_floor(kind, name, metric, floor, pipeline):
    report = _report(kind, name, pipeline)
    value = report.metrics[metric].value
    assert value >= floor, f"{kind} {metric} fell to {value:.4f} (floor {floor})"


def test_seed_article_floor(pipeline):
    report = evaluator("seed")(shared("eval", "seed_gold.json"), pipeline)
    assert report.metrics["all_found"].value >= 14
    assert report.metrics["must_not_violations"].value == 0


@pytest.mark.parametrize(
    "name,floor",
    [
        ("geo_geovirus.jsonl", 0.90),
        # raised with a margin below the figures after the unseen-news work (0.863, 0.809)
        ("geo_lgl.jsonl", 0.83),
        ("geo_geowebnews.jsonl", 0.77),
    ],
)
def test_geocoding_floor(name, floor):
    # the gold spans resolved (Mordecai3's protocol): the gazetteer and the resolver, no model
    from powderkeg.eval.geo import evaluate

    report = evaluate(shared("eval", name), e2e=False)
    value = report.metrics["given_acc161"].value
    assert value >= floor, f"{name} given_acc161 fell to {value:.4f} (floor {floor})"


def test_date_accuracy_floor(pipeline):
    # our own dated sentences (powderkeg/eval/data/dates.jsonl); 0.831 (look 0.867, confirm 0.800) and
    # 1.0 of the sentences whose trigger is coded, when written; 0.538 before dates counted back
    from powderkeg.eval.dates import evaluate

    report = evaluate(pipeline=pipeline)
    assert report.metrics["accuracy"].value >= 0.75
    assert report.metrics["accuracy_when_coded"].value >= 0.9
