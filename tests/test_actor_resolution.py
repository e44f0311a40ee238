"""Short actor texts resolved by the coder's own ActorResolver (event places: test_numbers_dates_places.py)."""

from __future__ import annotations

import pytest

from powderkeg.extract.components import knowledge
from powderkeg.knowledge.known_actors import Knowledge, ascii_fold


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "date", "country", "sector"),
    [
        ("TEHRAN", "", "IRN", "GOV"),  # a capital in a dateline's capitals
        ("Shanghai authorities", "", "CHN", "GOV"),  # a town names its country's actors
        ("Lt. Gen. John Smith", "", "", "MIL"),  # rank abbreviations
        ("Sen. John Smith", "", "", "LEG"),
        ("Boko Haram gunmen", "", "NGA", "REB"),  # the organisation says more than "gunmen"
        ("rebel forces", "", "", "REB"),  # ... and a modifier more than "forces"
        ("government forces", "", "", "MIL"),
        ("Kosovo police sergeant Afrim Bunjaku", "", "XKX", "COP"),
        ("Ukrainian farmers", "", "UKR", "AGR"),
        ("soldier", "", "", "MIL"),  # no sentence around it
        ("American warplanes", "", "USA", "MIL"),
        ("Boris Johnson", "2020-03-01", "GBR", "GOV"),
        ("Boris Johnson", "2024-03-01", "GBR", "ELI"),  # out of office by then: a former official
        ("Transnistria", "", "MDA", "PRE"),
    ],
)
def test_short_texts_resolve_like_the_coder(pipeline, text, date, country, sector):
    from powderkeg.eval.actors import resolve_text
    from powderkeg.geocode.gazetteer import gazetteer_at

    nlp = pipeline.nlp
    with nlp.select_pipes(disable=["pk_events", "pk_places"]):
        got = resolve_text(nlp, knowledge(""), gazetteer_at(""), text, "", date)
    assert (got["country"], got["sector"]) == (country, sector)


@pytest.mark.slow
def test_a_titled_name_keeps_its_whole_name_without_the_title(pipeline):
    from powderkeg.eval.actors import resolve_text
    from powderkeg.geocode.gazetteer import gazetteer_at

    nlp = pipeline.nlp
    with nlp.select_pipes(disable=["pk_events", "pk_places"]):
        got = resolve_text(nlp, knowledge(""), gazetteer_at(""), "Sen. Ana-Maria de la Cruz")
    assert got["name"] == "Ana-Maria de la Cruz" or got["name"].endswith("Cruz")
    assert not got["name"].startswith("Sen")


def test_names_are_found_without_their_diacritics():
    kb = Knowledge()
    assert ascii_fold("Đukanović") == "Djukanovic"
    assert any(e.kind == "person" and e.country == "SRB" for e in kb.lookup("Ivica Dacic"))


def test_other_schemes_sector_codes_map_onto_ours():
    codes = Knowledge().sector_codes
    assert codes["BUD"] == "REL" and codes["SOC"] == "NGO" and codes["GOV"] == "GOV"
