"""The CAMEO verb dictionary converter (knowledge/cameo_import.py) on snippets written here,
and the shipped data file against the dictionary in ../shared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from powderkeg.knowledge.cameo_import import (
    Filter,
    Plover,
    build,
    convert,
    read_table,
    singular,
    to_plover,
    unspecified,
)
from powderkeg.knowledge.patterns import read_patterns
from powderkeg.knowledge.rule_files import RuleFile
from powderkeg.knowledge.verb_dictionary import parse

from .conftest import ROOT, shared

TABLE = read_table(
    """# a CAMEO2PLOVER-style table
03: AGREE
037: AGREE,  , diplomatic # settle
07: AID
070: AID,   ,  # Provide aid
073: AID,   ,   humanitarian # humanitarian aid
101: REQUEST, assist,  # Demand material cooperation
141: PROTEST, demo,               # Demonstrate or rally
160: SANCTION,   ,  # Reduce relations
18: ASSAULT
181: ASSAULT, abduct,      # Abduct, hijack
"""
)

DICTIONARY = """\
&RELIEF_
+FOOD
+BLANKETS

--- PROVIDE   [070]  ---
PROVIDE
SUPPLY
AIRDROP [073]
- * &RELIEF_                      [073]   # SUPPLY
- * (TO {FLOOD VICTIMS})           [073]   # PROVIDE
- * {RIOT POLICE}                  [---]   # PROVIDE
- * STATEMENT                      [010]   # PROVIDE

--- DISCUSS  [030]  ---
TALK
- * (ABOUT HOSTAGES)               [037:037] # TALK
- * (ABOUT HOSTAGES)               [181]     # TALK
- PARTIES * (WITH)                 [037]     # TALK

