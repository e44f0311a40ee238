"""Pipeline.code and code_texts: every result goes to its own record, in input order."""

from __future__ import annotations

import pytest
from spacy.language import Language

from powderkeg import Pipeline, Settings
from powderkeg.records import Quarantined

BROKEN = "zzbrokenzz"


@Language.component("pk_test_raise_on_marker")
def _raise_on_marker(doc):  # type: ignore[no-untyped-def]
    if BROKEN in doc.text:
        raise RuntimeError("this document breaks the pipeline")
    return doc


@pytest.fixture()
def breaking(pipeline):
    """The session pipeline with one more component, which raises on any text holding BROKEN."""
    nlp = pipeline.nlp
    nlp.add_pipe("pk_test_raise_on_marker", last=True)
    try:
        yield Pipeline(Settings(batch_size=8), nlp=nlp)
    finally:
        nlp.remove_pipe("pk_test_raise_on_marker")


RECORDS = [
    {"id": "b", "text": "Serb protesters attacked KFOR soldiers in Zvecan on Monday.", "date": "2023-05-29"},
    {"id": "a", "text": f"Gunmen {BROKEN} killed three police officers in Banjska.", "date": "2023-09-24"},
    {"id": "c", "text": "Serbia and Kosovo leaders met in Brussels on Thursday.", "date": "2023-06-22"},
]


@pytest.mark.slow
@pytest.mark.parametrize("order", [[0, 1, 2], [1, 0, 2], [0, 2, 1], [2, 1, 0]])
def test_a_failing_record_leaves_the_others_their_own_events(breaking, order):
    records = [RECORDS[i] for i in order]
    out = list(breaking.code_texts(records))
    assert [r["id"] for r, _ in out] == [r["id"] for r in records]  # input order
    for record, events in out:
        if record["id"] == "a":
            assert events == []
            continue
        assert events, record["id"]
        for event in events:
            assert event.sentence in record["text"], (record["id"], event.sentence)


@pytest.mark.slow
def test_code_yields_the_quarantined_article_in_its_place(breaking):
    from powderkeg.records import Article

    articles = [Article(id=r["id"], text=r["text"]) for r in RECORDS]
    out = list(breaking.code(articles))
    assert [a.id for a, _ in out] == ["b", "a", "c"]
    assert isinstance(out[1][1], Quarantined) and out[1][1].code == "E107"
    assert all(isinstance(result, list) for _, result in (out[0], out[2]))


@pytest.mark.slow
def test_fused_events_and_their_ids_do_not_depend_on_batch_size(pipeline, tmp_path):
    """Articles 13 and 16 report the Banjska attack on the same day: read one at a time, 13's
    report met first founded the event; read together, 16's (which sorts first) did."""
    from powderkeg import Store

    from .conftest import DEMO

    corpus = tmp_path / "in"
    corpus.mkdir()
    for path in sorted(DEMO.glob("1[2-6]_*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    fused = {}
    for size in (1, 3, 1000):
        with Store(tmp_path / f"b{size}.duckdb") as store:
            Pipeline(Settings(batch_size=size, commit_every=size), nlp=pipeline.nlp).run([corpus], store)
            fused[size] = store.con.execute(
                "SELECT fused_id, list(report_id ORDER BY report_id) FROM fused_members GROUP BY 1 ORDER BY 1"
            ).fetchall()
    assert len(fused[1]) > 5 and fused[1] == fused[3] == fused[1000]


def test_a_pipeline_made_without_settings_reads_the_environment_and_the_settings_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "powderkeg.toml").write_text("[powderkeg]\nbatch_size = 7\n", "utf-8")
    monkeypatch.setenv("POWDERKEG_EVENT_MODEL", "none")
    settings = Pipeline(nlp=Language()).settings  # as the CLI and the README say settings are read
    assert (settings.batch_size, settings.event_model) == (7, "none")
