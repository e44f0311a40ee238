"""`powderkeg backfill INPUT... --out LAKE/`: code an archive into a Parquet lake (locally or on Spark)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import BadParameter
from .app import ConfigOption, app, settings_from


@app.command("backfill")
def backfill_cli(
    inputs: Annotated[
        list[str],
        typer.Argument(help="JSONL or Parquet files or folders of {id, url, title, published, text}"),
    ],
    out: Annotated[str, typer.Option("--out", help="the lake: a folder (any filesystem Spark writes)")],
    engine: Annotated[str, typer.Option(help="local (this machine's cores) or spark")] = "local",
    master: Annotated[
        str, typer.Option(help="Spark master: local[N], spark://HOST:7077, yarn, k8s://https://HOST")
    ] = "local[*]",
    conf: Annotated[
        list[str] | None,
        typer.Option(
            "--conf", help="a Spark setting KEY=VALUE (repeatable), e.g. spark.archives=env.tar.gz#env"
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Code articles into LAKE/{articles,events,evidence,quarantine}/day=YYYY-MM-DD/; a day re-run is replaced."""
    from ..backfill import backfill

    pairs = [item.partition("=") for item in conf or []]
    if any(not key or not sep for key, sep, _ in pairs):
        bad = next(item for item, (key, sep, _) in zip(conf or [], pairs, strict=True) if not key or not sep)
        raise BadParameter(f"--conf {bad!r} is not KEY=VALUE", remedy="e.g. --conf spark.executor.memory=6g")
    spark_conf = {key: value for key, _, value in pairs}
    summary = backfill(inputs, out, settings_from(config), engine=engine, master=master, conf=spark_conf)
    typer.echo(
        f"{summary.documents} documents: {summary.articles} articles, {summary.events} events, "
        f"{summary.quarantined} quarantined, {summary.days} days written to {out} "
        f"in {summary.seconds:.1f} s ({summary.documents / max(summary.seconds, 1e-9):.1f} docs/s)"
    )
