"""One thing in full: a fused event with every report's evidence, an article with its spans."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

import duckdb

from ..errors import BadParameter, NotFound
from ..store.fused import FuseTables
from .http import decode_cursor, encode_cursor
from .queries import point_of


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class EventLookup(Protocol):
    """Events by id from memory (``index.EventIndex``)."""

    def by_id(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]] | None: ...


def fused_detail(
    con: duckdb.DuckDBPyConnection, fused_id: str, index: EventLookup | None = None
) -> dict[str, Any]:
    """A fused event: its reports (article, outlet, URL, the event, its evidence), figures by
    report, every place and date given, and the merge log. Its reports' events come from
    ``index`` when it holds them."""
    tables = FuseTables(con)
    row = con.execute("SELECT id, record FROM fused_events WHERE id = ?", [fused_id]).fetchone()
    if row is None and (prefixed := tables.resolve(fused_id)):
        row = con.execute("SELECT id, record FROM fused_events WHERE id = ?", [prefixed]).fetchone()
    if row is None:
        raise NotFound(f"no single fused event matches {fused_id!r}")
    fid, record = row[0], json.loads(row[1])
    ids = [r["id"] for r in record["reports"]]
    found = index.by_id(ids) if index is not None else None
    if found is None:
        found = {
            r[0]: (r[1], r[2])
            for r in con.execute(
                "SELECT id, sentence_start, record FROM events WHERE list_contains(?, id)", [ids]
            ).fetchall()
        }
    events = {i: json.loads(found[i][1]) for i in ids if i in found}  # in the reports' order
    starts = {i: found[i][0] for i in ids if i in found}
    record["point"] = point_of(record, events.values())
    articles = {
        r["id"]: r
        for r in _rows(
            con.execute(
                "SELECT id, title, url, source, path, published FROM articles WHERE list_contains(?, id)",
                [[r["article_id"] for r in record["reports"]]],
            )
        )
    }
    evidence: dict[str, list[dict[str, Any]]] = {}
    # the reports' articles' numbers (``seq``) narrow the scan of evidence, which has no index on
    # event_id (schema step 7), to the row groups that hold them
    seqs = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT seq FROM events WHERE list_contains(?, id) AND seq IS NOT NULL", [ids]
        ).fetchall()
    ]
    for r in _rows(
        con.execute(
            "SELECT event_id, field, start_char AS start, end_char AS end, text FROM evidence"
            " WHERE seq BETWEEN ? AND ? AND list_contains(?, seq) AND list_contains(?, event_id)"
            " ORDER BY start_char",
            [min(seqs, default=0), max(seqs, default=0), seqs, ids],
        )
    ):
        evidence.setdefault(r.pop("event_id"), []).append(r)
    for report in record["reports"]:
        event = events.get(report["id"], {})
        article = articles.get(report["article_id"], {})
        report["event"] = event
        report["sentence_start"] = starts.get(report["id"])
        report["evidence"] = evidence.get(report["id"], [])
        report["article"] = {k: article.get(k) for k in ("title", "url", "source", "path", "published")}
    record["log"] = [
        {"seq": seq, "at": at, "action": action, "report_id": rid, "score": score, "reason": reason}
        for seq, at, action, _, rid, score, reason in tables.log(fid)
    ]
    return record


def article_detail(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any]:
    """An article's text with the evidence spans of every event coded from it."""
    rows = _rows(
        con.execute(
            "SELECT id, url, title, published, source, path, text, meta, ingested_at, seq FROM articles"
            " WHERE id = ? OR (length(?) >= 6 AND id LIKE ? || '%') LIMIT 2",
            [article_id, article_id, article_id],
        )
    )
    if len(rows) != 1:
        raise NotFound(f"no single article matches {article_id!r}")
    article = rows[0]
    seq = article.pop("seq")  # its events and their evidence carry it: read by it (schema step 7)
    article["meta"] = json.loads(article["meta"] or "{}")
    article["events"] = [
        {
            "id": r["id"],
            "type": r["type"],
            "mode": r["mode"],
            "factuality": r["factuality"],
            "sentence_start": r["sentence_start"],
            "fused_id": r["fused_id"],
        }
        for r in _rows(
            con.execute(
                "SELECT e.id, e.type, e.mode, e.factuality, e.sentence_start, m.fused_id FROM events e"
                " LEFT JOIN fused_members m ON m.report_id = e.id WHERE e.seq = ? AND e.article_id = ?"
                " ORDER BY e.sentence_start, e.id",
                [seq, article["id"]],
            )
        )
    ]
    article["spans"] = _rows(
        con.execute(
            "SELECT v.event_id, v.field, v.start_char AS start, v.end_char AS end FROM evidence v"
            " JOIN events e ON e.id = v.event_id WHERE v.seq = ? AND e.seq = ? AND e.article_id = ?"
            " ORDER BY v.start_char, v.event_id",
            [seq, seq, article["id"]],
        )
    )
    return article


def alerts_page(
    con: duckdb.DuckDBPyConnection,
    since: Any,
    until: Any,
    key: str | None,
    size: int,
    cursor: str | None,
) -> tuple[list[str], str | None]:
    """Stored alerts, newest period first."""
    clauses = ["(? IS NULL OR period >= ?)", "(? IS NULL OR period <= ?)", "(? IS NULL OR key = ?)"]
    params: list[Any] = [since, since, until, until, key, key]
    last = decode_cursor(cursor, 2)
    if last is not None:
        try:
            clauses.append("(period, id) < (CAST(? AS DATE), ?)")
        except ValueError:
            raise BadParameter("bad cursor") from None
        params += last
    rows = con.execute(
        f"SELECT record, period, id FROM alerts WHERE {' AND '.join(clauses)} ORDER BY period DESC, id DESC"
        " LIMIT ?",
        [*params, size + 1],
    ).fetchall()
    more = len(rows) > size
    rows = rows[:size]
    nxt = encode_cursor([rows[-1][1].isoformat(), rows[-1][2]]) if more and rows else None
    return [r[0] for r in rows], nxt
