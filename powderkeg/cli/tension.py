"""`powderkeg tension SRB XKX`: the tension index of a dyad (or of one country) over time."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..analyze.escalation import Assessment, Baseline, assess
from ..analyze.index import parse_key, readings
from ..errors import ConfigError
from ..fuse import fuse
from ..store import Store
from ..store.fused import FuseTables
from .app import ConfigOption, DbOption, LakeOption, app, day, settings_from


class By(StrEnum):
    day = "day"
    week = "week"
    month = "month"


def top_text(a: Assessment, width: int = 50) -> str:
    lines = []
    for c, e in a.reading.top:
        sentence = e.reports[0].sentence
        sentence = sentence if len(sentence) <= width else sentence[: width - 1] + "\u2026"
        lines.append(
            f"{c:+.1f} {e.label} {'+'.join(e.source_keys) or '?'}\u2192{'+'.join(e.target_keys) or '?'}"
            f" x{e.n_sources} {e.id[:10]} [dim]{escape(sentence)}[/]"
        )
    return "\n".join(lines)


def table(assessed: list[Assessment], title: str, width: int = 160) -> Table:
    """The readings, runs of periods without coverage collapsed into one row."""
    t = Table(title=title, show_lines=True)
    for name, least in (
        ("period", 12),
        ("index", 12),
        ("trend", 12),
        ("z", 5),
        ("events", 6),
        ("sources", 7),
    ):
        t.add_column(name, min_width=least)
    t.add_column(
        "top contributing events: contribution, type, dyad, x sources, id, evidence",
        no_wrap=True,
        overflow="ellipsis",
        max_width=max(30, width - 85),
    )
    gap: list[Assessment] = []

    def flush_gap() -> None:
        if gap:
            span = str(gap[0].reading.period) + (f"\n\u2026 {gap[-1].reading.period}" if len(gap) > 1 else "")
            t.add_row(span, "[dim]insufficient\ncoverage[/]", "", "", "0", "0", "")
            gap.clear()

    for a in assessed:
        r = a.reading
        if r.index is None:
            gap.append(a)
            continue
        flush_gap()
        style = "bold red" if a.escalating else ""
        index = f"[{style}]{r.index:.1f}[/]" if style else f"{r.index:.1f}"
        trend = {"rising": "\u25b2 rising", "falling": "\u25bc falling"}.get(a.trend, "= steady")
        trend = "[bold red]\u25b2 ESCALATION[/]" if a.escalating else trend
        t.add_row(
            str(r.period),
            index,
            trend,
            f"{a.z:.1f}",
            str(r.n_events),
            str(r.n_sources),
            top_text(a),
        )
    flush_gap()
    return t


def plot(assessed: list[Assessment], title: str, path: str) -> None:
    try:
        import matplotlib
    except ImportError:
        raise ConfigError("--plot needs matplotlib", remedy="pip install 'powderkeg[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.artist import Artist
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(10, 4))
    bars = [
        (a.reading.period, a.reading.index, a.escalating) for a in assessed if a.reading.index is not None
    ]
    gaps = [date2num(a.reading.period) for a in assessed if a.reading.index is None]
    width = {"week": 5, "month": 20}.get(assessed[0].reading.by if assessed else "", 1.5)
    colours = ["tab:red" if escalating else "tab:blue" for _, _, escalating in bars]
    ax.bar([date2num(day) for day, _, _ in bars], [index for _, index, _ in bars], width=width, color=colours)
    ax.xaxis_date()
    handles: list[Artist] = [
        Patch(color="tab:blue", label="tension index"),
        Patch(color="tab:red", label="escalation"),
    ]
    if gaps:
        handles.append(
            ax.scatter(gaps, [0] * len(gaps), marker="x", color="grey", label="insufficient coverage")
        )
    ax.axhline(0, color="black", lw=0.5)
    ax.set_title(title)
    ax.legend(handles=handles, loc="upper right")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def fuse_pending(db: str) -> None:
    """Fuse reports not fused yet (a watcher stores without fusing), as a writer only if there are any."""
    with Store(db, read_only=True) as store:
        row = store.con.execute(
            "SELECT count(*) FROM events WHERE factuality IN ('asserted', 'claimed')"
            " AND id NOT IN (SELECT report_id FROM fused_members)"
        ).fetchone()
    if row and row[0]:
        with Store(db, create=False) as store:
            fuse(store.con)


@app.command("tension")
def tension_cli(
    codes: Annotated[
        list[str],
        typer.Argument(
            help="a dyad (SRB XKX, Serbia Kosovo, SRB-XKX), one country (code or name), or region:NAME"
            " (region:western-balkans, a UN M49 sub-region: region:Southern Europe)"
        ),
    ],
    since: Annotated[str | None, typer.Option(help="first date, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="last date, YYYY-MM-DD")] = None,
    by: Annotated[By, typer.Option("--by")] = By.day,
    directed: Annotated[bool, typer.Option(help="only events from the first country to the second")] = False,
    min_sources: Annotated[int, typer.Option(help="articles needed in a period for a reading")] = 1,
    top: Annotated[int, typer.Option(help="contributing events shown per period")] = 3,
    plot_path: Annotated[str | None, typer.Option("--plot", help="write a PNG plot here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON lines instead of a table")] = False,
    db: DbOption = None,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the tension index per period, with the events that drove it (see README, "Fusion, tension and alerts").

    Events of articles without a publication date are left out (they have no date of their own).
    """
    key = parse_key(codes, directed=directed)
    start, end = day(since, "since"), day(until, "until")
    settings = settings_from(config, lake, db=db)
    fuse_pending(settings.db)
    with Store(settings.db, read_only=True) as store:
        tables = FuseTables(store.con)
        events = tables.events(start, end)
        volume = tables.volume(None, None)
    series = readings(events, volume, key, by.value, min_sources, top=top, since=start, until=end)
    assessed = assess(series, Baseline())
    title = f"tension {key.label} by {by.value}" + (f" since {since}" if since else "")
    if as_json:
        for a in assessed:
            r = a.reading
            typer.echo(json.dumps({
                "key": r.key, "period": r.period.isoformat(), "by": r.by, "index": r.index, "raw": r.raw,
                "status": r.status, "z": a.z, "trend": a.trend, "escalating": a.escalating,
                "n_events": r.n_events, "n_sources": r.n_sources, "volume": r.volume,
                "top": [{"id": e.id, "contribution": c} for c, e in r.top],
            }))  # fmt: skip
    else:
        console = Console(width=None if sys.stdout.isatty() else 160)
        console.print(table(assessed, title, console.width))
    if plot_path:
        plot(assessed, title, plot_path)
        typer.echo(f"wrote {plot_path}", err=True)
