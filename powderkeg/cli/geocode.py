"""`powderkeg geocode FILE.jsonl`: the places named in {id, text, date?} records.

Output: one JSON line per input record, in input order:
``{"id": ..., "places": [{"start", "end", "text", "name", "lat", "lon",
"geonameid", "country", "feature", "precision"}, ...]}``. With
``--given-spans`` each record carries ``toponyms: [{"start", "end"}, ...]`` and
only those spans are resolved. Evaluation tools use this interface: keep it stable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ..geocode.gazetteer import Gazetteer
from ..geocode.resolve import resolve
from ..settings import Settings
from .app import ConfigOption, app, settings_from
from .code import read_records


def _given(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    text = str(record.get("text") or "")
    spans = []
    for t in record.get("toponyms") or []:
        try:
            start, end = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            spans.append((start, end, text[start:end]))
    return spans


def geocode_records(
    records: Iterator[dict[str, Any]], gaz: Gazetteer, given_spans: bool, settings: Settings
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    if given_spans:
        for record in records:
            yield record, [r.to_dict() for r in resolve(gaz, _given(record)) if r is not None]
        return
    from ..extract import load_nlp
    from ..geocode.toponyms import geocode_doc

    nlp = load_nlp(settings)
    texts = ((str(r.get("text") or ""), r) for r in records)
    disabled = [n for n in nlp.pipe_names if n == "pk_events"]
    for doc, record in nlp.pipe(texts, as_tuples=True, disable=disabled, batch_size=settings.batch_size):
        yield record, [r.to_dict() for r in geocode_doc(doc, gaz)]


@app.command("geocode")
def geocode_cli(
    path: Annotated[str, typer.Argument(help="JSONL of {id, text, date?} records, or - for stdin")],
    out: Annotated[str | None, typer.Option(help="write here instead of standard output")] = None,
    given_spans: Annotated[
        bool, typer.Option("--given-spans", help="resolve only each record's toponyms [{start, end}]")
    ] = False,
    gazetteer: Annotated[str | None, typer.Option(help="gazetteer file (default: the user cache)")] = None,
    config: ConfigOption = None,
) -> None:
    """Find and resolve place names; print one JSON line per record (nothing is stored)."""
    settings = settings_from(config, gazetteer=gazetteer)
    gaz = Gazetteer(settings.gazetteer or None)
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        for record, places in geocode_records(read_records(path), gaz, given_spans, settings):
            stream.write(json.dumps({"id": record.get("id"), "places": places}, ensure_ascii=False) + "\n")
    finally:
        if out:
            stream.close()
