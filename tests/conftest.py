"""Shared fixtures: one loaded pipeline per test session, paths to shared gold data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from powderkeg import Pipeline, Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("POWDERKEG_SHARED", ROOT.parent / "shared"))
DEMO = ROOT / "powderkeg" / "demo" / "corpus"


#: fixtures that load the spaCy model: a test using one (directly or through another fixture) is slow
MODEL_FIXTURES = {"pipeline", "code"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the spaCy model ``slow`` (`pytest -m "not slow"` for a quick run;
    `make test` runs them all)."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    p = Pipeline(Settings())
    p.nlp  # load once  # noqa: B018
    return p


@pytest.fixture(scope="session")
def code(pipeline):
    """Code one text (with an optional publication date) and return its event dicts."""

    def _code(text: str, date: str | None = None, all_events: bool = True) -> list[dict]:
        [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text, "date": date}]))
        return [e.to_dict() for e in events if all_events or e.counted]

    return _code


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} not found: CI runs with ../shared beside the checkout")
        pytest.skip(f"{path} not found (shared gold data sits beside the checkout)")
    return path


@pytest.fixture()
def web():
    """A real HTTP server on 127.0.0.1 (tests/webserver.py)."""
    from .webserver import WebServer

    with WebServer() as server:
        yield server


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, pipeline) -> Path:
    """The demo corpus coded into a DuckDB file once per session (copy it before writing to it)."""
    from powderkeg import Store

    db = tmp_path_factory.mktemp("demo-store") / "demo.duckdb"
    with Store(db) as store:
        pipeline.run([DEMO], store)
    return db
