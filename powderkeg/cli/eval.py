"""`powderkeg eval KIND FILE`: score the coder on a gold file of one kind of set.

KIND is looked up in ``powderkeg.eval.KINDS`` (plover, fiveway, case2021,
petrarch, seed, geo, actors, india_police); each figure is printed with its n
and a bootstrap 95% interval, then the same figure on the set's "look" and
"confirm" halves. ``--json`` prints the report as JSON; ``--errors N``
adds the N worst misses of the look half (sentence, gold, prediction): errors
are studied there only, so that the confirm half stays a fair check.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..errors import ConfigError
from ..eval.report import format_report
from .app import ConfigOption, app, settings_from


@app.command("eval")
def eval_cli(
    kind: Annotated[
        str,
        typer.Argument(
            help="plover | fiveway | case2021 | petrarch | seed | geo | actors | india_police | fiveway_lower | plover_lower"
        ),
    ],
    path: Annotated[str, typer.Argument(help="gold file of that kind (JSONL, or JSON for seed/actors)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    errors: Annotated[
        int, typer.Option("--errors", help="also list the N worst misses of the look half")
    ] = 0,
    config: ConfigOption = None,
) -> None:
    """Score the coder on a gold file: each figure with its n and a 95% interval."""
    from ..eval import KINDS, evaluator
    from ..pipeline import Pipeline

    try:
        evaluate = evaluator(kind)
    except KeyError:
        raise ConfigError(f"unknown eval kind {kind!r}", remedy=f"use one of {', '.join(KINDS)}") from None
    except ModuleNotFoundError as exc:
        raise ConfigError(f"eval kind {kind!r} is not available here ({exc.name})") from None
    report = evaluate(path, Pipeline(settings_from(config)), errors=errors).to_dict()
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report))
