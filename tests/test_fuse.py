"""Event identity on a real DuckDB file: merging, disagreements kept, idempotence, unmerge."""

from __future__ import annotations

import pytest

from powderkeg import Store
from powderkeg.errors import FuseError
from powderkeg.fuse import REACH, fuse, unmerge
from powderkeg.store.fused import FuseTables

from .fusion_helpers import article, event


def _store(tmp_path, items):
    store = Store(tmp_path / "f.duckdb")
    for art, events in items:
        store.add(art, events)
    return store


def _groups(store):
    rows = store.con.execute(
        "SELECT fused_id, list(report_id ORDER BY report_id) FROM fused_members GROUP BY 1"
    ).fetchall()
    return sorted(sorted(ids) for _, ids in rows)


@pytest.fixture
def clash(tmp_path):
    """One clash told by three outlets with different numbers and dates, plus look-alikes."""
    a, b, c = article("wire"), article("paper", "2023-05-31"), article("blog", "2023-06-02")
    ea = event(a, "ASSAULT", "SRB", "NATO", "2023-05-29", place=("Zvecan", "XKX"), injured=30)
    eb = event(b, "ASSAULT", "SRB", "NATO", "2023-05-30", precision="week", injured=41)
    ec = event(c, "ASSAULT", "", "NATO", "2023-05-29", place=("Zvecan", "XKX"), injured=52)
    reversed_ = event(b, "ASSAULT", "NATO", "SRB", "2023-05-29", start=50)  # KFOR hitting back: another event
    later = event(c, "ASSAULT", "SRB", "NATO", "2023-06-20", start=80)  # three weeks on
    other_type = event(a, "ACCUSE", "SRB", "NATO", "2023-05-29", start=90)
    store = _store(tmp_path, [(a, [ea, other_type]), (b, [eb, reversed_]), (c, [ec, later])])
    yield store, (ea, eb, ec), (reversed_, later, other_type)
    store.close()


def test_reports_of_one_event_merge_and_keep_their_disagreements(clash):
    store, same, others = clash
    touched = fuse(store.con)
    groups = _groups(store)
    assert sorted(e.id for e in same) in groups
    assert all([o.id] in groups for o in others)
    assert len(touched) == 4
    tables = FuseTables(store.con)
    fid = tables.fused_of_report(same[0].id)
    record = tables.record(fid)
    assert record["n_reports"] == record["n_sources"] == 3
    injured = record["numbers"]["injured"]
    assert (injured["min"], injured["max"]) == (30, 52)
    assert sorted(injured["by_report"].values()) == [30, 41, 52]
    assert record["date"] == "2023-05-29" and record["dates"]["max"] == "2023-05-30"
    assert record["place"] == {"name": "Zvecan", "country": "XKX"}
    assert {r["sentence"] for r in record["reports"]} == {e.sentence for e in same}


def test_fusing_again_changes_nothing(clash):
    store, _, _ = clash
    fuse(store.con)
    before = store.con.execute("SELECT * FROM fused_events ORDER BY id").fetchall()
    members = store.con.execute("SELECT * FROM fused_members ORDER BY report_id").fetchall()
    assert fuse(store.con) == []
    assert store.con.execute("SELECT * FROM fused_events ORDER BY id").fetchall() == before
    assert store.con.execute("SELECT * FROM fused_members ORDER BY report_id").fetchall() == members
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 6  # raw reports untouched


def test_a_later_report_joins_the_existing_event_and_keeps_its_id(tmp_path):
    a, b = article("first"), article("second", "2023-05-31")
    first = event(a, "COERCE", "XKX", "SRB", "2023-05-30", mode="arrest", arrested=3)
    with _store(tmp_path, [(a, [first])]) as store:
        [fid] = fuse(store.con)
        store.add(b, [event(b, "COERCE", "XKX", "SRB", "2023-05-30", mode="arrest", arrested=4)])
        assert fuse(store.con, [b.id]) == [fid]
        assert FuseTables(store.con).record(fid)["numbers"]["arrested"]["max"] == 4


