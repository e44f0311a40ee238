"""The coder's rules in one object: word lists, patterns and refinements, read from every rule file.

``load_rules(knowledge_dir, pattern_files)`` reads the built-in rule files and
the user's (see ``rule_files``), checks every file against the schema and
builds the ``Lexicon`` first (patterns and refinements refer to its lists),
then the ``Patterns`` index and the ``Refinements``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .lexicon import Lexicon, build_lexicon, list_kinds
from .patterns import Patterns, read_patterns
from .refinements import Refinement, read_refinements
from .rule_files import FILE_KEYS, PATTERN_FILES, RuleFile, check_keys, read_rule_files


@dataclass(frozen=True)
class Rules:
    lexicon: Lexicon
    patterns: Patterns
    refinements: tuple[Refinement, ...]


@functools.cache
def load_rules(
    knowledge_dir: str = "",
    pattern_files: tuple[str, ...] = (),
    packaged_patterns: tuple[str, ...] = PATTERN_FILES,
) -> Rules:
    """The built-in rules with the user's added (cached per settings); ``packaged_patterns``:
    which built-in pattern files (hand-written, generated from CAMEO) to use."""
    files = read_rule_files(knowledge_dir, pattern_files, packaged_patterns)
    check_files(files)
    lexicon = build_lexicon(files)
    patterns = Patterns(read_patterns(files, lexicon.default_target_preps))
    return Rules(lexicon, patterns, tuple(read_refinements(files, lexicon)))


def check_files(files: list[RuleFile]) -> None:
    """Every top-level key of every file is a known table or word list."""
    known = [*FILE_KEYS, *list_kinds()]
    for rule_file in files:
        check_keys(rule_file.path, "top level", rule_file.data, known, "table or word list")
