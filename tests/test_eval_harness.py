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
        ("CONSULT", "", (), (), "DIPLO"),
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
