"""Score the coder on PLOVER gold-standard records (plover_gsr.jsonl format).

Each record: ``text``, ``event`` (PLOVER type), ``source`` and ``target``
(lists of ``{text, country, sector}``). Per sentence the coder's primary
PLOVER event (extract/primary.py) is compared with the gold:

- event type: accuracy, macro-F1 over the 16 types, weighted F1, coverage;
- dyads: micro P/R/F1 over (source countries, target countries, type)
  triples, one per sentence, compound actors as unordered sets. A symmetric
  event coded as two directed events (same trigger, sides swapped) is read
  as one triple with both actors as sources, as the gold writes "SRC/TAR".
- location: where the gold names one, whether the primary event's place has
  that name (case and accents aside); no place counts as a miss.

Countries: an actor's ISO3 country, else ``INT`` for an organisation with
no country; the gold's IGO/NGO/IMG/ISM are ``INT`` too, and the few CAMEO
country codes that differ from ISO3 (JAP, ITL, ...) are read as ISO3.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract.primary import primary
from ..knowledge.ontology import PLOVER_TYPES
from ..records import Actor, Event
from .common import classification, code_records, read_jsonl, score_rows, set_prf_part
from .report import Metric, Report, bootstrap, mean

if TYPE_CHECKING:
    from ..pipeline import Pipeline

TRANSNATIONAL = {"IGO", "NGO", "IMG", "ISM", "INT", "MNC"}
CAMEO_TO_ISO3 = {"JAP": "JPN", "ITL": "ITA", "GMY": "DEU", "ROM": "ROU", "KOS": "XKX", "UK": "GBR"}

Triple = tuple[frozenset, frozenset, str]


def gold_country(code: str | None) -> str | None:
    if not code:
        return None
    code = code.upper()
    return "INT" if code in TRANSNATIONAL else CAMEO_TO_ISO3.get(code, code)


def actor_country(actor: Actor) -> str | None:
    return actor.country or ("INT" if actor.org else None)


def _countries(actors: Iterable[Any], of: Callable[[Any], str | None]) -> frozenset[str]:
    return frozenset(c for c in map(of, actors) if c)


def gold_triple(record: dict[str, Any]) -> Triple:
    def of(a: dict) -> str | None:
        return gold_country(a.get("country"))

    return (_countries(record["source"], of), _countries(record["target"], of), record["event"])


def predicted_triple(event: Event, events: Sequence[Event]) -> Triple:
    sources = _countries(event.source, actor_country)
    targets = _countries(event.target, actor_country)
    twin = any(
        e is not event
        and e.spans.get("trigger") == event.spans.get("trigger")
        and e.type == event.type
        and {a.key for a in e.source} == {a.key for a in event.target}
        for e in events
    )
    if twin:
        return (sources | targets, frozenset(), event.type)
    return (sources, targets, event.type)


def located(record: dict[str, Any], event: Event | None) -> bool | None:
    """Whether ``event`` happened where the gold says (None: the gold names no place)."""
    gold = (record.get("location") or {}).get("name")
    if not gold:
        return None
    return event is not None and event.place is not None and _folded(event.place.name) == _folded(gold)


def _folded(name: str) -> str:
    """A name without case, accents or marks: "Sāmarrā’" is "samarra"."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    return " ".join(
        "".join(c if c.isalnum() else " " for c in letters if not unicodedata.combining(c)).split()
    )


def figures(rows: Sequence[tuple]) -> list[Metric]:
    """Type, dyad and location figures of ``(record, gold type, predicted type, event, dyad)`` rows."""
    dyads = [row[4] for row in rows]
    out = classification([(g, p) for _, g, p, _, _ in rows], PLOVER_TYPES, "type")
    for i, name in enumerate(("dyad_precision", "dyad_recall", "dyad_f1")):
        out.append(bootstrap(dyads, set_prf_part(i), name))
    places = [found for record, _, _, event, _ in rows if (found := located(record, event)) is not None]
    out.append(bootstrap(places, mean, "location_accuracy"))
    out.append(Metric("sentences", len(rows), len(rows)))
    return out


def evaluate(
    path: str | Path,
    pipeline: Pipeline | None = None,
    errors: int = 0,
    text: Callable[[str], str] | None = None,
) -> Report:
    """The PLOVER report on the gold file at ``path``; ``text`` rewrites each sentence before it
    is coded (``eval/messy.py``)."""
    records = read_jsonl(path, ["text", "event", "source", "target"])
    rows = []
    for record, events in code_records(records, pipeline, text):
        event = primary(events, plover_only=True)
        dyad = ({gold_triple(record)}, {predicted_triple(event, events)} if event else set())
        rows.append((record, record["event"], event.type if event else None, event, dyad))
    report = Report(
        "plover", str(path), notes=["primary PLOVER event per sentence; no event counts as a miss"]
    )
    return score_rows(report, rows, figures, errors)
