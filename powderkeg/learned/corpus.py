"""The training sentences the project wrote (``corpus/*.toml``), expanded.

A corpus file has ``[slots]`` (lists of fillers: actors, places, numbers, ...)
and ``[[set]]`` tables, each with a ``label`` (``labels.py``) and its
``sentences``: newswire-style templates whose ``{slot}`` fields are filled
``repeat`` times (default ``REPEAT``) with fillers drawn by a generator seeded
from the template, so the expansion is the same on every run. A set with
``lower = true`` is written in lower case (Indian English news style, as
some wires print it); of the others, about one sentence in ``LOWER_EVERY``
is lower-cased too, so case is no cue.

Every sentence here was written for this project; none is copied from an
article or a gold set.
"""

from __future__ import annotations

import random
import re
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path

from .labels import NONE


@dataclass(frozen=True)
class Example:
    """A training text and the labels its gold (or its corpus set) allows."""

    text: str
    allowed: frozenset[str]
    source: str  # "corpus" or a dev set's name
    weight: float = 1.0


CORPUS = Path(__file__).resolve().parent / "corpus"
REPEAT = 5
LOWER_EVERY = 6
_SLOT = re.compile(r"\{([a-z_]+)\}")


def read_corpus(folder: Path = CORPUS) -> tuple[dict[str, list[str]], list[dict]]:
    slots: dict[str, list[str]] = {}
    sets: list[dict] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for name, values in data.get("slots", {}).items():
            slots.setdefault(name, []).extend(values)
        for group in data.get("set", []):
            sets.append({**group, "file": path.name})
    return slots, sets


def expand(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    def fill(match: re.Match) -> str:
        options = slots.get(match[1])
        if not options:
            raise KeyError(f"corpus slot {{{match[1]}}} has no fillers")
        return rng.choice(options)

    text = _SLOT.sub(fill, template)
    # a filler may hold a slot of its own ("{country} police")
    text = _SLOT.sub(fill, text)
    return text[:1].upper() + text[1:]


def corpus_examples(labels: tuple[str, ...], folder: Path = CORPUS) -> list[Example]:
    slots, sets = read_corpus(folder)
    out: list[Example] = []
    seen: set[str] = set()
    for group in sets:
        name = group["label"]
        if name not in labels:
            raise ValueError(f"{group['file']}: unknown label {name!r}")
        repeat = int(group.get("repeat", REPEAT))
        for template in group["sentences"]:
            rng = random.Random(zlib.crc32(f"{name}\0{template}".encode()))
            times = repeat if _SLOT.search(template) else 1
            for _ in range(times):
                text = expand(template, slots, rng)
                if group.get("lower") or rng.randrange(LOWER_EVERY) == 0:
                    text = text.lower()
                if text in seen:
                    continue
                seen.add(text)
                out.append(Example(text, frozenset({name}), "corpus"))
    return out


__all__ = ["NONE", "Example", "corpus_examples", "read_corpus"]
