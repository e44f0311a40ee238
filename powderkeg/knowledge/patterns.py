"""Verb and noun patterns (``[[pattern]]`` tables, ``data/patterns.toml``) as a lookup by lemma.

A pattern table names a type (and mode) and lists its triggers; every entry
becomes one ``Pattern``. ``Patterns`` indexes them by head lemma, the most
specific first (more words, then a required object), the file's order among
equals.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import RuleFileError
from .cameo_import import CODE as CAMEO_CODE
from .ontology import EVENT_TYPES, modes_of
from .rule_files import RuleFile, check_keys, expect, expect_strings, unknown

_ENTRY = re.compile(r"^(?P<words>[^\[\]]+?)\s*(?:\[(?P<objects>[^\]]*)\])?$")

#: the keys a [[pattern]] table may have
PATTERN_KEYS = (
    "type", "mode", "verbs", "nouns", "target_preps", "reciprocal", "needs_target", "needs_actor", "stands_alone",
    "cameo", "origin", "generated",
)  # fmt: skip


@dataclass(frozen=True)
class Pattern:
    type: str
    mode: str
    lemma: str  # head lemma: the verb, or the last word of a noun phrase
    words: tuple[str, ...]  # all words of the trigger ("call", "for") or ("air", "strike")
    objects: tuple[str, ...]  # required object lemmas, if any
    pos: str  # VERB | NOUN
    target_preps: tuple[str, ...]
    reciprocal: bool
    origin: str
    #: the event stands without anyone on the receiving end ("surrendered", "lifted the curfew")
    needs_target: bool | None = None  # None: the coder's default for the type
    #: the event stands without any actor ("weapons were seized", "floods hit")
    needs_actor: bool = True
    #: a noun trigger is an event of itself, with nothing else in the sentence
    #: ("a flood", "a gas leak", "a rape")
    stands_alone: bool = False
    #: the [[pattern]] table the trigger comes from ("ASSAULT/occupy: capture [town|...]")
    family: str = field(default="", compare=False)
    #: the CAMEO code a table imported from a CAMEO dictionary gives (knowledge/cameo_import.py),
    #: finer than its type's; it holds while the coder keeps the type and mode it was given
    cameo: str = ""
    cameo_type: tuple[str, str] = ("", "")
    #: generated from another project's dictionary: tried only where the hand-written ones
    #: code nothing (extract/coder.py)
    generated: bool = False

    @property
    def cameo_code(self) -> str:
        """The table's own CAMEO code, unless the coder has since changed what it codes."""
        return self.cameo if (self.type, self.mode) == self.cameo_type else ""

    @functools.cached_property
    def object_words(self) -> tuple[tuple[str, ...], ...]:
        """The words of each required object ("ceasefire agreement" -> ("ceasefire", "agreement")),
        split once per pattern: the trigger finder, the cheap pass and the role finder test them
        on every verb or object the pattern is tried on."""
        return tuple(tuple(o.split()) for o in self.objects)

    @property
    def specificity(self) -> int:
        return len(self.words) + (2 if self.objects else 0)

    @property
    def name(self) -> str:
        spec = " ".join(self.words) + (f" [{'|'.join(self.objects)}]" if self.objects else "")
        return f"{self.origin}:{self.type}{'/' + self.mode if self.mode else ''}:{self.pos.lower()}:{spec}"


class Patterns:
    """Patterns by head lemma: ``verbs[lemma]`` and ``nouns[lemma]``, most specific first, and
    apart from them ``generated_verbs[lemma]``, the verb patterns generated from the CAMEO
    dictionary (tried only where the others code nothing)."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.verbs: dict[str, list[Pattern]] = defaultdict(list)
        self.nouns: dict[str, list[Pattern]] = defaultdict(list)
        self.generated_verbs: dict[str, list[Pattern]] = defaultdict(list)
        for p in patterns:
            if p.generated and p.pos == "VERB":
                self.generated_verbs[p.lemma].append(p)
            else:
                (self.verbs if p.pos == "VERB" else self.nouns)[p.lemma].append(p)
        for table in (self.verbs, self.nouns):
            for options in table.values():
                options.sort(key=lambda p: -p.specificity)
        for options in self.generated_verbs.values():
            # of two imported objects, the longer first ("diplomatic tie" before "tie")
            options.sort(key=lambda p: (-p.specificity, -max((len(o.split()) for o in p.objects), default=0)))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __iter__(self) -> Iterator[Pattern]:
        for table in (self.verbs, self.nouns, self.generated_verbs):
            for options in table.values():
                yield from options

    def families(self) -> list[str]:
        """Every pattern table's name, in no particular order."""
        return sorted({p.family for p in self})


