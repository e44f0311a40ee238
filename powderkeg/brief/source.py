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

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from ..analyze.index import Key
from ..records import Cited, FusedEvent, Spread
from ..store import EventQuery, Store
from ..store.fused import FuseTables, Volume

UNCONFIRMED = ("future", "hypothetical")


class BriefSource:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = store.con
        self.tables = FuseTables(store.con)

    # -- fused events ----------------------------------------------------------------------

    def fused(self, since: dt.date, until: dt.date, key: Key | None = None) -> list[dict[str, Any]]:
        """Fused events dated in [since, until], oldest first, as *light* records: the fields the
        index, the ranking and the episodes need (figures as min and max, reports as id and
        article), read from the table's columns rather than by parsing each record's JSON;
        ``record(id)`` gives the full one. With a key, only events that can match it: one of its
        countries on some side, at the place or in the articles' main country (for a dyad, both
        of its countries so), a superset of what ``Key.matches`` keeps."""
        where: list[str] = ["f.date >= ?", "f.date <= ?"]
        params: list[Any] = [since, until]
        if key is not None:
            # the context country counts only where the event has no place (Key.matches), so the
            # JSON is read for those rows alone
            involves = (
                "(list_has_any(f.source_keys, ?) OR list_has_any(f.target_keys, ?)"
                " OR list_contains(?, f.place_country) OR (coalesce(f.place_country, '') = ''"
                " AND list_contains(?, json_extract_string(f.record, '$.context_country'))))"
            )
            for codes in [[c] for c in key.countries] if key.dyad else [list(key.countries)]:
                where.append(involves)
                params += [codes] * 4
        rows = self.con.execute(
            f"SELECT {_LIGHT} FROM fused_events f WHERE {' AND '.join(where)} ORDER BY f.date, f.id", params
        ).fetchall()
        # the context country is in the JSON record; it is read for placeless events alone (a
        # CASE in the query above would parse every record)
        context = dict(
            self.con.execute(
                "SELECT f.id, json_extract_string(f.record, '$.context_country') FROM fused_events f"
                f" WHERE coalesce(f.place_country, '') = '' AND {' AND '.join(where)}",
                params,
            ).fetchall()
        )
        # the members of the same events, by a join (not a list of tens of thousands of ids)
        pairs = self.con.execute(
            "SELECT m.fused_id, m.report_id, m.article_id FROM fused_members m JOIN fused_events f"
            f" ON f.id = m.fused_id WHERE {' AND '.join(where)} ORDER BY m.report_id",
            params,
        ).fetchall()
        with no_gc():  # tens of thousands of records and their typed forms at once
            members: dict[str, list[dict[str, str]]] = {}
            for fid, report_id, article_id in pairs:
                members.setdefault(fid, []).append({"id": report_id, "article_id": article_id})
            lights = [_light(r, members.get(r[0], []), context.get(r[0])) for r in rows]
            for light in lights:
                with contextlib.suppress(TypeError, ValueError):  # raised again where it is used
                    light.typed()
        records: list[dict[str, Any]] = list(lights)
        return records

    def records(self, fused_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Full fused records (``FusedEvent.to_dict``), by id."""
        return {e.id: e.to_dict() for e in self.tables.events_of(list(fused_ids))}

    def fused_of_article(self, article_id: str) -> list[dict[str, Any]]:
        """The fused events any report of this article belongs to, oldest first."""
        report_ids = [e["id"] for e in self.store.events(EventQuery(article_id=article_id))]
        fused_ids = {f for rid in report_ids if (f := self.tables.fused_of_report(rid))}
        records = [e.to_dict() for e in self.tables.events_of(fused_ids)]
        return sorted(records, key=lambda r: (r.get("date") or "", r["id"]))

    def volume(self) -> Volume:
        """Articles reporting any fused event, per date and date precision, over the whole store
        (the index's normaliser needs the store's typical volume)."""
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
        or might, do. Dated in [since, until], or all of one article's. (``Store.events`` has no
        filter on factuality, and parsing every event of a month to keep a few is slow.)"""
        rows = self.con.execute(
            "SELECT record FROM events WHERE factuality IN (SELECT unnest(?))"
            " AND (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?) AND (? IS NULL OR article_id = ?)"
            " ORDER BY date NULLS LAST, article_id, sentence_start, id",
            [list(UNCONFIRMED), since, since, until, until, article_id, article_id],
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def alerts(self, since: dt.date, until: dt.date) -> list[dict[str, Any]]:
        """Alerts fired for periods in [since, until] (the ``alerts`` table's records)."""
        rows = self.con.execute(
            "SELECT record FROM alerts WHERE period BETWEEN ? AND ? ORDER BY period, rule", [since, until]
        ).fetchall()
        return [json.loads(r[0]) for r in rows]


_LIGHT = (
    "f.id, f.type, f.mode, f.quad_class, f.score, f.date, f.date_precision, f.date_basis, f.source_keys,"
    " f.target_keys, f.place_name, f.place_country,"
    " f.factuality, f.n_reports, f.n_sources, f.killed_min, f.killed_max, f.injured_min, f.injured_max,"
    " f.arrested_min, f.arrested_max, f.size_min, f.size_max"
)


class _Light(dict[str, Any]):
    """A light record; it keeps its table row, so that ``event_of`` builds its typed form from the
    row's values once (an event is matched to the key, then read for the index series: two
    ``FusedEvent.from_dict`` per event of a year's look-back were a third of a brief's time)."""

    __slots__ = ("context", "event", "row")
    row: tuple[Any, ...]
    context: str | None
    event: FusedEvent | None

    def typed(self) -> FusedEvent:
        """``FusedEvent.from_dict(self)``, from the row (tests hold the two equal)."""
        if self.event is None:
            (fid, type_, mode, quad, score, date, precision, basis, src, tgt, place, place_country, fact,
             _n_reports, _n_sources, *figures) = self.row  # fmt: skip
            self.event = _frozen(
                FusedEvent,
                id=fid,
                type=type_,
                mode=mode or "",
                quad_class=int(quad),
                score=float(score),
                date=date,
                date_precision=precision or "unknown",
                date_basis=basis or "text",
                source_keys=tuple(src or ()),
                target_keys=tuple(tgt or ()),
                place_name=place or "",
                place_country=place_country or "",
                factuality=fact,
                reports=tuple(
                    _frozen(
                        Cited, id=r["id"], article_id=r["article_id"], outlet="", sentence="", factuality=""
                    )
                    for r in self["reports"]
                ),
                numbers={
                    name: Spread(figures[2 * i], figures[2 * i + 1], {})
                    for i, name in enumerate(_FIGURES)
                    if figures[2 * i] is not None
                },
                dates=None,
                places={},
                context_country=self.context or "",
            )
        return self.event


_FIGURES = ("killed", "injured", "arrested", "size")


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a block builds many objects that all stay alive: as the
    heap grows, the collector walks it again and again (it took half of a region brief's time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_T = TypeVar("_T")


def _frozen(cls: type[_T], **fields: Any) -> _T:
    """An instance of a frozen dataclass with these fields, without its ``__init__`` (which sets
    each field through ``object.__setattr__``: most of the cost of 70,000 fused events). Every
    field must be given; the tests hold the result equal to the one ``__init__`` makes."""
    obj = cls.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def _light(row: tuple[Any, ...], reports: list[dict[str, str]], context: str | None) -> _Light:
    """A light record from a row of ``_LIGHT`` (its context country only where it has no place:
    the only case ``Key.matches`` reads it)."""
    (fid, type_, mode, quad, score, date, precision, basis, src, tgt, place, place_country, fact,
     n_reports, n_sources, *figures) = row  # fmt: skip
    numbers = {}
    for i, name in enumerate(_FIGURES):
        lo, hi = figures[2 * i], figures[2 * i + 1]
        if lo is not None:
            numbers[name] = {"min": lo, "max": hi}
    light = _Light(
        id=fid,
        type=type_,
        mode=mode or None,
        quad_class=quad,
        score=score,
        date=date.isoformat() if date else None,
        date_precision=precision,
        date_basis=basis or "text",
        source=list(src or ()),
        target=list(tgt or ()),
        place={"name": place or None, "country": place_country or None},
        context_country=context,
        factuality=fact,
        numbers=numbers,
        n_reports=n_reports,
        n_sources=n_sources,
        reports=reports,
        light=True,
    )
    light.row, light.context, light.event = row, context, None
    return light


def event_of(record: dict[str, Any]) -> FusedEvent:
    """The typed fused event of a full or light record, for the index's functions (analyze/)."""
    if type(record) is _Light:
        return record.typed()
    return FusedEvent.from_dict(record)


def report_keys(record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A report's source and target as country/organisation code lists, the shape fused records
    use (``source``/``target`` in the event contract are lists of actors)."""

    def keys(actors: list[dict[str, Any]]) -> list[str]:
        out: list[str] = []
        for a in actors:
            for k in (a.get("country"), a.get("org")):
                if k and k not in out:
                    out.append(k)
        return out

    return keys(record.get("source") or []), keys(record.get("target") or [])


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
