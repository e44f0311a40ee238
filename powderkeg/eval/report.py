"""One report format for every gold set: figures with their n and a bootstrap 95% interval."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: sets this large get no bootstrap interval (../shared/eval/README.md: "where n < 1000")
BOOTSTRAP_BELOW = 1000


@dataclass
class Metric:
    name: str
    value: float
    n: int
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": round(self.value, 4),
            "n": self.n,
            "ci95": (
                [round(self.low, 4), round(self.high, 4)]
                if self.low is not None and self.high is not None
                else None
            ),
        }


@dataclass
class Report:
    kind: str
    path: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)  # worst misses, for --errors N
    notes: list[str] = field(default_factory=list)
    #: the same figures on each half of the set ("look", "confirm"; see eval.common.half)
    halves: dict[str, dict[str, Metric]] = field(default_factory=dict)

    def add(self, metric: Metric) -> None:
        self.metrics[metric.name] = metric

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
            "halves": {h: {k: m.to_dict() for k, m in ms.items()} for h, ms in self.halves.items()},
            "errors": self.errors,
            "notes": self.notes,
        }


def format_report(report: dict[str, Any]) -> str:
    """A report (``Report.to_dict()``) as text: each figure with its n and interval, then notes and misses."""
    import json

    lines = [f"{report['kind']}  {report['path']}"]
    halves = report.get("halves") or {}
    for name, m in report["metrics"].items():
        ci = f"  [{m['ci95'][0]:.3f}, {m['ci95'][1]:.3f}]" if m["ci95"] else ""
        line = f"  {name:<22} {m['value']:>8.4g}  n={m['n']}{ci}"
        parts = [(h, ms[name]) for h, ms in halves.items() if name in ms]
        if parts:  # the same figure on the set's look and confirm halves
            line = f"{line:<62}" + "  ".join(f"{h} {p['value']:.4g} (n={p['n']})" for h, p in parts)
        lines.append(line)
    for note in report["notes"]:
        lines.append(f"  note: {note}")
    for i, miss in enumerate(report["errors"], start=1):
        lines.append(f"  miss {i}: " + json.dumps(miss, ensure_ascii=False, default=str))
    return "\n".join(lines)


def bootstrap(
    items: Sequence[Any],
    statistic: Callable[[Sequence[Any]], float],
    name: str,
    rounds: int = 1000,
    seed: int = 0,
) -> Metric:
    """The statistic over ``items`` with a percentile bootstrap 95% interval (resampling items);
    from ``BOOTSTRAP_BELOW`` items on, the figure alone (its interval is narrow, and costly)."""
    value = statistic(items)
    n = len(items)
    if n == 0:
        return Metric(name, 0.0, 0)
    if n >= BOOTSTRAP_BELOW:
        return Metric(name, value, n)
    rng = random.Random(seed)
    samples = sorted(statistic([items[rng.randrange(n)] for _ in range(n)]) for _ in range(rounds))
    return Metric(name, value, n, samples[int(0.025 * rounds)], samples[int(0.975 * rounds) - 1])


def mean(values: Sequence[float]) -> float:
    """Mean of numbers or booleans (0.0 for none): the statistic of most accuracy figures."""
    return sum(values) / len(values) if values else 0.0


def cli(evaluate: Callable[..., Report], argv: list[str] | None = None) -> None:
    """``python -m powderkeg.eval.KIND FILE [N]``: print the report (N worst misses) as JSON."""
    import json
    import sys

    args = argv if argv is not None else sys.argv[1:]
    report = evaluate(args[0], errors=int(args[1]) if len(args) > 1 else 0)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
