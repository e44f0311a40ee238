"""What a query of events or fused events asks for: one definition for the CLI, the API and Python.

``Filters.parse`` reads what a user typed (``powderkeg events|fused`` options, the API's query
parameters) and checks every name: an unknown type, mode, country, region or factuality is
``BadParameter`` (E601) with the closest known names. ``where_events`` and ``where_fused`` turn
a ``Filters`` into SQL over the ``events`` and ``fused_events`` tables.

- ``country``: a source, target or place country (for fused events also the country their
  articles are about, as the tension index reads it). Codes, names ("Serbia") and
  ``region:NAME`` (its members) are accepted.
- ``actor`` (with ``side`` source/target, default either): a country (code or name), an
  organisation code (NATO, KFOR) or words of the actor's text ("Serb protesters").
- ``dyad``: two countries or organisations, one on each side, either way unless ``directed``
  (meetings and clashes, which have participants, either way always).
- ``type``, ``mode``, ``quad_class``, ``factuality``; counted (asserted and claimed) events
  unless ``include_unconfirmed`` or ``factuality`` says otherwise.
- ``since``/``until`` (dates; undated events match neither, nor do fused events of undated
  articles, which are kept in order by the day they were ingested), ``min_killed`` (fused events:
  the lowest figure their reports give), ``admin1`` (the place's first-level area: a
  GeoNames admin1 code, "VO", matched in any country, or one qualified by its country,
  "SRB.VO"; ``Filters.parse`` with ``admin1_codes``, as the CLI and the API call it, also
  takes names: "Vojvodina"),
  ``bbox`` (west, south, east, north in degrees), ``outlet`` (the news source: words of the
  article's source name, URL or file path), ``text`` (words of the evidence sentence).

A fused event matches an event-level condition (actor text, admin1, bbox, outlet, text) when
one of its reports does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import BadParameter
from ..knowledge.countries import country_code, place_codes
from ..knowledge.ontology import EVENT_TYPES, type_modes
from ..records import COUNTED, FACTUALITY

SIDES = ("source", "target")
#: fused events with a date of their own: not placed on the day an undated article was ingested
#: (those stay out of the tension index and the alerts; see README, "Undated articles")
DATED = "coalesce(date_basis, 'text') <> 'ingested'"


@dataclass(frozen=True)
class Filters:
    country: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    quad_class: tuple[int, ...] = ()
    factuality: tuple[str, ...] = ()
    include_unconfirmed: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    actor: tuple[str, ...] = ()  # codes (upper case) or words of an actor's text
    side: str = ""  # "" (either) | source | target
    dyad: tuple[str, ...] = ()  # two codes
    directed: bool = False
    min_killed: int | None = None
    admin1: tuple[str, ...] = ()  # admin1 codes, bare ("VO") or with their country ("SRB.VO")
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    outlet: str = ""
    text: str = ""
    article_id: str | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        """A plain string where a tuple is expected is one value (``Filters(country="SRB")``)."""
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and f.name in (
                "country",
                "type",
                "mode",
                "factuality",
                "actor",
                "dyad",
                "admin1",
            ):
                object.__setattr__(self, f.name, (value,) if value else ())
        object.__setattr__(self, "country", tuple(c.upper() for c in self.country))
        object.__setattr__(self, "type", tuple(t.upper() for t in self.type))

    @classmethod
    def parse(
        cls,
        country: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        factuality: str | None = None,
        text: str | None = None,
        include_unconfirmed: bool = False,
        *,
        mode: str | None = None,
        quad_class: str | None = None,
        actor: str | None = None,
        side: str | None = None,
        dyad: str | None = None,
        min_killed: int | None = None,
        admin1: str | None = None,
        bbox: str | None = None,
        outlet: str | None = None,
        limit: int | None = None,
        admin1_codes: Callable[[str], tuple[str, ...]] | None = None,
    ) -> Filters:
        """Filters from text as users type it (lists comma-separated), every name checked.

        ``admin1_codes`` turns a first-level area's name into its codes (``geocode.areas``'s
        ``Admin1Areas.codes``, which also checks it); without it ``admin1`` is taken as codes.
        """
        types = _known("type", _split(type, upper=True), EVENT_TYPES, "types are PLOVER's (docs/codebook.md)")
        modes = _split(mode)
        allowed = sorted({m for t in (types or EVENT_TYPES) for m in type_modes()[t]})
        _known("mode", modes, allowed, "see docs/codebook.md for each type's modes")
        pairs, directed = _dyad(dyad)
        if side and side not in SIDES:
            raise BadParameter(f"side must be source or target, not {side!r}")
        if min_killed is not None and min_killed < 0:
            raise BadParameter(f"minimum fatalities must be 0 or more, not {min_killed}")
        return cls(
            country=place_codes(country),
            type=types,
            mode=modes,
            quad_class=_quads(quad_class),
            factuality=_known(
                "factuality", _split(factuality), FACTUALITY, f"one of {', '.join(FACTUALITY)}"
            ),
            include_unconfirmed=include_unconfirmed,
            since=date_param("since", since),
            until=date_param("until", until),
            actor=tuple(_actor(a) for a in _split(actor, lower=False)),
            side=side or "",
            dyad=pairs,
            directed=directed,
            min_killed=min_killed,
            admin1=tuple(c for a in _split(admin1, lower=False) for c in (admin1_codes or _as_codes)(a)),
            bbox=_bbox(bbox),
            outlet=(outlet or "").strip(),
            text=(text or "").strip(),
            limit=limit,
        )

    def factualities(self) -> tuple[str, ...]:
        if self.factuality:
            return self.factuality
        return () if self.include_unconfirmed else COUNTED


#: the filter options of `powderkeg events|fused` and the API's query parameters, by the names
#: users type, and the ``Filters.parse`` argument each is
OPTIONS = {
    "country": "country", "type": "type", "mode": "mode", "quad": "quad_class",
    "factuality": "factuality", "since": "since", "until": "until", "actor": "actor", "side": "side",
    "dyad": "dyad", "min_fatalities": "min_killed", "admin1": "admin1", "bbox": "bbox",
    "source": "outlet", "text": "text", "include_unconfirmed": "include_unconfirmed", "limit": "limit",
}  # fmt: skip


def filters_from(
    options: Mapping[str, Any], admin1_codes: Callable[[str], tuple[str, ...]] | None = None
) -> Filters:
    """``Filters.parse`` of a command's options or a request's parameters, named as users name
    them (``quad``, ``min_fatalities``, ``source``); other names (``db``, ``format``) are not filters."""
    given = {OPTIONS[k]: v for k, v in options.items() if k in OPTIONS and v is not None}
    return Filters.parse(**given, admin1_codes=admin1_codes)


#: ``EventQuery(country="SRB", type="MOBILIZE")``: the name Python users know
EventQuery = Filters


def _split(value: str | None, upper: bool = False, lower: bool = True) -> tuple[str, ...]:
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    return tuple(p.upper() if upper else p.lower() if lower else p for p in parts)


def _known(name: str, values: tuple[str, ...], known: Sequence[str], remedy: str) -> tuple[str, ...]:
    for value in values:
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadParameter(f"unknown {name} {value!r}{hint}", remedy=remedy)
    return values


def _as_codes(value: str) -> tuple[str, ...]:
    return (value,)


def date_param(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name} {value!r} is not a date", remedy="write dates as YYYY-MM-DD") from None


def _quads(value: str | None) -> tuple[int, ...]:
    quads = _split(value)
    if any(q not in ("1", "2", "3", "4") for q in quads):
        raise BadParameter(
            f"quad class {value!r} is not 1..4",
            remedy="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        )
    return tuple(int(q) for q in quads)


def _actor(value: str) -> str:
    """A country's code for a country code or name, else the value: an organisation code
    (matched as such) or words of actors' texts (matched ignoring case)."""
    try:
        return country_code(value)
    except BadParameter:
        return value


