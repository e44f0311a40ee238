"""Everything a brief reads from the store, in one place.

The rest of ``powderkeg.brief`` sees fused events as the JSON records the store keeps
(``FusedEvent.to_dict``: ``source``/``target`` lists of country and organisation codes,
``numbers`` with ``min``/``max``/``by_report``, ``reports``), report records in the event
contract (actor texts and names, ``spans``, ``rule``), and articles as small dicts. When the
store or the records change shape, this module is the one to adapt.

It goes through ``FuseTables`` and ``Store`` where they have what is needed; the few queries of
its own narrow a read to the key's countries (a superset of what ``Key.matches`` keeps, so
filtering in SQL first changes no result, only the time it takes) or read many rows at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from ..analyze.index import Key
from ..store import EventQuery, Store
from ..store.fuse import FuseTables

UNCONFIRMED = ("future", "hypothetical")


class BriefSource:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = store.con
        self.tables = FuseTables(store.con)

    # -- fused events ----------------------------------------------------------------------

    def fused(self, since: dt.date, until: dt.date, key: Key | None = None) -> list[dict[str, Any]]:
        """Fused events dated in [since, until], oldest first; with a key, only those involving
        one of its countries on some side, at their place or in their articles' main country."""
        if key is None:
            return self.tables.records(since, until)
        rows = self.con.execute(
            "SELECT record FROM fused_events WHERE date >= ? AND date <= ?"
            " AND (list_has_any(source_keys, ?) OR list_has_any(target_keys, ?)"
            " OR list_contains(?, place_country)"
            " OR list_contains(?, json_extract_string(record, '$.context_country')))"
            " ORDER BY date, id",
            [since, until, *([list(key.countries)] * 4)],
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def fused_of_article(self, article_id: str) -> list[dict[str, Any]]:
        """The fused events any report of this article belongs to, oldest first."""
        report_ids = [e["id"] for e in self.store.events(EventQuery(article_id=article_id))]
        fused_ids = {f for rid in report_ids if (f := self.tables.fused_of_report(rid))}
        records = self.tables.records_of(fused_ids)
        return sorted(records, key=lambda r: (r.get("date") or "", r["id"]))

    def volume(self) -> dict[dt.date, set[str]]:
        """Articles reporting any fused event, per day, over the whole store (the index's
        normaliser needs the store's typical volume)."""
        return self.tables.volume(None, None)

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last dates of fused events placed in time by their text."""
        row = self.con.execute(
            "SELECT min(date), max(date) FROM fused_events WHERE coalesce(date_basis, 'text') <> 'ingested'"
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    # -- reports and articles --------------------------------------------------------------

    def reports(self, report_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Event-contract records of these reports, by id."""
        ids = list(dict.fromkeys(report_ids))
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT id, record, sentence_start FROM events WHERE id IN (SELECT unnest(?))", [ids]
        ).fetchall()
        out = {}
        for rid, record, start in rows:
            rec = json.loads(record)
            rec["sentence_start"] = int(start or 0)
            out[rid] = rec
        return out

    def articles(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT id, url, title, source, path, published FROM articles WHERE id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
        return {
            r[0]: {
                "id": r[0],
                "url": r[1] or (f"file:{r[4]}" if r[4] else f"powderkeg:article/{r[0]}"),
                "title": r[2] or "",
                "outlet": r[3] or r[4] or "",
                "published": r[5].isoformat() if r[5] else None,
            }
            for r in rows
        }

    def resolve_article(self, prefix: str) -> str | None:
        """The article id a unique prefix names, or None."""
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id = ? OR id LIKE ? || '%' LIMIT 2", [prefix, prefix]
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def unconfirmed(
        self, since: dt.date | None, until: dt.date | None, article_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Announced (future) and hypothetical reports, never fused: what actors said they would,
        or might, do. Dated in [since, until], or all of one article's."""
        query = EventQuery(include_unconfirmed=True, since=since, until=until, article_id=article_id)
        out = []
        for e in self.store.events(query):
            if e["factuality"] in UNCONFIRMED:
                out.append(e)
        return out

    def alerts(self, since: dt.date, until: dt.date) -> list[dict[str, Any]]:
        """Alerts fired for periods in [since, until] (the ``alerts`` table's records)."""
        rows = self.con.execute(
            "SELECT record FROM alerts WHERE period BETWEEN ? AND ? ORDER BY period, rule", [since, until]
        ).fetchall()
        return [json.loads(r[0]) for r in rows]


def report_keys(record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A report's source and target as country/organisation code lists, the shape fused records
    use (``source``/``target`` in the event contract are one actor, a list, or null)."""

    def keys(side: Any) -> list[str]:
        actors = side if isinstance(side, list) else [side] if side else []
        out: list[str] = []
        for a in actors:
            for k in (a.get("country"), a.get("org")):
                if k and k not in out:
                    out.append(k)
        return out

    return keys(record.get("source")), keys(record.get("target"))


def as_fused(report: dict[str, Any]) -> dict[str, Any]:
    """An unfused report in the shape of a fused record (for key matching and phrasing)."""
    source, target = report_keys(report)
    numbers = {
        k: {"min": v, "max": v, "by_report": {report["id"]: v}}
        for k, v in (report.get("numbers") or {}).items()
        if v is not None
    }
    place = report.get("place") or {}
    return {
        "id": report["id"],
        "type": report["type"],
        "mode": report.get("mode"),
        "quad_class": report.get("quad_class"),
        "score": report.get("score"),
        "date": report.get("date"),
        "date_precision": report.get("date_precision") or "unknown",
        "date_basis": "text" if report.get("date") else "ingested",
        "source": source,
        "target": target,
        "place": {"name": place.get("name"), "country": place.get("country")},
        "context_country": None,
        "factuality": report["factuality"],
        "numbers": numbers,
        "n_reports": 1,
        "n_sources": 1,
        "reports": [
            {
                "id": report["id"],
                "article_id": report["article_id"],
                "sentence": report["sentence"],
                "factuality": report["factuality"],
            }
        ],
    }
