"""The settings of the store's DuckDB instance (store/access.py, "Memory")."""

from __future__ import annotations

import os

from powderkeg import Settings, Store
from powderkeg.cli.app import settings_from
from powderkeg.store.access import Access, access_for


def _setting(con, name: str) -> object:  # type: ignore[no-untyped-def]
    return con.execute(f"SELECT current_setting('{name}')").fetchone()[0]


def test_the_instance_starts_with_one_thread_an_auto_memory_limit_and_a_spill_folder_by_the_file(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, store.access.write() as con:
        assert _setting(con, "memory_limit") == "244.1 MiB"  # DuckDB's way of writing 256MB
        assert _setting(con, "threads") == Settings.store_threads == 1
        assert _setting(con, "temp_directory") == f"{store.path}.tmp"


def test_the_auto_limit_is_the_files_size_and_empty_is_duckdbs_own(tmp_path):
    db = tmp_path / "s.duckdb"
    access = Access(str(db))
    assert access.config()["memory_limit"] == "256MB"  # no file yet
    db.write_bytes(b"")
    os.truncate(db, 1200 * 2**20)  # a sparse file of 1,200 MB
    assert access.config()["memory_limit"] == "1200MB"
    access.memory_limit = "1GB"
    assert access.config()["memory_limit"] == "1GB"
    access.memory_limit = ""
    assert "memory_limit" not in access.config()


def test_the_cli_settings_reach_the_next_instance(tmp_path):
    db = str(tmp_path / "s.duckdb")
    settings_from(db=db, store_memory="64MB", store_threads=2)
    try:
        with Store(db) as store:
            store.access.close()  # the next unit starts a new instance
            with store.access.write() as con:
                assert _setting(con, "memory_limit") == "61.0 MiB"
                assert _setting(con, "threads") == 2
    finally:
        access_for(db, memory_limit=Settings.store_memory, threads=Settings.store_threads)


def test_work_larger_than_the_limit_spills_next_to_the_file_and_the_folder_goes_with_the_instance(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        store.access.memory_limit = "16MB"
        store.access.close()
        with store.access.write() as con:
            con.execute("SET enable_progress_bar = false")
            # a hash aggregate of a million distinct 32-character keys: ~100 MB in memory
            distinct = con.execute(
                "SELECT count(DISTINCT md5(range::VARCHAR)) FROM range(1000000)"
            ).fetchone()
            assert distinct == (1_000_000,)
            assert (tmp_path / "s.duckdb.tmp").is_dir()
        store.access.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb"]
