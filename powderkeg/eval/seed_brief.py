"""Score a brief written from the seed article against seed_brief_gold.json.

The gold file's header says how: the article (its own closing "Key Takeaways" block removed,
so the brief cannot copy it) is coded into a fresh store and briefed with ``--article``; a fact
is covered when one sentence of the takeaways or why-this-matters sections contains a term of
every group of the fact (case-insensitive substring) and cites an event coded from one of the
fact's evidence sentences; no sentence of the brief may contain a must-not claim. The brief must
also pass the grounding checker (``build_brief`` raises otherwise, and that scores 0).

Run: python -m powderkeg.eval.seed_brief ../shared/eval/seed_brief_gold.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..extract.components import SUMMARY_HEADING
from .report import Metric, Report


def without_takeaways(text: str) -> str:
    """The article up to its closing summary block ("Key Takeaways", "Key points", ...)."""
    matches = list(SUMMARY_HEADING.finditer(text))
    return text[: matches[-1].start()].rstrip() + "\n" if matches else text


def covered(fact: dict[str, Any], sentences: list[dict[str, Any]], citations: dict[str, Any]) -> str | None:
    """The first sentence that covers the fact, or None."""
    for s in sentences:
        low = s["text"].lower()
        if not all(any(term.lower() in low for term in group) for group in fact["groups"]):
            continue
        for cid in s["cites"]:
            evidence = [e["sentence"] for e in citations[cid]["evidence"]]
            if any(phrase in sentence for phrase in fact["evidence"] for sentence in evidence):
                return str(s["text"])
    return None


def score(gold: dict[str, Any], brief: dict[str, Any]) -> dict[str, Any]:
    sections = brief["sections"]
    pool = sections["takeaways"] + sections["why"]
    citations = {c["id"]: c for c in brief["citations"]}
    facts = {}
    for fact in gold["facts"]:
        facts[fact["id"]] = {"optional": bool(fact.get("optional")), "by": covered(fact, pool, citations)}
    everything = [s["text"] for name in sections for s in sections[name]]
    violations = [
        f"{claim!r} in {text!r}"
        for claim in gold["must_not"]
        for text in everything
        if claim.lower() in text.lower()
    ]
    return {
        "covered": sorted(k for k, v in facts.items() if v["by"]),
        "missed": sorted(k for k, v in facts.items() if not v["by"]),
        "facts": facts,
        "required": gold.get("required", len(gold["facts"])),
        "must_not_violations": violations,
        "takeaways": [s["text"] for s in sections["takeaways"]],
    }


def brief_of(doc: Path, pipeline: Any = None) -> dict[str, Any]:
    """Code the article (summary block removed) into a temporary store and brief it."""
    from ..brief import build_brief
    from ..pipeline import Pipeline
    from ..store import Store

    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / doc.name
        article.write_text(without_takeaways(doc.read_text("utf-8")), "utf-8")
        with Store(Path(tmp) / "seed.duckdb") as store:
            (pipeline or Pipeline()).run([article], store)
            article_id = store.con.execute("SELECT id FROM articles").fetchone()[0]  # type: ignore[index]
            return json.loads(build_brief(store, article=article_id).to_json())


def evaluate(path: str | Path, pipeline: Any = None, errors: int = 0) -> Report:
    """Report for ``powderkeg eval seed_brief GOLD.json`` (the article is found beside the gold
    file's ``../corpus`` folder, as in ../shared)."""
    from ..errors import UngroundedBrief

    gold = json.loads(Path(path).read_text("utf-8"))
    doc = Path(path).resolve().parent / gold["doc"]
    if not doc.exists():
        raise FileNotFoundError(f"the gold file's article {doc} is missing")
    report = Report("seed_brief", str(path))
    try:
        result = score(gold, brief_of(doc, pipeline))
        grounded = 1
    except UngroundedBrief as exc:
        result, grounded = (
            {
                "covered": [],
                "missed": [f["id"] for f in gold["facts"]],
                "must_not_violations": [],
                "takeaways": [],
            },
            0,
        )
        report.notes.append(str(exc))
    report.add(Metric("facts_covered", len(result["covered"]), len(gold["facts"])))
    report.add(Metric("required_met", float(len(result["covered"]) >= gold.get("required", 0)), 1))
    report.add(Metric("must_not_violations", len(result["must_not_violations"]), len(gold["must_not"])))
    report.add(Metric("checker_passed", grounded, 1))
    report.errors = [{"missed": m} for m in result["missed"]][: errors or None]
    report.notes += result["must_not_violations"] + [f"takeaway: {t}" for t in result["takeaways"]]
    return report


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    gold_path = Path(args[0] if args else "../shared/eval/seed_brief_gold.json")
    gold = json.loads(gold_path.read_text("utf-8"))
    result = score(gold, brief_of(gold_path.resolve().parent / gold["doc"]))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
