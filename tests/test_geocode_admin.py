"""Administrative areas derived from towns (powderkeg/geocode/admin.py), on rows made by hand."""

from __future__ import annotations

import pytest

from powderkeg.geocode import admin

ISO3 = {"NO": "NOR", "FJ": "FJI", "MX": "MEX"}


def _town(cc: str, name: str, lat: float, lon: float, population: int, state: str, county: str = "") -> dict:
    row = {"country_code": cc, "city": name, "latitude": lat, "longitude": lon, "population": population}
    row["state"] = state
    if county:
        row["county"] = county
    return row


def test_areas_are_their_towns():
    rows = [
        _town("NO", "Bigtown", 59.0, 6.0, 9000, "Fjordland", "Bigtown Kommune"),
        _town("NO", "Smalltown", 60.0, 6.0, 1000, "Fjordland", "Bigtown Kommune"),
        _town("NO", "Hilltown", 59.5, 7.0, 2000, "Fjordland"),
    ]
    codes = {("NO", 59.0, 6.0): "14", ("NO", 60.0, 6.0): "14", ("NO", 59.5, 7.0): "15"}
    found = {a.name: a for a in admin.areas(rows, ISO3, codes)}
    region, district = found["Fjordland"], found["Bigtown Kommune"]
    assert (region.feature, region.country, region.admin1, region.population) == ("ADM1", "NOR", "14", 12000)
    assert (district.feature, district.admin1, district.population) == ("ADM2", "14", 10000)
    assert district.lat == pytest.approx(59.5, abs=0.01)  # the middle of its towns, whatever their size


def test_the_middle_of_an_area_across_the_antimeridian_stays_in_it():
    lat, lon = admin.middle([(-17.0, 179.0, 1), (-17.0, -179.0, 1)])
    assert lat == pytest.approx(-17.0, abs=0.01) and abs(lon) == pytest.approx(180.0, abs=0.01)


def test_an_areas_point_is_the_middle_of_its_towns_not_their_people():
    # a coastal capital holds most people, the area stretches inland: GeoNames' point is inland
    rows = [_town("NO", "Port", 60.0, 5.0, 500_000, "Inland")]
    rows += [_town("NO", f"Village {i}", 60.0 + i / 10, 5.0 + i / 2, 1000, "Inland") for i in range(1, 21)]
    [area] = admin.areas(rows, ISO3, {})
    assert (area.lat, area.lon) == pytest.approx((61.0, 10.0), abs=0.2)


def test_outlying_towns_do_not_pull_an_areas_point():
    # forty towns on the mainland, one on a far island: the island is trimmed away
    mainland = [(50.0 + i / 20, 10.0 + i / 20, 1) for i in range(40)]
    lat, lon = admin.middle([*mainland, (40.0, 30.0, 1)])
    assert (lat, lon) == pytest.approx((51.0, 11.0), abs=0.15)
    assert admin.middle([*mainland, (40.0, 30.0, 1)], trim=0.0)[1] == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("name", "feature", "short"),
    [
        ("Zamfara State", "ADM1", "Zamfara"),
        ("Bomet County", "ADM1", "Bomet"),
        ("Bình Phước Province", "ADM1", "Bình Phước"),
        ("Nyanza District", "ADM2", "Nyanza"),
        ("Dallas County", "ADM2", ""),  # US-style: the word is part of the name
        ("North Eastern Province", "ADM1", ""),  # a bare direction is not a name
        ("Province of Bohol", "ADM1", ""),
        ("Rogaland", "ADM1", ""),
    ],
)
def test_bare_names(name, feature, short):
    assert admin.bare(name, feature) == short


def test_names_of_an_area():
    area = admin.Area("Bas-Uele Province", "COD", "", "ADM1", 3.0, 25.0, 1000, "Bas-Uele Province")
    assert admin.names(area) == {"Bas-Uele Province", "Bas Uele Province", "Bas-Uele", "Bas Uele"}
    central = admin.Area("Central", "BWA", "", "ADM1", -22.0, 27.0, 1000, "Central")
    assert admin.names(central) == set()


def test_news_writes_south_for_southern():
    area = admin.Area("Southern Darfur", "SDN", "", "ADM1", 11.5, 25.0, 1000, "Southern Darfur")
    assert admin.names(area) == {"Southern Darfur", "South Darfur"}


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("County of Glenmorgan", "Glenmorgan"),
        ("City and Borough of Westfield", "Westfield"),
        ("Royal Borough of Ashby and Deane", "Ashby and Deane"),
        ("Sir Benlli", "Benlli"),  # Welsh: the county of Benlli
        ("Caermoor County Borough", "Caermoor"),
        ("Ntsimbi District Municipality", "Ntsimbi"),
        ("Warrah Plains Shire", "Warrah Plains"),
        ("City of North", ""),  # a direction is no name
        ("Sirwell", ""),
        ("Kent", ""),
    ],
)
def test_an_areas_name_without_the_words_for_its_kind(name, bare):
    assert admin.unwrapped(name) == bare
