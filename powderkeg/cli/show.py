"""`powderkeg show EVENT_ID`: one event with its sentence, coded spans highlighted."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from ..store import Store
from .app import ConfigOption, DbOption, app, settings_from
from .events import actor_text, numbers_text

STYLES = {
    "trigger": "bold red",
    "source": "bold cyan",
    "target": "bold magenta",
    "place": "green",
    "date": "yellow",
    "claimed_by": "blue",
    "factuality": "italic",
}


@app.command("show")
def show_cli(
    event_id: Annotated[str, typer.Argument(help="an event id, or a unique prefix of one")],
    as_json: Annotated[bool, typer.Option("--json", help="print the event as JSON")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one event with its evidence."""
    settings = settings_from(config, db=db)
    with Store(settings.db, read_only=True) as store:
        event = store.event(event_id)
        if event is None:
            typer.echo(f"no single event matches {event_id!r}", err=True)
            raise typer.Exit(1)
        evidence = store.evidence(event["id"])
        article = store.article(event["article_id"]) or {}
    if as_json:
        typer.echo(
            json.dumps(
                {
                    **event,
                    "evidence": [{"field": f, "start": s, "end": e, "text": t} for f, s, e, t in evidence],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console = Console()
    console.print(
        f"[bold]{event['type']}[/]"
        + (f"/{event['mode']}" if event.get("mode") else "")
        + f"  CAMEO {event['cameo']}  quad {event['quad_class']}  score {event['score']}"
        + f"  ACLED: {event['acled_type']}"
    )
    console.print(f"source: {actor_text(event['source']) or '-'}")
    console.print(f"target: {actor_text(event['target']) or '-'}")
    place = event.get("place") or {}
    console.print(
        f"place: {place.get('name') or '-'} {place.get('country') or ''}"
        f" ({place.get('precision') or 'unknown'})"
    )
    console.print(f"date: {event.get('date') or '?'} ({event['date_precision']})")
    if numbers_text(event["numbers"]):
        console.print(f"numbers: {numbers_text(event['numbers'])}")
    console.print(
        f"factuality: {event['factuality']}"
        + (f", claimed by {event['claimed_by']}" if event.get("claimed_by") else "")
    )
    console.print(
        f"article: {article.get('title') or ''} {article.get('url') or article.get('path') or ''}"
        f" [{event['article_id']}]"
    )
    text = article.get("text") or ""
    start = min([s for _, s, _, _ in evidence] + [len(text)])
    sent_start = text.find(event["sentence"][:40])
    if sent_start < 0:
        sent_start = start
    sentence = Text(event["sentence"])
    for field, s, e, _ in evidence:
        style = STYLES.get(field.split(".")[0], "underline")
        a, b = s - sent_start, e - sent_start
        if 0 <= a < b <= len(event["sentence"]):
            sentence.stylize(style, a, b)
    console.print("sentence:")
    console.print(sentence)
    console.print("evidence:")
    for field, s, e, t in evidence:
        console.print(f"  {field:<16} [{s}:{e}] {t!r}")
    console.print(f"rule: {event['rule']}  (confidence {event['confidence']})")