--- SNATCH  [181]  ---
+CARRY_OFF [181]
SEIZE [180]
KIDNAP [181]
- * (FROM $)                       [:181]
"""


def test_table_rows_and_parents():
    assert TABLE["141"] == Plover("PROTEST", "demonstrate")  # the table's "demo" spelled ours
    assert to_plover("0731", TABLE) == Plover("AID", "")  # no 0731 row: its parent 073
    assert to_plover("1812", TABLE) == Plover("ASSAULT", "abduct")
    # an appeal reads as the demand of the same subcategory, keeping its code
    assert to_plover("021", TABLE) == Plover("REQUEST", "assist")
    # public statements, which PLOVER does not code: powderkeg's STATEMENT, CAMEO's 01x its mode
    assert to_plover("010", TABLE) == Plover("STATEMENT", "")
    assert to_plover("012", TABLE) == Plover("STATEMENT", "pessimistic")
    assert to_plover("018", TABLE) == Plover("STATEMENT", "empathetic")
    assert to_plover("999", TABLE) is None


@pytest.mark.parametrize(
    "plural,single",
    [("victims", "victim"), ("rallies", "rally"), ("crosses", "cross"), ("talks", "talk"),
     ("news", "new"), ("status", "status"), ("arms", "arm"), ("gas", "gas")],
)  # fmt: skip
def test_singular(plural, single):
    assert singular(plural) == single


def test_unspecified_codes():
    assert unspecified("070") and unspecified("18") and not unspecified("073") and not unspecified("0874")


def _entries(conversion) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {}
    for (code, _, _), entries in conversion.groups.items():
        out.setdefault(code, set()).update(entries)
    return out


def test_conversion_of_a_snippet():
    conversion = convert(parse(DICTIONARY), TABLE)
    entries = _entries(conversion)
    # synset phrases become one entry's objects; the pattern is for the verb it was found with
    assert "supply [food|blanket]" in entries["073"]
    assert "provide [food|blanket]" not in entries["073"]
    # a leading prepositional phrase: the verb's preposition, and the phrase's words its object
    assert "provide to [flood victim]" in entries["073"]
    # a verb with a specific code of its own is a pattern alone; a block's code or a
    # "not specified" code (180) is not
    assert "airdrop" in entries["073"] and "kidnap" in entries["181"] and "carry off" in entries["181"]
    assert "supply" not in {e for group in entries.values() for e in group}
    assert "seize" not in {e for group in entries.values() for e in group}
    # read both as AGREE and as ASSAULT: ambiguous, left out
    assert not any(e.startswith("talk about") for group in entries.values() for e in group)
    counts = conversion.counts
    assert counts["entries left out: read under codes of different PLOVER types"] == 1
    assert counts["pattern lines left out: the null code [---]"] == 1
    assert entries["010"] == {"provide [statement]"}  # a public statement (STATEMENT)
    assert counts["pattern lines left out: words before the verb (a subject)"] == 1
    assert counts["pattern lines left out: an event only from target to source, [:code]"] == 1


def test_filters_change_what_is_kept():
    d = parse(DICTIONARY)
    every_verb = _entries(convert(d, TABLE, Filter(bare_verbs="all", pattern_verbs="block")))
    assert {"supply", "provide [food|blanket]"} <= every_verb["073"] | every_verb["070"]
    assert "seize" in every_verb["180"]  # no 180 row: its root's, 18
    none = _entries(convert(d, TABLE, Filter(bare_verbs="none")))
    assert "airdrop" not in none["073"]


def test_reciprocal_codes_and_rendering(tmp_path):
    d = parse("--- MEET [---] ---\nMEET\n- * (WITH) [037:037] # MEET\n")
    conversion = convert(d, TABLE)
    assert list(conversion.groups) == [("037", True, Plover("AGREE", ""))]
    source, table = tmp_path / "dict.txt", tmp_path / "table.txt"
    source.write_text("--- MEET [---] ---\nMEET\n- * (WITH) [037:037] # MEET\n", "utf-8")
    table.write_text("037: AGREE,  , diplomatic\n", "utf-8")
    text, _ = build(source, table)
    group = tomllib.loads(text)["pattern"][0]
    assert group == {
        "type": "AGREE", "cameo": "037", "origin": "cameo:037", "generated": True, "reciprocal": True,
        "verbs": ["meet with"],
    }  # fmt: skip
    # the pattern loader reads it, with the code and the origin
    [pattern] = read_patterns([RuleFile("cameo_verbs.toml", "builtin", tomllib.loads(text))], ())
    assert (pattern.cameo_code, pattern.origin, pattern.generated, pattern.words) == (
        "037", "cameo:037", True, ("meet", "with"),
    )  # fmt: skip


def test_foreign_codes_take_their_blocks_reading():
    d = parse("--- GIVE [070] ---\nGIVE\n- * TOKENS [903] # GIVE\n")
    assert not convert(d, TABLE).groups
    [(code, _, reading)] = convert(d, TABLE, Filter(foreign_codes="block")).groups
    assert (code, reading) == ("903", Plover("AID", ""))


def test_shipped_file_is_what_the_converter_writes():
    """`make cameo` reproduces knowledge/data/cameo_verbs.toml byte for byte."""
    source = shared("eval", "petrarch2", "CAMEO.2.0.txt")
    table = shared("eval", "plover", "CAMEO2PLOVER-2021.txt")
    text, counts = build(source, table)
    shipped = (ROOT / "powderkeg" / "knowledge" / "data" / "cameo_verbs.toml").read_bytes()
    assert text.encode("utf-8") == shipped, "run `make cameo` and commit the result"
    assert counts["generated entries"] > 1000
    assert "Copyright (c) 2015 Open Event Data Alliance" in text
    assert "The MIT License (MIT)" in text


def test_shipped_file_loads_with_every_group_coded():
    data = tomllib.loads((ROOT / "powderkeg" / "knowledge" / "data" / "cameo_verbs.toml").read_text("utf-8"))
    groups = data["pattern"]
    assert groups and all(g["generated"] and g["origin"] == f"cameo:{g['cameo']}" for g in groups)
    # CAMEO 01 only as STATEMENT, outside PLOVER
    assert all(g["type"] == "STATEMENT" for g in groups if g["cameo"].startswith("01"))
    assert {g["cameo"] for g in groups if g["type"] == "STATEMENT"} >= {"010", "011", "012", "013", "018"}
    assert Path(ROOT / "Makefile").read_text("utf-8").count("cameo_import") == 1
