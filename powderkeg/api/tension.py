"""``/tension``: the tension index of a dyad, country or region, computed as ``powderkeg tension`` does."""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
from typing import Any, Protocol

import duckdb

from ..analyze.escalation import Baseline, assess
from ..analyze.index import Key, Reading, readings
from ..analyze.index import parse_key as key_of
from ..errors import BadParameter
from ..records import Cited, FusedEvent, Spread
from ..store.fused import DATED, FuseTables, Volume
from .http import dumps

BYS = ("day", "week", "month")


class SeriesIndex(Protocol):
    """What ``tension`` asks of an in-memory index (``series.FusedIndex``, built from ``candidates``)."""

    def readings(
        self, key: Key, by: str, min_sources: int, top: int, since: dt.date | None, until: dt.date | None
    ) -> list[Reading]: ...

    def sentence(self, fused_id: str) -> str: ...

    def top_json(self, fused_id: str) -> tuple[str, str]: ...


def parse_key(text: str) -> Key:
    """``SRB-XKX`` (a dyad, either way), ``SRB>XKX`` (directed), ``SRB``, or ``region:western-balkans``
    (``analyze.index.parse_key``, as `powderkeg tension` reads its arguments)."""
    return key_of(text)


# what the index reads of a fused event, as columns: parsing 10,000s of JSON records per request
# cost ten times more than the rest of the computation
_COLUMNS = (
    "id, type, mode, quad_class, score, date, date_precision, source_keys, target_keys, place_country,"
    " record->>'context_country', factuality, n_sources, killed_min, killed_max, injured_min, injured_max,"
    " arrested_min, arrested_max, size_min, size_max, json_extract_string(record, '$.reports[*].article_id')"
)
_FIGURES = ("killed", "injured", "arrested", "size")


def _event(row: tuple[Any, ...]) -> FusedEvent:
    """The parts of a fused event that ``analyze.index`` reads, from its columns (its reports
    as their articles only)."""
    (
        fid,
        type_,
        mode,
        quad,
        score,
        date,
        precision,
        source,
        target,
        place,
        context,
        fact,
        _n_sources,
        *figures,
    ) = row
    articles = figures.pop()
    numbers = {
        name: Spread(figures[2 * i], figures[2 * i + 1])
        for i, name in enumerate(_FIGURES)
        if figures[2 * i] is not None
    }
    return FusedEvent(
        id=fid,
        type=type_,
        mode=mode or "",
        quad_class=int(quad or 0),
        score=float(score or 0.0),
        date=date,
        date_precision=precision or "",
        date_basis="text",
        source_keys=tuple(source or ()),
        target_keys=tuple(target or ()),
        place_name="",
        place_country=place or "",
        factuality=fact,
        reports=tuple(Cited("", a, "", "", fact) for a in articles or ()),
        numbers=numbers,
        dates=None,
        places={},
        context_country=context or "",
    )


_VOLUME: dict[str, Any] = {}
_VOLUME_LOCK = threading.Lock()


def volume_of(con: duckdb.DuckDBPyConnection, version: tuple[int, ...] | None) -> Volume:
    """Articles reporting any fused event, per date and date precision, over the whole store (the
    index's normaliser)."""
    with _VOLUME_LOCK:
        if version is not None and _VOLUME.get("version") == version:
            return _VOLUME["volume"]
    volume = FuseTables(con).volume(None, None)
    with _VOLUME_LOCK:
        _VOLUME.update(version=version, volume=volume)
    return volume


def candidates(
    con: duckdb.DuckDBPyConnection, key: Key | None, since: dt.date | None, until: dt.date | None
) -> list[FusedEvent]:
    """The fused events in [since, until] that can match the key (a superset: readings keeps
    those ``Key.matches``), oldest first; with no key, all of them (what ``series.FusedIndex``
    holds, so that both read the same events the same way)."""
    if key is None:
        return _select(con, "true", [], since, until)
    codes = list(key.countries)
    # the countries analyze.index.Key.matches needs among the event's actors, place or context (the
    # country its articles are about, read from the JSON record only where the event has no place):
    # a dyad needs both of its countries there, a country or region one. A superset; exact below.
    has = (
        "(CASE WHEN list_contains(list_concat(source_keys, target_keys, [place_country]), {0}) THEN true"
        " WHEN coalesce(place_country, '') = '' THEN record->>'context_country' = {0} ELSE false END)"
    )
    params: list[Any]
    if key.dyad:
        where, params = f"{has.format('?')} AND {has.format('?')}", [codes[0], codes[0], codes[1], codes[1]]
    else:
        where = (
            "(list_has_any(list_concat(source_keys, target_keys, [place_country]), ?) OR"
            " (coalesce(place_country, '') = '' AND list_contains(?, record->>'context_country')))"
        )
        params = [codes, codes]
    return _select(con, where, params, since, until)


