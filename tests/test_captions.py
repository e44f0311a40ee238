"""Photo captions and credit lines (extract/captions.py): recognised by the marks news sites
and agencies put on pictures, and kept out of the main-event choice."""

from __future__ import annotations

import pytest

from powderkeg.extract.captions import caption_mark
from powderkeg.extract.primary import primary


@pytest.mark.parametrize(
    "line,mark",
    [
        ("FILE PHOTO: Troops patrol a village near the border, March 3, 2021.", "FILE PHOTO:"),
        ("Photo: Rebels fire at an army post outside the town.", "Photo:"),
        ("Pictured: police officers detain a protester in the square.", "Pictured:"),
        ("FILE - In this 2019 file photo, soldiers guard the ministry.", "FILE - "),
        ("In this photo taken on Monday, firefighters work at the depot.", "In this photo"),
        ("A soldier stands guard at a checkpoint in the capital (Agency/Jane Roe)", "(Agency/Jane Roe)"),
        ("Police clear the road after the blast. (AP Photo/John Doe)", "(AP Photo/John Doe)"),
        ("Militants attacked the convoy on Sunday (Photo: Jane Roe)", "(Photo: Jane Roe)"),
        ("Riot police face protesters in the square. WIRE/Jane Roe/File Photo", "WIRE/Jane Roe/File Photo"),
        ("Photo credit: Jane Roe for the Daily Courier", "Photo credit:"),
        ("Courtesy of the defence ministry", "Courtesy of"),
    ],
)  # fmt: skip
def test_a_caption_is_known_by_its_mark(line, mark):
    found = caption_mark(line)
    assert found is not None and line[found[0] : found[1]].strip() == mark.strip()


@pytest.mark.parametrize(
    "line",
    [
        "Rebels attacked an army post near the town on Sunday, officials said.",
        "The convoy moved at 40 km/h (25 mph) through the valley.",
        "The agency, known as UN/OCHA, said aid was blocked at the crossing by UN/WFP",
        "Police said the photo was fake and arrested its author.",
        "The minister spoke to reporters (pictured below the podium in a file) on Monday",
    ],
)
def test_the_text_itself_is_no_caption(line):
    assert caption_mark(line) is None


ARTICLE = (
    "FILE PHOTO: Soldiers fire tear gas at protesters in the capital, March 3, 2021. WIRE/Jane Roe/File Photo\n"
    "\n"
    "The government of Ruritania signed a ceasefire agreement with the rebels on Tuesday, "
    "officials said.\n"
)


def test_a_caption_does_not_win_the_main_event(pipeline):
    [(_, events)] = list(pipeline.code_texts([{"id": "a", "text": ARTICLE}]))
    assert any("caption" in e.spans for e in events)  # read, and marked as caption evidence
    main = primary(events, plover_only=True)
    assert main is not None and "caption" not in main.spans
    assert main.type == "AGREE"


PAGE = """<html><head><title>Ceasefire signed</title></head><body><article><h1>Ceasefire signed</h1>
<p>Riot police fire tear gas at protesters outside the ministry in the capital. WIRE/Jane Roe</p>
<p>The government of Ruritania signed a ceasefire agreement with the rebels on Tuesday, officials said.
The deal ends two years of fighting in the north of the country, where more than a thousand people died.</p>
<p>Both sides agreed to exchange prisoners within a month, the mediators said in a statement.</p>
</article></body></html>"""


def test_a_pages_caption_paragraph_does_not_win_the_main_event(pipeline):
    from powderkeg.ingest.html import extract_html
    from powderkeg.settings import Settings

    article = extract_html(PAGE, Settings())
    [(_, events)] = list(pipeline.code_texts([{"id": "p", "text": article.text}]))
    assert any("caption" in e.spans for e in events)
    main = primary(events, plover_only=True)
    assert main is not None and main.type == "AGREE" and "caption" not in main.spans
