"""Rule files (patterns, refinements, word lists): checked against the schema when loaded, and
extended by the user through the ``knowledge_dir`` and ``patterns`` settings."""

from __future__ import annotations

import pytest

from powderkeg import Pipeline, Settings
from powderkeg.errors import ConfigError, RuleFileError
from powderkeg.knowledge.lexicon import COUNTS, MODE_PHRASES, MODES, SECTORS, TYPES, WORD_MAP, list_kinds
from powderkeg.knowledge.ontology import EVENT_TYPES, Mode, _data
from powderkeg.knowledge.rules import load_rules


def _load(tmp_path, text: str):  # type: ignore[no-untyped-def]
    extra = tmp_path / "mine.toml"
    extra.write_text(text, encoding="utf-8")
    return load_rules(pattern_files=(str(extra),)), str(extra)


@pytest.mark.parametrize(
    "text,named",
    [
        # a misspelt key is an error that names the file, the table and the key, and suggests the key
        ('[[pattern]]\ntype = "SANCTION"\nverbs = ["embargo"]\nneeds_targte = false\n', ["needs_targte", "needs_target"]),
        ('[[pattern]]\ntype = "ASSULT"\nverbs = ["hit"]\n', ["ASSULT", "ASSAULT"]),
        ('[[pattern]]\ntype = "ASSAULT"\nmode = "riot"\nverbs = ["hit"]\n', ["riot", "mode of ASSAULT"]),
        ('[[pattern]]\ntype = "ASSAULT"\nverbs = ["hit"]\nreciprocal = "yes"\n', ["reciprocal", "true or false"]),
        ('[[pattern]]\ntype = "ASSAULT"\n', ["no verbs or nouns"]),
        ('light_verb = ["undertake"]\n', ["light_verb", "light_verbs"]),
        ("[instruments]\nairborne = [\"crop duster\"]\n", ["airborne"]),
        ('asking_types = ["REQUST"]\n', ["REQUST", "REQUEST"]),
        ('[[refinement]]\nname = "x"\nstage = "event"\nwhen = { typ = "ASSAULT" }\nthen = { drop = true }\n',
         ["typ", "condition"]),
        ('[[refinement]]\nname = "x"\nstage = "event"\nwhen = { clause_names = "weapon" }\nthen = { drop = true }\n',
         ["weapon", "word list", "weapons"]),
        ('[[refinement]]\nname = "x"\nstage = "events"\nthen = { drop = true }\n', ["events", "stage"]),
        ('[[refinement]]\nname = "x"\nstage = "event"\nthen = { mode = "bombing" }\n', ["bombing", "mode"]),
        ('[[refinement]]\nname = "x"\nstage = "trigger"\nwhen = { has_targets = false }\nthen = { drop = true }\n',
         ["has_targets", "trigger"]),
        ('[[refinement]]\nname = "measure-is-a-sanction"\nstage = "event"\nthen = { drop = true }\n', ["taken"]),
        ("[[pattern]\n", ["not valid TOML"]),
    ],
)  # fmt: skip
def test_an_unknown_key_is_an_error_naming_file_and_key(tmp_path, text, named):
    with pytest.raises(RuleFileError) as caught:
        _load(tmp_path, text)
    message = str(caught.value)
    assert message.startswith("[E004]") and "mine.toml" in message, message
    for word in named:
        assert word in message, message


def test_a_missing_pattern_file_says_which_setting(tmp_path):
    with pytest.raises(ConfigError, match="`patterns` setting"):
        load_rules(pattern_files=(str(tmp_path / "absent.toml"),))


def _one_entry(kind: str) -> str:
    """A TOML value adding one entry to a list of ``kind``."""
    return {
        TYPES: '["OTHER"]',
        MODES: '["riot"]',
        SECTORS: '["XYZ"]',
        MODE_PHRASES: '{ aerial = ["crop duster"] }',
        WORD_MAP: '{ junta = "igo" }',
        COUNTS: "{ myriad = 10000 }",
    }.get(kind, '["zzword zzother"]' if kind == "phrases" else '["zzword"]')


@pytest.mark.parametrize("name,kind", sorted(list_kinds().items()))
def test_every_word_list_extends_from_the_knowledge_dir(tmp_path, name, kind):
    (tmp_path / "lexicon.toml").write_text(f"{name} = {_one_entry(kind)}\n", encoding="utf-8")
    built_in = getattr(load_rules().lexicon, name)
    mine = getattr(load_rules(str(tmp_path)).lexicon, name)
    assert (
        len(mine) >= len(built_in)
        and mine != built_in
        or kind in (MODES, TYPES)
        and mine == built_in | {"riot" if kind == MODES else "OTHER"}
    )
    assert all(item in mine for item in built_in)


def test_instruments_extend_from_a_pattern_file(tmp_path):
    rules, _ = _load(tmp_path, '[instruments]\naerial = ["crop duster"]\n')
    assert ("crop", "duster") in rules.lexicon.instruments["aerial"]
    assert ("warplane",) in rules.lexicon.instruments["aerial"]


