"""Reading PETRARCH verb dictionaries (knowledge/verb_dictionary.py) from snippets written here."""

from __future__ import annotations

from powderkeg.knowledge.verb_dictionary import Element, expansions, parse, parse_pattern

SNIPPET = """\
# a comment line
<!-- a comment
over two lines -->

&FRUIT
# a comment inside a synset does not end it
+APPLE
+GREEN_PEAR_

&SNACK_
+&FRUIT
+NUT

####### VERB PATTERNS #######

--- SHARE_FOOD   [070]  ---
SHARE
+HAND_OUT {+HANDS_OUT +HANDED_OUT +HANDING_OUT }
GIVE {GIVES GAVE GIVEN GIVING } [071]  # jw 1/2/03
RE_+GIFT
- * &FRUIT                     [073]    # SHARE
- * (WITH {POOR VILLAGERS})     [0731:0731]  # HANDED_OUT
- CHILDREN * &SNACK            [---]    # SHARE
- * OUT (TO $)                 [:074]
- *_AWAY SOME                  [075]

--- IDLE   [---]  ---
WAIT
~ a (a b SHARE) SAY = a b 070
--- NEVER_READ [010] ---
"""


def test_synsets_expand_with_nested_members_and_no_plurals():
    d = parse(SNIPPET)
    assert d.expand("&FRUIT") == [("apple",), ("green", "pear")]
    assert d.expand("&SNACK_") == [("apple",), ("green", "pear"), ("nut",)]
    assert d.expand("&UNKNOWN") == []


def test_blocks_verbs_and_their_codes():
    d = parse(SNIPPET)
    assert [b.name for b in d.blocks] == ["SHARE_FOOD", "IDLE"]  # "~" ends the patterns
    share = d.blocks[0]
    assert share.code == "070"
    by_name = {v.name: v for v in share.verbs}
    assert set(by_name) == {"SHARE", "HAND_OUT", "GIVE", "RE_GIFT"}
    assert by_name["SHARE"].code == "070" and not by_name["SHARE"].own_code
    assert by_name["GIVE"].code == "071" and by_name["GIVE"].own_code
    assert by_name["HAND_OUT"].words == ("hand", "out") and by_name["HAND_OUT"].head == 0
    assert by_name["RE_GIFT"].head == 1  # the "+" marks the verb word
    # the names a comment may use: irregular forms as written, regular ones made
    assert {"HANDED_OUT", "HANDS_OUT"} <= by_name["HAND_OUT"].names
    assert {"GAVE", "GIVES"} <= by_name["GIVE"].names
    assert {"SHARED", "SHARING", "SHARES"} <= by_name["SHARE"].names


def test_patterns_keep_groups_markers_and_their_source_verb():
    d = parse(SNIPPET)
    patterns = d.blocks[0].patterns
    assert [p.code for p in patterns] == ["073", "0731:0731", "---", ":074", "075"]
    assert patterns[0].found_with == "SHARE"
    assert patterns[0].after == (Element("synset", "&FRUIT"),)
    with_poor = patterns[1].after
    assert [e.text for e in with_poor] == ["with", "poor", "villagers"]
    assert {e.group for e in with_poor} == {1} and [e.noun_phrase for e in with_poor] == [False, True, True]
    assert patterns[2].before == (Element("word", "children"),)
    assert [e.kind for e in patterns[3].after] == ["word", "word", "source"]
    # TABARI joins the verb to a neighbour with "_"
    assert [e.text for e in patterns[4].after] == ["away", "some"]
    assert not d.skipped


def test_expansions_replace_each_synset_by_each_phrase():
    d = parse(SNIPPET)
    pattern = parse_pattern(" * &FRUIT (FOR &FRUIT) [070]", 1)
    assert pattern is not None
    forms = [tuple(e.text for e in form) for form in expansions(pattern.after, d)]
    assert ("apple", "for", "green", "pear") in forms and len(forms) == 4


def test_lines_that_are_not_patterns_are_reported():
    d = parse("--- X [010] ---\nX\n- * NO CODE HERE\n- TWO * VERBS * [010]\n")
    assert [line for line, _ in d.skipped] == [3, 4]