@pytest.mark.parametrize(
    ("precision", "gap_days", "merged"),
    [("day", 1, True), ("day", 3, False), ("week", 6, True), ("week", 9, False), ("month", 25, True)],
)
def test_the_date_window_grows_with_date_precision(tmp_path, precision, gap_days, merged):
    import datetime as dt

    a, b = article("a"), article("b")
    day = dt.date(2023, 9, 24)
    later = (day + dt.timedelta(days=gap_days)).isoformat()
    ea = event(a, "ASSAULT", "SRB", "XKX", day.isoformat(), precision=precision)
    eb = event(b, "ASSAULT", "SRB", "XKX", later, precision=precision)
    with _store(tmp_path, [(a, [ea]), (b, [eb])]) as store:
        fuse(store.con)
        assert (len(_groups(store)) == 1) is merged


def test_unmerge_splits_logs_and_keeps_the_report_out(clash):
    store, same, _ = clash
    fuse(store.con)
    tables = FuseTables(store.con)
    fid = tables.fused_of_report(same[0].id)
    [new] = unmerge(store.con, fid, [same[2].id[:8]])
    assert tables.fused_of_report(same[2].id) == new
    assert tables.record(fid)["n_reports"] == 2
    assert tables.record(new)["n_reports"] == 1
    actions = [row[2] for row in tables.log(fid)]
    assert actions.count("merge") == 2 and [row[2] for row in tables.log(new)] == ["unmerge"]
    # a fresh fusion pass (e.g. after new articles) does not put it back
    store.con.execute("DELETE FROM fused_members WHERE report_id = ?", [same[2].id])
    fuse(store.con)
    assert tables.fused_of_report(same[2].id) != fid
    with pytest.raises(FuseError):
        unmerge(store.con, "Fnothing")


def test_undated_reports_fuse_only_within_their_article(tmp_path):
    a, b = article("undated-1", None), article("undated-2", None)
    a1 = event(a, "MOBILIZE", "NATO", "", None, sentence="NATO bolsters forces", start=0)
    a2 = event(a, "MOBILIZE", "NATO", "XKX", None, sentence="NATO sends more troops", start=40)
    b1 = event(b, "MOBILIZE", "NATO", "", None, sentence="NATO reinforces KFOR", start=0)
    with _store(tmp_path, [(a, [a1, a2]), (b, [b1])]) as store:
        fuse(store.con)
        assert _groups(store) == sorted([sorted([a1.id, a2.id]), [b1.id]])
        record = FuseTables(store.con).record(FuseTables(store.con).fused_of_report(a1.id))
        assert record["date_basis"] == "ingested" and record["date"] is not None