def test_patterns_and_refinements_extend_from_knowledge_dir_and_files(tmp_path):
    (tmp_path / "patterns.toml").write_text(
        '[[pattern]]\ntype = "PROTEST"\nmode = "boycott"\nverbs = ["shun"]\n'
    )
    (tmp_path / "refinements.toml").write_text(
        '[[refinement]]\nname = "shunning-talks"\nstage = "event"\nwhen = { type = "PROTEST", mode = "boycott" }\n'
        'then = { type = "REJECT", mode = "", tag = "shun" }\n'
    )
    extra = tmp_path / "more.toml"
    extra.write_text('[[pattern]]\ntype = "SUPPORT"\nmode = "praise"\nverbs = ["laud"]\n')
    rules = load_rules(str(tmp_path), (str(extra),))
    assert [p.type for p in rules.patterns.verbs["shun"]] == ["PROTEST"]
    assert [p.origin for p in rules.patterns.verbs["laud"]] == ["more"]
    assert rules.refinements[-1].name == "shunning-talks" and rules.refinements[-1].origin.endswith(
        "refinements.toml"
    )
    assert len(rules.refinements) == len(load_rules().refinements) + 1


@pytest.mark.slow
def test_user_rules_change_what_is_coded(tmp_path):
    # a pattern, a refinement and a light verb of the user's, through the settings
    (tmp_path / "patterns.toml").write_text(
        '[[pattern]]\ntype = "PROTEST"\nmode = "boycott"\nverbs = ["shun"]\n'
    )
    (tmp_path / "refinements.toml").write_text(
        '[[refinement]]\nname = "shunned-talks"\nstage = "event"\n'
        'when = { type = "PROTEST", mode = "boycott", clause_names = ["talk"] }\n'
        'then = { type = "REJECT", mode = "", tag = "shun" }\n'
    )
    (tmp_path / "lexicon.toml").write_text('light_verbs = ["undertake"]\n')
    pipeline = Pipeline(Settings(knowledge_dir=str(tmp_path)))
    texts = [
        {"id": "1", "text": "Kenya shunned the talks with Uganda."},
        {"id": "2", "text": "Kenyan farmers shunned the market in Nairobi."},
        {"id": "3", "text": "The Chadian army undertook an offensive against the rebels."},
    ]
    coded = {record["id"]: events for record, events in pipeline.code_texts(texts)}
    assert [(e.type, e.rule.split("|")[0]) for e in coded["1"]] == [
        ("REJECT", "patterns:shun:REJECT:verb:shun")
    ]
    assert [(e.type, e.mode) for e in coded["2"]] == [("PROTEST", "boycott")]
    assert any(e.type == "ASSAULT" and e.rule.endswith("noun:light-verb") for e in coded["3"]), coded["3"]
    plain = {r["id"]: ev for r, ev in Pipeline(Settings()).code_texts(texts)}
    assert not any(e.type == "REJECT" for e in plain["1"]) and not plain["2"]
    assert not any(e.rule.endswith("noun:light-verb") for e in plain["3"])


def test_modes_and_types_are_the_ontologys():
    # the Mode constants are the modes data/ontology.toml gives the types, and nothing else
    declared = {m for t in _data()["types"].values() for m in t.get("modes", {})}
    assert {m.value for m in Mode} - {""} == declared
    assert set(EVENT_TYPES) == set(_data()["types"])


def test_every_built_in_pattern_table_has_its_own_name():
    families = [p.family for p in load_rules().patterns]
    assert all(families)
    written = [p for p in load_rules().patterns if not p.generated]
    tables = {(p.family, p.type, p.mode, p.target_preps, p.reciprocal) for p in written}
    assert len({t[0] for t in tables}) == len(tables)  # one family name per table
    # the tables generated from the CAMEO dictionary (one per CAMEO code) are one family per
    # PLOVER type: what a test case shows at work is the type, the codes are data
    generated = {(p.family, p.type) for p in load_rules().patterns if p.generated}
    assert generated and all(family == f"cameo:{type_}" for family, type_ in generated)


def test_the_coder_names_types_and_modes_by_their_constants():
    # outside the enums themselves, extract/ and knowledge/ write EventType.X and Mode.Y, not "X" and "y"
    import ast
    from pathlib import Path

    import powderkeg

    names = set(EVENT_TYPES) | {m.value for m in Mode if m.value}
    root = Path(powderkeg.__file__).parent
    found = []
    for path in sorted([*root.glob("extract/*.py"), *root.glob("knowledge/*.py")]):
        tree = ast.parse(path.read_text("utf-8"))
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        enums = {
            id(value)
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and node.name in ("EventType", "Mode")
            for value in ast.walk(node)
        }
        found += [
            f"{path.name}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in names
            and id(node) not in docs | enums
            and not (path.name == "ontology.py" and node.value == "OTHER")  # the CASE 2021 label OTHER
        ]
    assert not found, found
