"""Saying one fused event in one clause, from its fields and its reports' evidence.

Actors are quoted from the evidence (the coded span of the best report: "Serb protesters",
"Kosovo Prime Minister Albin Kurti"), or, where the text only has a pronoun, named from their
codes; the verb phrase comes from phrases.toml by type, mode and trigger lemma; the place, the
date and the figures are rendered from the fused fields, each with its ``Derivation``. Figures
that reports give differently are a range with the number of reports ("11–31 injured
(3 reports)"); figures that count different people ("30 soldiers" and "52 Serbs") are listed
apart, each with whoever claimed it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..knowledge.known_actors import ascii_fold
from .derive import (
    display_name,
    fmt_date,
    fmt_number,
    lemma_of,
    phrase_entry,
    phrase_pieces,
    phrase_table,
    takes_target,
)
from .model import Citation, Derivation, Sentence

PRONOUNS = frozenset(
    "i we you he she it they me us him her them its his their our who whom which this that these those"
    " itself himself herself themselves one someone".split()
)
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")
_LINE_PLACES = re.compile(r"\b(?:border|boundary|line|frontier|crossing)\b", re.I)
PREPOSITIONS = {"day": "on", "week": "around", "month": "in", "weekof": "in the week of"}
SYMMETRIC = {("ASSAULT", "clash"), ("CONSULT", None), ("CONSULT", ""), ("COOPERATE", None), ("COOPERATE", "")}


class Writer:
    """Builds one sentence from template words, words quoted from evidence and derived words."""

    def __init__(self, section: str = "") -> None:
        self.section = section
        self.parts: list[str] = []
        self.derivations: list[Derivation] = []
        self.cites: list[str] = []

    def add(self, text: str) -> Writer:
        """Template words (no names, numbers or dates) or words quoted from the cited evidence."""
        if text:
            self.parts.append(text)
        return self

    def derive(
        self,
        text: str,
        kind: str,
        events: Sequence[str],
        field: str = "",
        value: Any = None,
        how: str = "",
        **inputs: Any,
    ) -> Writer:
        self.parts.append(text)
        self.derivations.append(Derivation(text, kind, tuple(events), field, value, how, inputs))
        return self

    def cite(self, *ids: str) -> Writer:
        for i in ids:
            if i not in self.cites:
                self.cites.append(i)
        return self

    @property
    def text(self) -> str:
        text = " ".join(p.strip() for p in self.parts if p.strip())
        text = re.sub(r"\s+([,;:.)])", r"\1", text)
        text = re.sub(r"\(\s+", "(", text)
        return text.replace(" – ", "–")

    def sentence(self) -> Sentence:
        text = self.text
        text = text[:1].upper() + text[1:]
        if text and text[-1] not in ".!?":
            text += "."
        unique: dict[tuple[str, ...], Derivation] = {}
        for d in self.derivations:
            if d.text in text:
                unique.setdefault((d.text, d.kind, ",".join(d.events), d.field, str(d.value)), d)
        return Sentence(text, tuple(self.cites), tuple(unique.values()), self.section)


# -- actors ----------------------------------------------------------------------------------


def span_text(report: dict[str, Any], name: str) -> str:
    """The text of one coded span of a report, cut from its evidence sentence."""
    span = (report.get("spans") or {}).get(name)
    if not span:
        return ""
    start = span[0] - int(report.get("sentence_start", 0))
    end = span[1] - int(report.get("sentence_start", 0))
    sentence = report.get("sentence") or ""
    return sentence[start:end] if 0 <= start < end <= len(sentence) else ""


def clean_actor(text: str, article: bool = False) -> str:
    """An actor's text without a trailing possessive, and without its leading article unless
    ``article`` ("a Kosovo police patrol" after a verb, "Crowds" at the start)."""
    text = text.strip() if article else _DETERMINER.sub("", text.strip())
    return _POSSESSIVE.sub("", text).strip()


def _actors(report: dict[str, Any], side: str) -> list[dict[str, Any]]:
    """A report's actors on one side (the event contract's list; empty when none)."""
    return list(report.get(side) or [])


def _fold(text: str) -> str:
    return ascii_fold(text).lower()


def _usable(text: str, avoid: Iterable[str]) -> bool:
    low = text.lower()
    if not text or low in PRONOUNS or len(text.split()) > 7 or not re.search(r"[^\W\d_]", text):
        return False
    return not any(_fold(text) == _fold(a) for a in avoid if a)


def actor_texts(
    c: Citation, side: str, avoid: Iterable[str] = (), prefer: str = "", article: bool = False
) -> list[str]:
    """Actor texts on one side of a fused event, best first: those that name someone (a
    capitalised word), then the main report's, then the first told. A text that names no one
    ("the alliance", "the mission") gives way to the actor's canonical name, or to its
    organisation's, when the knowledge files know it."""
    avoid = list(avoid)
    seen: dict[str, tuple[int, int, int]] = {}
    for order, (rid, report) in enumerate(c.reports.items()):
        for actor in _actors(report, side):
            text = clean_actor(actor.get("text") or "", article)
            if side == "source" and not re.search(r"\b[A-Z]", text):
                if actor.get("name"):
                    text = actor["name"]
                elif actor.get("org") and not actor.get("country"):
                    text = display_name(actor["org"])
            if not _usable(_DETERMINER.sub("", text), avoid):
                continue
            named = 1 if re.search(r"\b[A-Z]", text) else 0
            keyed = 1 if (actor.get("country") or actor.get("org")) else 0
            score = (named + keyed, 1 if rid == prefer else 0, -order)
            if text not in seen or score > seen[text]:
                seen[text] = score
    return sorted(seen, key=lambda t: seen[t], reverse=True)