def test_unmerge_and_show_commands(clash, tmp_path):
    from typer.testing import CliRunner

    from powderkeg.cli import app

    store, same, _ = clash
    fuse(store.con)
    fid = FuseTables(store.con).fused_of_report(same[0].id)
    db = store.path
    store.close()
    shown = CliRunner().invoke(app, ["show", fid[:8], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert all(e.sentence in shown.output for e in same) and "injured: 30-52" in shown.output
    result = CliRunner().invoke(app, ["unmerge", fid, "--db", db])
    assert result.exit_code == 0 and result.output.count("split off") == 2
    with Store(db, read_only=True) as again:
        assert FuseTables(again.con).record(fid)["n_reports"] == 1


HEADLINE_LEDE_BODY = """---
published: 2023-09-25
---

Serbian gunmen attack Kosovo police in Banjska

Serbian gunmen attacked Kosovo police near Banjska on Sunday and killed one officer.

Kosovo police said the gunmen from Serbia attacked a patrol near the village of Banjska on Sunday. One police officer was killed in the attack.
"""


@pytest.mark.slow
def test_headline_lede_and_body_of_one_article_are_one_event(tmp_path, pipeline):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "banjska.txt").write_text(HEADLINE_LEDE_BODY, "utf-8")
    with Store(tmp_path / "one.duckdb") as store:
        pipeline.run([tmp_path / "a"], store)
        reports = store.con.execute("SELECT count(*) FROM events WHERE type = 'ASSAULT'").fetchone()[0]
        [(n_reports, killed)] = store.con.execute(
            "SELECT n_reports, killed_max FROM fused_events WHERE type = 'ASSAULT'"
        ).fetchall()
    assert reports >= 3 and n_reports == reports and killed == 1


def test_tension_fuses_reports_stored_without_fusion(tmp_path):
    from typer.testing import CliRunner

    from powderkeg.cli import app

    a = article("old", "2023-09-24")
    with _store(tmp_path, [(a, [event(a, "ASSAULT", "SRB", "XKX", "2023-09-24", killed=1)])]) as store:
        db = store.path
        assert store.con.execute("SELECT count(*) FROM fused_events").fetchone()[0] == 0
    result = CliRunner().invoke(app, ["tension", "SRB", "XKX", "--db", db])
    assert result.exit_code == 0, result.output
    assert "2023-09-24" in result.output and "ASSAULT" in result.output


@pytest.mark.parametrize(
    ("places", "context"),
    [
        ([("Zvecan", "XKX", 90), ("Belgrade", "SRB", 10)], "SRB"),  # a tie: the one placed first
        ([("Belgrade", "SRB", 10), ("Zvecan", "XKX", 90)], "SRB"),
        ([("Belgrade", "SRB", 10), ("Zvecan", "XKX", 90), ("Mitrovica", "XKX", 150)], "XKX"),  # most
    ],
)
def test_an_articles_context_country_is_where_most_of_its_events_are_ties_to_the_first(
    tmp_path, places, context
):
    a = article("context")
    events = [
        event(a, "ASSAULT", "", "", "2023-05-29", place=(name, country), start=start)
        for name, country, start in places
    ]
    with _store(tmp_path, [(a, events)]) as store:
        assert {r.context_country for r in FuseTables(store.con).pending()} == {context}


def test_reports_read_by_article_by_id_or_as_all_pending_are_the_same(tmp_path):
    """The three reads of reports (a batch's articles, the cache's ids, everything pending) find
    each article's context country among its own events alone, whichever articles are read
    together; an article named that has no events (or no row) changes nothing."""
    from powderkeg.store.fused import ReportCache

    a, b = article("context-a"), article("context-b")
    items = [
        (a, [event(a, "ASSAULT", "", "", "2023-05-29", place=p, start=s)
             for p, s in ((("Belgrade", "SRB"), 10), (("Zvecan", "XKX"), 90), (("Mitrovica", "XKX"), 150))]),
        (b, [event(b, "ASSAULT", "", "", "2023-05-29", place=("Belgrade", "SRB"), start=5),
             event(b, "COERCE", "", "", None, start=60)]),
    ]  # fmt: skip
    with _store(tmp_path, items) as store:
        everything = sorted(FuseTables(store.con).pending(), key=lambda r: r.id)
        by_article = sorted(
            FuseTables(store.con).pending([a.id, b.id, "no-such-article"]), key=lambda r: r.id
        )
        one = FuseTables(store.con).pending([b.id])
        by_id = ReportCache().get(store.con, {r.id: r.article_id for r in everything})
    assert everything == by_article == sorted(by_id.values(), key=lambda r: r.id)
    assert one == [r for r in by_article if r.article_id == b.id] and len(one) == 2
    assert {r.article_id: r.context_country for r in everything} == {a.id: "XKX", b.id: "SRB"}


def test_a_run_long_report_cache_fuses_batches_as_reading_them_afresh(tmp_path):
    """Fusing batch after batch with one ReportCache gives what fresh reads give."""
    from powderkeg.store.fused import ReportCache

    batches = []
    for n in range(4):  # each batch restates the clash; the second also brings a look-alike
        art = article(f"outlet-{n}", f"2023-05-{29 + n % 2}")
        reports = [event(art, "ASSAULT", "SRB", "NATO", "2023-05-29", injured=30 + n)]
        if n == 1:
            reports.append(event(art, "ASSAULT", "NATO", "SRB", "2023-05-29", start=40))
        batches.append((art, reports))
    tables = []
    for name, cache in (("fresh", None), ("cached", ReportCache())):
        with Store(tmp_path / f"{name}.duckdb") as store:
            for art, reports in batches:
                store.add(art, reports)
                fuse(store.con, [art.id], cache)
            tables.append(
                (
                    store.con.execute(
                        "SELECT * EXCLUDE (updated_at) FROM fused_events ORDER BY id"
                    ).fetchall(),
                    store.con.execute(
                        "SELECT report_id, fused_id, how, score, reason FROM fused_members ORDER BY 1"
                    ).fetchall(),
                )
            )
    assert tables[0] == tables[1]
    assert len(tables[0][0]) == 2 and len(cache) == 5


def test_a_stored_fused_event_reads_back_as_the_record_it_was(tmp_path):
    a, b = article("one", "2023-05-30"), article("two", "2023-05-30")
    with Store(tmp_path / "f.duckdb") as store:
        store.add(a, [event(a, "ASSAULT", "SRB", "NATO", "2023-05-29", place=("Zvecan", "XKX"), injured=30)])
        store.add(b, [event(b, "ASSAULT", "SRB", "NATO", "2023-05-30", place=("Zvecan", "XKX"), injured=41)])
        [fid] = fuse(store.con)
        tables = FuseTables(store.con)
        [fused] = tables.events_of([fid])
        assert fused.to_dict() == tables.record(fid)
    assert fused.n_sources == 2 and fused.numbers["injured"].max == 41
    assert fused.dates is not None and fused.dates.min < fused.dates.max


def test_a_chain_of_merges_in_one_pass_fuses_into_one_event(tmp_path):
    """A merged into B, then B into C in the same consolidation: every report ends in C (this raised
    KeyError and left a store on which every later run failed). The incident, with its article
    names, is one a search over random small incidents found to merge in such a chain."""
    told = [  # (source, target, place, date, precision)
        ("", "", ("Zvecan", "XKX"), "2023-05-22", "week"),
        ("NATO", "XKX", None, "2023-05-24", "week"),
        ("", "SRB", None, "2023-05-22", "week"),
        ("NATO", "", None, "2023-05-21", "week"),
        ("NATO", "", ("Zvecan", "XKX"), "2023-05-23", "week"),
        ("", "XKX", None, "2023-05-23", "day"),
        ("", "NATO", None, "2023-05-20", "day"),
    ]
    items = []
    for i, (src, tgt, place, day, precision) in enumerate(told):
        art = article(f"a226-{i}")
        items.append((art, [event(art, "ASSAULT", src, tgt, day, place=place, start=i, precision=precision)]))
    with _store(tmp_path, items) as store:
        fuse(store.con)
        merges = [
            (row[3], row[6].split(" merged in")[0])
            for row in FuseTables(store.con).log()
            if row[2] == "merge"
        ]
        kept, gone = {keep for keep, why in merges}, {g for _, g in merges if g.startswith("F")}
        assert kept & gone, "the incident no longer merges in a chain: find another"
        members = dict(store.con.execute("SELECT report_id, fused_id FROM fused_members").fetchall())
        fused = {r[0] for r in store.con.execute("SELECT id FROM fused_events").fetchall()}
        assert len(members) == len(told) and set(members.values()) <= fused
        assert not gone & fused  # no report is left in an event merged away
        assert fuse(store.con) == []


def test_fusion_reads_no_fused_event_that_holds_another_articles_undated_report(tmp_path):
    """An undated report fuses only within its article, so a fused event holding one (from an
    article not being fused) can take nothing new: it is not read, and its dated reports do not
    lose their veto by its undated one being left out."""
    import datetime as dt

    from powderkeg.store.fused import ReportCache

    today = dt.date.today()  # an undated report is placed on the day its article was ingested
    undated, dated, mixed = article("undated", None), article("dated"), article("mixed", None)
    u1 = event(undated, "MOBILIZE", "NATO", "", None, start=0)
    u2 = event(undated, "MOBILIZE", "NATO", "", None, start=40)
    d1 = event(dated, "PROTEST", "SRB", "", today.isoformat())
    # one event told twice in one article: once with a date, once without
    m1 = event(mixed, "ASSAULT", "SRB", "NATO", today.isoformat(), start=0)
    m2 = event(mixed, "ASSAULT", "SRB", "NATO", None, start=50)
    cache = ReportCache()
    with _store(tmp_path, [(undated, [u1, u2]), (dated, [d1]), (mixed, [m1, m2])]) as store:
        fuse(store.con, None, cache)
        assert len(cache) == 2  # the dated reports; an undated one is read again only with its article
        assert _groups(store) == sorted([sorted([u1.id, u2.id]), [d1.id], sorted([m1.id, m2.id])])
        later = article("later", today.isoformat())
        same_day = event(later, "ASSAULT", "SRB", "NATO", today.isoformat())
        store.add(later, [same_day])
        week = (today - dt.timedelta(days=7), today + dt.timedelta(days=7))
        tables = FuseTables(store.con)
        new = tables.pending([later.id])
        # the protest is of another type, the clash holds m2 (undated, of another article)
        assert tables.members_in_reach(new, REACH, *week) == []
        [own] = tables.reports_of([tables.fused_of_report(u1.id)]).values()
        with_its_own = tables.members_in_reach(new + own, REACH, *week)
        assert {r.id for r, _ in with_its_own} == {u1.id, u2.id}
        fuse(store.con, [later.id], cache)
        assert [same_day.id] in _groups(store)  # m2 vetoes joining m1, as when their event was read


def test_public_statements_are_stored_but_never_fused(tmp_path):
    """A STATEMENT (CAMEO 01) is kept as a record, but the tension index, its volume and the
    alerts read fused events only: a statement never enters them."""
    a = article("wire")
    said = event(a, "STATEMENT", "SRB", "XKX", "2023-05-29", mode="pessimistic", start=10)
    clash = event(a, "ASSAULT", "SRB", "XKX", "2023-05-29", start=60)
    store = _store(tmp_path, [(a, [said, clash])])
    try:
        fuse(store.con)
        assert _groups(store) == [[clash.id]]
        stored = store.con.execute("SELECT id FROM events WHERE type = 'STATEMENT'").fetchall()
        assert stored == [(said.id,)]
    finally:
        store.close()


def test_the_records_spelt_out_dicts_hold_every_field_as_asdict_would():
    """``Numbers.to_dict`` and ``Cited.to_dict`` name their fields by hand (asdict deep-copies, and
    they run for every event and report stored): a field added later must be added there too."""
    import dataclasses

    from powderkeg.records import Cited, Numbers

    numbers = Numbers(killed=3, injured=None, arrested=2, size=400)
    cited = Cited("r1", "a1", "wire", "Police detained two men.", "asserted")
    for record in (numbers, cited, Numbers()):
        assert record.to_dict() == dataclasses.asdict(record)
        assert list(record.to_dict()) == [f.name for f in dataclasses.fields(record)]
    assert bool(numbers) and not Numbers() and bool(Numbers(size=0))
    # ``__bool__`` names the fields by hand too: any one of them set makes the figures true
    for field in dataclasses.fields(Numbers):
        assert Numbers(**{field.name: 0})


def test_a_matchs_reason_is_written_from_what_it_found(tmp_path):
    from powderkeg.fuse.match import identity
    from powderkeg.store.fused import FuseTables

    a, b = article("wire"), article("paper")
    ea = event(a, "ASSAULT", "SRB", "NATO", "2023-05-29", place=("Zvecan", "XKX"), injured=30)
    eb = event(b, "ASSAULT", "SRB", "NATO", "2023-05-30", place=("Zvecan", "XKX"), injured=30)
    store = _store(tmp_path, [(a, [ea]), (b, [eb])])
    with store.unit() as con:
        x, y = FuseTables(con).pending()
    found = identity(x, y)
    assert found is not None and found.evidence
    assert found.reason == (
        "ASSAULT, 2 shared actor(s), 1 day(s) apart (window 1), same place Zvecan, figures agree (1)"
    )
