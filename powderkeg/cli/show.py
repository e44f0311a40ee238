"""`powderkeg show EVENT_ID`: one event with its sentence, coded spans highlighted."""

from __future__ import annotations

import json
from typing import Annotated, Any, NoReturn

import duckdb
import typer
from rich.console import Console
from rich.text import Text

from ..store import Store
from ..store.fused import FuseTables
from .app import ConfigOption, DbOption, LakeOption, app, settings_from
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
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one event with its evidence; for a fused event (F...), all its reports."""
    settings = settings_from(config, lake, db=db)
    with Store(settings.db, read_only=True) as store:
        fused = fused_view(store, event_id)
        if fused is not None:
            print_fused(fused, as_json)
            return
        event = store.event(event_id)
        if event is None:
            _no_single_match(store, event_id)
        evidence = store.evidence(event["id"], event["article_id"])
        article = store.article(event["article_id"]) or {}
        fused_id = _fused_of(store, event["id"])
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
    console = Console(markup=False, highlight=False)  # stored text is printed as it is, never as markup
    console.print(
        Text(event["type"], "bold"),
        (f"/{event['mode']}" if event.get("mode") else "")
        + f"  CAMEO {event['cameo']}  quad {event['quad_class']}  score {event['score']}"
        + f"  ACLED: {event['acled_type']}",
        sep="",
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
    if fused_id:
        console.print(f"fused event: {fused_id}  (powderkeg show {fused_id})")


def _no_single_match(store: Store, prefix: str) -> NoReturn:
    """Say whether no id starts with ``prefix`` or several do (and which), then exit 1."""
    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT id FROM events WHERE starts_with(id, ?) UNION ALL"
            " SELECT id FROM fused_events WHERE starts_with(id, ?) ORDER BY 1 LIMIT 6",
            [prefix, prefix],
        ).fetchall()
    ]
    if not ids:
        typer.echo(f"powderkeg: no event or fused event id starts with {prefix!r}", err=True)
    else:
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        typer.echo(
            f"powderkeg: {prefix!r} is ambiguous: {'more than 5' if len(ids) > 5 else len(ids)} ids start"
            f" with it ({shown}); give more of the id",
            err=True,
        )
    raise typer.Exit(1)


def _fused_of(store: Store, report_id: str) -> str | None:
    try:
        return FuseTables(store.con).fused_of_report(report_id)
    except duckdb.CatalogException:  # a store written before fusion existed
        return None


def fused_view(store: Store, event_id: str) -> dict[str, Any] | None:
    """The fused event an id names (ids of fused events start with F), with each report's evidence."""
    if not event_id.startswith("F"):
        return None
    try:
        tables = FuseTables(store.con)
        fid = tables.resolve(event_id)
    except duckdb.CatalogException:
        return None
    record = tables.record(fid) if fid else None
    if record is None:
        return None
    for report in record["reports"]:
        article = store.article(report["article_id"]) or {}
        report["title"] = article.get("title") or ""
        report["published"] = str(article.get("published") or "")
        report["evidence"] = [
            {"field": f, "start": s, "end": e, "text": t}
            for f, s, e, t in store.evidence(report["id"], report["article_id"])
        ]
    record["log"] = [
        {"seq": seq, "at": str(at), "action": action, "report_id": rid, "score": score, "reason": reason}
        for seq, at, action, _, rid, score, reason in tables.log(fid)
    ]
    return record


def print_fused(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    console = Console(markup=False, highlight=False)  # stored text is printed as it is, never as markup
    console.print(
        Text(record["type"], "bold"), (f"/{record['mode']}" if record.get("mode") else "")
        + f"  fused event {record['id']}  quad {record['quad_class']}  score {record['score']}", sep=""
    )  # fmt: skip
    console.print(
        f"source: {'+'.join(record['source']) or '-'}   target: {'+'.join(record['target']) or '-'}"
    )
    console.print(f"place: {record['place'].get('name') or '-'} {record['place'].get('country') or ''}")
    dates = record.get("dates") or {}
    console.print(
        f"date: {record.get('date') or '?'} ({record['date_precision']}, from {record['date_basis']})"
        + (
            f"  reports range {dates['min']} .. {dates['max']}"
            if dates and dates["min"] != dates["max"]
            else ""
        )
    )
    for name, spread in record["numbers"].items():
        values = ", ".join(f"{v} [{k[:10]}]" for k, v in spread["by_report"].items())
        console.print(
            f"{name}: {spread['min']}"
            + (f"-{spread['max']}" if spread["max"] != spread["min"] else "")
            + f"  ({values})"
        )
    if len(set(record["places"].values())) > 1:
        console.print("places: " + "; ".join(f"{v} [{k[:10]}]" for k, v in record["places"].items()))
    console.print(
        f"factuality: {record['factuality']}   {record['n_reports']} report(s) from {record['n_sources']} article(s):"
    )
    for i, report in enumerate(record["reports"], 1):
        console.print(
            Text(f"\n{i}.", "bold"),
            f" report {report['id']}  ({report['factuality']})  {report['title'] or report['outlet']}"
            f" {report['published']} [{report['article_id']}]",
            sep="",
        )
        console.print(Text("   " + report["sentence"]))
    console.print("\nmerge log:")
    for entry in record["log"]:
        console.print(
            f"  {entry['seq']:>4} {entry['action']:<7} {entry['report_id']}  {entry['reason'] or ''}"
        )
