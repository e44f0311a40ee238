"""Documents a hostile or careless source sends: each is read, quarantined with a reason written
for people, or counted as skipped; none stops the batch (issue 15). No spaCy model needed here."""

from __future__ import annotations

import json
import os
import re
import tracemalloc

import pytest

from powderkeg import Settings, Store
from powderkeg.ingest.files import read_paths
from powderkeg.pipeline import Commit
from powderkeg.records import Article, Quarantined, Skipped

from .fusion_helpers import article, event

TEXT = "Serbian police arrested twelve protesters in North Mitrovica on Monday, officials said."


def _read(*paths, **settings):
    return list(read_paths(paths, Settings(**settings)))


def _one(path, **settings):
    [item] = _read(path, **settings)
    return item


def test_jsonl_limits_apply_per_record_and_a_bad_byte_costs_its_line_only(tmp_path):
    path = tmp_path / "big.jsonl"
    good = [json.dumps({"id": i, "text": f"{TEXT} Record {i}."}) for i in range(700)]
    lines = [line.encode() for line in good]
    lines[5] = lines[5].replace(b"Record", b"Rec\xffrd")  # one byte that is not UTF-8
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.stat().st_size > 60_000
    items = _read(path, max_bytes=50_000)  # the file is over the limit, each record far under it
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert len(items) == 700 and [q.origin for q in bad] == [f"{path}:6"]
    assert bad[0].code == "E103" and "byte" in bad[0].reason
    long = tmp_path / "long.jsonl"
    long.write_text(good[0] + "\n" + json.dumps({"text": TEXT + " x" * 40_000}) + "\n" + good[1] + "\n")
    items = _read(long, max_bytes=50_000)
    assert [type(i).__name__ for i in items] == ["Article", "Quarantined", "Article"]
    assert items[1].code == "E104" and items[1].origin.endswith(":2") and "max_bytes" in items[1].reason


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_line_separators_inside_a_json_string_belong_to_the_record(tmp_path, separator):
    path = tmp_path / "sep.jsonl"
    records = [{"id": 1, "text": f"Serbian police{separator} arrested twelve protesters on Monday."}]
    records.append({"id": 2, "text": TEXT})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    items = _read(path)
    assert [type(i) for i in items] == [Article, Article]
    assert separator in items[0].text and items[1].path.endswith(":2")


def test_hidden_unsupported_and_special_files_in_a_folder_are_counted_as_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(TEXT, "utf-8")  # a hidden folder is not entered
    (tmp_path / "photo.JPG").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "README").write_text(TEXT, "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # would block a reader for ever
    items = _read(tmp_path)
    skipped = sorted((os.path.basename(s.origin), s.kind) for s in items if isinstance(s, Skipped))
    assert skipped == [
        (".git", "hidden"),
        (".hidden.txt", "hidden"),
        ("README", "unsupported (no extension)"),
        ("photo.JPG", "unsupported .jpg"),
        ("pipe.txt", "not a regular file"),
    ]
    assert [i.path for i in items if isinstance(i, Article)] == [str(tmp_path / "a.txt")]
    named = _one(tmp_path / "pipe.txt")  # named explicitly: quarantined, not read
    assert isinstance(named, Quarantined) and named.code == "E100" and "regular file" in named.reason


def test_size_is_checked_before_a_file_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200_000_000)  # sparse: 200 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        item = _one(path, max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(item, Quarantined) and item.code == "E104" and "200,000,000 bytes" in item.reason
    assert "raise max_bytes" in item.reason  # the limit that was passed, not max_chars
    assert peak < 5_000_000


def test_nul_bytes_are_found_anywhere_in_the_file(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes((TEXT + " ").encode() * 100 + b"and then\x00\x00 a NUL.")
    item = _one(path)
    assert isinstance(item, Quarantined) and item.code == "E102"
    assert "2 NUL bytes" in item.reason and f"byte {len(TEXT + ' ') * 100 + 8:,}" in item.reason


@pytest.mark.parametrize("order", ["le", "be"])
def test_utf16_without_a_bom_says_so_and_reads_with_its_encoding(tmp_path, order):
    path = tmp_path / "wide.txt"
    path.write_bytes(TEXT.encode(f"utf-16-{order}"))
    item = _one(path)
    assert isinstance(item, Quarantined) and item.code == "E103"
    assert "UTF-16" in item.reason and f"--encoding utf-16-{order}" in item.reason
    read = _one(path, encoding=f"utf-16-{order}")
    assert isinstance(read, Article) and read.text == TEXT


def test_a_short_document_says_how_many_words_it_has(tmp_path):
    (tmp_path / "short.txt").write_text("two words", "utf-8")
    item = _one(tmp_path / "short.txt")
    assert isinstance(item, Quarantined) and item.code == "E101"
    assert item.reason.startswith("2 words of text, fewer than the 5") and "has no text" not in item.reason


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('{"id": 1, "n": ' + "9" * 5000 + ', "text": "x"}', "more than 4,300 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"id": 1, "text": "cut off', "invalid JSON at column"),
        ('{"id": 1, "n": 1e999999, "text": 5}', "no 'text' string"),
    ],
    ids=["long-integer", "deep", "cut-off", "infinity"],
)
def test_jsonl_that_breaks_the_parser_is_one_quarantined_line(tmp_path, line, says):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n" + json.dumps({"text": TEXT}) + "\n", "utf-8")
    bad, good = _read(path)
    assert isinstance(bad, Quarantined) and bad.code == "E105" and says in bad.reason
    assert isinstance(good, Article)


