"""Lower-cased text gets its certain capitals back before parsing (extract/truecase.py)."""

from __future__ import annotations

import pytest

from powderkeg.extract.truecase import lower_cased_text, truecaser


@pytest.mark.parametrize(
    "text,expected",
    [
        ("sweden rejected the offer from norway on monday. i said no.",
         "Sweden rejected the offer from Norway on Monday. I said no."),
        ("police arrested six bjp workers in new delhi after the clashes.",
         "Police arrested six BJP workers in New Delhi after the clashes."),
        # ordinary words keep their case: "turkey", "us", "may", "polish"
        ("the us sent turkey and polish ham in may to the troops of kenya.",
         "The us sent turkey and polish ham in may to the troops of Kenya."),
        ("syria's army shelled the town near the border on sunday.",
         "Syria's army shelled the town near the border on Sunday."),
        # a place of the gazetteer right after a preposition of place; ordinary words stay words
        ("police fired on crowds near bannu and in delhi, not in town or at home in march.",
         "Police fired on crowds near Bannu and in Delhi, not in town or at home in march."),
        ("the strikers marched in unity to the square in villages of the district.",
         "The strikers marched in unity to the square in villages of the district."),
        # a name at a sentence's end, before its full stop
        ("the riots spread from godhra to surat.", "The riots spread from Godhra to Surat."),
    ],
)  # fmt: skip
def test_certain_capitals_come_back_and_the_length_stays(pipeline, text, expected):
    assert lower_cased_text(text)
    assert truecaser(pipeline.nlp)(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Sweden rejected the offer from Norway on Monday, the minister said.", "too short here"],
)
def test_text_with_capitals_is_not_lower_cased(text):
    assert not lower_cased_text(text)


def test_a_lower_cased_text_is_coded_with_its_names(code):
    events = code("the government of denmark on friday rejected a fishing proposal from norway.")
    reject = next(e for e in events if e["type"] == "REJECT")
    assert [a["country"] for a in reject["source"]] == ["DNK"]
    assert [a["country"] for a in reject["target"]] == ["NOR"]


def _mentioned(pipeline, text: str) -> list[str]:
    """The knowledge base's codes named in a lower-cased ``text``, parsed as the pipeline parses it."""
    nlp = pipeline.nlp
    doc = nlp.make_doc(truecaser(nlp)(text))
    doc._.lower_cased = True
    doc = nlp(doc)
    return sorted({m.entries[0].code for m in doc._.mentions.values()})


@pytest.mark.parametrize(
    "text,codes",
    [
        # a name the dictionary knows as a verb is the word in lower case ...
        ("amnesty was granted to 200 prisoners after the war in the north ended.", []),
        ("the bush fires burned across the hills and the villagers fled their homes.", []),
        ("workers had to shape the new rules before the strike in the port ended.", []),
        # ... unless more of its name is there, or it names a country or nationality, or a
        # person's surname is not used as a word (a verb, or after an article)
        ("trump said on monday that the tariffs on steel would rise.", ["Donald Trump"]),
        ("amnesty international condemned the arrest of the students in the capital.", ["AMNESTY"]),
        ("troops from japan and french police arrived in the town on monday.", ["FRA", "JPN"]),
    ],
)  # fmt: skip
def test_names_that_are_ordinary_words_are_words_in_lower_case(pipeline, text, codes):
    assert _mentioned(pipeline, text) == codes


@pytest.mark.parametrize(
    "text,expected",
    [
        ("amnesty was granted to 200 prisoners after the war in the north ended.",
         "Amnesty was granted to 200 prisoners after the war in the north ended."),
        ("the court said amnesty international had no standing in the case.",
         "The court said Amnesty International had no standing in the case."),
        ("the guards said the bush near the camp had been cut down last week.",
         "The guards said the bush near the camp had been cut down last week."),
    ],
)  # fmt: skip
def test_names_that_are_verbs_keep_their_case(pipeline, text, expected):
    assert truecaser(pipeline.nlp)(text) == expected


@pytest.mark.parametrize(
    "text,first",
    [
        ("new delhi, may 4 (wire) - police arrested six men after the clashes in the old city.", "police"),
        ("srinagar, jan. 5 - militants attacked an army post near the border on sunday night.", "militants"),
    ],
)
def test_a_lower_cased_dateline_is_no_part_of_the_first_sentence(pipeline, text, first):
    nlp = pipeline.nlp
    doc = nlp.make_doc(truecaser(nlp)(text))
    doc._.lower_cased = True
    doc = nlp(doc)
    assert text.index(first) in {s.start_char for s in doc.sents}


@pytest.mark.parametrize(
    "text,first",
    [
        ("lucknow: police arrested six men after the clashes in the old city on friday.", "police"),
        ("note: police arrested six men after the clashes in the old city on friday.", None),
    ],
)
def test_a_lower_cased_dateline_with_a_colon_names_a_known_place(pipeline, text, first):
    nlp = pipeline.nlp
    doc = nlp.make_doc(truecaser(nlp)(text))
    doc._.lower_cased = True
    doc = nlp.get_pipe("pk_layout")(doc)
    starts = {t.idx for t in doc if t.is_sent_start and t.i > 0}
    assert starts == ({text.index(first)} if first else set())


@pytest.mark.parametrize(
    "text,country",
    [
        ("police in sindh province arrested six men after the clashes on sunday.", "PAK"),
        ("Police in Sindh province arrested six men after the clashes on Sunday.", "PAK"),
        ("the lahore traders association condemned the arrests of the shopkeepers.", "PAK"),
        # no place in the name: no country from it
        ("the farmers association condemned the arrests of the shopkeepers.", None),
    ],
)
def test_a_place_named_in_lower_case_places_the_actor(code, text, country):
    [event] = [e for e in code(text) if e["source"]]
    assert event["source"][0]["country"] == country
