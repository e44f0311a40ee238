"""The tension index and escalation: formula, coverage, the demo corpus and the seed article."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest
from typer.testing import CliRunner

from powderkeg import Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.escalation import assess
from powderkeg.analyze.index import Key, contribution, readings
from powderkeg.analyze.rules import load_rules
from powderkeg.cli import app
from powderkeg.extract.components import SUMMARY_HEADING
from powderkeg.fuse import fuse
from powderkeg.records import Cited, FusedEvent, Spread
from powderkeg.store.fused import FuseTables

from .conftest import DEMO, shared
from .fusion_helpers import article, event


def _fused(
    event_type,
    quad,
    score,
    source=("SRB",),
    target=("XKX",),
    n_sources=1,
    factuality="asserted",
    place="",
    **numbers,
):
    reports = tuple(Cited(f"r{i}", f"a{i}", "", "", factuality) for i in range(n_sources))
    return FusedEvent(
        id="F1", type=event_type, mode="", quad_class=quad, score=score, date=dt.date(2023, 9, 24),
        date_precision="day", date_basis="text", source_keys=tuple(source), target_keys=tuple(target),
        place_name="", place_country=place, factuality=factuality, reports=reports,
        numbers={k: Spread(v, v, {"r0": v}) for k, v in numbers.items()}, dates=None, places={},
    )  # fmt: skip


def test_conflict_raises_cooperation_lowers_numbers_and_sources_weigh_in():
    attack, talks = _fused("ASSAULT", 4, -9.0), _fused("CONSULT", 1, 1.0)
    assert contribution(attack) == 9.0 and contribution(talks) == -0.5
    assert (
        contribution(_fused("ASSAULT", 4, -9.0, killed=10))
        > contribution(_fused("ASSAULT", 4, -9.0, killed=1))
        > 9.0
    )
    assert contribution(_fused("ASSAULT", 4, -9.0, n_sources=4)) == 18.0
    assert contribution(_fused("ASSAULT", 4, -9.0, factuality="claimed")) < 9.0


@pytest.mark.parametrize(
    ("key", "source", "target", "matches"),
    [
        (Key.parse(["SRB", "XKX"]), ("XKX",), ("SRB",), True),
        (Key.parse(["SRB", "XKX"], directed=True), ("XKX",), ("SRB",), False),
        (Key.parse(["SRB", "XKX"], directed=True), ("SRB",), ("XKX",), True),
        (Key.parse(["SRB", "XKX"]), ("SRB",), ("USA",), False),
        (Key.parse(["XKX"]), ("SRB",), ("XKX",), True),
    ],
)
def test_dyad_and_country_keys(key, source, target, matches):
    assert key.matches(_fused("ASSAULT", 4, -9.0, source=source, target=target)) is matches


def test_a_dyad_includes_one_side_acting_in_the_others_country_on_no_other_country():
    crowd = _fused("ASSAULT", 4, -9.0, source=("SRB",), target=("NATO",), place="XKX")
    assert Key.parse(["SRB", "XKX"]).matches(crowd)
    assert not Key.parse(["SRB", "XKX"]).matches(dataclasses.replace(crowd, target_keys=("USA",)))


def test_no_reports_reads_insufficient_coverage_not_zero(tmp_path):
    a, b = article("one", "2023-09-01"), article("two", "2023-09-02")
    with Store(tmp_path / "t.duckdb") as store:
        store.add(a, [event(a, "ASSAULT", "SRB", "XKX", "2023-09-01")])
        store.add(b, [event(b, "CONSULT", "USA", "DEU", "2023-09-02")])
        fuse(store.con)
        tables = FuseTables(store.con)
        series = readings(tables.events(), tables.volume(None, None), Key.parse(["SRB", "XKX"]))
    assert [(r.period.day, r.status) for r in series] == [(1, "ok"), (2, "insufficient coverage")]
    assert series[1].index is None and series[0].index > 0


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, pipeline):
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(DEMO, root / "corpus")
    db = root / "demo.duckdb"
    with Store(db) as store:
        pipeline.run([root / "corpus"], store)
    return db


def _escalations(db, key):
    with Store(db, read_only=True) as store:
        tables = FuseTables(store.con)
        return assess(readings(tables.events(), tables.volume(None, None), key))


def _near(day: dt.date, around: dt.date, days: int = 5) -> bool:
    return abs((day - around).days) <= days


@pytest.mark.slow
def test_demo_srb_xkx_rises_around_both_crises_and_default_rules_alert(demo_db):
    assessed = _escalations(demo_db, Key.parse(["SRB", "XKX"]))
    rises = [a.reading.period for a in assessed if a.escalating]
    for crisis in (dt.date(2023, 5, 29), dt.date(2023, 9, 24)):
        assert any(_near(d, crisis) for d in rises), f"no rise near {crisis}: {rises}"
    may = max(
        (a for a in assessed if _near(a.reading.period, dt.date(2023, 5, 29))),
        key=lambda a: a.reading.index or 0,
    )
    assert {e.type for _, e in may.reading.top} & {"ASSAULT", "PROTEST"}
    with Store(demo_db) as store:
        engine = AlertEngine(store.con, load_rules("default"), {}, None)
        ids = [r[0] for r in store.con.execute("SELECT id FROM fused_events ORDER BY date, id").fetchall()]
        engine.observe(ids)
        alerts = engine.stored()
        store.con.execute("DELETE FROM alerts")  # leave the module's store as it was
    for crisis in (dt.date(2023, 5, 29), dt.date(2023, 9, 24)):
        near = [a for a in alerts if _near(dt.date.fromisoformat(a["period"]), crisis)]
        assert near, f"no alert near {crisis}"
        assert all(e["evidence"] for a in near for e in a["events"])


@pytest.mark.slow
def test_tension_command_prints_readings_and_writes_a_plot(demo_db, tmp_path):
    png = tmp_path / "t.png"
    result = CliRunner().invoke(app, ["tension", "SRB", "XKX", "--since", "2023-01-01", "--by", "week", "--plot", str(png), "--db", str(demo_db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2023-05-29" in result.output and "insufficient" in result.output and "ASSAULT" in result.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    with Store(demo_db, read_only=True) as store:
        day = dt.date(2023, 5, 29)
        fid = FuseTables(store.con).events(day, day)[0].id
    shown = CliRunner().invoke(app, ["show", fid, "--db", str(demo_db)])
    assert shown.exit_code == 0 and "report" in shown.output and "merge log" in shown.output


@pytest.mark.slow
def test_seed_article_alone_rises_once_dated_and_its_key_takeaways_add_no_events(tmp_path, pipeline):
    path = shared("corpus", "000_c1c670cd4088478c.txt")
    text = path.read_text("utf-8")
    cut = SUMMARY_HEADING.search(text)
    assert cut is not None
    body = tmp_path / "body" / "seed.txt"
    body.parent.mkdir()
    body.write_text(text[: cut.start()], "utf-8")
    counts = {}
    for name, source in (("whole", path), ("body", body)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            pipeline.run([source], store)
            starts = [r[0] for r in store.con.execute("SELECT sentence_start FROM events").fetchall()]
            counts[name] = (
                store.con.execute(
                    "SELECT count(*) FROM events WHERE factuality IN ('asserted', 'claimed')"
                ).fetchone()[0],
                store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0],
            )
            if name == "whole":
                assert max(starts) < cut.start()
                reports, fused = counts["whole"]
                assert fused < reports  # headline, lede and body mentions of one event fuse
                tables = FuseTables(store.con)
                # undated: its events have no date of their own, so they stay out of the index
                # (never a reading, nor an alert, on the day it was ingested)
                assert readings(tables.events(), tables.volume(None, None), Key.parse(["SRB", "XKX"])) == []
                assert store.con.execute(
                    "SELECT count(*) FROM fused_events WHERE date_basis <> 'ingested'"
                ).fetchone() == (0,)
    assert counts["whole"] == counts["body"]
    # dated by the user (`powderkeg run --published`), the same article rises on that day
    with Store(tmp_path / "dated.duckdb") as store:
        pipeline.run([path], store, published=dt.date(2025, 3, 10))
        tables = FuseTables(store.con)
        [reading] = assess(readings(tables.events(), tables.volume(None, None), Key.parse(["SRB", "XKX"])))
        assert reading.reading.index > 0 and reading.trend == "rising"
        assert dt.date(2025, 3, 3) <= reading.reading.period <= dt.date(2025, 3, 10)


@pytest.mark.slow
def test_running_the_demo_again_changes_no_fused_event(demo_db, pipeline):
    def snapshot():
        with Store(demo_db, read_only=True) as store:
            return (
                store.con.execute("SELECT id, n_reports, record FROM fused_events ORDER BY id").fetchall(),
                store.con.execute("SELECT report_id, fused_id FROM fused_members ORDER BY 1").fetchall(),
            )

    before = snapshot()
    with Store(demo_db) as store:
        summary = pipeline.run([demo_db.parent / "corpus"], store)
    assert summary.articles_new == 0 and summary.fused_touched == 0
    assert snapshot() == before


def test_a_month_dated_events_articles_count_in_monthly_volume_only():
    """A daily or weekly series has no reading for a month-dated event, nor news volume from it:
    no "insufficient coverage" day made by an event that has no day."""
    april, may = dt.date(2023, 4, 1), dt.date(2023, 5, 29)
    volume = {(april, "month"): {"a1"}, (may, "day"): {"a2"}, (may, "week"): {"a3"}}
    key = Key.parse(["SRB", "XKX"])
    assert [r.period for r in readings([], volume, key, "day")] == [may]
    assert [(r.period, r.volume) for r in readings([], volume, key, "week")] == [(may, 2)]
    assert [(r.period, r.volume) for r in readings([], volume, key, "month")] == [
        (april, 1),
        (may.replace(day=1), 2),
    ]
