"""The endpoints. Each request is one unit of work on the store (one read, or one write batch)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response

from ..errors import BadParameter
from ..store.filters import filters_from
from ..store.sources import SourceBook
from .http import dumps, etagged, page_body, page_size
from .queries import Filters, event_feature, events_page, feature, fused_page, timeline, with_points
from .tension import BYS, parse_key, tension_body
from .views import alerts_page, article_detail, fused_detail

router = APIRouter()

Country = Annotated[str | None, Query(description="ISO3 codes of source, target or place, comma-separated")]
Type = Annotated[str | None, Query(description="PLOVER types, comma-separated (ASSAULT,PROTEST)")]
Since = Annotated[str | None, Query(description="first date, YYYY-MM-DD")]
Until = Annotated[str | None, Query(description="last date, YYYY-MM-DD")]
Fact = Annotated[
    str | None, Query(description="asserted, claimed, denied, hypothetical, future (comma-separated)")
]
Text = Annotated[str | None, Query(description="words that the evidence sentence contains")]
Unconfirmed = Annotated[bool, Query(description="also denied, hypothetical and future events")]
Mode = Annotated[str | None, Query(description="PLOVER modes, comma-separated (clash,riot)")]
Quad = Annotated[str | None, Query(description="quad classes 1-4, comma-separated")]
Actor = Annotated[
    str | None,
    Query(description="an actor (country code or name, organisation code, or words) on either side"),
]
Side = Annotated[str | None, Query(description="where `actor` stands: source or target")]
Dyad = Annotated[str | None, Query(description="two actors, one on each side: SRB-XKX (either way), SRB>XKX")]
MinKilled = Annotated[int | None, Query(description="at least this many killed")]
Admin1 = Annotated[
    str | None,
    Query(description="the place's first-level area: name (Vojvodina) or GeoNames admin1 code (VO, SRB.VO)"),
]
Bbox = Annotated[str | None, Query(description="places inside WEST,SOUTH,EAST,NORTH (degrees)")]
Outlet = Annotated[str | None, Query(description="news source: words of its name, URL or file path")]
Size = Annotated[int, Query(description="items per page, at most 500")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]


def _state(request: Request) -> Any:
    return request.app.state.pk


async def event_filters(  # async: parsing needs no trip to the thread pool
    request: Request,
    country: Country = None,
    type: Type = None,
    since: Since = None,
    until: Until = None,
    factuality: Fact = None,
    text: Text = None,
    include_unconfirmed: Unconfirmed = False,
    mode: Mode = None,
    quad: Quad = None,
    actor: Actor = None,
    side: Side = None,
    dyad: Dyad = None,
    min_fatalities: MinKilled = None,
    admin1: Admin1 = None,
    bbox: Bbox = None,
    source: Outlet = None,
) -> Filters:
    """The filters of `powderkeg events` (store/filters.py)."""
    return filters_from(locals(), _state(request).areas.codes)  # the parameters, by their names


async def fused_filters(
    request: Request,
    country: Country = None,
    type: Type = None,
    since: Since = None,
    until: Until = None,
    factuality: Fact = None,
    text: Text = None,
    mode: Mode = None,
    quad: Quad = None,
    actor: Actor = None,
    side: Side = None,
    dyad: Dyad = None,
    min_fatalities: MinKilled = None,
    admin1: Admin1 = None,
    bbox: Bbox = None,
    source: Outlet = None,
) -> Filters:
    """The filters of `powderkeg fused`; fused events are counted ones (asserted or claimed) only."""
    return filters_from(locals(), _state(request).areas.codes)


EventFilters = Annotated[Filters, Depends(event_filters)]
FusedFilters = Annotated[Filters, Depends(fused_filters)]


@router.get("/events", tags=["events"])
def events(
    request: Request,
    f: EventFilters,
    page_size: Size = 100,
    cursor: Cursor = None,
) -> Response:
    """Coded reports (the event contract of `powderkeg events --format jsonl`), oldest first."""
    size = _size(page_size)
    state = _state(request)
    index = state.events_index.get()
    with state.access.read() as con:
        page = events_page(con, f, size, cursor, index)
    return etagged(request, page_body(page.records, page.next_cursor))


@router.get("/events.geojson", tags=["events"])
def events_geojson(
    request: Request,
    f: EventFilters,
    page_size: Size = 500,
    cursor: Cursor = None,
) -> Response:
    """The page's events that have a place, as a GeoJSON FeatureCollection."""
    state = _state(request)
    index = state.events_index.get()
    with state.access.read() as con:
        page = events_page(con, f, _size(page_size), cursor, index)
    features = [x for x in map(event_feature, page.records) if x is not None]
    body = {"type": "FeatureCollection", "features": features, "next_cursor": page.next_cursor}
    return etagged(request, dumps(body), "application/geo+json")


