"""Briefs on the demo corpus and on the seed article: acceptance, the checker everywhere, the CLI,
and adversarial edits of a generated brief."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from powderkeg import Store
from powderkeg.brief import build_brief, check
from powderkeg.brief.model import Brief, Sentence
from powderkeg.brief.render import render
from powderkeg.cli import app
from powderkeg.errors import BriefError, UngroundedBrief

from .conftest import DEMO, shared

pytestmark = pytest.mark.slow
WEEK_OF = dt.timedelta(days=6)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, pipeline):
    root = tmp_path_factory.mktemp("brief-demo")
    shutil.copytree(DEMO, root / "corpus")
    db = root / "demo.duckdb"
    with Store(db) as store:
        pipeline.run([root / "corpus"], store)
    return db


def _brief(db, key, since, until=None) -> Brief:
    with Store(db, read_only=True) as store:
        return build_brief(store, key, since, until or since + WEEK_OF)


def _sentences(brief: Brief) -> list[str]:
    return [s.text for s in brief.sentences]


def test_the_week_of_the_zvecan_clashes_names_the_injured_kfor_soldiers(demo_db):
    brief = _brief(demo_db, "SRB-XKX", dt.date(2023, 5, 29))  # build_brief checks: it raises if it fails
    hits = [
        s for s in _sentences(brief)
        if re.search(r"clash", s) and re.search(r"Zve[cč]an", s) and "injured" in s and re.search(r"KFOR|soldiers", s)
    ]  # fmt: skip
    assert hits, _sentences(brief)
    assert check(brief).ok


def test_the_week_of_banjska_names_the_attack_the_dead_and_serbias_build_up(demo_db):
    brief = _brief(demo_db, "SRB XKX", dt.date(2023, 9, 24))
    text = _sentences(brief)
    assert any("attack" in s and "Banjska" in s for s in text), text
    assert any("killed" in s for s in text), text
    assert any(s.startswith("Serbia deployed forces") and "29 September 2023" in s for s in text), text
    assert check(brief).ok


def _countries(db) -> list[str]:
    with Store(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT DISTINCT unnest(list_concat(source_keys, target_keys)) FROM fused_events"
        ).fetchall()
    return sorted(c for (c,) in rows if c and len(c) == 3 and c.isupper() and c not in {"UNO"})


def test_the_checker_passes_a_brief_for_every_country_in_the_demo_store(demo_db):
    from powderkeg.analyze.regions import is_country

    codes = [c for c in _countries(demo_db) if is_country(c)]
    assert len(codes) >= 8
    for code in codes:
        brief = _brief(demo_db, code, dt.date(2023, 1, 1), dt.date(2024, 12, 31))
        assert check(brief).ok
        assert 3 <= len(brief.sections["takeaways"]) <= 6


def test_every_citation_resolves_to_evidence_with_article_url_and_span(demo_db):
    brief = _brief(demo_db, "XKX", dt.date(2023, 5, 1), dt.date(2023, 6, 30))
    data = json.loads(brief.to_json())
    numbers = {c["n"] for c in data["citations"]}
    for section in data["sections"].values():
        for s in section:
            assert s["citations"] and set(s["citations"]) <= numbers
    with Store(demo_db, read_only=True) as store:
        for c in data["citations"]:
            assert c["evidence"]
            for e in c["evidence"]:
                assert e["url"].startswith("https://demo.powderkeg.invalid/")
                text = store.article(e["article_id"])["text"]
                assert text[e["start"] : e["end"]] == e["sentence"]
    again = Brief.from_dict(data)
    assert check(again).ok and again.numbering() == brief.numbering()


def _edited(brief: Brief, section: str, index: int, new: Sentence | None = None, **change) -> Brief:
    sentences = list(brief.sections[section])
    if new is not None:
        sentences.insert(index, new)
    else:
        sentences[index] = dataclasses.replace(sentences[index], **change)
    return dataclasses.replace(brief, sections={**brief.sections, section: tuple(sentences)})


def test_a_sentence_injected_into_a_template_output_is_caught(demo_db):
    brief = _brief(demo_db, "SRB-XKX", dt.date(2023, 5, 29))
    first = brief.sections["happened"][0]
    for injected in (
        "Russian troops crossed into Montenegro on 3 June 2023.",  # names and a date from nowhere
        "Serbian forces invaded the north and 12 people were killed.",  # claim words and a number
    ):
        bad = _edited(brief, "happened", 1, Sentence(injected, first.cites, first.derivations, "happened"))
        result = check(bad)
        assert not result.ok and result.rejected == [injected]
    uncited = _edited(brief, "why", 0, Sentence("Tension rose.", (), (), "why"))
    assert [p.kind for p in check(uncited).problems] == ["citation"]


def test_a_number_changed_after_generation_is_caught(demo_db):
    brief = _brief(demo_db, "SRB-XKX", dt.date(2023, 5, 29))
    for section in ("happened", "why"):
        for i, s in enumerate(brief.sections[section]):
            numbers = re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", s.text)
            for number in numbers:
                changed = re.sub(
                    rf"(?<![\d.]){re.escape(number)}(?![\d.])", str(int(float(number)) + 1), s.text, count=1
                )
                result = check(_edited(brief, section, i, text=changed))
                assert not result.ok, changed


def test_the_cli_writes_json_and_refuses_an_ungrounded_brief(demo_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "brief.json"
    args = ["--since", "2023-09-24", "--until", "2023-09-30", "--db", str(demo_db)]
    result = runner.invoke(app, ["brief", "SRB", "XKX", *args, "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["scope"]["label"] == "SRB-XKX" and data["citations"][0]["evidence"][0]["start"] >= 0
    assert runner.invoke(app, ["brief", "--country", "XKX", *args, "--format", "html"]).output.startswith(
        "<!doctype html>"
    )
    # corrupt the store: a coded actor text that its evidence sentence does not contain
    bad = tmp_path / "bad.duckdb"
    shutil.copy(demo_db, bad)
    with Store(bad) as store:
        rid = store.con.execute(
            "SELECT m.report_id FROM fused_members m JOIN fused_events f ON f.id = m.fused_id"
            " WHERE f.place_name = 'Banjska' LIMIT 1"
        ).fetchone()[0]
        store.con.execute(
            'UPDATE events SET record = json_merge_patch(record, \'{"source": [{"text": "Atlantis rebels", "country": "SRB"}]}\')'
            " WHERE id IN (SELECT report_id FROM fused_members WHERE fused_id = (SELECT fused_id FROM fused_members WHERE report_id = ?))",
            [rid],
        )
    out2 = tmp_path / "bad.md"
    result = runner.invoke(
        app,
        [
            "brief",
            "SRB-XKX",
            "--since",
            "2023-09-24",
            "--until",
            "2023-09-30",
            "--db",
            str(bad),
            "--out",
            str(out2),
        ],
    )
    assert result.exit_code == 1
    assert "Atlantis" in result.output and not out2.exists()


def test_scopes_that_name_nothing_are_clear_errors(demo_db):
    with Store(demo_db, read_only=True) as store:
        with pytest.raises(BriefError, match="no single article"):
            build_brief(store, article="zzzz")
        with pytest.raises(BriefError, match="no dated events"):
            build_brief(store, "SRB-XKX", dt.date(2019, 1, 1), dt.date(2019, 1, 31))
        with pytest.raises(BriefError, match="unknown region"):
            build_brief(store, "region:Atlantis")
        assert build_brief(
            store, "region:Southern Europe", dt.date(2023, 9, 24), dt.date(2023, 9, 30)
        ).sentences


def test_the_seed_article_brief_covers_the_gold_takeaways(pipeline):
    from powderkeg.eval.seed_brief import brief_of, score

    gold_path = shared("eval", "seed_brief_gold.json")
    gold = json.loads(gold_path.read_text())
    data = brief_of(gold_path.resolve().parent / gold["doc"], pipeline)
    result = score(gold, data)
    assert len(result["covered"]) >= gold["required"] - 1, (
        result
    )  # a guard with a margin; make eval reports it
    assert result["must_not_violations"] == []
    assert not re.search(r"\b20\d\d\b", " ".join(s["text"] for v in data["sections"].values() for s in v))
    assert data["notes"] and "no publication date" in data["notes"][0]


def test_rendered_markdown_marks_every_sentence(demo_db):
    brief = _brief(demo_db, "SRB-XKX", dt.date(2023, 9, 24))
    md = render(brief, "md")
    for s in brief.sentences:
        assert re.search(re.escape(s.text.rstrip(".")) + r"\.? (\[\d+\])+", md), s.text


def test_a_failing_check_raises_with_the_tokens(demo_db):
    with Store(demo_db, read_only=True) as store:
        brief = build_brief(store, "SRB-XKX", dt.date(2023, 9, 24), dt.date(2023, 9, 30))
    bad = _edited(
        brief, "why", 0, Sentence("Montenegro mobilised 9 brigades.", brief.sentences[0].cites, (), "why")
    )
    result = check(bad)
    assert {p.token for p in result.problems} >= {"Montenegro", "9"}
    with pytest.raises(UngroundedBrief) as exc:
        raise UngroundedBrief("x", problems=[str(p) for p in result.problems])
    assert "Montenegro" in str(exc.value)
