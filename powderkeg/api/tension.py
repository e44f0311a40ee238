"""``/tension``: the tension index of a dyad, country or region, computed as ``powderkeg tension`` does."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import threading
import tomllib
from importlib import resources
from typing import Any

import duckdb

from ..analyze.escalation import Baseline, assess
from ..analyze.index import Key, readings
from ..analyze.regions import countries, is_country, region
from ..errors import BadParameter
from ..store.fuse import FuseTables

BYS = ("day", "week", "month")


def parse_key(text: str) -> Key:
    """``SRB-XKX`` (a dyad, either way), ``SRB>XKX`` (directed), ``SRB``, or ``region:western-balkans``."""
    text = text.strip()
    if text.lower().startswith("region:"):
        name = text.split(":", 1)[1]
        members = region(name, _rule_regions())
        if not members:
            raise BadParameter(
                f"unknown region {name!r}",
                remedy="a [regions] name of the alert rules or a UN M49 sub-region",
            )
        return Key(members, name=name)
    directed = ">" in text
    codes = [c.strip().upper() for c in text.replace(">", "-").split("-") if c.strip()]
    if len(codes) not in (1, 2):
        raise BadParameter(f"key {text!r} is not CODE, CODE-CODE, CODE>CODE or region:NAME")
    for code in codes:
        if not is_country(code):
            close = difflib.get_close_matches(code, sorted(countries()), n=3)
            raise BadParameter(
                f"{code!r} is not an ISO3 country code"
                + (f"; did you mean {', '.join(close)}?" if close else ""),
                remedy="Kosovo is XKX",
            )
    return Key.parse(codes, directed=directed)


_VOLUME: dict[str, Any] = {}
_VOLUME_LOCK = threading.Lock()


def volume_of(con: duckdb.DuckDBPyConnection, version: tuple[int, ...] | None) -> dict[dt.date, set[str]]:
    """Articles reporting any fused event, per day, over the whole store (the index's normaliser)."""
    with _VOLUME_LOCK:
        if version is not None and _VOLUME.get("version") == version:
            return _VOLUME["volume"]
    volume = FuseTables(con).volume(None, None)
    with _VOLUME_LOCK:
        _VOLUME.update(version=version, volume=volume)
    return volume


@functools.cache
def _rule_regions() -> dict[str, list[str]]:
    """The regions the packaged alert rules define (western-balkans, ...)."""
    text = resources.files("powderkeg.analyze").joinpath("default_alerts.toml").read_text("utf-8")
    return dict(tomllib.loads(text).get("regions", {}))


def tension(
    con: duckdb.DuckDBPyConnection,
    key: Key,
    by: str = "day",
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_sources: int = 1,
    top: int = 3,
    version: tuple[int, ...] | None = None,
) -> dict[str, Any]:
    """Readings as `powderkeg tension` computes them; ``version`` (``Access.version()``) lets the
    store-wide news volume be reused while the data has not changed."""
    if by not in BYS:
        raise BadParameter(f"by must be one of {', '.join(BYS)}, not {by!r}")
    codes = list(key.countries)
    rows = con.execute(
        "SELECT record FROM fused_events WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?)"
        " AND (list_has_any(source_keys, ?) OR list_has_any(target_keys, ?) OR list_contains(?, place_country)"
        " OR (coalesce(place_country, '') = '' AND list_contains(?, record->>'context_country')))"
        " ORDER BY date, id",
        [since, since, until, until, codes, codes, codes, codes],
    ).fetchall()
    events = [json.loads(r[0]) for r in rows]
    volume = volume_of(con, version)
    series = readings(events, volume, key, by, min_sources, top=top, since=since, until=until)
    out = []
    for a in assess(series, Baseline()):
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
                        "id": e["id"],
                        "contribution": round(c, 3),
                        "type": e["type"] + (f"/{e['mode']}" if e.get("mode") else ""),
                        "source": e["source"],
                        "target": e["target"],
                        "sentence": e["reports"][0]["sentence"] if e.get("reports") else "",
                    }
                    for c, e in r.top
                ],
            }
        )
    return {"key": key.label, "by": by, "since": since, "until": until, "readings": out}