def read_patterns(files: Iterable[RuleFile], default_target_preps: tuple[str, ...]) -> list[Pattern]:
    """The patterns of every file's ``[[pattern]]`` tables, checked against the schema."""
    out: list[Pattern] = []
    for rule_file in files:
        tables = rule_file.data.get("pattern", [])
        expect(rule_file.path, "pattern", "pattern", tables, list, "an array of [[pattern]] tables")
        for i, table in enumerate(tables):
            out += _read_table(rule_file, i, table, default_target_preps)
    return out


def _read_table(
    rule_file: RuleFile, i: int, table: dict[str, Any], default_target_preps: tuple[str, ...]
) -> list[Pattern]:
    path = rule_file.path
    where = (
        f"pattern {i + 1} ({table.get('type', '?')}{'/' + str(table['mode']) if table.get('mode') else ''})"
    )
    check_keys(path, where, table, PATTERN_KEYS)
    type_ = table.get("type", "")
    if type_ not in EVENT_TYPES:
        raise unknown(path, where, str(type_), EVENT_TYPES, "type")
    mode = table.get("mode", "")
    if mode not in modes_of(type_):
        raise unknown(path, where, str(mode), modes_of(type_) - {""}, f"mode of {type_}")
    for key in ("reciprocal", "needs_target", "needs_actor", "stands_alone", "generated"):
        if key in table:
            expect(path, where, key, table[key], bool, "true or false")
    cameo = table.get("cameo", "")
    expect(path, where, "cameo", cameo, str, 'a CAMEO code in quotes ("0874")')
    if cameo and not CAMEO_CODE.fullmatch(cameo):
        raise RuleFileError(
            f"{path}: {where}: cameo = {cameo!r} is no CAMEO code", remedy='write it as "0874"'
        )
    origin = table.get("origin", rule_file.origin)
    expect(path, where, "origin", origin, str, 'a name in quotes ("cameo:0874")')
    generated = bool(table.get("generated", False))
    preps = tuple(
        expect_strings(path, where, "target_preps", table.get("target_preps", list(default_target_preps)))
    )
    entries = [(pos, raw) for pos, key in (("VERB", "verbs"), ("NOUN", "nouns"))
               for raw in expect_strings(path, where, key, table.get(key, []))]  # fmt: skip
    if not entries:
        raise RuleFileError(
            f"{path}: {where}: no verbs or nouns", remedy="list its triggers in verbs or nouns"
        )
    # a generated table is one CAMEO code; its family, what a test case shows at work, is
    # the PLOVER type its patterns code (the hundreds of codes are data, not rules)
    family = (
        f"{origin.split(':')[0]}:{type_}"
        if generated
        else f"{type_}{'/' + mode if mode else ''}: {entries[0][1]}"
    )
    out = []
    for pos, raw in entries:
        words, objects = _entry(path, where, raw, pos)
        out.append(
            Pattern(
                type_,
                mode,
                # verbs: the head is the first word ("call for"); nouns: the last ("air strike")
                words[0] if pos == "VERB" else words[-1],
                words,
                objects,
                pos,
                preps,
                bool(table.get("reciprocal", False)),
                origin,
                table.get("needs_target"),
                bool(table.get("needs_actor", True)),
                bool(table.get("stands_alone", False)),
                family,
                cameo,
                (type_, mode),
                generated,
            )
        )
    return out


def _entry(path: str, where: str, raw: str, pos: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words and required objects of one trigger entry ("use [tear gas|force]")."""
    match = _ENTRY.match(raw.strip().lower())
    if not match:
        raise RuleFileError(
            f"{path}: {where}: cannot read trigger {raw!r}", remedy='write "verb [object|object]"'
        )
    words = tuple(match["words"].split())
    if pos == "NOUN":
        # the tokenizer splits "sit-in" into "sit", "-", "in": match it so
        words = tuple(w for word in words for w in re.split(r"(-)", word) if w)
    objects = tuple(
        re.sub(r"\s*-\s*", " - ", o.strip()) for o in (match["objects"] or "").split("|") if o.strip()
    )
    return words, objects
