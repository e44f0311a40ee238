"""spaCy's attribute ruler, applied without its Matcher: same rules, same results, less CPU.

The model's ``attribute_ruler`` maps each fine tag to its coarse POS and morphology, and
then corrects some words (``LOWER`` + ``TAG``, a few with ``DEP`` or two tokens), by
running a token Matcher over every token with all its rules: about a tenth of the
pipeline's time. ``FastAttributeRuler`` reads the same rules from the component and
applies them the way ``AttributeRuler`` does (every rule matched on the tokens as they
were, then each match applied in rule order, so a later rule wins):

  - the rules that test only one token's tag are looked up per tag, for all tokens at once;
  - the other rules are tried only where one of their words occurs (or, for the few
    without a word, over the whole Doc with array comparisons), and the tokens they hit
    are then set again with every rule that matched them, in rule order.

Rules this does not understand (operators, other attributes, extensions) make
``fast_attribute_ruler`` return None, and the pipeline keeps spaCy's own component.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: the token attributes a rule may test, as spaCy names them in patterns
TESTED = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
COLUMNS = list(TESTED.values())  # TAG first
_LOWER = COLUMNS.index(LOWER)
#: the attributes the per-tag rules may set for all tokens at once
BULK = (POS, MORPH)

#: a pattern: per token, its tests (attribute, the values it accepts or None, a regex or None)
Pattern = tuple[tuple[tuple[int, frozenset[int] | None, "re.Pattern[str] | None"], ...], ...]


class FastAttributeRuler:
    """Applies an ``AttributeRuler``'s rules to a Doc with the same result (see the module)."""

    def __init__(self, ruler: Any) -> None:
        strings = ruler.vocab.strings
        self.strings = strings
        self.name = "attribute_ruler"
        self.ruler = ruler
        self.attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.by_tag: dict[int, list[int]] = defaultdict(list)  # tag -> per-tag rules, in order
        self.by_word: dict[int, list[tuple[int, Pattern, int]]] = defaultdict(
            list
        )  # lower -> (rule, pattern, k)
        self.by_regex: list[tuple[int, Pattern, int, re.Pattern[str]]] = []  # words found by a regex
        #: rules with no word to look for, with their tests' columns (see ``__call__``)
        self.wordless: list[tuple[int, Pattern, list[tuple[int, int, Any, re.Pattern[str] | None]]]] = []
        self.regex_hits: dict[tuple[str, int], bool] = {}  # (regex, lower) -> matches
        for r in range(len(self.attrs)):
            for spec in ruler.matcher.get(str(r))[1]:
                pattern = tuple(tuple(_test(key, value, strings) for key, value in t.items()) for t in spec)
                if not pattern or not all(pattern):
                    raise Unsupported("an empty pattern")
                if not -len(pattern) <= self.indices[r] < len(pattern):
                    raise Unsupported("an index outside its pattern")
                first = pattern[0]
                one_tag = len(first) == 1 and first[0][0] == TAG and first[0][2] is None
                if len(pattern) == 1 and one_tag and len(first[0][1] or ()) == 1:
                    if set(self.attrs[r]) <= set(BULK):
                        self.by_tag[next(iter(first[0][1]))].append(r)  # type: ignore[arg-type]
                        continue
                words = [(k, v, x) for k, t in enumerate(pattern) for c, v, x in t if c == LOWER]
                if words and words[0][2] is None:
                    k, values, _ = words[0]
                    for value in values:  # type: ignore[union-attr]
                        self.by_word[value].append((r, pattern, k))
                elif words:
                    k, _, regex = words[0]
                    self.by_regex.append((r, pattern, k, regex))  # type: ignore[arg-type]
                elif any(x is not None and x is not NOT for t in pattern for _, _, x in t):
                    raise Unsupported("a regex on an attribute other than LOWER")
                else:
                    # each test as (token, column, its values as an array, how), read per Doc
                    columns = [
                        (k, COLUMNS.index(attr), np.array(sorted(values or ()), dtype=np.uint64), how)
                        for k, tests in enumerate(pattern)
                        for attr, values, how in tests
                    ]
                    self.wordless.append((r, pattern, columns))
        # the per-tag rules' result: later rules win, attribute by attribute
        self.bulk: dict[int, dict[Any, Any]] = {}
        for tag, rules in self.by_tag.items():
            merged: dict[Any, Any] = {}
            for r in rules:
                merged.update(self.attrs[r])
            self.bulk[tag] = merged
        self.bulk_cols = [a for a in BULK if any(a in m for m in self.bulk.values())]

    def _regex(self, regex: re.Pattern[str], lower: int) -> bool:
        key = (regex.pattern, lower)
        hit = self.regex_hits.get(key)
        if hit is None:
            if len(self.regex_hits) > 200_000:  # a bound on memory over a long run
                self.regex_hits.clear()
            hit = self.regex_hits[key] = regex.search(self.strings[lower]) is not None
        return hit

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        table: Any = doc.to_array(COLUMNS).reshape(n, len(COLUMNS))
        rows: list[list[int]] = table.tolist()
        hits: dict[int, set[int]] = defaultdict(set)  # token -> the rules other than per-tag that hit it

        def matches(rule: int, pattern: Pattern, start: int) -> None:
            if start < 0 or start + len(pattern) > n:
                return
            for k, tests in enumerate(pattern):
                row = rows[start + k]
                for attr, values, regex in tests:
                    value = row[COLUMNS.index(attr)]
                    if regex is NOT:
                        if value in values:  # type: ignore[operator]
                            return
                    elif regex is not None:
                        if not self._regex(regex, value):
                            return
                    elif value not in values:  # type: ignore[operator]
                        return
            index = self.indices[rule]
            hits[start + (index if index >= 0 else len(pattern) + index)].add(rule)

        # a few hundred tokens against a dict or set: quicker in Python than numpy's isin
        lowers = [row[_LOWER] for row in rows]
        by_word = self.by_word
        for i, lower in enumerate(lowers):
            for rule, pattern, k in by_word.get(lower, ()):
                matches(rule, pattern, i - k)
        if self.by_regex:
            unique = set(lowers)
            for rule, pattern, k, regex in self.by_regex:
                words = {v for v in unique if self._regex(regex, v)}
                for i in [i for i, lower in enumerate(lowers) if lower in words] if words else ():
                    matches(rule, pattern, i - k)
        for rule, pattern, columns in self.wordless:
            size = len(pattern)
            if size > n:
                continue
            ok = np.ones(n - size + 1, dtype=bool)
            for k, column_index, accepted, how in columns:
                found = _among(table[k : n - size + 1 + k, column_index], accepted)
                ok &= ~found if how is NOT else found
            for start in np.flatnonzero(ok).tolist():
                matches(rule, pattern, start)
        # the per-tag rules, for every token at once
        if self.bulk_cols:
            current: Any = doc.to_array(self.bulk_cols).reshape(n, len(self.bulk_cols))
            # each column at once: the value of each token's tag's rules, where they set one
            tags, where = np.unique(table[:, 0], return_inverse=True)
            merged = [self.bulk.get(tag) or {} for tag in tags.tolist()]
            changed = False
            for j, attr in enumerate(self.bulk_cols):
                sets = np.array([attr in m for m in merged], dtype=bool)
                if not sets.any():
                    continue
                values = np.array([m.get(attr, 0) for m in merged], dtype=current.dtype)
                hit = sets[where]
                current[hit, j] = values[where][hit]
                changed = True
            if changed:
                doc.from_array(self.bulk_cols, current)
        # the tokens other rules hit: every rule that matched them, again, in rule order
        for i, rules in hits.items():
            token = doc[i]
            for rule in sorted(rules | set(self.by_tag.get(rows[i][0], ()))):
                set_token_attrs(token, self.attrs[rule])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _among(column: Any, values: Any) -> Any:
    """Which entries of ``column`` are among ``values`` (a few): ``np.isin`` without its setup."""
    found = column == values[0] if len(values) else np.zeros(len(column), dtype=bool)
    for value in values[1:]:
        found |= column == value
    return found


