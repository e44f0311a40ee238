"""The demo corpus (``corpus/``: 24 articles the project wrote) and ``make demo``'s guard.

``python -m powderkeg.demo DB`` clears the way for ``make demo``: a database that holds only
the demo corpus is removed, so the demo starts fresh (and its alerts fire again); a database
with any other article is left alone and the demo stops with a line that says what to do.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

CORPUS = Path(__file__).resolve().parent / "corpus"


def clear(db: str) -> str | None:
    """Remove ``db`` if it holds the demo corpus only; the reason it was kept otherwise (None: cleared)."""
    path = Path(db)
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        return f"{db} is not a database powderkeg can read ({str(exc).splitlines()[0]})"
    try:
        rows = con.execute("SELECT path FROM articles").fetchall()
    except duckdb.Error:
        return f"{db} is not a powderkeg database"
    finally:
        con.close()
    others = [p for (p,) in rows if "powderkeg/demo/corpus/" not in (p or "").replace("\\", "/")]
    if others:
        return f"{db} holds {len(others)} articles that are not the demo's (e.g. {others[0] or 'one from a URL'})"
    for leftover in (path, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    return None
