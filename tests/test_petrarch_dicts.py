"""The PETRARCH2 unit-test eval with its own dictionaries (eval/petrarch_dicts.py), on a
miniature of that setup written here: two invented countries, one verb block, one discard."""

from __future__ import annotations

import json

from powderkeg.eval.petrarch import evaluate
from powderkeg.eval.petrarch_dicts import read_discards, setup

ACTORS = """<!-- invented for this test -->
ZEMBLA_  [ZMB]
+ZEMBLAN
RURITANIA  [RUR]
ZEMBLAN_ARMY  [ZMBMIL]
KING_CHARLES_XAVIER
\t[ZMBGOV 19500101-19600101]
"""
AGENTS = "HERALD [~GOV]  # a sector word\n"
VERBS = """&GRIEVANCE
+BORDER_INCIDENT
+INSULT

--- SCOLD  [111]  ---
SCOLD
- * (FOR &GRIEVANCE)  [903]  # SCOLD
"""
TABLE = "11: ACCUSE\n111: ACCUSE, disapprove,    # Criticize or denounce\n"
RECORDS = [
    ("t1", "Zembla scolded Ruritania on Monday.", "111"),
    ("t2", "Zembla scolded Ruritania for the border incident.", "903"),
    ("t3", "Zembla scolded Ruritania at the croquet final.", None),
]


def _folder(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "petrarch2").mkdir()
    (tmp_path / "plover").mkdir()
    for name, text in (("actors", ACTORS), ("agents", AGENTS), ("verbs", VERBS), ("discards", "CROQUET\n")):
        (tmp_path / "petrarch2" / f"PETR.Validate.{name}.txt").write_text(text, "utf-8")
    (tmp_path / "plover" / "CAMEO2PLOVER-2021.txt").write_text(TABLE, "utf-8")
    gold = tmp_path / "petr_unittest.jsonl"
    lines = [
        {
            "id": i,
            "text": t,
            "codings": [{"sourcecode": "ZMB", "targetcode": "RUR", "eventcode": c}] if c else [],
        }
        for i, t, c in RECORDS
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
    return gold


def test_setup_imports_each_dictionary(tmp_path):
    gold = _folder(tmp_path)
    out = tmp_path / "knowledge"
    out.mkdir()
    validation = setup(gold, out)
    assert validation is not None
    countries = (out / "countries.tsv").read_text("utf-8")
    assert "ZMB\t\tZembla\tZemblan" in countries and "RUR\t\tRuritania" in countries
    assert "Zemblan Army" in (out / "organisations.tsv").read_text("utf-8")
    assert "King Charles Xavier" in (out / "people.tsv").read_text("utf-8")
    assert "herald\tGOV" in (out / "sectors.tsv").read_text("utf-8")
    verbs = (out / "validate_verbs.toml").read_text("utf-8")
    # PETRARCH's reading: the block's code for the verb, the pattern's own (a code outside
    # CAMEO, read as its block's type) for the phrase
    assert '"scold"' in verbs and '"scold for [border incident|insult]"' in verbs and 'cameo = "903"' in verbs
    assert validation.patterns == (str(out / "validate_verbs.toml"),)
    assert validation.discarded("a croquet final") and not validation.discarded("croquets")


def test_no_dictionaries_no_setup(tmp_path):
    gold = tmp_path / "petr_unittest.jsonl"
    gold.write_text("", "utf-8")
    assert setup(gold, tmp_path) is None


def test_read_discards_skips_comments_and_story_markers():
    patterns = read_discards("# story-level with a plus\n+WORLD CUP  # sport\nBASEBALL\n")
    assert [p.pattern for p in patterns] == [r"(?<!\w)WORLD\ CUP(?!\w)", r"(?<!\w)BASEBALL(?!\w)"]


def test_eval_codes_with_the_validation_dictionaries(tmp_path, pipeline):
    report = evaluate(_folder(tmp_path), pipeline, errors=5)
    assert report.metrics["root_accuracy"].value == 1.0, report.errors
    assert any("replace powderkeg's" in note for note in report.notes)