PYTHONISH = re.compile(r"\b[A-Z][a-z]+(Error|Exception)\b|Traceback|cannot convert float")


def test_surrogates_and_file_names_that_are_not_utf8_are_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lone.jsonl").write_text('{"id": "s", "title": "t\\udc00", "text": "' + TEXT + ' \\ud800"}\n')
    name = os.fsencode(folder) + b"/caf\xe9-\xff.txt"
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(TEXT + " Again.")
    items = _read(folder)
    assert [type(i) for i in items] == [Article, Article]
    named = next(i for i in items if i.path.endswith(".txt"))
    assert named.path.endswith("caf\ufffd-\ufffd.txt")
    lone = next(i for i in items if i.path.endswith(":1"))
    assert lone.text.endswith("\ufffd") and lone.title == "t\ufffd"
    with Store(tmp_path / "s.duckdb") as store:
        assert Commit(store)([(a, []) for a in items]).added == {a.id for a in items}


def test_a_value_the_store_cannot_hold_refuses_that_article_only(tmp_path):
    bad, good = article("huge-figure"), article("fine")
    items = [
        (bad, [event(bad, "ASSAULT", "SRB", "XKX", "2023-05-29", killed=2**31)]),
        (good, [event(good, "ASSAULT", "SRB", "XKX", "2023-05-29", killed=3)]),
    ]
    with Store(tmp_path / "s.duckdb") as store:
        done = Commit(store)(items)
        assert done.added == {good.id} and set(done.refused) == {bad.id}
        refused = done.refused[bad.id]
        assert refused.code == "E108" and not PYTHONISH.search(refused.reason)
        assert store.counts().events == 1 and len(done.fused) == 1


def test_no_quarantine_reason_reads_like_a_python_exception(tmp_path):
    for name, data in {
        "a.txt": b"\x00" * 10,
        "b.txt": b"\xff\xfe\x00",
        "c.jsonl": b'{"text": 1e999999}\n[1]\n{"text": "\\ud800"}\n' + b"[" * 5000 + b"\n",
        "d.html": b"<html><body><p>" + b"<div>" * 3000 + b"x</p></body></html>",
        "e.txt": b"   ",
        "f.htm": b"no markup at all, only some words here",
    }.items():
        (tmp_path / name).write_bytes(data)
    quarantined = [i for i in _read(tmp_path) if isinstance(i, Quarantined)]
    assert len(quarantined) >= 7
    for q in quarantined:
        assert q.reason and not PYTHONISH.search(q.reason), q


@pytest.mark.parametrize("figure", ["2147483648", "9" * 400, "3,000,000,000"])
def test_a_figure_no_count_can_be_is_not_read_and_the_event_is_kept(code, figure):
    events = code(f"Serbian troops killed {figure} civilians in Zvecan on Monday.", "2023-05-30")
    assert events and all(e["numbers"]["killed"] is None for e in events)
    assert (
        code("Serbian troops killed 12 civilians in Zvecan on Monday.", "2023-05-30")[0]["numbers"]["killed"]
        == 12
    )


def test_a_run_where_every_input_is_quarantined_never_loads_the_model(tmp_path):
    from powderkeg.pipeline import Pipeline

    for i in range(70):  # more than one read batch (64) of documents no coder sees
        (tmp_path / f"empty{i:02}.txt").write_text("too short" if i % 2 else "", "utf-8")
    pipeline = Pipeline(Settings(n_process=2, parallel_min=1))
    with Store(tmp_path / "q.duckdb") as store:
        summary = pipeline.run([tmp_path], store)
        assert summary.quarantined == 70 and summary.articles_seen == 0
        assert len(store.quarantined()) == 70
    assert pipeline._nlp is None and pipeline._pool is None  # no 250 MB model for nothing


def test_quarantined_documents_are_stored_together_or_not_at_all(tmp_path):
    items = [Quarantined(f"bad{i}.txt", "E101", "the file is empty", content_hash=f"h{i}") for i in range(3)]

    def fail(cur):
        raise RuntimeError("the disk is full")

    with Store(tmp_path / "q.duckdb") as store:
        with pytest.raises(RuntimeError):
            store.quarantine(items, also=fail)
        assert store.quarantined() == []
        store.quarantine(items)
        store.quarantine(items[0])  # seen again: counted, not a second row
        assert [(q["origin"], q["times_seen"]) for q in store.quarantined()] == [
            ("bad0.txt", 2), ("bad1.txt", 1), ("bad2.txt", 1),
        ]  # fmt: skip
