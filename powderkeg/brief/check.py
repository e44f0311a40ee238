"""The grounding checker: every sentence cites, and every checked token is supported.

For each sentence of a brief:

1. it must cite, and each citation must resolve to evidence sentences (article, locator,
   character span whose length is the sentence's);
2. every derivation it records is done again from the cited events (``derive.verify``);
   one that does not hold is a problem, and supports nothing;
3. every checked token must be supported:
   - numbers (digits, number words, ordinals) by the same value in the cited evidence, or by a
     derivation that covers them;
   - names: every run of capitalised words (persons, organisations, countries, places, months,
     weekdays; the first word of the sentence only when it is not a template or function word)
     must appear in the cited evidence (case and diacritics aside, at word boundaries), or be
     covered by derivations; a run that does neither is split into the longest pieces that do,
     and what is left over is unsupported;
   - claim words (killed, injured, attacked, invaded, clashed, arrested, war, ...) by a word of
     the same family in the cited evidence, or by a verified phrase derivation for a cited
     event's type (a template may say "clashed with" for an ASSAULT/clash; it may not say
     "killed" unless the evidence or a figure field does).

What it does not check: how the supported tokens are put together. "Serbia invaded Kosovo",
citing an article that says Kosovo's leader accused Serbia of waiting to invade, passes the
token checks (every token is in the evidence). The templates never write such a sentence; a
language-model backend could, and that is the limit of a token checker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge.known_actors import ascii_fold
from .derive import phrase_table, verify
from .model import Brief, Citation, Sentence

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th)?(?!\w)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
NUMBER_WORDS: dict[str, float | str] = {
    **{w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen".split())},
    **{w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())},
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "dozen": 12,
    **{w: i + 1 for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split())},
    "dozens": "dozens", "hundreds": "hundreds", "thousands": "thousands", "millions": "millions",
    "scores": "scores", "half": 0.5, "twice": 2, "once": 1,
}  # fmt: skip
CLAIM_FAMILIES = {
    "kill": r"kill\w*|dead|deaths?|died|dies|dying|fatalit\w*|lives",
    "injure": r"injur\w*|wound\w*|hurt|casualt\w*",
    "arrest": r"arrest\w*|detain\w*|detention\w*|captur\w*",
    "attack": r"attack\w*|assault\w*|ambush\w*",
    "invade": r"invad\w*|invasion\w*",
    "bomb": r"bomb\w*|shell(?:s|ed|ing)?|explo\w*|air ?strikes?|missiles?|rockets?",
    "shoot": r"shoot\w*|shot|shots|gunfire|opened fire",
    "clash": r"clash\w*|fight\w*|fought|battle\w*",
    "war": r"wars?|warfare",
    "riot": r"riot\w*",
    "massacre": r"massacr\w*|genocid\w*",
    "abduct": r"abduct\w*|kidnap\w*|hostages?",
    "seize": r"seiz\w*|occup\w*|captured",
}
_CLAIM = {name: re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I) for name, pattern in CLAIM_FAMILIES.items()}
# Words that may open a sentence without being a name: function words and template openers.
OPENERS = frozenset(
    "a an the on in at by for from of to with as after before since during over under about around"
    " and but or so no not none this that these those there here it its they their he she we"
    " what why who when where which while although though if unless until"
    " unidentified tension together newly also both all each every some most many more fewer few"
    " nothing reports events according between among alerts alert announced possible threat troop".split()
)


@dataclass(frozen=True)
class Problem:
    section: str
    sentence: str
    token: str
    kind: str  # citation | evidence | derivation | number | name | claim
    why: str

    def __str__(self) -> str:
        return f"[{self.section}] {self.token!r} ({self.kind}): {self.why} -- in: {self.sentence}"


@dataclass(frozen=True)
class CheckResult:
    sentences: int
    problems: tuple[Problem, ...] = ()
    supported: dict[str, int] = field(default_factory=dict)  # how many tokens each way

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rejected(self) -> list[str]:
        """The sentences with at least one problem."""
        return list(dict.fromkeys(p.sentence for p in self.problems))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sentences": self.sentences,
            "rejected": len(self.rejected),
            "supported": self.supported,
            "problems": [p.__dict__ for p in self.problems],
        }


def check(brief: Brief) -> CheckResult:
    problems: list[Problem] = []
    tally: dict[str, int] = {}
    sentences = brief.sentences
    for s in sentences:
        found, counts = check_sentence(s, brief.citations, brief.params)
        problems += found
        for k, v in counts.items():
            tally[k] = tally.get(k, 0) + v
    return CheckResult(len(sentences), tuple(problems), tally)


def check_sentence(
    s: Sentence, citations: Mapping[str, Citation], params: Mapping[str, Any]
) -> tuple[list[Problem], dict[str, int]]:
    problems: list[Problem] = []
    counts: dict[str, int] = {}

    def problem(token: str, kind: str, why: str) -> None:
        problems.append(Problem(s.section, s.text, token, kind, why))

    if not s.cites:
        problem("", "citation", "the sentence cites nothing")
    cited = [citations[c] for c in s.cites if c in citations]
    for cid in s.cites:
        if cid not in citations:
            problem(cid, "citation", "cites an event the brief does not carry")
    for c in cited:
        for e in c.evidence or ():
            if not (
                e.article_id
                and e.url
                and e.sentence
                and 0 <= e.start < e.end
                and e.end - e.start == len(e.sentence)
            ):
                problem(
                    c.id, "evidence", f"evidence of report {e.report_id} lacks its article, locator or span"
                )
        if not c.evidence:
            problem(c.id, "evidence", "the citation resolves to no evidence sentence")
    evidence = " \n ".join(e.sentence for c in cited for e in c.evidence)
    folded = _fold(evidence)
    values = number_values(evidence)
    text = s.text
    covered: list[tuple[int, int]] = []
    phrase_covered: list[tuple[int, int]] = []
    cited_map = {c.id: c for c in cited}
    for d in s.derivations:
        why = verify(d, cited_map, params)
        if why:
            problem(d.text, "derivation", why)
            continue
        spans = list(_occurrences(text, d.text))
        covered += spans
        if d.kind == "phrase":
            phrase_covered += spans

    def is_covered(start: int, end: int, ranges: Iterable[tuple[int, int]] = ()) -> bool:
        return any(a <= start and end <= b for a, b in (ranges or covered))

    for m in _NUMBER.finditer(text):
        if is_covered(m.start(), m.end()):
            counts["derived"] = counts.get("derived", 0) + 1
        elif _value(m.group()) in values:
            counts["evidence"] = counts.get("evidence", 0) + 1
        else:
            problem(m.group(), "number", "neither in the cited evidence nor derived from the cited events")
    words = [(m.group(), m.start(), m.end()) for m in _words(text)]
    for i, (word, start, end) in enumerate(words):
        low = word.lower()
        if low in NUMBER_WORDS and not word[:1].isupper() or (i == 0 and low in NUMBER_WORDS):
            if is_covered(start, end):
                counts["derived"] = counts.get("derived", 0) + 1
            elif NUMBER_WORDS[low] in values:
                counts["evidence"] = counts.get("evidence", 0) + 1
            else:
                problem(word, "number", "neither in the cited evidence nor derived from the cited events")
    for run in _name_runs(text, words):
        for piece, ok in _segment(run, folded, is_covered):
            if ok:
                counts["name"] = counts.get("name", 0) + 1
            else:
                problem(piece, "name", "not in the cited evidence and no derivation names it")
    for family, pattern in _CLAIM.items():
        for m in pattern.finditer(text):
            if is_covered(m.start(), m.end(), phrase_covered) or pattern.search(evidence):
                counts["claim"] = counts.get("claim", 0) + 1
            else:
                problem(
                    m.group(), "claim", f"no cited evidence says so ({family}) and no cited event's type does"
                )
    return problems, counts


# -- tokens ----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return ascii_fold(text).lower().replace("’", "'")


def _words(text: str) -> Iterable[re.Match[str]]:
    return _WORD.finditer(text)


def _value(token: str) -> float | str:
    token = token.lower()
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    digits = re.sub(r"(st|nd|rd|th)$", "", token).replace(",", "")
    value = float(digits)
    return int(value) if value.is_integer() else value


def number_values(text: str) -> set[float | str]:
    out: set[float | str] = {_value(m.group()) for m in _NUMBER.finditer(text)}
    for m in _words(text):
        if m.group().lower() in NUMBER_WORDS:
            out.add(NUMBER_WORDS[m.group().lower()])
    return out


def _occurrences(text: str, needle: str) -> Iterable[tuple[int, int]]:
    if not needle:
        return
    for m in re.finditer(rf"(?<![\w]){re.escape(needle)}(?![\w])", text):
        yield m.start(), m.end()


def _name_runs(text: str, words: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Runs of capitalised words joined by single spaces; the sentence's first word counts only
    when it is not an opener ("The", "On", "Tension")."""
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for i, (word, start, _) in enumerate(words):
        capital = word[:1].isupper()
        if i == 0 and capital and (word.lower() in OPENERS or word.lower() in lexicon()):
            capital = False
        if capital:
            bare = re.sub(r"['’]s$", "", word)
            if current and text[current[-1][2] : start] != " ":
                runs.append(current)
                current = []
            current.append((bare, start, start + len(bare)))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _segment(run: list[tuple[str, int, int]], folded: str, is_covered: Any) -> list[tuple[str, bool]]:
    """Split a run into the longest supported pieces; return (piece, supported) in order."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(run):
        for j in range(len(run), i, -1):
            piece = " ".join(w for w, _, _ in run[i:j])
            if is_covered(run[i][1], run[j - 1][2]) or _in(folded, _fold(piece)):
                out.append((piece, True))
                i = j
                break
        else:
            out.append((run[i][0], False))
            i += 1
    return out


def _in(folded: str, needle: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", folded))


_LEXICON: set[str] = set()


def lexicon() -> set[str]:
    """Every word the phrase table can write (none is a name, number or date)."""
    if not _LEXICON:

        def walk(value: Any) -> None:
            if isinstance(value, str):
                _LEXICON.update(w.lower() for w in _WORD.findall(value.replace("{target}", "")))
            elif isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(phrase_table())
    return _LEXICON
