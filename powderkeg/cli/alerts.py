"""`powderkeg alerts`: evaluate alert rules over the stored fused events, and list alerts."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from ..analyze.alerts import AlertEngine
from ..analyze.rules import load_rules
from ..analyze.sinks import Dispatcher, JsonlSink, WebhookSink, build_sinks, text_lines
from ..fuse import fuse
from ..ingest.web import guarded_client
from ..settings import Settings
from ..store import Store
from .app import ConfigOption, DbOption, app, day, settings_from

RulesOption = Annotated[
    str, typer.Option("--rules", help="alert rules TOML, or `default` (the packaged rules)")
]


def engine_for(
    store: Store,
    rules_path: str,
    settings: Settings,
    jsonl: str | None = None,
    webhook: str | None = None,
    slack: bool = False,
) -> AlertEngine:
    """An alert engine with the rules' sinks, plus any given on the command line for every rule;
    deliveries an earlier run left open are queued again. Webhooks go through the fetcher's guard."""
    rules = load_rules(rules_path)
    client = guarded_client(settings)
    sinks = dict(build_sinks(rules.sinks, client=client))
    extra = []
    if jsonl:
        sinks["cli-jsonl"] = JsonlSink(jsonl, "cli-jsonl")
        extra.append("cli-jsonl")
    if webhook:
        sinks["cli-webhook"] = WebhookSink(webhook, "cli-webhook", slack=slack, client=client)
        extra.append("cli-webhook")
    if extra:
        rules = dataclasses.replace(
            rules, rules=tuple(dataclasses.replace(r, sinks=r.sinks + tuple(extra)) for r in rules.rules)
        )
    engine = AlertEngine(store.con, rules, sinks, Dispatcher())
    engine.resend()
    return engine


@app.command("alerts")
def alerts_cli(
    rules: RulesOption = "default",
    since: Annotated[str | None, typer.Option(help="list alerts from this date, YYYY-MM-DD")] = None,
    jsonl: Annotated[str | None, typer.Option(help="also append every new alert to this JSONL file")] = None,
    webhook: Annotated[str | None, typer.Option(help="also POST every new alert to this URL")] = None,
    slack: Annotated[bool, typer.Option(help="post a Slack-compatible payload to --webhook")] = False,
    list_all: Annotated[
        bool, typer.Option("--list", help="list every stored alert with its evidence")
    ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Evaluate the alert rules on every fused event (in date order) and send new alerts to their sinks."""
    settings = settings_from(config, db=db)
    with Store(settings.db, create=False) as store:
        fuse(store.con)  # reports not fused yet (a store written before fusion existed)
        engine = engine_for(store, rules, settings, jsonl, webhook, slack)
        ids = [r[0] for r in store.con.execute("SELECT id FROM fused_events ORDER BY date, id").fetchall()]
        fired = engine.observe(ids)
        engine.close()
        stored = engine.stored(day(since, "since"))
    failed = engine.dispatcher.failed if engine.dispatcher is not None else []
    typer.echo(f"{len(fired)} new alert(s); {len(stored)} stored (rules: {engine.rules.path})")
    for sink, alert_id, error in failed:
        typer.echo(f"delivery to {sink} failed for {alert_id}: {error}", err=True)
    if list_all:
        for alert in stored:
            typer.echo("\n".join(text_lines(alert)))
