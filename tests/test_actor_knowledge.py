"""The actor knowledge base: time-bounded roles, old names, Phoenix dictionary import, the actor evaluation."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powderkeg.cli import app
from powderkeg.knowledge.known_actors import Knowledge

PHOENIX = """# a comment
GONDOR_ [GON]
+MINAS_TIRITH_
ARAGORN_
+KING_ELESSAR
\t[GONGOV >20100101]
\t[GONREB 20000101-20091231]
UN_ [IGOUNO]
"""
AGENTS = """!PERSON! = MAN, MEN
FARMER [~AGR]
CATTLE!PERSON! [~AGR]
"""


@pytest.mark.parametrize(
    ("day", "role"),
    [(dt.date(2012, 1, 1), "prime minister"), (dt.date(2019, 1, 1), "president"), (None, "president")],
)
def test_roles_are_resolved_by_the_event_date(day, role):
    kb = Knowledge()
    person = kb.person(kb.lookup("Thaci"), day)
    assert person is not None and person.country == "XKX" and person.role == role


@pytest.mark.parametrize(
    "name,code_",
    [
        ("European Community", "EU"),
        ("European Economic Community", "EU"),
        ("Organization of African Unity", "AU"),
        ("CSCE", "OSCE"),
        ("Asia-Pacific Economic Cooperation", "APEC"),
    ],
)
def test_historical_igo_names_resolve(name, code_):
    # older reports name IGOs by the names they had then
    assert code_ in {e.code for e in Knowledge().lookup(name) if e.kind == "org"}


def test_belgrade_is_serbias_government():
    [entry] = [e for e in Knowledge().lookup("Belgrade") if e.kind == "capital"]
    assert (entry.country, entry.sector) == ("SRB", "GOV")


def test_phoenix_import_gives_people_orgs_and_sectors(tmp_path):
    (tmp_path / "gondor.actors.txt").write_text(PHOENIX, encoding="utf-8")
    (tmp_path / "agents.txt").write_text(AGENTS, encoding="utf-8")
    out = tmp_path / "kb"
    result = CliRunner().invoke(
        app, ["actors", "import", str(tmp_path / "gondor.actors.txt"), str(tmp_path / "agents.txt"),
              "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    kb = Knowledge(str(out))
    aragorn = kb.lookup("King Elessar")
    assert kb.person(aragorn, dt.date(2015, 5, 1)).sector == "GOV"  # type: ignore[union-attr]
    assert kb.person(aragorn, dt.date(2005, 5, 1)).sector == "REB"  # type: ignore[union-attr]
    assert any(e.kind == "org" and e.country == "GON" for e in kb.lookup("Minas Tirith"))
    assert any(e.org == "UN" for e in kb.lookup("UN"))
    assert kb.sector_of("cattle men") == "AGR" and kb.sector_of("farmer") == "AGR"


def test_import_without_a_folder_says_how_to_fix_it(tmp_path, monkeypatch, capsys):
    """One coded line with the remedy, as the installed script prints it (not click's usage error)."""
    from powderkeg.cli import main

    monkeypatch.delenv("POWDERKEG_KNOWLEDGE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(PHOENIX, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["powderkeg", "actors", "import", str(tmp_path / "a.txt")])
    with pytest.raises(SystemExit) as done:
        main()
    [line] = capsys.readouterr().err.strip().splitlines()
    assert done.value.code == 2 and line.startswith("powderkeg: [E001] no knowledge folder")
    assert "pass --out DIR" in line and "knowledge_dir" in line
    assert list(tmp_path.iterdir()) == [tmp_path / "a.txt"]  # nothing written


@pytest.mark.slow
def test_actor_evaluation_scores_a_small_set(pipeline, tmp_path):
    from powderkeg.eval.actors import evaluate

    cases = [
        {"test": "a", "method": "agent_to_code", "args": ["Serb protesters", "", "2023-05-29"],
         "expect": {"country": "SRB", "code_1": "PRO"}},
        {"test": "b", "method": "agent_to_code", "args": ["Hashim Thaci", "", "2011-12-01"],
         "expect": {"country": "XKX", "code_1": "GOV"}},
        {"test": "c", "method": "agent_to_code", "args": ["Ruritanian rebels"],
         "expect": {"country": "RUR", "code_1": "REB"}},
        {"test": "d", "method": "query_wiki", "args": ["NATO"], "expect": {"title": "NATO"}},
    ]  # fmt: skip
    path = Path(tmp_path / "cases.json")
    path.write_text(json.dumps(cases), encoding="utf-8")
    report = evaluate(path, pipeline, errors=5)
    assert report.metrics["country_accuracy"].n == 3
    assert report.metrics["country_accuracy"].value == pytest.approx(2 / 3)
    assert [e["test"] for e in report.errors] == ["c"]


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("[GONGOV 331108-730717]", "1933-11-08", "1973-07-17"),  # both 19xx
        ("[GONELI 730717-070723]", "1973-07-17", "2007-07-23"),  # 19xx to 20xx
        ("[GONGOV 050101-121231]", "2005-01-01", "2012-12-31"),
        ("[GONGOV 19261225-890107]", "1926-12-25", "1989-01-07"),  # eight digits, then six
        ("[GONGOV >290101]", "2029-01-01", ""),
        ("[GONGOV <300101]", "", "1930-01-01"),
    ],
)
def test_phoenix_two_digit_years(code, start, end):
    from powderkeg.knowledge.phoenix import actor_rows, parse_actors

    people, _ = actor_rows(parse_actors(f"SOME_ONE_\n\t{code}\n"))
    assert people[0].split("\t")[6:] == [start, end]


def test_phoenix_roles_end_after_they_start():
    from powderkeg.knowledge.phoenix import actor_rows, parse_actors

    from .conftest import shared

    text = shared("eval", "petrarch2", "Phoenix.Countries.actors.txt").read_text("utf-8", errors="replace")
    people, _ = actor_rows(parse_actors(text))
    inverted = [p for p in people if (c := p.split("\t"))[6] and c[7] and c[6] > c[7]]
    # one is written so in the file itself (Kamal Ganzouri [EGYGOV 20121207-20120802]); 2,055 were before
    assert len(people) == 26110 and [p.split("\t")[0] for p in inverted] == ["Kamal Ganzouri"]
    zahir = [p.split("\t")[6:] for p in people if p.startswith("Mohammad Zahir Shah\t")]
    assert zahir[:2] == [["1932-01-01", "1933-11-08"], ["1933-11-08", "1973-07-17"]]
