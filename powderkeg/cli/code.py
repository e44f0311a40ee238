"""`powderkeg code FILE.jsonl`: code {id, text, date?} records without storing them.

Output: one JSON line per input record, ``{"id": ..., "events": [event, ...]}``,
in input order. This is the interface evaluation tools use: keep it stable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ..pipeline import Pipeline
from .app import ConfigOption, app, settings_from


def read_records(path: str) -> Iterator[dict[str, Any]]:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                typer.echo(f"line {number}: invalid JSON ({exc.msg}); coded as no events", err=True)
                record = {"id": f"line-{number}", "text": ""}
            if not isinstance(record, dict):
                record = {"id": f"line-{number}", "text": ""}
            yield record
    finally:
        if stream is not sys.stdin:
            stream.close()


@app.command("code")
def code_cli(
    path: Annotated[str, typer.Argument(help="JSONL of {id, text, date?} records, or - for stdin")],
    out: Annotated[str | None, typer.Option(help="write here instead of standard output")] = None,
    include_unconfirmed: Annotated[
        bool, typer.Option(help="also denied, hypothetical and future events")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Code records and print their events as JSON lines (nothing is stored)."""
    settings = settings_from(config)
    pipeline = Pipeline(settings)
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        for record, events in pipeline.code_texts(read_records(path)):
            kept = [e.to_dict() for e in events if include_unconfirmed or e.counted]
            stream.write(json.dumps({"id": record.get("id"), "events": kept}, ensure_ascii=False) + "\n")
    finally:
        pipeline.close()
        if out:
            stream.close()
