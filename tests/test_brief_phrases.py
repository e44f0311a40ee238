"""One event as one clause, on events written for these tests; every clause passes the checker."""

from __future__ import annotations

from powderkeg.brief.check import check
from powderkeg.brief.phrase import Writer, event_clause

from .brief_helpers import brief, citation, report


def clause(c, **kw) -> str:
    w = Writer("happened")
    event_clause(w, c, **kw)
    s = w.sentence()
    result = check(brief([s], [c]))
    assert result.ok, [str(p) for p in result.problems]
    return s.text


def _injured(rid: str, sentence: str, figure: str, value: int, claimant: str = "", **kw):
    spans = {"numbers.injured": figure}
    if claimant:
        spans["claimed_by"] = claimant
    r = report(
        rid, sentence, article_id=kw.pop("article_id", rid), spans=spans, numbers={"injured": value}, **kw
    )
    return r


def test_disagreeing_figures_are_a_range_with_the_number_of_reports():
    reports = [
        _injured(
            "a",
            "Eleven soldiers were injured in the clash with protesters at Port Ruby.",
            "Eleven soldiers",
            11,
        ),
        _injured("b", "At least 31 soldiers were injured, officials said.", "31 soldiers", 31),
        _injured("c", "The clash left 20 soldiers injured.", "20 soldiers", 20),
    ]
    for r in reports:
        r["source"] = [{"text": "Protesters", "country": None}]
    c = citation(
        "F1", reports, mode="clash", date="2024-02-02", date_precision="day",
        numbers={"injured": {"min": 11, "max": 31, "by_report": {"a": 11, "b": 31, "c": 20}}},
    )  # fmt: skip
    text = clause(c)
    assert "11–31 soldiers injured (3 reports)" in text
    assert "on 2 February 2024" in text


def test_figures_about_different_people_are_listed_apart_with_who_claims_them():
    a = _injured(
        "a",
        "Around 30 soldiers were hurt, the Bluefort command said.",
        "30 soldiers",
        30,
        "the Bluefort command",
    )
    b = _injured("b", "Mayor Jon Vale said 52 villagers were hurt.", "52 villagers", 52, "Mayor Jon Vale")
    c = citation(
        "F1",
        [a, b],
        mode="clash",
        numbers={"injured": {"min": 30, "max": 52, "by_report": {"a": 30, "b": 52}}},
    )
    text = clause(c)
    assert "30 soldiers injured according to Bluefort command" in text
    assert "52 villagers injured according to Mayor Jon Vale" in text
    assert "30–52" not in text


def test_an_undated_article_gives_no_date():
    r = report(
        "a",
        "Rebels attacked a convoy near Stonebridge.",
        source=[{"text": "Rebels"}],
        target=[{"text": "a convoy"}],
    )
    c = citation("F1", [r], date="2026-12-03", date_precision="unknown", date_basis="ingested")
    text = clause(c)
    assert text == "Rebels attacked a convoy."
    assert "2026" not in text


def test_a_deployment_names_its_own_units_and_says_where_others_go():
    own = report(
        "a", "Freedonia deployed the frigate Valiant to the strait.", rule="builtin:MOBILIZE/troops:verb:deploy|verb",
        source=[{"text": "Freedonia", "country": "FRD"}], target=[{"text": "the frigate Valiant", "country": "FRD"}],
    )  # fmt: skip
    c = citation("F1", [own], type="MOBILIZE", mode="troops", source=["FRD"], target=["FRD"])
    assert clause(c) == "Freedonia deployed the frigate Valiant."
    other = report(
        "b", "Freedonia moved tanks toward the Sylvanian border.", rule="builtin:MOBILIZE/troops:verb:move|verb",
        source=[{"text": "Freedonia", "country": "FRD"}], target=[{"text": "Sylvanian border", "country": "SYL"}],
    )  # fmt: skip
    c = citation(
        "F2", [other], type="MOBILIZE", mode="troops", source=["FRD"], target=["SYL"],
        place={"name": "Sylvanian border", "country": "SYL"},
    )  # fmt: skip
    assert clause(c) == "Freedonia deployed forces along the Sylvanian border."


def test_a_second_report_with_another_verb_adds_a_clause():
    a = report(
        "a", "Minister Ana Ruiz criticised Freedonia over the dam.", rule="builtin:ACCUSE/disapprove:verb:criticise|verb",
        source=[{"text": "Minister Ana Ruiz", "country": "SYL"}], target=[{"text": "Freedonia", "country": "FRD"}],
    )  # fmt: skip
    b = report(
        "b", "President Tom Lee accused Freedonia of lying.", start=300, rule="builtin:ACCUSE:verb:accuse|verb",
        source=[{"text": "President Tom Lee", "country": "SYL"}], target=[{"text": "Freedonia", "country": "FRD"}],
    )  # fmt: skip
    c = citation(
        "F1",
        [a, b],
        type="ACCUSE",
        mode="disapprove",
        quad_class=3,
        score=-2.0,
        source=["SYL"],
        target=["FRD"],
    )
    assert clause(c) == "Minister Ana Ruiz criticised Freedonia, and President Tom Lee accused Freedonia."


def test_a_pronoun_gives_way_to_the_actors_name():
    r = report(
        "a", "It said the alliance would reinforce its mission.", rule="builtin:MOBILIZE/troops:verb:reinforce|verb",
        source=[{"text": "the alliance", "org": "NATO", "name": "NATO"}],
    )  # fmt: skip
    c = citation("F1", [r], type="MOBILIZE", mode="troops", source=["NATO"])
    assert clause(c) == "NATO reinforced its forces."


def test_claimed_events_say_who_claims_them():
    r = report(
        "a", "The Sylvanian army said rebels shelled Port Ruby overnight.", factuality="claimed",
        rule="builtin:ASSAULT/heavy-weapons:verb:shell|verb",
        source=[{"text": "rebels"}], target=[{"text": "Port Ruby"}], spans={"claimed_by": "The Sylvanian army"},
    )  # fmt: skip
    c = citation("F1", [r], mode="heavy-weapons", factuality="claimed")
    assert clause(c) == "Rebels shelled Port Ruby, according to Sylvanian army."
