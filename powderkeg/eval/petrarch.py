"""Score the coder on PETRARCH2's unit-test sentences (petr_unittest.jsonl format).

Each record: ``text`` and ``codings`` (``{sourcecode, targetcode,
eventcode}``; several, or none, per sentence). The sentences name fictional
countries (Arnor, Gondor...), so when ``PETR.Validate.actors.txt`` sits in a
``petrarch2/`` folder beside the gold file (as in ../shared/eval), its
country-level entries (a 3-letter code, with their ``+`` synonyms) are
imported as extra countries for this run; without it only real countries
resolve. PETRARCH's codes are finer than PLOVER's, so figures compare CAMEO
root codes (first two digits):

- root accuracy on the primary event against the first gold coding (a
  sentence with no gold coding is right when the coder says nothing);
- triple P/R/F1 over (source country, target country, root) for every
  counted event, against all gold codings of the sentence.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract.primary import primary
from ..records import Actor, Event
from .common import accuracy, code_records, misses, read_jsonl, set_prf_part
from .report import Metric, Report, bootstrap

if TYPE_CHECKING:
    from ..pipeline import Pipeline

_ENTRY = re.compile(r"^([^\s#<+\[][^\[#]*?)\s*\[([A-Z]{3})\]")
_SYNONYM = re.compile(r"^\+([^\s#]+)")
HEADER = "iso3\tiso2\tname\taliases\tadjectives\tdemonyms\tcapitals\tregion\n"


def read_actor_dictionary(path: Path) -> dict[str, list[str]]:
    """Country-level entries of a CAMEO/PETRARCH actor dictionary: code -> names."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if m := _ENTRY.match(line):
            current = out.setdefault(m[2], [])
            current.append(m[1].replace("_", " ").strip().title())
        elif (m := _SYNONYM.match(line)) and current is not None:
            current.append(m[1].replace("_", " ").strip().title())
        elif line.strip() and not line.startswith(("+", " ", "\t")):
            current = None
    return out


def knowledge_dir(gold: Path, into: Path) -> Path | None:
    dictionary = gold.parent / "petrarch2" / "PETR.Validate.actors.txt"
    if not dictionary.exists():
        return None
    rows = []
    for code, names in sorted(read_actor_dictionary(dictionary).items()):
        names = [n for n in dict.fromkeys(names) if n]
        rows.append(f"{code}\t\t{names[0]}\t{'|'.join(names[1:])}\t\t\t\t\n")
    (into / "countries.tsv").write_text(HEADER + "".join(rows), "utf-8")
    return into


def root(code: str | None) -> str | None:
    return code[:2] if code and code[:2].isdigit() else None


def _country(actors: Iterable[Actor]) -> str:
    return next((a.country or a.org for a in actors if a.country or a.org), "")


def evaluate(path: str | Path, pipeline: Pipeline | None = None, errors: int = 0) -> Report:
    from ..pipeline import Pipeline
    from ..settings import Settings

    records = read_jsonl(path, ["text", "codings"])
    report = Report("petrarch", str(path))
    with tempfile.TemporaryDirectory() as tmp:
        extra = knowledge_dir(Path(path), Path(tmp))
        if extra is not None:
            settings = pipeline.settings if pipeline is not None else Settings()
            pipeline = Pipeline(dataclasses.replace(settings, knowledge_dir=str(extra)))
            report.notes.append("imported country-level actors from petrarch2/PETR.Validate.actors.txt")
        rows: list[tuple[dict[str, Any], Any, Any, Event | None]] = []
        triples: list[tuple[set, set]] = []
        for record, events in code_records(records, pipeline):
            codings = record["codings"] or []
            gold = root(codings[0].get("eventcode")) if codings else None
            event = primary(events, plover_only=True)
            rows.append((record, gold, root(event.cameo) if event else None, event))
            triples.append(
                (
                    {
                        (c.get("sourcecode", "")[:3], c.get("targetcode", "")[:3], root(c.get("eventcode")))
                        for c in codings
                    },
                    {(_country(e.source), _country(e.target), root(e.cameo)) for e in events if e.counted},
                )
            )
    report.add(bootstrap([(g, p) for _, g, p, _ in rows], accuracy, "root_accuracy"))
    for i, name in enumerate(("triple_precision", "triple_recall", "triple_f1")):
        report.add(bootstrap(triples, set_prf_part(i), name))
    report.add(Metric("sentences", len(rows), len(rows)))
    report.errors = misses(rows, errors)
    return report