def _dyad(value: str | None) -> tuple[tuple[str, ...], bool]:
    if not value:
        return (), False
    directed = ">" in value
    parts = [p.strip() for p in value.replace(">", "-").split("-") if p.strip()]
    if len(parts) != 2:
        raise BadParameter(
            f"dyad {value!r} is not two actors", remedy="e.g. SRB-XKX (either way) or SRB>XKX (directed)"
        )
    return tuple(_actor(p).upper() for p in parts), directed


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise BadParameter(
            f"bbox {value!r} is not four numbers", remedy="give WEST,SOUTH,EAST,NORTH in degrees"
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise BadParameter(f"bbox {value!r} is out of range", remedy="give WEST,SOUTH,EAST,NORTH in degrees")
    return west, south, east, north


def _literals(values: Sequence[str]) -> str:
    """Values already checked against a closed set (types, countries, factualities) as SQL literals:
    DuckDB filters a column against literals several times faster than against a bound list."""
    assert all(v.replace("_", "").replace("-", "").isalnum() for v in values)
    return ", ".join(f"'{v}'" for v in values)


def _is_code(value: str) -> bool:
    return value.isupper() and value.replace("_", "").isalnum()


# -- events ------------------------------------------------------------------

_SIDE_CODES = "list_concat({0}_countries, {0}_orgs)"
_SIDE_TEXT = "lower(array_to_string(json_extract_string(record, '$.{0}[*].text'), ' | '))"


def where_events(f: Filters) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) on the ``events`` table."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.type:
        clauses.append(f"type IN ({_literals(f.type)})")
    if f.mode:
        clauses.append("list_contains(?, mode)")
        params.append(list(f.mode))
    if f.quad_class:
        clauses.append(f"quad_class IN ({', '.join(str(q) for q in f.quad_class)})")
    _dates(f, clauses, params)
    if facts := f.factualities():
        clauses.append(f"factuality IN ({_literals(facts)})")
    if f.country:  # list_contains per code is twice as fast as list_has_any with a list
        clauses.append(
            "("
            + " OR ".join(
                f"place_country = '{c}' OR list_contains(source_countries, '{c}')"
                f" OR list_contains(target_countries, '{c}')"
                for c in _literals(f.country).replace("'", "").split(", ")
            )
            + ")"
        )
    for actor in f.actor:
        sides = (f.side,) if f.side else SIDES
        if _is_code(actor):
            clauses.append(
                "(" + " OR ".join(f"list_contains({_SIDE_CODES.format(s)}, ?)" for s in sides) + ")"
            )
            params += [actor] * len(sides)
        else:
            clauses.append("(" + " OR ".join(f"contains({_SIDE_TEXT.format(s)}, ?)" for s in sides) + ")")
            params += [actor.lower()] * len(sides)
    if f.dyad:
        a, b = f.dyad
        forward = f"list_contains({_SIDE_CODES.format('source')}, ?) AND list_contains({_SIDE_CODES.format('target')}, ?)"
        clauses.append(f"(({forward})" + ("" if f.directed else f" OR ({forward})") + ")")
        params += [a, b] if f.directed else [a, b, b, a]
    if f.min_killed is not None:
        clauses.append("killed >= ?")
        params.append(f.min_killed)
    if f.admin1:  # a bare code in any country, a qualified one in its own
        codes = [a.upper() for a in f.admin1]
        admin1, country = "upper(record->>'$.place.admin1')", "record->>'$.place.country'"
        clauses.append(f"(list_contains(?, {admin1}) OR list_contains(?, concat({country}, '.', {admin1})))")
        params += [codes, codes]
    if f.bbox:
        west, south, east, north = f.bbox
        lat, lon = "TRY_CAST(record->>'$.place.lat' AS DOUBLE)", "TRY_CAST(record->>'$.place.lon' AS DOUBLE)"
        clauses.append(f"{lat} BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            clauses.append(f"{lon} BETWEEN ? AND ?")
            params += [west, east]
        else:  # across the antimeridian
            clauses.append(f"({lon} >= ? OR {lon} <= ?)")
            params += [west, east]
    if f.outlet:
        clauses.append(
            "article_id IN (SELECT id FROM articles WHERE contains(lower(concat_ws(' ', source, url, path, title)), ?))"
        )
        params.append(f.outlet.lower())
    if f.text:
        clauses.append("contains(lower(sentence), ?)")
        params.append(f.text.lower())
    if f.article_id:  # by the article's number, which its events carry and are stored in order of
        clauses.append("seq IN (SELECT seq FROM articles WHERE id = ?)")
        params.append(f.article_id)
    return clauses, params


# -- fused events ------------------------------------------------------------

#: event-level conditions that a fused event meets when one of its reports does
_REPORT_LEVEL = ("admin1", "bbox", "outlet", "text")


def where_fused(f: Filters) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) on the ``fused_events`` table."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.factuality:
        clauses.append("list_contains(?, factuality)")
        params.append(list(f.factuality))
    if f.country:
        clauses.append(
            "(list_has_any(source_keys, ?) OR list_has_any(target_keys, ?) OR list_contains(?, place_country)"
            " OR list_contains(?, record->>'context_country'))"
        )
        params += [list(f.country)] * 4
    if f.type:
        clauses.append("list_contains(?, type)")
        params.append(list(f.type))
    if f.mode:
        clauses.append("list_contains(?, mode)")
        params.append(list(f.mode))
    if f.quad_class:
        clauses.append("list_contains(?, quad_class)")
        params.append(list(f.quad_class))
    _dates(f, clauses, params)
    if f.since or f.until:  # undated articles' events are not placed on the day they were ingested
        clauses.append(DATED)
    symmetric = "list_concat(source_keys, target_keys)"
    for actor in (a for a in f.actor if _is_code(a)):
        sides = [f"{f.side}_keys"] if f.side else ["source_keys", "target_keys"]
        clauses.append("(" + " OR ".join(f"list_contains({s}, ?)" for s in sides) + ")")
        params += [actor] * len(sides)
    if f.dyad:
        a, b = f.dyad
        forward = "list_contains(source_keys, ?) AND list_contains(target_keys, ?)"
        sym = f"(list_contains({symmetric}, ?) AND list_contains({symmetric}, ?))"
        clauses.append(f"(({forward}) OR {sym})" if f.directed else f"(({forward}) OR ({forward}) OR {sym})")
        params += ([a, b] if f.directed else [a, b, b, a]) + [a, b]
    if f.min_killed is not None:
        clauses.append("killed_min >= ?")
        params.append(f.min_killed)
    words = tuple(a for a in f.actor if not _is_code(a))
    if words or any(getattr(f, k) for k in _REPORT_LEVEL):
        # the reports of a fused event are counted ones: no factuality condition on them
        of_reports = Filters(
            actor=words, side=f.side, include_unconfirmed=True, **{k: getattr(f, k) for k in _REPORT_LEVEL}
        )
        sub, sub_params = where_events(of_reports)
        clauses.append(
            "id IN (SELECT fused_id FROM fused_members WHERE report_id IN"
            f" (SELECT id FROM events {sql_where(sub)}))"
        )
        params += sub_params
    return clauses, params


def _dates(f: Filters, clauses: list[str], params: list[Any]) -> None:
    if f.since:
        clauses.append("date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("date <= ?")
        params.append(f.until)


def sql_where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""
