"""CAMEO verb dictionary -> generated powderkeg verb patterns (TOML).

``python -m powderkeg.knowledge.cameo_import CAMEO.txt CAMEO2PLOVER.txt OUT.toml``
(``make cameo``) reads a PETRARCH verb dictionary (``verb_dictionary``) and
the PLOVER project's CAMEO->PLOVER table, and writes the patterns.toml format
with one ``[[pattern]]`` group per CAMEO code: its PLOVER type and mode, the
code itself (``cameo``; an event coded from it keeps this finer code) and
its origin (``cameo:CODE``, part of every such event's ``rule``). The output
is generated: rerunning the command on the same inputs writes the same bytes.

What a dictionary line becomes
------------------------------
* A verb whose own or block code is not null is a pattern of its own
  ("SURRENDER" in a ``[0874]`` block -> ``surrender``); a multi-word verb
  keeps its particle (``+CALL_OFF`` -> ``call off``).
* A pattern ``- * words [code]`` gives, for every verb of its block, that
  verb with its leading prepositions or particles as required words
  (``* (TO BORDER)`` -> ``rush to``) and its other content words as one
  required object phrase (``[border]``); every synset is expanded, so one
  entry lists all the phrases it stands for (``ask [food|foodstuff|...]``).
  Determiners, later prepositions and the ``$ + ^ %`` markers are dropped;
  plural nouns are written singular (the coder matches lemmas).
* ``[a:b]`` codes: the first is the event; ``[a:a]`` makes it reciprocal;
  ``[:b]`` (an event only from target to source) is left out.

What is left out, and counted in the header
-------------------------------------------
* codes with no PLOVER type: ``---`` (no event), codes missing from the table,
  codes the dictionary marks doubtful or that are malformed (``[025?]``, ``[080!]``).
  CAMEO 02 (appeals) is read as the PLOVER manual does, the request family
  of CAMEO 10: 02xy takes the type and mode of 10xy and keeps its own code;
  CAMEO 01 (public statements, which PLOVER does not code) becomes powderkeg's
  STATEMENT, outside PLOVER, with CAMEO's 01x as its mode (``STATEMENT_MODES``);
* patterns with words before the verb (a subject the coder cannot require),
  and TABARI's disjunctions (``BOMBING/EXPLOSION``, which PETRARCH skips too);
* verbs with words before the verb word (``RE_+ARREST``), and TABARI phrases
  with a conjunction (``+KILLED_AND``);
* ambiguous entries: one verb (with the same words and object) under codes
  of different PLOVER types (the dictionary's own duplicates); where the
  codes agree on the type, the first in the file is kept;
* everything the ``Filter`` in force excludes (see there).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .ontology import EventType, Mode
from .verb_dictionary import Element, Verb, VerbDictionary, expansions, parse

#: words that open a prepositional phrase or are a verb's particle
PARTICLES = frozenset(
    "about above across after against ahead along alongside amid amidst among apart around as aside at "
    "away back before behind below beneath beside between beyond by down during for forth forward from "
    "in inside into near of off on onto out outside over past since through throughout to together "
    "toward towards under until up upon via with within without".split()
)
#: words that say nothing about what a verb acts on
FUNCTION_WORDS = frozenset(
    "a an the that this these those its their his her our your my it them him us some any all "
    "will would shall should can could may might must be been is are was were has have had do does did "
    "not no n't and or nor but so than then also".split()
)
#: table mode names that powderkeg spells differently (the table puts a context in
#: the mode column for 175, "use violent repression")
MODE_ALIASES = {Mode.DEMO.value: Mode.DEMONSTRATE.value, "pro_autocracy": Mode.REPRESSION.value}
#: how a generated pattern's origin begins ("cameo:0874"); an event's rule begins with it
ORIGIN = "cameo:"
#: what a code must look like: CAMEO's digits (PETRARCH's test dictionary adds a letter, "075A")
CODE = re.compile(r"\d{2,4}[A-Za-z]?")
#: CAMEO roots PLOVER does not code: 01 public statements (read as STATEMENT)
UNCODED_ROOTS = ("01",)
#: CAMEO 01x -> the mode of powderkeg's STATEMENT type (ontology.toml)
STATEMENT_MODES = {
    "010": Mode.NONE.value,
    "011": Mode.DECLINE_COMMENT.value,
    "012": Mode.PESSIMISTIC.value,
    "013": Mode.OPTIMISTIC.value,
    "014": Mode.CONSIDER.value,
    "015": Mode.CLAIM_RESPONSIBILITY.value,
    "016": Mode.DENY_RESPONSIBILITY.value,
    "017": Mode.SYMBOLIC.value,
    "018": Mode.EMPATHETIC.value,
    "019": Mode.ACCORD.value,
}

_TABLE_LINE = re.compile(r"^(\d{2,4})\s*:\s*([A-Z]+)\s*(?:,\s*([^,#]*))?")


@dataclass(frozen=True)
class Plover:
    type: str
    mode: str


def read_table(text: str) -> dict[str, Plover]:
    """CAMEO code -> PLOVER type and mode, from CAMEO2PLOVER-2021.txt (``CODE: TYPE, mode,
    context # label``); a code listed twice keeps its first row."""
    out: dict[str, Plover] = {}
    for line in text.splitlines():
        m = _TABLE_LINE.match(line.strip())
        if m and m[1] not in out:
            mode = (m[3] or "").strip()
            out[m[1]] = Plover(m[2], MODE_ALIASES.get(mode, mode))
    return out


def to_plover(code: str, table: dict[str, Plover]) -> Plover | None:
    """The PLOVER reading of a CAMEO code: its own row, else its parent's (0874 -> 087
    -> 08); an appeal (02xy) reads as the demand 10xy; a public statement (01x) as
    STATEMENT with its mode; None for unknown codes."""
    digits = re.match(r"\d*", code.strip())[0]  # type: ignore[index]
    if digits.startswith(UNCODED_ROOTS):
        mode = STATEMENT_MODES.get(digits[:3] if len(digits) > 2 else "010")
        return None if mode is None else Plover(EventType.STATEMENT.value, mode)
    if len(digits) < 2:
        return None
    lookup = "10" + digits[2:] if digits.startswith("02") else digits
    while len(lookup) >= 2:
        if lookup in table:
            return table[lookup]
        lookup = lookup[:-1]
    return None


def singular(word: str) -> str:
    """A regular English singular, for nouns written plural in the dictionary."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Filter:
    """Which dictionary entries become patterns (the converter's choices, in one place)."""

    #: verbs that are a pattern alone, with nothing required beside them: "specific"
    #: (a code of their own that is not a category's "not specified" code, CAMEO's
    #: xy0), "own" (any code of their own), "all" (the block's code too) or "none"
    bare_verbs: Literal["specific", "own", "all", "none"] = "specific"
    #: the verbs a block's pattern is written for: "found" (the verb its comment says
    #: it was found with; all of them where it names none of the block) or "block"
    pattern_verbs: Literal["found", "block"] = "found"
    #: patterns with words before the verb: the coder cannot require its subject
    subject_patterns: bool = False
    #: the most content words one required object may have
    max_object_words: int = 4
    #: a code the table cannot read (not CAMEO: the validation dictionary's WEIS-era
    #: codes): "drop" it, or give it the reading of its block's code ("block"), the
    #: event keeping the code as written
    foreign_codes: Literal["drop", "block"] = "drop"


def unspecified(code: str) -> bool:
    """CAMEO's "not specified below" codes: a root's xy0 (and the bare root)."""
    digits = re.match(r"\d*", code)[0]  # type: ignore[index]
    return len(digits) == 2 or (len(digits) == 3 and digits.endswith("0"))


def _keeps_bare(verb: Verb, keep: Filter) -> bool:
    if keep.bare_verbs == "all":
        return True
    if keep.bare_verbs == "own":
        return verb.own_code
    if keep.bare_verbs == "specific":
        return verb.own_code and not unspecified(verb.code.partition(":")[0])
    return False


@dataclass
class Conversion:
    """The generated entries and the counts of what was kept and left out, and why."""

    #: (code, reciprocal, its PLOVER reading) -> entry -> None (an ordered set)
    groups: dict[tuple[str, bool, Plover], dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    counts: Counter = field(default_factory=Counter)


def _required(after: tuple[Element, ...], max_words: int) -> tuple[tuple[str, ...], str] | None:
    """(words the verb must have beside it, the object phrase) of one expanded pattern.

    Leading particles and the preposition of a leading ``( ... )`` phrase are the
    verb's (``* (TO BORDER)``: "to"); the preposition of a later ``( ... )`` phrase
    is dropped, one written bare in a run of words (TABARI's ``VICTORY AGAINST``)
    stays in the object.
    """
    near: list[str] = []
    content: list[str] = []
    seen_groups: set[int] = set()
    for el in after:
        first_of_group = bool(el.group) and el.group not in seen_groups
        seen_groups.add(el.group)
        if el.kind != "word":
            continue
        word = el.text
        if word in PARTICLES:
            if not content and (el.group == 0 or first_of_group) and len(near) < 2:
                near.append(word)
            elif not content or el.group:
                continue
            else:
                content.append(word)
            continue
        if word in FUNCTION_WORDS or not re.search(r"[a-z]", word):
            continue
        content.append(singular(word))
    while content and content[-1] in PARTICLES:
        content.pop()
    if len(content) > max_words:
        return None
    return tuple(near), " ".join(content)


def _entry(verb: Verb, near: tuple[str, ...]) -> str:
    return " ".join((*verb.words[verb.head :], *near))


def convert(dictionary: VerbDictionary, table: dict[str, Plover], keep: Filter = Filter()) -> Conversion:
    out = Conversion()
    counts = out.counts
    #: (verb words, object) -> the PLOVER type of its first reading ("" for no event)
    first: dict[tuple[str, str], str] = {}
    ambiguous: set[tuple[str, str]] = set()
    readings: list[tuple[str, str, str, bool, Plover]] = []  # (verb words, object, code, reciprocal, reading)
    block_code = ""

    def plover(code: str) -> Plover | None:
        if not CODE.fullmatch(code):
            return None  # "---", no code at all, or one marked doubtful or malformed ("025?", "080!")
        mapped = to_plover(code, table)
        if mapped is None and keep.foreign_codes == "block" and not code.startswith(UNCODED_ROOTS):
            mapped = to_plover(block_code, table)
        return mapped

    def reading(words: str, obj: str, raw_code: str) -> str:
        """Record one reading of an entry; returns why it is no pattern ("" if it is one)."""
        code, _, back = raw_code.partition(":")
        code = code.strip()
        mapped = plover(code)
        key = (words, obj)
        kind = mapped.type if mapped else ""
        if key in first:
            if first[key] != kind:
                ambiguous.add(key)
            return "" if mapped else "no event"
        first[key] = kind
        if mapped is None:
            return "no event"
        readings.append((words, obj, code, back.strip() == code, mapped))
        return ""

    def why_not(code: str) -> str:
        code = code.partition(":")[0].strip()
        if not code:  # "[:173]"
            return "an event only from target to source, [:code]"
        if code == "---":
            return "the null code [---]"
        if not CODE.fullmatch(code):
            return "a code marked doubtful or malformed, [025?] [080!]"
        return "a code with no PLOVER type"

    for block in dictionary.blocks:
        block_code = block.code.partition(":")[0].strip()
        verbs = []
        for verb in block.verbs:
            if verb.head > 0:
                counts["verb lines left out: words before the verb word"] += 1
                continue
            if {"and", "or"} & set(verb.words):
                counts["verb lines left out: a TABARI phrase with a conjunction (KILLED_AND)"] += 1
                continue
            verbs.append(verb)
            if not _keeps_bare(verb, keep):
                counts["verb lines not a pattern alone (Filter.bare_verbs)"] += 1
            elif reading(_entry(verb, ()), "", verb.code):
                counts[f"verb lines left out: {why_not(verb.code)}"] += 1
            else:
                counts["verb lines kept as a pattern alone"] += 1
        for pattern in block.patterns:
            if pattern.before and not keep.subject_patterns:
                counts["pattern lines left out: words before the verb (a subject)"] += 1
                continue
            if any(e.kind == "word" and "/" in e.text for e in pattern.after):
                counts["pattern lines left out: a TABARI disjunction (BOMBING/EXPLOSION)"] += 1
                continue
            forms = expansions(pattern.after, dictionary)
            if not forms:
                counts["pattern lines left out: an undefined synset"] += 1
                continue
            options = [_required(f, keep.max_object_words) for f in forms]
            # a pattern that asks for nothing beside the verb is no pattern of its own
            required = [r for r in options if r is not None and (r[0] or r[1])]
            if not required:
                too_long = any(r is None for r in options)
                counts[
                    "pattern lines left out: "
                    + (
                        "an object longer than Filter.max_object_words"
                        if too_long
                        else "nothing beside the verb"
                    )
                ] += 1
                continue
            # the verb the comment names, even one left out above (then no verb at all)
            found = [v for v in block.verbs if pattern.found_with in v.names]
            chosen = [v for v in found if v in verbs] if found and keep.pattern_verbs == "found" else verbs
            for verb in chosen:
                for near, obj in dict.fromkeys(required):
                    # a null or uncoded reading is recorded too: it makes a coded twin ambiguous
                    reading(_entry(verb, near), obj, pattern.code)
            if plover(pattern.code.partition(":")[0].strip()) is None:
                counts[f"pattern lines left out: {why_not(pattern.code)}"] += 1
            elif not chosen:
                counts["pattern lines left out: written for a verb left out"] += 1
            else:
                counts["pattern lines kept"] += 1
    # entries of one verb (with its words) under one code: their objects become alternatives
    alternatives: dict[tuple[str, bool, Plover, str], list[str]] = defaultdict(list)
    for words, obj, code, reciprocal, mapped in readings:
        if (words, obj) in ambiguous:
            counts["entries left out: read under codes of different PLOVER types"] += 1
            continue
        alternatives[(code, reciprocal, mapped, words)].append(obj)
    for (code, reciprocal, mapped, words), objects in alternatives.items():
        group = out.groups[(code, reciprocal, mapped)]
        if "" in objects:
            group[words] = None
        rest = [o for o in objects if o]
        if rest:
            group[f"{words} [{'|'.join(rest)}]"] = None
    counts["generated entries"] = sum(len(entries) for entries in out.groups.values())
    return out


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(conversion: Conversion, header: str) -> str:
    lines = [header.rstrip("\n"), "", "version = 1", ""]
    for key in sorted(conversion.groups, key=lambda k: (k[0], k[1], k[2].type, k[2].mode)):
        code, reciprocal, mapped = key
        entries = sorted(conversion.groups[key])
        lines += ["[[pattern]]", f'type = "{mapped.type}"']
        if mapped.mode:
            lines.append(f"mode = {_toml_string(mapped.mode)}")
        lines += [f'cameo = "{code}"', f'origin = "{ORIGIN}{code}"', "generated = true"]
        if reciprocal:
            lines.append("reciprocal = true")
        lines.append("verbs = [")
        lines += [f"  {_toml_string(e)}," for e in entries]
        lines += ["]", ""]
    return "\n".join(lines)


def licence_notice(text: str) -> list[str]:
    """The dictionary's own licence lines (its MIT notice and copyright), as written."""
    lines = [ln.lstrip("#").rstrip() for ln in text.splitlines()[:120] if ln.startswith("#")]
    start = next((i for i, ln in enumerate(lines) if "MIT License" in ln), None)
    if start is None:
        return []
    end = next((i for i in range(start, len(lines)) if "SOFTWARE." in lines[i]), len(lines) - 1)
    return lines[start : end + 1]


def header(source: Path, table: Path, source_text: str, table_text: str, counts: Counter) -> str:
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    out = [
        "GENERATED by `make cameo` (python -m powderkeg.knowledge.cameo_import): do not edit;",
        "change the converter or its filter and regenerate.",
        "",
        f"Source: {source.name} (sha256 {digest(source_text)}), the CAMEO verb pattern",
        "dictionary of PETRARCH2, https://github.com/openeventdata/petrarch2",
        "(petrarch2/data/dictionaries/CAMEO.2.0.txt), built on the TABARI CAMEO",
        "dictionaries and WordNet synonym sets, funded by the U.S. National Science",
        "Foundation; its notice, as the MIT licence requires:",
        "",
        *licence_notice(source_text),
        "",
        f"Types and modes: {table.name} (sha256 {digest(table_text)}), the PLOVER",
        "project's CAMEO->PLOVER table (https://github.com/openeventdata/PLOVER).",
        "",
        "Each group is one CAMEO code: an event coded from it keeps that code (`cameo`)",
        "and names it in its rule (`cameo:CODE`). The hand-written patterns.toml comes",
        "first: these are tried only in a sentence it codes nothing in. Counts of this",
        "conversion (dictionary lines, and the entries written):",
        *(f"  {name}: {n}" for name, n in sorted(counts.items())),
    ]
    return "\n".join(f"# {line}".rstrip() for line in out) + "\n"


def build(source: Path, table: Path, keep: Filter = Filter()) -> tuple[str, Counter]:
    source_text = source.read_text("utf-8", errors="replace")
    table_text = table.read_text("utf-8")
    conversion = convert(parse(source_text), read_table(table_text), keep)
    return render(
        conversion, header(source, table, source_text, table_text, conversion.counts)
    ), conversion.counts


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 3:
        sys.exit("usage: python -m powderkeg.knowledge.cameo_import CAMEO.txt CAMEO2PLOVER.txt OUT.toml")
    text, counts = build(Path(args[0]), Path(args[1]))
    Path(args[2]).write_text(text, "utf-8")
    for name, n in sorted(counts.items()):
        print(f"{n:7d}  {name}")


if __name__ == "__main__":
    main()
