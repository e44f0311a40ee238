"""Reading the knowledge TSV files: the built-in one in ``data/`` and a user's copy.

Each file has a header comment (lines starting with ``#``), then a tab-separated
header row and rows. A user folder (the ``knowledge_dir`` setting) may hold a
file of the same name with the same columns; its rows come after the built-in
ones. Lists inside a cell are separated by ``|``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def data_file(name: str) -> Traversable:
    """A built-in knowledge file (``powderkeg/knowledge/data/NAME``)."""
    return resources.files("powderkeg.knowledge").joinpath("data", name)


def read_rows(name: str, extra_dir: str = "") -> Iterator[dict[str, str]]:
    """The rows of the built-in ``name`` and then of ``extra_dir/name``, as stripped dicts."""
    sources: list[Traversable | Path] = [data_file(name)]
    if extra_dir and (Path(extra_dir) / name).exists():
        sources.append(Path(extra_dir) / name)
    for source in sources:
        if not source.is_file():
            continue
        lines = [ln for ln in source.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def split_list(value: str) -> list[str]:
    """The items of a ``|``-separated cell."""
    return [v.strip() for v in value.split("|") if v.strip()]
