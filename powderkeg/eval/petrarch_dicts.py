"""PETRARCH2's validation dictionaries as powderkeg knowledge and patterns, for one eval run.

PETRARCH2's unit tests (``petr_unittest.jsonl``) test a coder against its own
small dictionaries: fictional countries (Arnor, Gondor...), agents, discards
and a verb dictionary whose codes the tests expect. When a ``petrarch2/``
folder sits beside the gold file (as in ../shared/eval), ``setup`` imports
them the way a user imports such dictionaries, into a temporary folder:

* ``PETR.Validate.verbs.txt`` through the CAMEO verb importer
  (``knowledge.cameo_import``, with the CAMEO->PLOVER table in ``plover/``
  beside the gold file), read as PETRARCH reads it: a block's code holds
  for each of its verbs and its patterns for all of them. These patterns
  replace powderkeg's own for the run: the tests check coding against this
  dictionary's codes, not powderkeg's;
* ``PETR.Validate.actors.txt``: entries coded with a bare three-letter code
  become countries (``countries.tsv``); the rest (``[ITHMIL]``, dated roles)
  go through ``powderkeg actors import`` (``knowledge.phoenix``);
* ``PETR.Validate.agents.txt`` through ``powderkeg actors import`` (sectors);
* ``PETR.Validate.discards.txt``: a text holding one of its phrases is not
  coded (PETRARCH's discard list; ``+`` marks story-level phrases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..knowledge import phoenix
from ..knowledge.cameo_import import Filter, build

COUNTRY_HEADER = "iso3\tiso2\tname\taliases\tadjectives\tdemonyms\tcapitals\tregion\n"
#: PETRARCH's reading of a verb dictionary: block codes and patterns hold for every verb;
#: the codes are the tests' labels, those outside CAMEO (WEIS-era) too
PETRARCH_READING = Filter(bare_verbs="all", pattern_verbs="block", foreign_codes="block")


@dataclass
class Validation:
    knowledge_dir: str = ""
    patterns: tuple[str, ...] = ()
    discards: list[re.Pattern[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def discarded(self, text: str) -> bool:
        return any(p.search(text) for p in self.discards)


def _country_rows(entries: list[phoenix.Entry]) -> tuple[list[str], list[phoenix.Entry]]:
    """countries.tsv rows for entries coded with a bare three-letter code; the other entries."""
    rows, rest = [], []
    by_code: dict[str, list[str]] = {}
    for entry in entries:
        if len(entry.codes) == 1 and re.fullmatch(r"[A-Z]{3}", entry.codes[0].strip()):
            by_code.setdefault(entry.codes[0].strip(), []).extend([entry.name, *entry.synonyms])
        else:
            rest.append(entry)
    for code, names in sorted(by_code.items()):
        names = [n for n in dict.fromkeys(names) if n]
        rows.append(f"{code}\t\t{names[0]}\t{'|'.join(names[1:])}\t\t\t\t\n")
    return rows, rest


def read_discards(text: str) -> list[re.Pattern[str]]:
    out = []
    for line in text.splitlines():
        phrase = line.split("#", 1)[0].strip().lstrip("+").strip()
        if phrase:
            out.append(re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.I))
    return out


def setup(gold: Path, into: Path) -> Validation | None:
    """Import the validation dictionaries beside ``gold`` into ``into``; None without them."""
    folder = gold.parent / "petrarch2"
    if not (folder / "PETR.Validate.actors.txt").exists():
        return None
    out = Validation(knowledge_dir=str(into))
    entries = phoenix.parse_actors((folder / "PETR.Validate.actors.txt").read_text("utf-8", errors="replace"))
    countries, rest = _country_rows(entries)
    (into / "countries.tsv").write_text(COUNTRY_HEADER + "".join(countries), "utf-8")
    people, orgs = phoenix.actor_rows(rest)
    for name, rows in (("people.tsv", people), ("organisations.tsv", orgs)):
        (into / name).write_text(phoenix.HEADERS[name] + "\n" + "".join(r + "\n" for r in rows), "utf-8")
    out.notes.append(
        f"PETR.Validate.actors.txt: {len(countries)} countries, {len(people)} people, {len(orgs)} organisations"
    )
    agents = folder / "PETR.Validate.agents.txt"
    if agents.exists():
        counts = phoenix.import_file(agents, into)
        out.notes.append(f"PETR.Validate.agents.txt: {counts.get('sectors.tsv', 0)} sector terms")
    verbs = folder / "PETR.Validate.verbs.txt"
    table = gold.parent / "plover" / "CAMEO2PLOVER-2021.txt"
    if verbs.exists() and table.exists():
        text, counts = build(verbs, table, PETRARCH_READING)
        (into / "validate_verbs.toml").write_text(text, "utf-8")
        out.patterns = (str(into / "validate_verbs.toml"),)
        out.notes.append(
            f"PETR.Validate.verbs.txt: {counts['generated entries']} patterns replace powderkeg's for this run"
        )
    discards = folder / "PETR.Validate.discards.txt"
    if discards.exists():
        out.discards = read_discards(discards.read_text("utf-8", errors="replace"))
        out.notes.append(f"PETR.Validate.discards.txt: {len(out.discards)} phrases")
    return out
