"""Sentence cases (tests/cases/*.toml), one parametrised test; and every pattern and refinement has one.

To add a rule: add the pattern (knowledge/data/patterns.toml) or refinement
(refinements.toml) and a case here that shows it at work; ``test_every_rule_has_a_case``
names the ones that have none.
"""

from __future__ import annotations

import functools

import pytest

from powderkeg.knowledge.rules import load_rules

from .coding_helpers import Case, Coding, check, code_case, load_cases

CASES = load_cases()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def coder(pipeline):
    """Code a case's text once per session."""

    @functools.cache
    def _code(text: str, date: str | None) -> Coding:
        return code_case(pipeline.nlp, text, date)

    return _code


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(coder, case: Case):
    assert check(case, coder(case.text, case.date).events) >= len(case.expect)


def test_every_rule_has_a_case(coder):
    families: set[str] = set()
    refinements: set[str] = set()
    for case in CASES:
        found, refined = coder(case.text, case.date).rules_used()
        families |= found
        refinements |= refined
    rules = load_rules()
    missing = sorted(set(rules.patterns.families()) - families)
    assert not missing, f"{len(missing)} patterns have no case in tests/cases/: {missing}"
    missing = sorted({r.name for r in rules.refinements} - refinements)
    assert not missing, f"refinements with no case in tests/cases/: {missing}"
