"""Reading coded event dicts in tests (the ``code`` fixture's output)."""

from __future__ import annotations


def side(actors) -> list[dict]:  # type: ignore[no-untyped-def]
    """One side of an event dict as a list of actor dicts (a side may be one dict or none)."""
    if isinstance(actors, list):
        return [a for a in actors if a]
    return [actors] if actors else []


def countries(actors) -> set:  # type: ignore[no-untyped-def]
    """The countries (or organisations) of one side of an event dict."""
    return {a.get("country") or a.get("org") for a in side(actors)}


def first(code, text: str, type_: str) -> dict:  # type: ignore[no-untyped-def]
    """The first event of ``type_`` coded in ``text``; fails when there is none."""
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    return events[0]
