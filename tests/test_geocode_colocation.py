"""Readings that lie together count as evidence only where the article's locale does not say otherwise."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from powderkeg.geocode import build
from powderkeg.geocode.colocation import elsewhere, locale
from powderkeg.geocode.gazetteer import Candidate, Gazetteer
from powderkeg.geocode.resolve import resolve

#: a made-up cluster of small towns called like Ohio's counties, a few km apart in New Jersey
_CLUSTER = [("Clark", 40.62, -74.31), ("Warren", 40.63, -74.50), ("Hamilton", 40.58, -74.40),
            ("Madison", 40.76, -74.42), ("Montgomery", 40.55, -74.35)]  # fmt: skip


def _town(admin1: str, lat: float = 40.0, lon: float = -80.0) -> Candidate:
    return Candidate(1, "Clark", "USA", admin1, "PPL", lat, lon, 15000)


def test_a_locale_elsewhere_is_a_clear_majority_of_the_other_names():
    ohio, jersey = ("USA", "OH"), ("USA", "NJ")
    local = {"dayton": Counter({ohio: 3}), "xenia": Counter({ohio: 1}), "trenton": Counter({jersey: 1})}
    assert locale(local, "clark") == ohio
    assert elsewhere(locale(local, "clark"), _town("NJ"))
    assert not elsewhere(locale(local, "clark"), _town("OH"))
    # an even split is no locale; a name's own mentions never make its locale
    assert locale({"dayton": Counter({ohio: 1}), "trenton": Counter({jersey: 1})}, "clark") is None
    assert locale({"clark": Counter({ohio: 5})}, "clark") is None
    assert not elsewhere(None, _town("NJ"))


@pytest.fixture(scope="module")
def clustered(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    Gazetteer(path, min_population=15000).close()
    con = sqlite3.connect(path)
    rows = [{"name": n, "country": "USA", "admin1": "NJ", "feature": "PPL", "lat": str(lat), "lon": str(lon),
             "population": "14000"} for n, lat, lon in _CLUSTER]  # fmt: skip
    build.add_places(con, rows, "user")
    con.commit()
    con.close()
    return Gazetteer(path)


def test_common_names_clustering_elsewhere_do_not_pull_a_local_article_away(clustered):
    text = (
        "Toledo, Sandusky and Lorain lost power overnight, and Findlay schools closed. "
        "Crews came from Warren, Hamilton, Montgomery and Clark counties."
    )
    # four northern Ohio towns make an Ohio article; the New Jersey cluster is a coincidence of names
    names = ["Toledo", "Sandusky", "Lorain", "Findlay", "Warren", "Hamilton", "Montgomery", "Clark"]
    spans = [(text.index(n), text.index(n) + len(n), n) for n in names]
    found = {r.text: r.place for r in resolve(clustered, spans, text=text) if r is not None}
    assert (found["Clark"].country, found["Clark"].admin1) == ("USA", "OH")
    assert found["Clark"].feature == "ADM2"  # Clark County, Ohio


def test_a_cluster_still_decides_where_the_article_names_no_locale(clustered):
    # the same towns named together, and nothing else: they are the cluster in New Jersey
    text = "Clark, Warren and Hamilton share a school bus contract."
    spans = [(text.index(n), text.index(n) + len(n), n) for n in ("Clark", "Warren", "Hamilton")]
    clark = resolve(clustered, spans, text=text)[0]
    assert clark is not None and clark.place.admin1 == "NJ"