@router.get("/fused", tags=["fused events"])
def fused(
    request: Request,
    f: FusedFilters,
    page_size: Size = 100,
    cursor: Cursor = None,
) -> Response:
    """Real-world events (reports fused), oldest first, each with a ``point`` to map it."""
    items, next_cursor = _fused_items(request, f, page_size, cursor)
    return etagged(request, dumps({"next_cursor": next_cursor, "count": len(items), "items": items}))


@router.get("/fused.geojson", tags=["fused events"])
def fused_geojson(
    request: Request,
    f: FusedFilters,
    page_size: Size = 500,
    cursor: Cursor = None,
) -> Response:
    """Fused events with a point, as a GeoJSON FeatureCollection."""
    items, next_cursor = _fused_items(request, f, page_size, cursor)
    features = [feature(r, r["point"]["lat"], r["point"]["lon"]) for r in items if r["point"]]
    body = {"type": "FeatureCollection", "features": features, "next_cursor": next_cursor}
    return etagged(request, dumps(body), "application/geo+json")


@router.get("/fused/{fused_id}", tags=["fused events"])
def fused_one(request: Request, fused_id: str) -> Response:
    """One fused event: its reports with their articles and evidence, figures by report, merge log."""
    state = _state(request)
    memo = (state.access.path, fused_id, state.access.version())
    body = _FUSED.get(memo)
    if body is None:
        index = state.events_index.get()
        with state.access.read() as con:
            body = dumps(fused_detail(con, fused_id, index))
        _FUSED.put(memo, body)
    return etagged(request, body)


@router.get("/timeline", tags=["fused events"])
def timeline_counts(
    request: Request,
    f: FusedFilters,
    by: Annotated[str, Query(description="day, week or month")] = "day",
) -> Response:
    """Fused events per period and quad class, for the same filters as ``/fused``."""
    if by not in BYS:
        raise BadParameter(f"by must be one of {', '.join(BYS)}")
    with _state(request).access.read() as con:
        periods = timeline(con, f, by)
    return etagged(request, dumps({"by": by, "periods": periods}))


@router.get("/articles/{article_id}", tags=["articles"])
def article(request: Request, article_id: str) -> Response:
    """An article's text, with the evidence spans (character offsets) of its events."""
    with _state(request).access.read() as con:
        record = article_detail(con, article_id)
    return etagged(request, dumps(record))


@router.post("/articles", tags=["articles"], status_code=201)
def post_articles(
    request: Request,
    payload: Annotated[
        Any,
        Body(
            description="one article {text, id?, title?, url?, published?, source?} or a list of them",
            examples=[{"id": "a1", "title": "...", "published": "2023-05-29", "text": "..."}],
        ),
    ],
) -> Response:
    """Ingest articles (bearer token required); returns their stored ids and events."""
    from .ingest import ingest

    result = ingest(_state(request), payload)
    status = 201 if any(a["new"] for a in result["articles"]) else 200
    return Response(dumps(result), status, media_type="application/json")


