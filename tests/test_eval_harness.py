"""The harness on hand-made gold files: any file of a set's format is scored, figures are right."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from powderkeg.cli import app
from powderkeg.eval.common import GoldFormatError, accuracy, macro_f1, read_jsonl, set_prf, weighted_f1
from powderkeg.eval.plover import gold_country
from powderkeg.knowledge.ontology import case2021_label, case2021_text_label, code, five_way


def test_figures_on_hand_built_pairs():
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("C", None)]
    assert accuracy(pairs) == 0.5
    # F1: A 2/3, B 2/3, C 0
    assert macro_f1(["A", "B", "C"])(pairs) == pytest.approx((2 / 3 + 2 / 3) / 3)
    assert weighted_f1(["A", "B", "C"])(pairs) == pytest.approx((2 * 2 / 3 + 2 / 3) / 4)
    assert set_prf([({1, 2}, {1, 3}), ({4}, set())]) == pytest.approx((0.5, 1 / 3, 0.4))


def test_bad_gold_line_names_its_number(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "a", "label": "X"}\n{"text": "b"}\n')
    with pytest.raises(GoldFormatError, match=":2: missing label"):
        read_jsonl(path, ["text", "label"])


@pytest.mark.parametrize(
    "gold,expected", [("JAP", "JPN"), ("IGO", "INT"), ("NGO", "INT"), ("USA", "USA"), (None, None)]
)
def test_gold_countries_read_as_iso3(gold, expected):
    assert gold_country(gold) == expected


@pytest.mark.parametrize(
    "type_,mode,src,tgt,label",
    [
        ("ASSAULT", "aerial", (), (), "AIR_STRIKE"),
        ("ASSAULT", "occupy", ("MIL",), (), "GOV_REGAINS_TERIT"),
        ("ASSAULT", "occupy", ("REB",), (), "NON_STATE_ACTOR_OVERTAKES_TER"),
        ("ASSAULT", "", ("PRO",), ("COP",), "VIOL_DEMONSTR"),
        ("ASSAULT", "grenade", (), (), "GRENADE"),
        ("PROTEST", "demonstrate", (), (), "PEACE_PROTEST"),
        ("COERCE", "arrest", (), (), "ARREST"),
        ("COERCE", "disrupt", (), (), "DISR_WEAP"),
        ("MOBILIZE", "base", (), (), "HQ_ESTABLISHED"),
        ("ACCUSE", "", (), (), "ATTRIB"),
        ("CONSULT", "", (), (), "AGREEMENT"),  # talks: ACLED's "peace agreements/talks"
        ("CONSULT", "phone", (), (), "DIPLO"),
        ("RETREAT", "ceasefire", (), (), "AGREEMENT"),
        ("ACCUSE", "disapprove", (), (), "DIPLO"),
        ("OTHER", "natural-disaster", (), (), "NATURAL_DISASTER"),
        ("OTHER", "crime", (), (), "ORG_CRIME"),
    ],
)
def test_case2021_mapping(type_, mode, src, tgt, label):
    assert case2021_label(code(type_, mode, src, tgt).acled_type) == label


def test_protest_met_by_arrests_is_protest_with_intervention():
    assert case2021_text_label(["Peaceful protest", "Arrests"], "Peaceful protest") == "PROTEST_WITH_INTER"
    assert case2021_text_label([], None) is None


def test_other_events_have_no_cameo_class():
    coding = code("OTHER", "natural-disaster")
    assert (coding.cameo, coding.quad_class, five_way(coding.cameo)) == ("", 0, None)


@pytest.mark.parametrize(
    "kind,record,metric",
    [
        ("plover", {"text": "Serbian police arrested two Kosovo officers.", "event": "COERCE",
                    "source": [{"country": "SRB"}], "target": [{"country": "XKX"}]}, "type_accuracy"),
        ("fiveway", {"text": "Serbian police arrested two Kosovo officers.", "pentaclass": 4},
         "fiveway_macro_f1"),
        ("case2021", {"text": "Police arrested two protesters in Belgrade.", "label": "ARREST"},
         "case2021_weighted_f1"),
    ],
)  # fmt: skip
def test_cli_scores_any_file_of_the_format(kind, record, metric, tmp_path, pipeline, monkeypatch):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        json.dumps(record) + "\n" + json.dumps({**record, "text": "The weather was fine."}) + "\n"
    )
    monkeypatch.setattr("powderkeg.pipeline.Pipeline.nlp", pipeline.nlp, raising=False)
    result = CliRunner().invoke(app, ["eval", kind, str(path), "--json", "--errors", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["metrics"][metric]["n"] == 2
    assert report["metrics"]["coverage"]["value"] == 0.5
    assert len(report["errors"]) == 1


def test_errors_are_listed_from_the_look_half_only(tmp_path, pipeline, monkeypatch):
    from powderkeg.eval.common import half

    # two misses (no event), one in each half: only the look one is for error analysis
    ids = {half(f"r{i}"): f"r{i}" for i in range(10)}
    path = tmp_path / "mine.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": ids[h], "text": "The weather was fine.", "pentaclass": 4}) + "\n" for h in ids
        )
    )
    monkeypatch.setattr("powderkeg.pipeline.Pipeline.nlp", pipeline.nlp, raising=False)
    result = CliRunner().invoke(app, ["eval", "fiveway", str(path), "--json", "--errors", "5"])
    assert result.exit_code == 0, result.output
    assert [m["id"] for m in json.loads(result.output)["errors"]] == [ids["look"]]


def test_halves_are_a_stable_hash_of_the_record_id():
    from powderkeg.eval.common import HALVES, half

    assert half("PLOVER-GSR01-AGREE-0002") == half("PLOVER-GSR01-AGREE-0002")
    assert half(12) == half("12")
    counts = {h: sum(half(f"record-{i}") == h for i in range(1000)) for h in HALVES}
    assert all(400 < n < 600 for n in counts.values()), counts


def test_every_figure_comes_for_both_halves(tmp_path, pipeline):
    from powderkeg.eval import evaluator

    path = tmp_path / "five.jsonl"
    rows = [
        {"id": f"r{i}", "text": text, "pentaclass": label}
        for i, (text, label) in enumerate(
            [
                ("Serbian police arrested two Kosovo officers.", 4),
                ("The minister praised the agreement.", 1),
                ("The weather was fine.", 0),
                ("Rebels shelled the town.", 4),
            ]
        )
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = evaluator("fiveway")(path, pipeline).to_dict()
    assert set(report["halves"]) == {"look", "confirm"}
    for half_metrics in report["halves"].values():
        assert set(half_metrics) == set(report["metrics"])
    assert sum(m["sentences"]["value"] for m in report["halves"].values()) == 4


#: two PLOVER gold records; "jordan" and "turkey" are also ordinary words once lower-cased
_PLOVER_ROWS = [
    {"id": "a", "text": "Serbian police arrested two Kosovo officers.", "event": "COERCE",
     "source": [{"country": "SRB"}], "target": [{"country": "XKX"}]},
    {"id": "b", "text": "Jordan rejected the proposal from Turkey.", "event": "REJECT",
     "source": [{"country": "JOR"}], "target": [{"country": "TUR"}]},
]  # fmt: skip


def test_a_set_scored_lower_cased_reports_each_figures_drop(tmp_path, pipeline):
    from powderkeg.eval import evaluator

    path = tmp_path / "plover.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _PLOVER_ROWS))
    cased = evaluator("plover")(path, pipeline).to_dict()["metrics"]
    lowered = evaluator("plover_lower")(path, pipeline, errors=5).to_dict()
    metrics = lowered["metrics"]
    # "jordan" and "turkey" are also ordinary words: lower-cased, that dyad is lost
    assert metrics["dyad_recall"]["value"] < cased["dyad_recall"]["value"]
    drop = cased["dyad_recall"]["value"] - metrics["dyad_recall"]["value"]
    assert metrics["drop_dyad_recall"]["value"] == pytest.approx(drop, abs=1e-4)
    assert set(lowered["halves"]["look"]) == set(metrics)
    assert "sentences" in metrics and "drop_sentences" not in metrics


def test_a_lower_cased_set_given_the_cased_report_scores_as_if_it_had_made_it(tmp_path, pipeline):
    """The suite hands the lower-cased kinds its report on the set as written (eval/messy.py),
    so the sentences as written are coded once: the figures are those of coding them again."""
    from powderkeg.eval import evaluator

    path = tmp_path / "plover.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _PLOVER_ROWS))
    cased = evaluator("plover")(path, pipeline)
    given = evaluator("plover_lower")(path, pipeline, cased=cased).to_dict()
    assert given == evaluator("plover_lower")(path, pipeline).to_dict()


@pytest.mark.parametrize(
    "text,classes",
    [
        ("police fired at the mob, killing two persons.", {"KILL", "FORCE", "ANY_ACTION"}),
        ("the police arrested 14 persons for rioting.", {"ARREST", "ANY_ACTION"}),
        ("police lobbed tear gas shells at the crowd near the bus stand.", {"FORCE", "ANY_ACTION"}),
        ("the mob set fire to three shops.", set()),
        ("the opposition demanded the arrest of the officers.", set()),
    ],
)
def test_india_police_classes_from_coded_events(code, pipeline, text, classes):
    from powderkeg.eval.india_police import classes as police_classes

    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    assert police_classes(events, text) == classes
