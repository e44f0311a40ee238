"""Reading the rule files and checking each against its schema.

The coder's rules are TOML files of one format: ``[[pattern]]`` tables (verb
and noun triggers, ``patterns.toml``), ``[[refinement]]`` tables (rewrites of an
event's reading, ``refinements.toml``) and named word lists (``lexicon.toml``).
The built-in ones live in ``powderkeg/knowledge/data/``; a user's come from the
``knowledge_dir`` setting (files of the same names) and the ``patterns`` setting
(any file names), read in that order after the built-in ones. Any file may hold
any of the three.

A key the schema does not know is an error that names the file, the place in it
and the key, with the nearest known key as the remedy: a typo such as
``needs_targte`` never passes silently.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RuleFileError
from .tables import data_file

#: the built-in rule files, in the order they are read
BUILTIN_FILES = ("patterns.toml", "refinements.toml", "lexicon.toml")
#: the built-in pattern files: written by hand, and generated from the CAMEO verb dictionary
#: (knowledge/cameo_import.py); the ``packaged_patterns`` setting chooses among them
PATTERN_FILES = ("patterns.toml", "cameo_verbs.toml")
#: top-level keys every rule file may have besides the word lists
FILE_KEYS = ("version", "pattern", "refinement")


@dataclass(frozen=True)
class RuleFile:
    """One parsed rule file: where it came from, and its tables."""

    path: str  # as shown in error messages
    origin: str  # the name its patterns carry in an event's rule ("builtin", or the file's stem)
    data: dict[str, Any]


def read_rule_files(
    knowledge_dir: str = "", extra_files: Iterable[str] = (), packaged_patterns: Iterable[str] = PATTERN_FILES
) -> list[RuleFile]:
    """The built-in rule files (of the pattern files, ``packaged_patterns``), then those in
    ``knowledge_dir``, then ``extra_files``."""
    packaged = list(packaged_patterns)
    for name in packaged:
        if name not in PATTERN_FILES:
            raise RuleFileError(
                f"no built-in pattern file {name!r}", remedy=f"choose among {', '.join(PATTERN_FILES)}"
            )
    names = [n for n in BUILTIN_FILES if n not in PATTERN_FILES or n in packaged]
    names += [n for n in PATTERN_FILES if n in packaged and n not in names]
    out = [_parse(data_file(name).read_text("utf-8"), f"powderkeg/knowledge/data/{name}", "builtin")
           for name in names]  # fmt: skip
    if knowledge_dir:
        for name in BUILTIN_FILES:
            path = Path(knowledge_dir) / name
            if path.is_file():
                out.append(_parse(path.read_text("utf-8"), str(path), path.stem))
    for extra in extra_files:
        path = Path(extra)
        if not path.is_file():
            raise RuleFileError(f"pattern file {path} not found", remedy="check the `patterns` setting")
        out.append(_parse(path.read_text("utf-8"), str(path), path.stem))
    return out


def _parse(text: str, path: str, origin: str) -> RuleFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: not valid TOML: {exc}", remedy="fix the TOML syntax") from None
    return RuleFile(path, origin, data)


def check_keys(path: str, where: str, table: dict[str, Any], known: Iterable[str], what: str = "key") -> None:
    """Raise a ``RuleFileError`` naming ``path``, ``where`` and the first key of ``table`` not in ``known``."""
    names = list(known)
    for key in table:
        if key not in names:
            raise unknown(path, where, key, names, what)


def unknown(path: str, where: str, name: str, known: Iterable[str], what: str = "key") -> RuleFileError:
    """The error for an unknown ``name``: the file, the place, the name, and the nearest known ones."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    remedy = f"did you mean {close[0]!r}? " if close else ""
    shown = names if len(names) <= 20 else [*names[:20], "..."]
    return RuleFileError(
        f"{path}: {where}: unknown {what} {name!r}", remedy=remedy + f"known: {', '.join(shown)}"
    )


def expect(path: str, where: str, key: str, value: object, kind: type | tuple[type, ...], shape: str) -> None:
    """Raise a ``RuleFileError`` unless ``value`` is a ``kind`` (``shape`` says what is wanted)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise RuleFileError(
            f"{path}: {where}: {key} = {value!r} is not {shape}", remedy=f"write {key} as {shape}"
        )


def expect_strings(path: str, where: str, key: str, value: object) -> list[str]:
    """``value`` as a list of strings, or a ``RuleFileError``."""
    expect(path, where, key, value, list, "a list of strings")
    assert isinstance(value, list)
    for item in value:
        expect(path, where, key, item, str, "a list of strings")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