@router.get("/tension", tags=["tension"])
def tension_series(
    request: Request,
    key: Annotated[str, Query(description="SRB-XKX (dyad), SRB>XKX (directed), SRB, or region:NAME")],
    by: Annotated[str, Query(description="day, week or month")] = "day",
    since: Since = None,
    until: Until = None,
    min_sources: Annotated[int, Query(ge=1, description="articles needed in a period for a reading")] = 1,
    top: Annotated[int, Query(ge=0, le=20, description="contributing events per period")] = 3,
) -> Response:
    """The tension index per period with escalations and insufficient-coverage periods."""
    f = Filters.parse(since=since, until=until)
    parsed = parse_key(key)
    state = _state(request)
    version = state.access.version()
    memo = (parsed, by, f.since, f.until, min_sources, top, version)
    body = _TENSION.get(memo)
    if body is None:
        index = state.fused_index.get(version)
        with state.access.read() as con:
            body = tension_body(con, parsed, by, f.since, f.until, min_sources, top, version, index)
        _TENSION.put(memo, body)
    return etagged(request, body)


@router.get("/alerts", tags=["alerts"])
def alerts(
    request: Request,
    since: Since = None,
    until: Until = None,
    key: Annotated[str | None, Query(description="SRB-XKX, SRB, region:western-balkans")] = None,
    page_size: Size = 100,
    cursor: Cursor = None,
) -> Response:
    """Alerts that fired (run `powderkeg alerts` or `run --alerts` to evaluate rules), newest first."""
    f = Filters.parse(since=since, until=until)
    with _state(request).access.read() as con:
        records, nxt = alerts_page(con, f.since, f.until, key, _size(page_size), cursor)
    return etagged(request, page_body(records, nxt))


@router.get("/sources", tags=["sources"])
def sources(request: Request) -> Response:
    """Each watched source's health: last success, last error and why, entries, fetch time."""
    with _state(request).access.read() as con:
        rows = SourceBook(_ConHolder(con)).health()  # type: ignore[arg-type]
    return etagged(request, dumps({"items": rows}))


@router.get("/briefs", tags=["briefs"])
def briefs(
    request: Request,
    key: Annotated[str | None, Query(description="SRB-XKX, SRB or region:NAME")] = None,
    article: Annotated[
        str | None, Query(description="one article's id (or a unique prefix) instead of a key")
    ] = None,
    since: Since = None,
    until: Until = None,
    format: Annotated[str, Query(description="json, md or html")] = "json",
) -> Response:
    """A grounded situation brief (as `powderkeg brief`): every sentence cites fused events, and
    every number, date and name in it was checked against the cited evidence."""
    from ..brief import build_brief
    from ..brief.render import render
    from ..store import Store

    if (key is None) == (article is None):
        raise BadParameter("give exactly one of key and article")
    if format not in ("json", "md", "html"):
        raise BadParameter(f"format must be json, md or html, not {format!r}")
    f = Filters.parse(since=since, until=until)
    settings = _state(request).settings
    with Store(settings.db, read_only=True, wait=settings.lock_wait) as store:
        brief = build_brief(store, key, f.since, f.until, article=article)
    if format == "json":
        return etagged(request, brief.to_json(indent=None).encode("utf-8"))
    media = "text/html; charset=utf-8" if format == "html" else "text/markdown; charset=utf-8"
    return etagged(request, render(brief, format).encode("utf-8"), media)


class _Memo:
    """The last ``size`` answers, keyed with the data version: a series or a fused event's page is
    computed once per change of the store however many dashboards ask for it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> bytes | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: Any, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_TENSION = _Memo(256)
_FUSED = _Memo(4096)  # a fused event's page is a few kB; five lookups of ~1 ms each to build


class _ConHolder:
    """Just enough of a Store for SourceBook's reads."""

    def __init__(self, con: Any) -> None:
        self.con = con


def _fused_items(request: Request, f: Filters, size: int, cursor: str | None) -> tuple[list[Any], str | None]:
    with _state(request).access.read() as con:
        page = fused_page(con, f, _size(size), cursor)
        return with_points(con, page.records), page.next_cursor


def _size(value: int) -> int:
    return page_size(value)
