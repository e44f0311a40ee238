"""Score the coder on IndiaPoliceEvents sentences (india_police_sents.jsonl format).

Each record: ``doc_id``, ``sent_id``, ``sent_text`` (lower-cased news, on
purpose) and ``sent_labels``, a subset of KILL, ARREST, FORCE, FAIL,
ANY_ACTION: what the police did in that sentence. Each sentence is coded
alone; its counted (asserted or claimed) events give its predicted classes,
read as a political-science user would read police actions:

- **police** are actors with sector ``COP`` on the source side;
- **KILL**: a police ASSAULT that kills: someone killed by it
  (``numbers.killed`` > 0), a killing mode (massacre, assassination) or a
  trigger that means killing (kill, shoot dead, gun down, murder, ...);
- **ARREST**: a COERCE event of mode ``arrest`` (arrested, detained, held,
  rounded up, taken into custody) by the police, or with no one named as
  doing it: in news, an arrest that names no arrester is the police's;
- **FORCE**: police force used on people: any police ASSAULT (firing,
  shooting, beating, lathi-charge, killing) or crowd control (COERCE or
  ASSAULT of mode ``repression``: tear gas, water cannon, rubber bullets,
  dispersing a crowd by force);
- **ANY_ACTION** (reported beside them): any counted police event, or an
  arrest with no doer named. FAIL (police failing to act) is not scored: the
  coder codes acts, not their absence.

Figures: per class precision, recall and F1 over sentences, their macro-F1
over KILL, ARREST and FORCE, and coverage (sentences with any counted event).
Halves are by article (``doc_id``), so one article's sentences stay together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..records import Event
from .common import add_with_halves, code_records, read_jsonl
from .report import Metric, Report, cli

CLASSES = ("KILL", "ARREST", "FORCE")
EXTRA = ("ANY_ACTION",)
#: trigger words that mean a killing (the lower-cased trigger text's first word)
KILLING = {
    "kill", "killed", "killing", "killings", "shot", "murder", "murdered", "slay", "slain",
    "massacre", "massacred", "execute", "executed", "gunned", "lynch", "lynched", "behead",
}  # fmt: skip
KILLING_MODES = {"massacre", "assassinate"}


def _police(actors: Sequence[Any]) -> bool:
    return any(a.sector == "COP" for a in actors)


def _trigger(event: Event, text: str) -> str:
    start, end = event.spans.get("trigger", (0, 0))
    return text[start:end].lower()


def classes(events: Sequence[Event], text: str) -> set[str]:
    """The police classes a sentence's counted events say (see the module docstring)."""
    out: set[str] = set()
    for e in events:
        if not e.counted:
            continue
        police = _police(e.source)
        if e.type == "COERCE" and e.mode == "arrest" and (police or not e.source):
            out |= {"ARREST", "ANY_ACTION"}
        if not police:
            continue
        out.add("ANY_ACTION")
        if e.type == "ASSAULT" or e.mode == "repression":
            out.add("FORCE")
        if e.type == "ASSAULT" and (
            (e.numbers.killed or 0) > 0
            or e.mode in KILLING_MODES
            or _trigger(e, text).split(" ")[0] in KILLING
        ):
            out.add("KILL")
    return out


def prf(rows: Sequence[tuple[set[str], set[str]]], label: str) -> tuple[float, float, float]:
    tp = sum(label in g and label in p for g, p in rows)
    npred = sum(label in p for _, p in rows)
    ngold = sum(label in g for g, _ in rows)
    prec = tp / npred if npred else 0.0
    rec = tp / ngold if ngold else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def figures(rows: Sequence[tuple[Any, set[str], set[str], bool]]) -> list[Metric]:
    """Per-class P/R/F1 of ``(doc id, gold classes, predicted classes, any event)`` rows."""
    pairs = [(g, p) for _, g, p, _ in rows]
    out = []
    f1s = []
    for label in (*CLASSES, *EXTRA):
        support = sum(label in g for g, _ in pairs)
        prec, rec, f1 = prf(pairs, label)
        low = label.lower()
        out += [Metric(f"{low}_precision", prec, support), Metric(f"{low}_recall", rec, support)]
        out.append(Metric(f"{low}_f1", f1, support))
        if label in CLASSES:
            f1s.append(f1)
    out.append(Metric("police_macro_f1", sum(f1s) / len(f1s), len(rows)))
    out.append(
        Metric("coverage", sum(any_event for *_, any_event in rows) / len(rows) if rows else 0.0, len(rows))
    )
    out.append(Metric("sentences", len(rows), len(rows)))
    return out


def evaluate(path: str | Path, pipeline=None, errors: int = 0) -> Report:
    raw = read_jsonl(path, ["doc_id", "sent_id", "sent_text", "sent_labels"])
    records = [{**r, "id": f"{r['doc_id']}-{r['sent_id']}", "text": r["sent_text"]} for r in raw]
    rows = []
    wrong: list[dict[str, Any]] = []
    for record, events in code_records(records, pipeline):
        gold = set(record["sent_labels"]) & {*CLASSES, *EXTRA}
        predicted = classes(events, record["text"])
        rows.append((record["doc_id"], gold, predicted, any(e.counted for e in events)))
        if (gold ^ predicted) & set(CLASSES) and len(wrong) < errors:
            rule = next((e.rule for e in events if e.counted), None)
            wrong.append(
                {
                    "id": record["id"],
                    "text": record["text"],
                    "gold": sorted(gold),
                    "predicted": sorted(predicted),
                    "rule": rule,
                }
            )
    report = Report("india_police", str(path))
    add_with_halves(report, rows, lambda row: row[0], figures)
    report.errors = wrong
    report.notes.append("police = source sector COP; an arrest with no doer named counts as the police's")
    return report


def main(argv: list[str] | None = None) -> None:
    cli(evaluate, argv)


if __name__ == "__main__":
    main()
