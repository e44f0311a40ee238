"""What a brief is made of: sentences that cite, citations that resolve to evidence.

A ``Sentence`` is plain text (its citation marks are added when it is rendered),
the ids of the citations it rests on, and a ``Derivation`` for every word in it
that is computed rather than quoted: a country's name from an event's code, a
date from its date field, a range from its figures, a reading of the tension
index. ``check.py`` re-derives each one from the cited events and tells apart
what the evidence says, what was computed, and what neither supports.
A ``Citation`` is one fused event (or, for announced and hypothetical events,
which are never fused, one report) with the evidence sentences behind it:
article, URL and character span in the stored article text.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from typing import Any

SECTIONS = ("headline", "takeaways", "happened", "why", "watch")
SECTION_TITLES = {
    "headline": "Headline",
    "takeaways": "Key takeaways",
    "happened": "What happened",
    "why": "Why this matters",
    "watch": "What to watch",
}


@dataclass(frozen=True)
class Derivation:
    """Words of a sentence computed from the cited events' structured fields (or the index).

    ``kind`` says how (see ``derive.py``: name, actor, place, date, number, count, phrase,
    index, first, param); ``events`` the citation ids it reads; ``field`` what it reads;
    ``value`` what was computed; ``how`` the computation in words; ``inputs`` whatever else
    the computation needs to be done again (recorded, so that the checker can redo it).
    """

    text: str
    kind: str
    events: tuple[str, ...]
    field: str = ""
    value: Any = None
    how: str = ""
    inputs: dict[str, Any] = dc_field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "events": list(self.events)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Derivation:
        return cls(**{**d, "events": tuple(d.get("events", ()))})


@dataclass(frozen=True)
class Sentence:
    text: str
    cites: tuple[str, ...]
    derivations: tuple[Derivation, ...] = ()
    section: str = ""

    def to_dict(self, numbers: dict[str, int] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "cites": list(self.cites),
            "derivations": [d.to_dict() for d in self.derivations],
        }
        if numbers is not None:
            out["citations"] = [numbers[c] for c in self.cites if c in numbers]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], section: str = "") -> Sentence:
        return cls(
            d["text"],
            tuple(d.get("cites", ())),
            tuple(Derivation.from_dict(x) for x in d.get("derivations", ())),
            section,
        )


@dataclass(frozen=True)
class Evidence:
    """One evidence sentence: where it is in which article."""

    report_id: str
    article_id: str
    url: str
    title: str
    outlet: str
    sentence: str
    start: int  # character offsets of the sentence in the stored article text
    end: int
    published: str | None = None
    spans: dict[str, list[int]] = dc_field(default_factory=dict)  # coded fields, article offsets

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """A fused event (kind ``fused``) or a lone unfused report (kind ``report``) and its evidence.

    ``record`` is the fused event as the store keeps it; ``reports`` the event-contract
    records of its reports (actor texts, names, spans, trigger rule), by report id.
    """

    id: str
    kind: str
    record: dict[str, Any]
    reports: dict[str, dict[str, Any]]
    evidence: tuple[Evidence, ...]

    def to_dict(self, number: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "event": self.record,
            "reports": self.reports,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if number is not None:
            out = {"n": number, **out}
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        return cls(
            d["id"], d["kind"], d["event"], d.get("reports", {}), tuple(Evidence(**e) for e in d["evidence"])
        )


@dataclass(frozen=True)
class Source:
    article_id: str
    url: str
    title: str
    outlet: str
    published: str | None


@dataclass(frozen=True)
class Brief:
    """A situation brief: its scope, its sections of sentences, and what they cite."""

    scope: dict[str, Any]  # kind (dyad|country|region|article), label, key codes, since, until
    sections: dict[str, tuple[Sentence, ...]]
    citations: dict[str, Citation]
    params: dict[str, Any]
    generator: str = "templates"
    notes: tuple[str, ...] = ()  # what the brief left out and why (not claims: no figures of events)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for name in SECTIONS for s in self.sections.get(name, ())]

    def numbering(self) -> dict[str, int]:
        """Citation id -> its [n], in order of first use."""
        out: dict[str, int] = {}
        for s in self.sentences:
            for c in s.cites:
                out.setdefault(c, len(out) + 1)
        return out

    def sources(self) -> list[Source]:
        """The articles behind the cited events, in order of first citation."""
        seen: dict[str, Source] = {}
        for cid in self.numbering():
            citation = self.citations.get(cid)
            for e in citation.evidence if citation else ():
                seen.setdefault(e.article_id, Source(e.article_id, e.url, e.title, e.outlet, e.published))
        return list(seen.values())

    def with_sections(self, sections: dict[str, tuple[Sentence, ...]], generator: str) -> Brief:
        return Brief(self.scope, sections, self.citations, self.params, generator, self.notes)

    def to_dict(self) -> dict[str, Any]:
        numbers = self.numbering()
        return {
            "scope": self.scope,
            "generator": self.generator,
            "params": self.params,
            "sections": {
                name: [s.to_dict(numbers) for s in self.sections.get(name, ())] for name in SECTIONS
            },
            "citations": [self.citations[c].to_dict(n) for c, n in numbers.items() if c in self.citations],
            "sources": [asdict(s) for s in self.sources()],
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=_default)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        sections = {
            name: tuple(Sentence.from_dict(s, name) for s in d["sections"].get(name, ())) for name in SECTIONS
        }
        citations = {c["id"]: Citation.from_dict(c) for c in d["citations"]}
        return cls(
            d["scope"],
            sections,
            citations,
            d.get("params", {}),
            d.get("generator", ""),
            tuple(d.get("notes", ())),
        )


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
