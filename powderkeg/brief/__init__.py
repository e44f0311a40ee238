"""Grounded situation briefs: every sentence cites fused events, every token is checked.

    source.py    the one module that reads the store (fused events, reports, articles, alerts)
    select.py    the scope (dyad, country, region, article) and the events' ranking and episodes
    phrase.py    one event as one clause: quoted actors, phrases.toml verbs, derived place/date/figures
    why.py       why this matters: the index's peak and z, the previous peak, firsts, who is involved
    compose.py   the deterministic templates: headline, takeaways, what happened, why, what to watch
    derive.py    rendering fields as words, and redoing each recorded derivation
    check.py     the grounding checker
    render.py    Markdown, HTML and JSON
    llm.py       the optional llama-cpp-python backend (``powderkeg[llm]``), behind the same checker

``build_brief(store, key, since, until)`` returns a checked ``Brief`` (``to_json()`` for the
API); it raises ``UngroundedBrief`` listing every unsupported token when the check fails.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..analyze.index import Key
from ..errors import BriefError, UngroundedBrief
from .check import CheckResult, check
from .compose import BriefParams, compose
from .model import Brief, Citation, Derivation, Evidence, Sentence
from .select import Scope, parse_key
from .source import BriefSource, event_of, no_gc
from .why import History

if TYPE_CHECKING:
    from ..store import Store
    from .llm import Generator

DEFAULT_DAYS = 30


def build_brief(
    store: Store,
    key: Key | str | Sequence[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    article: str | None = None,
    params: BriefParams | None = None,
    generator: Generator | None = None,
    verify: bool = True,
) -> Brief:
    """A brief on a key (a dyad "SRB-XKX", a country "SRB", "region:NAME" or a ``Key``) over
    [since, until] (default: the 30 days up to the store's last dated event), or on one article.

    With ``verify`` (the default) the brief is checked and ``UngroundedBrief`` raised, listing
    every unsupported token, if any sentence fails. A ``generator`` (see llm.py) rewrites the
    template sentences; each rewritten sentence is checked and, when it fails, the template's
    sentence is kept (what was rejected is in the brief's notes).
    """
    params = params or BriefParams()
    with no_gc():  # tens of thousands of records of the look-back, all alive until the end
        brief = _build(store, key, since, until, article, params)
    if generator is not None:
        from .llm import rewrite

        brief = rewrite(brief, generator)
    if verify:
        result = check(brief)
        if not result.ok:
            raise UngroundedBrief(
                f"the brief on {brief.scope['label']} has {len(result.problems)} unsupported tokens"
                f" in {len(result.rejected)} of {result.sentences} sentences; it is not written",
                problems=[str(p) for p in result.problems],
            )
    return brief


def _build(
    store: Store,
    key: Key | str | Sequence[str] | None,
    since: dt.date | None,
    until: dt.date | None,
    article: str | None,
    params: BriefParams,
) -> Brief:
    """The unchecked template brief (``build_brief``'s first step)."""
    source = BriefSource(store)
    notes: list[str] = []
    if article is not None:
        article_id = source.resolve_article(article)
        if article_id is None:
            raise BriefError(
                f"no single article matches {article!r}", remedy="see `powderkeg events` for ids"
            )
        events = source.fused_of_article(article_id)
        if not events:
            raise BriefError(f"article {article_id} has no counted events to brief on")
        if any(e.get("date_basis") == "ingested" for e in events):
            notes.append(
                "The article has no publication date: its events are undated, so the brief gives no"
                " dates and computes no trend, baseline or previous peak."
            )
        scope = Scope("article", f"article {article_id}", None, article_id=article_id)
        return compose(source, scope, events, None, params, notes)
    if key is None:
        raise BriefError("give a dyad, a country, a region or an article", remedy="e.g. SRB XKX")
    kind, parsed = parse_key(key)
    first, last = source.date_range()
    if last is None:
        raise BriefError(
            "the store has no dated fused events", remedy="run `powderkeg run` on dated articles first"
        )
    until = until or last
    since = since or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise BriefError(f"--since {since} is after --until {until}")
    by = params.by or ("day" if (until - since).days <= 31 else "week")
    params = dataclasses.replace(params, by=by)
    step = 7 if by == "week" else 1
    reach = dt.timedelta(days=max(params.lookback_days, params.first_days) + step * (params.baseline + 1))
    read = source.fused(since - reach, until, parsed)
    dated = [e for e in read if e.get("date_basis") != "ingested" and parsed.matches(event_of(e))]
    undated = sum(
        1
        for e in read
        if e.get("date_basis") == "ingested"
        and since.isoformat() <= (e.get("date") or "") <= until.isoformat()
    )
    if undated:
        notes.append(
            f"{undated} fused events from articles without a publication date fall in this window"
            " by the day they were ingested; they are left out (brief those articles with --article)."
        )
    window = [e for e in dated if since.isoformat() <= e["date"] <= until.isoformat()]
    if not window:
        raise BriefError(
            f"no dated events on {parsed.label} between {since} and {until}",
            remedy="widen --since/--until, or check the key with `powderkeg tension`",
        )
    scope = Scope(kind, parsed.name or parsed.label, parsed, since, until)
    history = History(dated, source.volume(), first)
    return compose(source, scope, window, history, params, notes)


__all__ = [
    "Brief",
    "BriefParams",
    "CheckResult",
    "Citation",
    "Derivation",
    "Evidence",
    "Sentence",
    "build_brief",
    "check",
]
