"""Escalation: a reading far above its own series' recent baseline, by a robust z-score.

For each period, the baseline is the readings of the same series over the
``baseline`` periods before it (periods with insufficient coverage are left
out, not read as 0). Then

    z = (reading - median(baseline)) / max(1.4826 * MAD(baseline), min_scale)

and the period escalates when z >= ``z`` and the reading is at least ``min_index``.
With fewer than ``min_history`` baseline readings the baseline is 0 (a neutral
reading), so the first readings of a new series are judged against calm.

Why robust z-scores and not change points: event series are short, sparse and
spiky, and alerts must be decided as each period's events arrive. Change-point
methods (PELT, CUSUM, Bayesian online) find shifts in level after enough points
on both sides and need a noise model; a median/MAD baseline needs none, is not
pulled up by the spike it is testing nor by earlier spikes (up to half the
window), and its "x times the usual spread" is easy to explain to an analyst.
``min_scale`` keeps a flat, quiet baseline (MAD 0) from turning any event into
an infinite z.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import shift_date
from .index import Reading


@dataclass(frozen=True)
class Baseline:
    baseline: int = 28  # periods looked back
    z: float = 3.0
    min_index: float = 5.0
    min_scale: float = 2.0
    min_history: int = 3


@dataclass(frozen=True)
class Assessment:
    reading: Reading
    median: float
    scale: float
    z: float | None  # None: insufficient coverage
    escalating: bool

    @property
    def trend(self) -> str:
        if self.z is None:
            return "?"
        return "rising" if self.z >= 1.0 else "falling" if self.z <= -1.0 else "steady"


def _step(by: str) -> dt.timedelta:
    return dt.timedelta(days={"week": 7, "month": 31}.get(by, 1))


def assess(series: Sequence[Reading], params: Baseline = Baseline()) -> list[Assessment]:
    """Each reading with its baseline, z-score and whether it escalates."""
    out: list[Assessment] = []
    for i, reading in enumerate(series):
        lo = shift_date(reading.period, -_step(reading.by) * params.baseline)
        history = [r.index for r in series[:i] if r.index is not None and lo <= r.period < reading.period]
        if len(history) >= params.min_history:
            median = statistics.median(history)
            mad = statistics.median(abs(x - median) for x in history)
            scale = max(1.4826 * mad, params.min_scale)
        else:
            median, scale = 0.0, params.min_scale
        if reading.index is None:
            out.append(Assessment(reading, median, scale, None, False))
            continue
        z = (reading.index - median) / scale
        escalating = z >= params.z and reading.index >= params.min_index
        out.append(Assessment(reading, median, scale, z, escalating))
    return out
