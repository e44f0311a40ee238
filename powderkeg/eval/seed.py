"""Score coded events against a hand-coded article (the seed_gold.json format).

A gold event is found when a counted (asserted or claimed) predicted event
has its type (or one of its ``accept_types``) and the same source and target
country/organisation: for each of the gold actor's ``country`` and ``org``,
some predicted actor on that side must carry it. A gold side with neither is
not checked. Each predicted event matches at most one gold event.

``must_not`` entries are read for what they forbid: the PLOVER type they name
(e.g. ASSAULT), and the quoted phrases ('...') that locate the text: a
forbidden reading is a counted event of that type whose sentence (or
paragraph) contains the phrase. An entry about restatements ("Key
Takeaways") forbids any event coded from that block.

Run: python -m powderkeg.eval.seed GOLD.json CORPUS_DIR
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..knowledge.ontology import PLOVER_TYPES
from .report import Metric, Report

if TYPE_CHECKING:
    from ..pipeline import Pipeline


@dataclass
class SeedScore:
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    optional_found: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    required: int = 0
    total: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "required_found": len(self.found),
            "required": self.required,
            "all_found": len(self.found) + len(self.optional_found),
            "all": self.total,
            "found": self.found,
            "missed": self.missed,
            "optional_found": self.optional_found,
            "must_not_violations": self.violations,
        }


def side_matches(gold: dict[str, Any] | None, actors: list[dict[str, Any]]) -> bool:
    if not gold or not (gold.get("country") or gold.get("org")):
        return True
    for key in ("country", "org"):
        want = gold.get(key)
        if want and not any(a.get(key) == want for a in actors):
            return False
    return True


def event_matches(gold: dict[str, Any], event: dict[str, Any]) -> bool:
    types = gold.get("accept_types") or [gold["type"]]
    return (
        event["type"] in types
        and side_matches(gold.get("source"), event["source"])
        and side_matches(gold.get("target"), event["target"])
    )


def _paragraph_of(text: str, start: int) -> str:
    begin = text.rfind("\n\n", 0, start)
    return text[begin + 2 if begin >= 0 else 0 :]


def violations(must_not: list[dict[str, Any]], events: list[dict[str, Any]], text: str) -> list[str]:
    out = []
    for rule in must_not:
        what = rule["what"]
        types = [t for t in PLOVER_TYPES if re.search(rf"\b{t}\b", what)]
        phrases = re.findall(r"'([^']+)'", what)
        restatement = re.search(r"takeaways|restate|summary|bullets", what, re.I)
        for e in events:
            sentence = e["sentence"]
            start = text.find(sentence)
            if restatement and phrases:
                block = text.find(phrases[0])
                if block >= 0 and start >= block:
                    out.append(f"{what} <- {e['type']} in {sentence[:80]!r}")
                continue
            if e["factuality"] not in ("asserted", "claimed") or (types and e["type"] not in types):
                continue
            paragraph = _paragraph_of(text, start) if start >= 0 else sentence
            if any(p in sentence or paragraph.startswith(p) for p in phrases):
                out.append(f"{what} <- {e['type']} in {sentence[:80]!r}")
    return out


def score(gold: dict[str, Any], events: list[dict[str, Any]], text: str) -> SeedScore:
    result = SeedScore(total=len(gold["events"]))
    counted = [e for e in events if e["factuality"] in ("asserted", "claimed")]
    used: set[int] = set()
    ordered = sorted(gold["events"], key=lambda g: bool(g.get("optional")))
    for g in ordered:
        if not g.get("optional"):
            result.required += 1
        hit = next((i for i, e in enumerate(counted) if i not in used and event_matches(g, e)), None)
        if hit is None:
            if not g.get("optional"):
                result.missed.append(g["id"])
            continue
        used.add(hit)
        (result.optional_found if g.get("optional") else result.found).append(g["id"])
    result.violations = violations(gold.get("must_not", []), events, text)
    return result


def score_file(
    gold_path: str | Path, corpus_dir: str | Path | None = None, pipeline: Pipeline | None = None
) -> SeedScore:
    from ..ingest.files import read_paths
    from ..pipeline import Pipeline
    from ..records import Article

    gold = json.loads(Path(gold_path).read_text("utf-8"))
    if corpus_dir:
        doc_path = Path(corpus_dir) / Path(gold["doc"]).name
    else:
        doc_path = Path(gold_path).resolve().parent.parent / gold["doc"]
    if not doc_path.exists():
        raise FileNotFoundError(f"the gold file's article {doc_path} is missing; pass its folder")
    articles = [a for a in read_paths([doc_path]) if isinstance(a, Article)]
    pipeline = pipeline or Pipeline()
    events: list[dict[str, Any]] = []
    for _, result in pipeline.code(articles):
        if isinstance(result, list):
            events += [e.to_dict() for e in result]
    return score(gold, events, articles[0].text if articles else "")


def evaluate(path: str | Path, pipeline: Pipeline | None = None, errors: int = 0) -> Report:
    """Report for ``powderkeg eval seed GOLD.json`` (the article is looked up beside the gold file's
    ``../corpus`` folder, as in ../shared)."""
    result = score_file(path, None, pipeline=pipeline)
    report = Report("seed", str(path))
    report.add(Metric("required_found", len(result.found), result.required))
    report.add(Metric("all_found", len(result.found) + len(result.optional_found), result.total))
    report.add(Metric("must_not_violations", len(result.violations), len(result.violations)))
    report.errors = [{"gold": g} for g in result.missed][: errors or None]
    report.notes = result.violations
    return report


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    result = score_file(args[0], args[1] if len(args) > 1 else None)
    print(json.dumps(result.to_dict(), indent=2))


if __name__ == "__main__":
    main()