def say(w: Writer, c: Citation, text: str) -> None:
    """An actor: quoted when the evidence has it, else derived from a report's actor name or
    from a code on the event's sides."""
    if any(_fold(text) in _fold(e.sentence) for e in c.evidence):
        w.add(text)
        return
    for report in c.reports.values():
        names = [report.get("claimed_by")] + [
            a.get("name") for side in ("source", "target") for a in _actors(report, side)
        ]
        if text in names:
            w.derive(text, "actor", [c.id], "name", text, "a report's canonical actor name")
            return
    for field in ("source", "target"):
        for code in c.record.get(field) or ():
            if display_name(code) == text:
                w.derive(text, "name", [c.id], field, code, f"the name of {code}")
                return
    w.add(text)


def name_codes(w: Writer, c: Citation, codes: Sequence[str], field: str) -> None:
    """Name codes of one side ("Serbia and NATO"), each a derived name."""
    codes = list(codes)[:3]
    w.cite(c.id)
    for i, code in enumerate(codes):
        if i:
            w.add("and" if i == len(codes) - 1 else ",")
        w.derive(display_name(code), "name", [c.id], field, code, f"the name of {code} in {field}")


# -- the clause ------------------------------------------------------------------------------


def main_report(c: Citation) -> dict[str, Any]:
    """The report that says the most: named source and target, a place, figures; asserted first."""

    def score(r: dict[str, Any]) -> tuple[int, ...]:
        src = [a for a in _actors(r, "source") if _usable(clean_actor(a.get("text") or ""), ())]
        tgt = [a for a in _actors(r, "target") if _usable(clean_actor(a.get("text") or ""), ())]
        numbers = any(v is not None for v in (r.get("numbers") or {}).values())
        return (
            2 * bool(src) + bool(tgt) + bool(r.get("place")) + numbers,
            r.get("factuality") == "asserted",
            -int(r.get("sentence_start", 0)),
        )

    return max(c.reports.values(), key=score) if c.reports else {}


def _targets(
    c: Citation, report: dict[str, Any], avoid: list[str], symmetric: bool, sources: list[str]
) -> list[str]:
    """Target texts for a clause: another participant of a symmetric event, else the coded
    targets (for types whose target is the source's own units, only those)."""
    mode = takes_target(c.record["type"])
    if not mode:
        return []
    if symmetric:
        return sources[1:2]
    own = set(c.record.get("source") or ())
    out = []
    for text in actor_texts(c, "target", avoid=avoid, prefer=report.get("id", ""), article=True):
        if mode == "own":
            actor = _actor_of(c, "target", text)
            keys = {actor.get("country"), actor.get("org")} - {None, ""}
            if not keys or not keys <= own:
                continue
        out.append(text)
    return out


def _actor_of(c: Citation, side: str, text: str) -> dict[str, Any]:
    for report in c.reports.values():
        for actor in _actors(report, side):
            if clean_actor(actor.get("text") or "", True) == text:
                return actor
    return {}


