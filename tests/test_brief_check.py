"""The grounding checker on hand-built sentences and citations (no store, no model)."""

from __future__ import annotations

import pytest

from powderkeg.analyze.index import contribution
from powderkeg.brief.check import check
from powderkeg.brief.model import Derivation
from powderkeg.records import FusedEvent

from .brief_helpers import brief, citation, report, sentence

CLASH = report(
    "r1",
    "Some 40 farmers and border guards fought near Lakeview on Friday, leaving three guards hurt, the Ruritanian interior ministry said.",
    spans={"source": "farmers", "place": "Lakeview", "numbers.injured": "three guards"},
)
EVENT = citation(
    "F1",
    [CLASH],
    mode="clash",
    source=["RUR"],
    target=["RUR"],
    date="2024-03-08",
    date_precision="day",
    place={"name": "Lakeview", "country": "RUR"},
    numbers={"injured": {"min": 3, "max": 3, "by_report": {"r1": 3}}},
)


def problems(text: str, *derivations: Derivation, cites: tuple[str, ...] = ("F1",), events=(EVENT,)) -> list:
    return list(check(brief([sentence(text, list(cites), *derivations)], list(events))).problems)


def tokens(text: str, *derivations: Derivation, **kw) -> set[str]:
    return {p.token for p in problems(text, *derivations, **kw)}


@pytest.mark.parametrize(
    ("text", "unsupported"),
    [
        ("Farmers and border guards fought near Lakeview.", set()),  # every name is in the evidence
        ("Some 40 farmers fought; three guards were hurt.", set()),  # numbers as digits or words
        ("Some 3 guards were hurt near Lakeview.", set()),  # "three" in the evidence supports 3
        ("Some 41 farmers fought near Lakeview.", {"41"}),
        ("Farmers fought near Lakeview and Hillbrook.", {"Hillbrook"}),
        ("Farmers fought near Lakeview, the Atlantian interior ministry said.", {"Atlantian"}),
        ("Farmers and border guards fought near Lakeview; two guards were hurt.", {"two"}),
        ("Atlantis attacked the farmers.", {"Atlantis", "attacked"}),  # a name at the start is checked
        ("The farmers fought; the guards were killed.", {"killed"}),  # a claim word no evidence makes
        ("Ruritanian interior ministry officials said farmers fought.", set()),
    ],
)
def test_tokens_need_evidence(text, unsupported):
    assert tokens(text) == unsupported


def test_a_sentence_must_cite_and_its_citation_must_resolve():
    assert {p.kind for p in problems("The farmers met.", cites=())} == {"citation"}
    assert "citation" in {p.kind for p in problems("Farmers fought.", cites=("F9",))}
    bad = citation("F2", [report("r2", "Farmers fought.")])
    broken = type(bad)(
        bad.id,
        bad.kind,
        bad.record,
        bad.reports,
        (bad.evidence[0].__class__(**{**bad.evidence[0].to_dict(), "end": 3}),),
    )
    assert {p.kind for p in problems("Farmers fought.", cites=("F2",), events=(broken,))} == {"evidence"}


def test_derived_words_are_redone_from_the_cited_fields():
    date = Derivation("8 March 2024", "date", ("F1",), "date", "2024-03-08", inputs={"precision": "day"})
    assert tokens("Farmers fought on 8 March 2024.", date) == set()
    assert tokens("Farmers fought on 8 March 2024.") == {"8", "March", "2024"}  # without the derivation
    # a number changed after generation: the text no longer matches the derivation, so nothing covers it
    assert tokens("Farmers fought on 9 March 2024.", date) == {"9", "March", "2024"}
    # and the record changed with it: the derivation no longer holds for the cited event
    forged = Derivation("9 March 2024", "date", ("F1",), "date", "2024-03-09", inputs={"precision": "day"})
    assert "derivation" in {p.kind for p in problems("Farmers fought on 9 March 2024.", forged)}


@pytest.mark.parametrize(
    ("derivation", "ok"),
    [
        (Derivation("3", "number", ("F1",), "numbers.injured.by_report.r1", 3), True),
        (Derivation("4", "number", ("F1",), "numbers.injured.by_report.r1", 4), False),
        (Derivation("Ruritania", "name", ("F1",), "source", "RUR"), False),  # RUR is no code we know
        (Derivation("clashed with", "phrase", ("F1",), "type", "ASSAULT"), True),
        (
            Derivation("killed", "phrase", ("F1",), "type", "ASSAULT"),
            False,
        ),  # no kill trigger, no killed figure
        (Derivation("Lakeview", "place", ("F1",), "place.name", "Lakeview"), True),
        (
            Derivation("1", "count", ("F1",), "reports", 1, inputs={"figure": "injured", "reports": ["r1"]}),
            True,
        ),
        (
            Derivation(
                "2", "count", ("F1",), "reports", 2, inputs={"figure": "injured", "reports": ["r1", "r9"]}
            ),
            False,
        ),
        (Derivation("Lakeview", "place", ("F7",), "place.name", "Lakeview"), False),  # reads an uncited event
    ],
)
def test_each_derivation_kind_is_verified(derivation, ok):
    found = problems(f"Text {derivation.text} here.", derivation)
    assert ("derivation" not in {p.kind for p in found}) is ok


def test_names_come_from_codes_on_the_cited_sides():
    event = citation(
        "F3", [report("r3", "Belgrade sent troops to the boundary.")], type="MOBILIZE", source=["SRB"]
    )
    name = Derivation("Serbia", "name", ("F3",), "source", "SRB")
    assert tokens("Serbia deployed forces.", name, cites=("F3",), events=(event,)) == set()
    wrong = Derivation("Kosovo", "name", ("F3",), "source", "XKX")
    assert "Kosovo" in tokens("Kosovo deployed forces.", wrong, cites=("F3",), events=(event,))


def test_index_figures_are_recomputed():
    c = round(contribution(FusedEvent.from_dict(EVENT.record)), 4)
    inputs = {
        "contributions": {"F1": c}, "raw": c, "factor": 0.5, "reading": round(c * 0.5, 4),
        "history": [["2024-03-01", 1.0], ["2024-03-02", 2.0], ["2024-03-03", 3.0]],
        "median": 2.0, "scale": 2.0, "z": round((c * 0.5 - 2.0) / 2.0, 4), "min_history": 3, "min_scale": 2.0,
    }  # fmt: skip
    z = Derivation(f"{inputs['z']:.1f}", "index", ("F1",), "z", inputs["z"], inputs=inputs)
    assert tokens(f"The index reads z = {inputs['z']:.1f}.", z) == set()
    lied = {**inputs, "contributions": {"F1": c + 5}, "raw": c + 5}
    z_lied = Derivation(f"{inputs['z']:.1f}", "index", ("F1",), "z", inputs["z"], inputs=lied)
    assert "derivation" in {p.kind for p in problems(f"The index reads z = {inputs['z']:.1f}.", z_lied)}
    bad_median = Derivation("2.0", "index", ("F1",), "median", 2.5, inputs={**inputs, "median": 2.5})
    assert "derivation" in {p.kind for p in problems("Its median is 2.0.", bad_median)}


def test_openers_are_not_names_but_other_first_words_are():
    assert tokens("The farmers fought.") == set()
    assert tokens("Unidentified actors fought near Lakeview.") == set()
    assert tokens("Montenegro fought near Lakeview.") == {"Montenegro"}
