"""Hard-wrapped plain text is parsed as paragraphs (extract/reflow.py), offsets kept."""

from __future__ import annotations

import pytest

from powderkeg.extract.reflow import reflow

WRAPPED = """Border clashes

Government troops shelled two villages near the northern border on
Monday and killed at least nine civilians in the attack on the market,
officials say.

Aid groups said the roads to the area were closed to convoys for a
third day running.
"""


def test_wrapped_paragraphs_become_lines_of_their_own():
    flowed = reflow(WRAPPED)
    assert len(flowed) == len(WRAPPED)
    assert flowed.split("\n\n")[1] == (
        "Government troops shelled two villages near the northern border on Monday and killed at "
        "least nine civilians in the attack on the market, officials say."
    )
    # the heading, the blank lines and the paragraph ends keep their breaks
    assert flowed.startswith("Border clashes\n\n")
    assert flowed.count("\n") == 5
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(WRAPPED, flowed, strict=True))


@pytest.mark.parametrize(
    "text",
    [
        "One paragraph per line, as web pages and feeds give text, each of them longer than any "
        "wrapped line would be.\nA second paragraph on a line of its own, again longer than a wrapped "
        "line, so nothing is joined.\nAnd a third one, long enough to show the text is not wrapped.",
        "Short\nlines\nonly",
        "- a list item that runs on for a while here\n- another item that runs on for a while too\n"
        "- and a third item that also runs on for a bit",
        "No line break at all.",
    ],
)
def test_text_that_is_not_hard_wrapped_is_left_alone(text):
    assert reflow(text) == text


def test_crlf_breaks_are_joined_whole():
    text = "The rebels attacked the convoy on the road to the\r\ncapital on Sunday, the army said in a\r\nstatement issued late at night.\r\n"
    flowed = reflow(text)
    assert len(flowed) == len(text)
    assert "\r" not in flowed.rstrip("\r\n") and "the  capital" in flowed


def test_attribution_on_the_next_line_is_kept(pipeline):
    [(_, events)] = list(pipeline.code_texts([{"id": "w", "text": WRAPPED, "date": "2024-03-04"}]))
    shelled = next(e for e in events if WRAPPED[slice(*e.spans["trigger"])] == "shelled")
    # "officials say" sits on the line after the claim: the claim is theirs, not asserted
    assert shelled.factuality == "claimed"
    assert WRAPPED[slice(*shelled.spans["claimed_by"])] == "officials"
    assert WRAPPED[slice(*shelled.spans["source"])] == "Government troops"
    for event in events:
        # every span and the sentence point into the original, wrapped text
        for start, end in event.spans.values():
            assert 0 <= start < end <= len(WRAPPED)
        original = WRAPPED[event.sentence_start : event.sentence_start + len(event.sentence)]
        assert original.replace("\n", " ") == event.sentence


WIRE = """ARDENVALE, May 4 (Wire) - Rebel fighters attacked an army base outside
the northern town of Dorvik on Saturday, killing six soldiers, the
defence ministry said in a statement.
"We will not negotiate while our soldiers are being killed," Defence
Minister Tomas Varga told reporters in the capital. "The army will
respond."
The ministry listed the losses:
  - six soldiers killed and eleven wounded in the fighting near the
    base;
  - two armoured vehicles destroyed.
Police arrested fourteen people in Dorvik on Sunday on suspicion of
helping the rebels, a police spokesman said.
  Residents said the roads out of the town were closed and that shops
had been shut since the attack.
(Reporting by Jane Roe; Editing by John Doe)
"""


def test_wire_copy_with_a_dateline_quotes_a_list_and_indented_paragraphs():
    lines = reflow(WIRE).split("\n")
    assert lines[0].startswith("ARDENVALE, May 4 (Wire) - Rebel fighters") and lines[0].endswith("statement.")
    assert lines[1].endswith('"The army will respond."')  # a quote's lines are one paragraph
    assert lines[3] == "  - six soldiers killed and eleven wounded in the fighting near the     base;"
    assert lines[4] == "  - two armoured vehicles destroyed."  # a list item keeps its own line
    # an indented first line after a sentence's end opens a paragraph of its own
    assert lines[5].endswith("a police spokesman said.")
    assert lines[6].startswith("  Residents said") and lines[6].endswith("since the attack.")
    assert lines[7] == "(Reporting by Jane Roe; Editing by John Doe)"


def test_a_dateline_is_not_read_into_the_first_actor(pipeline):
    [(_, events)] = list(pipeline.code_texts([{"id": "w", "text": WIRE, "date": "2024-05-04"}]))
    attack = next(e for e in events if WIRE[slice(*e.spans["trigger"])] == "attacked")
    assert WIRE[slice(*attack.spans["source"])] == "Rebel fighters"
    assert attack.factuality == "claimed"