def _phrase(w: Writer, c: Citation, phrase: str, alone: str, target: str, codes: Sequence[str]) -> None:
    if target or codes:
        before, _, after = phrase.partition("{target}")
        if before.strip():
            w.derive(before.strip(), "phrase", [c.id], "type", c.record["type"], "phrases.toml for the event")
        if target:
            say(w, c, target)
        else:
            name_codes(w, c, codes, "target")
        if after.strip():
            w.derive(after.strip(), "phrase", [c.id], "type", c.record["type"], "phrases.toml for the event")
    else:
        w.derive(alone, "phrase", [c.id], "type", c.record["type"], "phrases.toml for the event")


def event_clause(
    w: Writer,
    c: Citation,
    *,
    base: bool = False,
    date: bool = True,
    figures: bool = True,
    claim: bool = True,
    short: bool = False,
) -> None:
    """Append "<source> <verb phrase> <target> in <place> on <date>, <figures>" for one event."""
    record, main = c.record, main_report(c)
    w.cite(c.id)
    place = (record.get("place") or {}).get("name") or ""
    figure_spans = [
        span_text(r, f"numbers.{k}") for r in c.reports.values() for k in (record.get("numbers") or {})
    ]
    symmetric = (record["type"], record.get("mode")) in SYMMETRIC
    sources = actor_texts(c, "source", avoid=[place], prefer=main.get("id", ""))
    if symmetric:
        sources = list(dict.fromkeys(sources + actor_texts(c, "target", avoid=[place, *figure_spans])))
    if sources:
        say(w, c, sources[0])
    elif record.get("source"):
        name_codes(w, c, record["source"], "source")
    else:
        w.add("unidentified actors")
    lemma = lemma_of(main.get("rule", ""))
    past, base_form, alone = phrase_entry(record["type"], record.get("mode"), lemma)
    targets = _targets(c, main, [place, *sources[:1], *figure_spans], symmetric, sources)
    codes: list[str] = []
    if not targets and not symmetric and takes_target(record["type"]) is True:
        codes = [k for k in record.get("target") or () if k not in set(record.get("source") or ())]
    if base:
        w.add("to")
        alone = phrase_pieces(base_form.replace("{target}", ""))[0] if not (targets or codes) else alone
    _phrase(w, c, base_form if base else past, alone, targets[0] if targets else "", codes)
    said = " ".join(w.parts)
    if place and _fold(place) not in _fold(said):
        w.add("along the" if _LINE_PLACES.search(place) else "in")
        w.derive(place, "place", [c.id], "place.name", place, "the fused event's place")
    if date:
        event_date(w, c)
    if short:
        return
    extra = second_clause(c, main, sources[:1], said, [place, *figure_spans])
    if extra:
        actor, report, target = extra
        w.add(", and")
        if actor:
            say(w, c, actor)
        r_past, _, r_alone = phrase_entry(
            record["type"], record.get("mode"), lemma_of(report.get("rule", ""))
        )
        _phrase(w, c, r_past, r_alone, target, [])
    if figures:
        figure_clauses(w, c, skip=" ".join(w.parts))
    if claim and record.get("factuality") == "claimed":
        claimants = [span_text(r, "claimed_by") or r.get("claimed_by") or "" for r in c.reports.values()]
        claimant = next((clean_actor(t) for t in claimants if t and _usable(clean_actor(t), ())), "")
        if claimant and _fold(claimant) not in _fold(" ".join(w.parts)):
            w.add(", according to")
            w.add(claimant)


def event_date(w: Writer, c: Citation, prefix: bool = True, precision: str = "") -> None:
    """ " on 29 May 2023" (or "in the week of", "in May 2023") from the event's date field; nothing
    for an undated article's event."""
    record = c.record
    if not record.get("date") or record.get("date_basis") == "ingested":
        return
    precision = precision or record.get("date_precision") or "day"
    precision = precision if precision in PREPOSITIONS else "day"
    day = dt.date.fromisoformat(record["date"])
    if prefix:
        w.add(PREPOSITIONS[precision])
    w.derive(
        fmt_date(day, precision),
        "date",
        [c.id],
        "date",
        record["date"],
        f"the event's date ({precision})",
        precision=precision,
    )