def _test(key: str, value: Any, strings: Any) -> tuple[int, frozenset[int] | None, re.Pattern[str] | None]:
    """One attribute test of a pattern token: (attribute, the values it accepts, or a regex)."""
    if key not in TESTED:
        raise Unsupported(key)
    attr = TESTED[key]

    def code(v: Any) -> int:
        if key == "IS_SPACE" and isinstance(v, bool):
            return int(v)
        if isinstance(v, str) and key != "IS_SPACE":
            return int(strings.add(v))
        raise Unsupported(f"{key} = {v!r}")

    if isinstance(value, dict):
        if set(value) == {"IN"} and isinstance(value["IN"], list):
            return attr, frozenset(code(v) for v in value["IN"]), None
        if set(value) == {"NOT_IN"} and isinstance(value["NOT_IN"], list) and key != "LOWER":
            return attr, frozenset(code(v) for v in value["NOT_IN"]), NOT
        if set(value) == {"REGEX"} and key == "LOWER" and isinstance(value["REGEX"], str):
            return attr, None, re.compile(value["REGEX"])
        raise Unsupported(f"{key} {value!r}")
    return attr, frozenset([code(value)]), None


#: the "regex" of a NOT_IN test: its values are those refused
NOT = re.compile("(?!)")


class Unsupported(Exception):
    """A rule ``FastAttributeRuler`` cannot apply exactly."""


def fast_attribute_ruler(ruler: Any) -> FastAttributeRuler | None:
    """``FastAttributeRuler`` for ``ruler``, or None if one of its rules is beyond it."""
    try:
        return FastAttributeRuler(ruler)
    except Unsupported:
        return None


@Language.factory(
    "pk_attribute_ruler", assigns=["token.pos", "token.tag", "token.morph", "token.lemma", "token.dep"]
)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """The model's ``attribute_ruler``, applied by ``FastAttributeRuler`` (added beside it)."""
    return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
