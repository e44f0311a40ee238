"""`powderkeg run` over a generated corpus of hostile documents and files (tests/fuzz_corpus.py).

Over 2,000 documents of every class issue 15 found (and random bytes): the run exits 0, each
document is stored, quarantined or was a copy of a stored one, each file a folder walk passes
over is counted as skipped, the store answers ``events``, ``tension`` and ``alerts`` afterwards,
and a second run adds nothing.

`make fuzz` runs the same tests over a bigger corpus (``FUZZ_SCALE`` times the small classes,
a ``FUZZ_LONG``-paragraph long article, another ``FUZZ_SEED``).
"""

from __future__ import annotations

import os
import re

import duckdb
import pytest
from typer.testing import CliRunner

from powderkeg.cli import app

from .fuzz_corpus import SKIPPED, generate

pytestmark = pytest.mark.slow  # codes over a thousand documents with the spaCy model

runner = CliRunner()


def _row(output: str, label: str) -> int:
    """A figure of `powderkeg run`'s summary table."""
    found = re.search(rf"│\s*{label}\s*│\s*(\d+)", output)
    assert found, f"no {label!r} row in:\n{output}"
    return int(found[1])


def _counts(db) -> dict[str, int]:
    """Rows of the tables a run writes, and quarantine sightings (a row counts each time its
    document was seen)."""
    tables = ("articles", "events", "fused_events", "quarantine")
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        counts["sightings"] = con.execute("SELECT sum(times_seen) FROM quarantine").fetchone()[0]
    return counts


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    documents = generate(
        folder / "corpus",
        seed=int(os.environ.get("FUZZ_SEED", "15")),
        scale=int(os.environ.get("FUZZ_SCALE", "1")),
        long=int(os.environ.get("FUZZ_LONG", "120")),
    )
    db = folder / "fuzz.duckdb"
    first = runner.invoke(app, ["run", str(folder / "corpus"), "--db", str(db)])
    return documents, db, first, folder / "corpus"


def test_the_corpus_is_big_enough_to_mean_something(fuzzed):
    documents, *_ = fuzzed
    assert documents >= 2000


def test_run_exits_0_and_accounts_for_every_document(fuzzed):
    documents, db, first, _ = fuzzed
    assert first.exit_code == 0, first.output[-3000:]
    read, new, known = (_row(first.output, n) for n in ("articles read", "new", "already stored"))
    quarantined = _row(first.output, "quarantined")
    skipped = _row(first.output, "skipped files")
    assert read + quarantined == documents
    assert new + known == read
    assert skipped == SKIPPED
    stored = _counts(db)
    assert stored["articles"] == new and stored["sightings"] == quarantined
    assert stored["events"] > 0 and new > 500 and quarantined > 500  # both sides of the corpus took part


@pytest.mark.parametrize(
    "command",
    [["events", "--limit", "50"], ["tension", "SRB", "XKX", "--since", "2023-01-01"], ["alerts"]],
    ids=["events", "tension", "alerts"],
)
def test_the_store_answers_afterwards(fuzzed, command):
    _, db, *_ = fuzzed
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 0, result.output[-3000:]


def test_a_rerun_adds_nothing(fuzzed):
    documents, db, first, corpus = fuzzed
    before = _counts(db)
    again = runner.invoke(app, ["run", str(corpus), "--db", str(db)])
    assert again.exit_code == 0, again.output[-3000:]
    assert _row(again.output, "new") == 0 and _row(again.output, "events added") == 0
    quarantined = _row(again.output, "quarantined")
    assert quarantined == _row(first.output, "quarantined")
    after = _counts(db)
    assert after["sightings"] == before["sightings"] + quarantined  # seen again, not stored again
    assert {**after, "sightings": 0} == {**before, "sightings": 0}