def _select(
    con: duckdb.DuckDBPyConnection,
    where: str,
    params: list[Any],
    since: dt.date | None,
    until: dt.date | None,
) -> list[FusedEvent]:
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM fused_events WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?)"
        f" AND {DATED} AND {where} ORDER BY date, id",
        [since, since, until, until, *params],
    ).fetchall()
    return [_event(row) for row in rows]


def tension(
    con: duckdb.DuckDBPyConnection,
    key: Key,
    by: str = "day",
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_sources: int = 1,
    top: int = 3,
    version: tuple[int, ...] | None = None,
    index: SeriesIndex | None = None,
) -> dict[str, Any]:
    """Readings as `powderkeg tension` computes them; ``version`` (``Access.version()``) lets the
    store-wide news volume be reused while the data has not changed, and ``index`` (of the
    current version) gives the same readings from memory."""
    if by not in BYS:
        raise BadParameter(f"by must be one of {', '.join(BYS)}, not {by!r}")
    if index is not None:
        assessed = assess(index.readings(key, by, min_sources, top, since, until), Baseline())
        sentences = {e.id: index.sentence(e.id) for a in assessed for _, e in a.reading.top}
    else:
        events = candidates(con, key, since, until)
        series = readings(
            events, volume_of(con, version), key, by, min_sources, top=top, since=since, until=until
        )
        assessed = assess(series, Baseline())
        shown = {e.id for a in assessed for _, e in a.reading.top}
        sentences = dict(
            con.execute(
                "SELECT id, record->>'$.reports[0].sentence' FROM fused_events WHERE id IN (SELECT unnest(?))",
                [list(shown)],
            ).fetchall()
        )
    out = []
    for a in assessed:
        r = a.reading
        out.append(
            {
                "period": r.period.isoformat(),
                "index": None if r.index is None else round(r.index, 3),
                "raw": round(r.raw, 3),
                "status": r.status,
                "z": None if a.z is None else round(a.z, 3),
                "trend": a.trend,
                "escalating": a.escalating,
                "n_events": r.n_events,
                "n_sources": r.n_sources,
                "volume": r.volume,
                "top": [
                    {
                        "id": e.id,
                        "contribution": round(c, 3),
                        "type": e.label,
                        "source": list(e.source_keys),
                        "target": list(e.target_keys),
                        "sentence": sentences.get(e.id) or "",
                    }
                    for c, e in r.top
                ],
            }
        )
    return {"key": key.label, "by": by, "since": since, "until": until, "readings": out}


def tension_body(
    con: duckdb.DuckDBPyConnection,
    key: Key,
    by: str = "day",
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_sources: int = 1,
    top: int = 3,
    version: tuple[int, ...] | None = None,
    index: SeriesIndex | None = None,
) -> bytes:
    """``dumps(tension(...))``, written directly from the readings when ``index`` is given (the
    same bytes: a year by day is 365 readings with their top events, and building them as dicts
    to encode took as long as computing them)."""
    if index is None or by not in BYS:
        return dumps(tension(con, key, by, since, until, min_sources, top, version, index))
    assessed = assess(index.readings(key, by, min_sources, top, since, until), Baseline())
    items = []
    for a in assessed:
        r = a.reading
        tops = ",".join(f'{{"id":{head},"contribution":{_number(round(c, 3))},{tail}' for c, e in r.top
                        for head, tail in (index.top_json(e.id),))  # fmt: skip
        items.append(
            f'{{"period":"{r.period.isoformat()}","index":{_number(None if r.index is None else round(r.index, 3))},'
            f'"raw":{_number(round(r.raw, 3))},"status":{_STRINGS[r.status]},'
            f'"z":{_number(None if a.z is None else round(a.z, 3))},"trend":{_STRINGS[a.trend]},'
            f'"escalating":{_number(a.escalating)},"n_events":{_number(r.n_events)},'
            f'"n_sources":{_number(r.n_sources)},"volume":{_number(r.volume)},"top":[{tops}]}}'
        )
    head = dumps({"key": key.label, "by": by, "since": since, "until": until})
    return head[:-1] + b',"readings":[' + ",".join(items).encode("utf-8") + b"]}"


_STRINGS = {s: json.dumps(s) for s in ("ok", "insufficient coverage", "rising", "falling", "steady", "?")}


def _number(value: Any) -> str:
    """A number, bool or None as ``json.dumps`` writes it."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
