"""Coding on several processes gives what one process gives: events, ids, order, fused events."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

from powderkeg import Pipeline, Settings, Store
from powderkeg.errors import ConfigError
from powderkeg.extract.parallel import CodingPool
from powderkeg.ingest import read_paths
from powderkeg.records import Article

from .conftest import DEMO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two() -> Pipeline:
    """Two worker processes from the first call on; small batches, so every worker gets several."""
    with Pipeline(Settings(n_process=2, parallel_min=1, batch_size=4)) as p:
        yield p


@pytest.fixture(scope="module")
def one(pipeline) -> Pipeline:
    return Pipeline(Settings(n_process=1, batch_size=4), nlp=pipeline.nlp)


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [a for a in read_paths([DEMO], Settings()) if isinstance(a, Article)]


def _events(pipeline: Pipeline, articles: list[Article]) -> list[tuple[str, list[dict]]]:
    out = []
    for article, result in pipeline.code(articles):
        assert isinstance(result, list), result
        out.append((article.id, [e.to_dict() for e in result]))
    return out


def _dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": con.execute("SELECT id, text FROM articles ORDER BY id").fetchall(),
            "events": con.execute("SELECT id, article_id, record FROM events ORDER BY id").fetchall(),
            "evidence": con.execute("SELECT * FROM evidence ORDER BY ALL").fetchall(),
            "fused": con.execute(
                "SELECT f.id, f.type, f.mode, f.date, list((m.report_id, m.how, m.score) ORDER BY m.report_id) "
                "FROM fused_events f JOIN fused_members m ON m.fused_id = f.id GROUP BY ALL ORDER BY f.id"
            ).fetchall(),
        }
    finally:
        con.close()


def test_two_processes_code_what_one_does(two, one, articles):
    assert two.workers == 2 and one.workers == 1
    expected = _events(one, articles)
    assert sum(len(e) for _, e in expected) > 50  # the demo corpus says a lot
    assert _events(two, articles) == expected  # same events, same ids, same order
    assert two._pool is not None  # ... and it was the workers that coded them


def test_a_run_on_two_processes_stores_and_fuses_what_one_does(two, one, tmp_path):
    stores = {}
    for name, pipeline in (("one", one), ("two", two)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            summary = pipeline.run([DEMO], store)
        assert summary.articles_new == 24 and summary.quarantined == 0
        stores[name] = _dump(tmp_path / f"{name}.duckdb")
    assert stores["two"]["fused"], "the demo corpus fuses reports"
    for table in stores["one"]:
        assert stores["two"][table] == stores["one"][table], table


def test_a_killed_worker_loses_nothing(one, articles, caplog):
    """A worker that dies mid-run (here: killed from outside) is replaced; the chunks it and the
    others held are coded again, so every article still gets its own events."""
    expected = _events(one, articles)
    got = []
    with CodingPool(Settings(batch_size=4), workers=2) as pool:
        for n, (article, result) in enumerate(pool.code(articles)):
            if n == 0:
                os.kill(pool.pids()[0], signal.SIGKILL)
            assert isinstance(result, list), result
            got.append((article.id, [e.to_dict() for e in result]))
    assert got == expected
    assert "a coding worker died" in caplog.text  # the recovery did run


def test_a_worker_dead_before_the_next_chunk_is_sent_loses_nothing(one, articles, caplog):
    """A worker that dies while the parent still has chunks to send: the pool refuses them
    (BrokenProcessPool at submit), and they are coded with the chunks in flight, not lost,
    and the run does not stop."""
    expected = _events(one, articles)
    got = []
    with CodingPool(Settings(batch_size=4), workers=2) as pool:
        assert len(articles) > 2 * 2 * pool.chunk  # chunks are still to be sent after the first
        for n, (article, result) in enumerate(pool.code(articles)):
            if n == 0:
                os.kill(pool.pids()[0], signal.SIGKILL)
                deadline = time.monotonic() + 30
                while not pool._executor._broken and time.monotonic() < deadline:  # the pool saw it
                    time.sleep(0.01)
                assert pool._executor._broken
            assert isinstance(result, list), result
            got.append((article.id, [e.to_dict() for e in result]))
    assert got == expected
    assert "a coding worker died" in caplog.text


def test_workers_that_cannot_load_the_model_say_so():
    with pytest.raises(ConfigError) as err:
        CodingPool(Settings(model="no_such_model_xyz"), workers=1)
    assert "no_such_model_xyz" in str(err.value) and "n_process" in str(err.value)


def test_the_pool_calls_idle_only_once_it_has_sent_every_article(articles):
    """``idle`` (``Pipeline.run`` commits then) runs while the workers code the last chunks:
    never before the input is all sent, so it cannot hold up a chunk that could go out."""
    read, calls = [], []

    def source():
        for article in articles:
            read.append(article)
            yield article

    with CodingPool(Settings(batch_size=4), workers=2) as pool:
        got = [article.id for article, _ in pool.code(source(), idle=lambda: calls.append(len(read)))]
    assert got == [a.id for a in articles]
    assert all(n == len(articles) for n in calls)


def test_a_run_that_commits_while_the_workers_code_stores_and_fuses_what_one_does(two, one, tmp_path):
    """More new articles than a fused group: on two processes the last ones are committed as they
    come back (``idle``), in units of another size than one process's; the store is the same, and
    so are the run's figures (a fused event touched by two units counts once)."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    sources = sorted(DEMO.glob("*.txt"))
    for i in range(3 * len(sources)):
        head, sep, body = sources[i % len(sources)].read_text("utf-8").partition("\n---\n")
        (corpus / f"{i:03d}.txt").write_text(f"{head}{sep}Bulletin {i}.\n{body}", "utf-8")
    stores, figures = {}, {}
    for name, pipeline in (("one", one), ("two", two)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            summary = pipeline.run([corpus], store)
        assert summary.articles_new == 3 * len(sources) and summary.quarantined == 0
        stores[name] = _dump(tmp_path / f"{name}.duckdb")
        figures[name] = (summary.events_new, summary.events_counted, summary.fused_touched, summary.alerts)
    for table in stores["one"]:
        assert stores["two"][table] == stores["one"][table], table
    assert figures["two"] == figures["one"]
