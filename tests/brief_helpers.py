"""Hand-built citations and sentences for the brief tests (no store, no spaCy)."""

from __future__ import annotations

from typing import Any

from powderkeg.brief.model import Brief, Citation, Derivation, Evidence, Sentence


def report(rid: str, sentence: str, start: int = 100, **fields: Any) -> dict[str, Any]:
    """An event-contract report whose spans are given as substrings of its sentence."""
    spans = {}
    for name, text in fields.pop("spans", {}).items():
        i = sentence.index(text)
        spans[name] = [start + i, start + i + len(text)]
    return {
        "id": rid,
        "article_id": fields.pop("article_id", "a1"),
        "sentence": sentence,
        "sentence_start": start,
        "spans": spans,
        "rule": fields.pop("rule", ""),
        "factuality": fields.pop("factuality", "asserted"),
        **fields,
    }


def citation(fid: str, reports: list[dict[str, Any]], **record: Any) -> Citation:
    """A fused event over these reports: its record (type, sides, place, date, numbers) as given."""
    rec = {
        "id": fid,
        "type": "ASSAULT",
        "mode": None,
        "quad_class": 4,
        "score": -9.0,
        "date": None,
        "date_precision": "unknown",
        "date_basis": "text",
        "source": [],
        "target": [],
        "place": {"name": None, "country": None},
        "context_country": None,
        "factuality": "asserted",
        "numbers": {},
        "n_reports": len(reports),
        "n_sources": len({r["article_id"] for r in reports}),
        "reports": [
            {"id": r["id"], "article_id": r["article_id"], "sentence": r["sentence"]} for r in reports
        ],
        **record,
    }
    evidence = tuple(
        Evidence(
            r["id"],
            r["article_id"],
            f"https://news.invalid/{r['article_id']}",
            "a title",
            "a desk",
            r["sentence"],
            r["sentence_start"],
            r["sentence_start"] + len(r["sentence"]),
        )
        for r in reports
    )
    return Citation(fid, "fused", rec, {r["id"]: r for r in reports}, evidence)


def sentence(text: str, cites: list[str], *derivations: Derivation, section: str = "happened") -> Sentence:
    return Sentence(text, tuple(cites), tuple(derivations), section)


def brief(sentences: list[Sentence], citations: list[Citation], **params: Any) -> Brief:
    sections = {"happened": tuple(s for s in sentences)}
    return Brief({"kind": "dyad", "label": "AAA-BBB"}, sections, {c.id: c for c in citations}, params)