def second_clause(
    c: Citation, main: dict[str, Any], main_source: list[str], said: str, avoid: list[str]
) -> tuple[str, dict[str, Any], str] | None:
    """Another report of the same event that says it with another verb: by another named actor
    ("..., and Kosovo Prime Minister Albin Kurti accused Serbia"), or by the same actor to a
    named target not yet said ("... attacked a police patrol, and killed police sergeant X").
    Returns (the other actor or "", the report, its target or "")."""
    main_phrase = phrase_entry(c.record["type"], c.record.get("mode"), lemma_of(main.get("rule", "")))[0]
    for report in sorted(c.reports.values(), key=lambda r: int(r.get("sentence_start", 0))):
        if report is main:
            continue
        phrase = phrase_entry(c.record["type"], c.record.get("mode"), lemma_of(report.get("rule", "")))[0]
        if phrase == main_phrase:
            continue
        actors = [clean_actor(a.get("text") or "") for a in _actors(report, "source")]
        actor = next((a for a in actors if _usable(a, ())), "")
        same = not actor or any(_fold(actor) == _fold(m) for m in main_source)
        targets = [
            t
            for t in (clean_actor(a.get("text") or "", True) for a in _actors(report, "target"))
            if _usable(_DETERMINER.sub("", t), [*avoid, actor]) and re.search(r"\b[A-Z]", t)
        ]
        fresh = [t for t in targets if _fold(_DETERMINER.sub("", t)) not in _fold(said)]
        if same and fresh and "{target}" in phrase:
            return "", report, fresh[0]
        if not same and re.search(r"\b[A-Z]", actor) and _fold(actor) not in _fold(said):
            return actor, report, (targets[0] if targets and "{target}" in phrase else "")
    return None


def _noun(span: str) -> str:
    words = span.split()
    return words[-1] if len(words) > 1 and not re.match(r"^[\d.,]+$", words[-1]) else ""


def figure_clauses(w: Writer, c: Citation, skip: str = "") -> None:
    """ "; 30 soldiers injured according to KFOR and 52 Serbs injured according to X" or
    "; 11–31 injured (3 reports)"."""
    words = phrase_table().get("numbers", {})
    first = True
    for name, spread in (c.record.get("numbers") or {}).items():
        by_report = spread.get("by_report") or {}
        groups: dict[str, list[str]] = {}
        for rid in by_report:
            report = c.reports.get(rid, {})
            text = span_text(report, f"numbers.{name}")
            if text and _fold(text) in _fold(skip):
                continue
            groups.setdefault(_noun(text), []).append(rid)
        for noun, rids in groups.items():
            values = sorted({by_report[r] for r in rids})
            w.add(("," if name == "size" else ";") if first else "and")
            first = False
            if name == "size":
                w.add("involving")
            if len(values) == 1:
                w.derive(
                    fmt_number(values[0]),
                    "number",
                    [c.id],
                    f"numbers.{name}.by_report.{rids[0]}",
                    values[0],
                    "a report's figure",
                )
            else:
                lo = next(r for r in rids if by_report[r] == values[0])
                hi = next(r for r in rids if by_report[r] == values[-1])
                w.add("–".join([fmt_number(values[0]), fmt_number(values[-1])]))
                w.derivations.append(
                    Derivation(
                        fmt_number(values[0]),
                        "number",
                        (c.id,),
                        f"numbers.{name}.by_report.{lo}",
                        values[0],
                        "the lowest report",
                    )
                )
                w.derivations.append(
                    Derivation(
                        fmt_number(values[-1]),
                        "number",
                        (c.id,),
                        f"numbers.{name}.by_report.{hi}",
                        values[-1],
                        "the highest report",
                    )
                )
            if noun:
                w.add(noun)
            if name != "size" and name in words:
                w.derive(words[name], "phrase", [c.id], f"numbers.{name}", name, "the figure's name")
            claimants = {span_text(c.reports.get(r, {}), "claimed_by") for r in rids}
            if len(claimants) == 1 and (who := clean_actor(claimants.pop())):
                w.add("according to")
                w.add(who)
            if len(rids) > 1:
                w.add("(")
                w.derive(
                    fmt_number(len(rids)),
                    "count",
                    [c.id],
                    "reports",
                    len(rids),
                    f"reports giving {name}",
                    figure=name,
                    reports=rids,
                )
                w.add("reports)")
