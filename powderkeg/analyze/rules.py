"""Alert rules from a TOML file (format: powderkeg/analyze/default_alerts.toml).

A rule watches one series (a dyad, a country or a region), optionally only some
event types, and fires when a period escalates against the series' own baseline
(see escalation.py). ``cooldown_days`` silences repeats for the same key, unless
a reading beats the last alert's by the factor ``rearm`` (escalation on top of
escalation is news). Each rule names the sinks that receive its alerts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import AlertRuleError
from ..records import FusedEvent
from .escalation import Baseline
from .index import Key
from .regions import is_country, region

DEFAULT_RULES = "default"
_RULE_FIELDS = {
    "name",
    "dyad",
    "country",
    "region",
    "directed",
    "types",
    "by",
    "min_sources",
    "cooldown_days",
    "rearm",
    "sinks",
}


@dataclass(frozen=True)
class Rule:
    name: str
    key: Key
    types: frozenset[str]
    by: str
    min_sources: int
    baseline: Baseline
    cooldown_days: int
    rearm: float
    sinks: tuple[str, ...]

    def wants(self, event: FusedEvent) -> bool:
        return (not self.types or event.type in self.types) and self.key.matches(event)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    sinks: dict[str, dict[str, Any]]
    path: str


def load_rules(path: str | Path = DEFAULT_RULES) -> RuleSet:
    """Read a rules file; ``default`` is the one shipped with powderkeg."""
    if str(path) == DEFAULT_RULES:
        text = resources.files("powderkeg.analyze").joinpath("default_alerts.toml").read_text("utf-8")
        where = "powderkeg/analyze/default_alerts.toml"
    else:
        if not Path(path).is_file():
            raise AlertRuleError(f"rules file {path} not found", remedy="give a TOML file, or `default`")
        text, where = Path(path).read_text("utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AlertRuleError(f"{where}: {exc}") from None
    defaults = data.get("defaults", {})
    regions = data.get("regions", {})
    sinks = data.get("sinks", {"console": {"type": "console"}})
    rules = tuple(_rule(raw, defaults, regions, sinks, where) for raw in data.get("rules", []))
    return RuleSet(rules, sinks, where)


def _rule(
    raw: dict[str, Any], defaults: dict[str, Any], regions: dict[str, Any], sinks: dict[str, Any], where: str
) -> Rule:
    merged = {**defaults, **raw}
    name = str(merged.get("name") or "")
    known = _RULE_FIELDS | {f.name for f in fields(Baseline)}
    unknown = set(raw) - known
    if not name or unknown:
        raise AlertRuleError(
            f"{where}: rule {name or '?'}: needs a name; unknown keys {sorted(unknown)}",
            remedy=f"known keys: {sorted(known)}",
        )
    targets = [k for k in ("dyad", "country", "region") if k in raw]
    if len(targets) != 1:
        raise AlertRuleError(f"{where}: rule {name}: give exactly one of dyad, country, region")
    if "dyad" in raw:
        codes = [str(c).upper() for c in raw["dyad"]]
        if len(codes) != 2:
            raise AlertRuleError(f'{where}: rule {name}: a dyad is two codes, e.g. ["SRB", "XKX"]')
        key = Key.parse(codes, directed=bool(merged.get("directed", False)))
    elif "country" in raw:
        codes = [str(raw["country"]).upper()]
        key = Key(tuple(codes))
    else:
        codes = list(region(str(raw["region"]), regions))
        if not codes:
            raise AlertRuleError(
                f"{where}: rule {name}: unknown region {raw['region']!r}",
                remedy="define it under [regions] or use a UN M49 sub-region name",
            )
        key = Key(tuple(codes), name=str(raw["region"]))
    bad = [c for c in codes if not is_country(c)]
    if bad:
        raise AlertRuleError(f"{where}: rule {name}: {bad} are not ISO3 country codes (Kosovo is XKX)")
    rule_sinks = tuple(merged.get("sinks", ["console"]))
    missing = [s for s in rule_sinks if s not in sinks and s != "console"]
    if missing:
        raise AlertRuleError(f"{where}: rule {name}: sinks {missing} are not defined under [sinks]")
    by = str(merged.get("by", "day"))
    if by not in ("day", "week"):
        raise AlertRuleError(f"{where}: rule {name}: by must be day or week")
    baseline = Baseline(**{f.name: merged[f.name] for f in fields(Baseline) if f.name in merged})
    return Rule(
        name=name,
        key=key,
        types=frozenset(str(t).upper() for t in merged.get("types", [])),
        by=by,
        min_sources=int(merged.get("min_sources", 1)),
        baseline=baseline,
        cooldown_days=int(merged.get("cooldown_days", 7)),
        rearm=float(merged.get("rearm", 1.25)),
        sinks=rule_sinks,
    )
