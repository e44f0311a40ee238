"""The learned event-type layer (powderkeg/learned): the artefact, training, the coder's use of it.

Sentences here were written for these tests (none is from a gold set or the training corpus).
"""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

from powderkeg import Pipeline, Settings
from powderkeg.extract.nlp import load_base
from powderkeg.learned import features
from powderkeg.learned.corpus import corpus_examples
from powderkeg.learned.features import sentence_features
from powderkeg.learned.labels import (
    NONE,
    all_labels,
    case2021_allowed,
    fiveway_allowed,
    plover_allowed,
    police_allowed,
)
from powderkeg.learned.model import MODEL_NAME, MODEL_RULE, MODEL_VERSION, EventTypeModel, load_model
from powderkeg.learned.train import build, fold_of

from .conftest import shared

pytestmark = pytest.mark.slow


def test_the_packaged_model_loads_offline_and_is_small():
    data = resources.files("powderkeg.learned").joinpath(f"data/{MODEL_NAME}-{MODEL_VERSION}.npz")
    assert data.is_file()
    assert len(data.read_bytes()) <= 25 * 1024 * 1024
    model = load_model(f"{MODEL_NAME}@{MODEL_VERSION}")
    assert model is not None and model.name == MODEL_RULE.removeprefix("model:")
    assert model.labels == all_labels()
    assert load_model("none") is None


def test_features_are_stable_and_tied_to_tokens(pipeline):
    doc = pipeline.nlp("Riot police fired tear gas at the marchers in the capital.")
    a = sentence_features(doc[:], 96)
    b = sentence_features(pipeline.nlp(doc.text)[:], 96)
    assert np.array_equal(a.ids, b.ids) and np.allclose(a.dense, b.dense)
    assert a.tokens.max() < len(doc) and len(a.tokens) == len(a.ids)
    assert np.isclose(np.linalg.norm(a.dense), 1.0)


def test_feature_ids_kept_are_the_hashes_of_their_names(pipeline, monkeypatch):
    """The bucket of each feature name, kept per process (``_IDS``), is its CRC-32 bucket:
    the same ids with the store empty and full."""
    doc = pipeline.nlp("Riot police fired tear gas at the marchers in the capital.")
    monkeypatch.setattr(features, "_IDS", {})
    fresh = sentence_features(doc[:], 96).ids
    assert features._IDS, "the names are kept"
    kept = sentence_features(doc[:], 96).ids
    names = list(features._IDS)
    assert np.array_equal(fresh, kept) and fresh.dtype == np.int32
    assert sorted(features._IDS.values()) == sorted(features.feature_id(n) for n in names)


def test_two_builds_give_the_same_bytes(pipeline, tmp_path):
    examples = corpus_examples(all_labels())[::10]
    base = load_base(Settings())  # what `make train` parses with
    one = build(examples, base, tmp_path / "cache.pkl")
    two = build(examples, base, None)
    assert hashlib.sha256(one.to_bytes()).digest() == hashlib.sha256(two.to_bytes()).digest()
    back = EventTypeModel.from_bytes(one.to_bytes())
    doc = pipeline.nlp("Soldiers shelled the village at dawn.")
    f = sentence_features(doc[:], back.width)
    assert back.labels[int(back.predict(f).argmax())] == one.labels[int(one.predict(f).argmax())]


def test_the_packaged_model_is_what_make_train_builds(tmp_path):
    """The shipped artefact must not drift from its sources: a change to the written corpus, the
    labels or the mapping of a gold set's classes without `make train` is caught here."""
    from powderkeg.eval.learned import REPO, train
    from powderkeg.learned.train import ARTEFACT

    if shared("eval").resolve() != (REPO / "../shared/eval").resolve():
        pytest.skip("`make train` reads ../shared/eval beside the checkout")
    model, _, _ = train("../shared/eval", tmp_path / "cache.pkl")
    built, shipped = model.to_bytes(), ARTEFACT.read_bytes()
    assert hashlib.sha256(built).hexdigest() == hashlib.sha256(shipped).hexdigest(), "run `make train`"


@pytest.mark.parametrize(
    "text,type_,mode",
    [
        # no pattern has these triggers
        ("The two neighbours established diplomatic relations in March.", "AGREE", ""),
        (
            "Rebel fighters were pushed back from the outskirts of the provincial capital.",
            "ASSAULT",
            "occupy",
        ),
        # the police's actions in lower-cased Indian English news
        ("nine men were picked up by the police in the old city overnight.", "COERCE", "arrest"),
        ("the police burst teargas shells to scatter the crowd near the temple.", "COERCE", "repression"),
    ],
)
def test_the_model_codes_a_sentence_the_rules_miss(code, text, type_, mode):
    events = [e for e in code(text) if e["rule"].startswith(MODEL_RULE)]
    assert events, code(text)
    event = events[0]
    assert (event["type"], event["mode"] or "") == (type_, mode)
    assert 0 < event["confidence"] <= 1
    start, end = event["spans"]["trigger"]
    assert text[start:end].strip()  # the token that carried the decision


def test_without_the_model_the_rules_alone_decide():
    pipeline = Pipeline(Settings(event_model="none"))
    [(_, events)] = list(
        pipeline.code_texts(
            [{"id": "x", "text": "Government troops drove the insurgents out of the river port."}]
        )
    )
    assert not any(e.rule.startswith(MODEL_RULE) for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "This is an attack on everything we believe in, the mayor said.",
        "The reform is a direct assault on the freedom of the press, the editors wrote.",
    ],
)
def test_rhetoric_is_no_attack(code, text):
    assert not [
        e for e in code(text) if e["type"] == "ASSAULT" and e["factuality"] in ("asserted", "claimed")
    ]


def test_an_accusation_stays_an_accusation(code):
    events = code("The defence minister accused the rebels of plotting to shell the airport.")
    counted = [e for e in events if e["factuality"] in ("asserted", "claimed")]
    assert counted and counted[0]["type"] == "ACCUSE"
    assert not [e for e in counted if e["type"] == "ASSAULT" and e["factuality"] == "asserted"]


def test_gold_labels_allow_label_sets():
    labels = all_labels()
    assert plover_allowed("AID", labels) == {"AID"}
    assert NONE in fiveway_allowed(0, labels) and "REQUEST" in fiveway_allowed(0, labels)
    assert "ASSAULT/firearms" in fiveway_allowed(4, labels) and NONE not in fiveway_allowed(4, labels)
    assert case2021_allowed("ARREST", labels) == {"COERCE/arrest"}
    assert police_allowed(["ARREST", "ANY_ACTION"], labels) == {"COERCE/arrest"}
    assert police_allowed(["ANY_ACTION"], labels) is None  # some other police action: no use
    assert "COERCE/arrest" not in police_allowed([], labels) and "ASSAULT" in police_allowed([], labels)


def test_folds_are_a_stable_hash_of_the_text():
    assert fold_of("Soldiers shelled the village at dawn.") == fold_of(
        " Soldiers shelled the village at dawn. "
    )
    assert {fold_of(f"sentence {i}") for i in range(50)} == set(range(5))


def test_evaluation_never_scores_a_record_with_a_model_that_saw_it(pipeline):
    from powderkeg.eval.common import read_jsonl
    from powderkeg.eval.learned import groups

    from .conftest import shared

    records = read_jsonl(shared("eval", "plover_gsr.jsonl"), ["text"])[:40]
    records.append({"id": "new", "text": "A sentence no model was trained on, written for this test."})
    shipped = pipeline.nlp.get_pipe("pk_eventtype").model
    plan = groups(pipeline.nlp, records)
    assert plan is not None
    covered = sorted(i for _, indices in plan for i in indices)
    assert covered == list(range(len(records)))
    for model, indices in plan:
        assert not any(model.has_seen(records[i]["text"]) for i in indices)
        if model is shipped:
            assert [records[i]["id"] for i in indices] == ["new"]


def test_evaluation_codes_in_this_process_when_the_pipeline_could_use_workers(pipeline):
    """Worker processes load the shipped model (trained on every gold record), so cross-fitted
    coding must stay in the process whose model it swaps: same events with or without workers."""
    import dataclasses

    from powderkeg.eval.common import code_records, read_jsonl

    from .conftest import shared

    records = read_jsonl(shared("eval", "conflibert_cameo_train.jsonl"), ["text"])[:24]
    many = Pipeline(dataclasses.replace(pipeline.settings, n_process=2, parallel_min=1))
    try:
        with_workers = [[e.to_dict() for e in events] for _, events in code_records(records, many)]
    finally:
        many.close()
    one = [[e.to_dict() for e in events] for _, events in code_records(records, pipeline)]
    assert with_workers == one
