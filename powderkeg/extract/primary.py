"""The main (primary) event of a sentence or short text: what a one-label coder would say.

Gold sets give one label per sentence (or snippet); a sentence can hold
several events ("X accused Y of attacking Z" is ACCUSE, with a claimed
ASSAULT beneath it). The main event is the first of the text's events by one
ranking, ``rank``, whose criteria, in order, are:

1. **Said to have happened.** Counted events (asserted, claimed) before the
   rest: a negated act ("police did not arrest anyone"), a failed attempt
   ("failed to reach an agreement"), a possible or a future one yield to what
   the text says happened (factuality.py decides which is which). An actor's
   own announced act ("will reject the plan", "will impose sanctions") is coded
   twice, the act as ``future`` and its announcement (a promise, a threat, a
   rejection) as asserted, so the announcement is the one ranked here.
2. **An act before a statement.** A public statement (STATEMENT, CAMEO 01:
   "expressed concern", "declined to comment") is the main event only of a
   text that reports no other act. A claim or denial of responsibility
   (CAMEO 015, 016; ACLED's attribution) ranks as an act: it is the news
   about the act it names ("claimed responsibility for the attack that
   killed ten"), as an accusation is about the act it alleges.
3. **The text before its photo captions.** An event read in a photo caption or
   credit line ("FILE PHOTO: ...", "... (Reuters/Jane Roe)"; captions.py, its
   ``caption`` span) yields to every event of the text itself: a caption
   often opens a page, and a file photo shows older news.
4. **Hand-written before imported.** Events of the hand-written patterns
   before those of patterns imported from the CAMEO dictionary (rule
   ``cameo:...``), which only fill gaps.
5. **The earliest sentence.** A snippet's lead reports its news.
6. **The main clause.** The trigger nearest its sentence's root (``Event.depth``,
   the steps from the trigger up to the root): the main clause's event before
   an event in a relative clause ("arrested four men who had attacked"), a
   purpose clause ("deployed troops to protect"), a leading subordinate
   clause ("after rebels shelled the town, Kenya recalled its ambassador") or
   a complement (the accusation before the attack it alleges, the appeal
   before what it asks for). A verb that only reports ("said", "announced",
   "confirmed") codes no event, so the act it reports is the main event: a
   reported act outranks its reporting verb because the reporting verb is no
   candidate. A demonstration that force met (criterion 7) stands at that
   force's depth, so the pair yields to an event of a higher clause ("Turkey
   expelled the envoy after police fired tear gas at protesters marching").
7. **The demonstration before the force that answered it.** Force used on
   protesters (dispersal, arrests, shooting) yields to their demonstration in
   its own sentence ("police fired tear gas at protesters who threw stones",
   "police detained dozens during a march"); not to someone else's rally.
8. **Confidence.** The coder's confidence (with the event-type model's
   probability mixed in where the rules disagree, learned_events.py).
9. **The earlier trigger.**

``primary`` picks by this ranking; the CASE 2021 scorer's "more specific
attack" (eval/case2021.py) orders its candidates by it too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..knowledge.cameo_import import ORIGIN as GENERATED_ORIGIN
from ..knowledge.ontology import PLOVER_TYPES, STATEMENT_TYPES, EventType, Mode
from ..records import Event


def rank(event: Event, pool: Sequence[Event] = ()) -> tuple:
    """The sort key of ``event`` among ``pool`` (the text's candidate events): lower is more
    the main event. The criteria, in order, are the module docstring's."""
    start = event.spans.get("trigger", (0, 0))[0]
    imported = event.rule.startswith(GENERATED_ORIGIN)
    return (
        not event.counted,
        event.type in STATEMENT_TYPES and event.mode not in RESPONSIBILITY_MODES,
        "caption" in event.spans,
        imported,
        event.sentence_index,
        _clause_depth(event, pool),
        _demonstration_first(event, pool),
        -event.confidence,
        start,
    )


#: statements of responsibility, which rank as acts (criterion 2)
RESPONSIBILITY_MODES = (Mode.CLAIM_RESPONSIBILITY.value, Mode.DENY_RESPONSIBILITY.value)


def _clause_depth(event: Event, pool: Sequence[Event]) -> int:
    """Criterion 6's depth, with criterion 7's pairs at one depth: a demonstration that force
    met stands where that force stands ("police fired tear gas at protesters who threw
    stones"), so it outranks the force but not an event of a higher clause ("the council
    said members were abducted a day after police arrested protesters demonstrating")."""
    if not (event.counted and _demonstration(event)):
        return event.depth
    return min([event.depth, *(force.depth for force in pool if _met(event, force))])


def _demonstration_first(event: Event, pool: Sequence[Event]) -> int:
    """Criterion 7: -1 for a counted demonstration that counted force met in its sentence,
    1 for that force, 0 for any other event."""
    if not event.counted:
        return 0
    if _demonstration(event) and any(_met(event, force) for force in pool):
        return -1
    if _against_protesters(event) and any(_met(demo, event) for demo in pool):
        return 1
    return 0


def _met(demo: Event, force: Event) -> bool:
    """Whether counted force met the counted demonstration ``demo`` in its sentence."""
    return (
        force.counted
        and demo.counted
        and force.sentence_index == demo.sentence_index
        and _against_protesters(force)
        and _demonstration(demo)
        and _held_by(demo, force)
    )


def _against_protesters(event: Event) -> bool:
    """Force on protesters, or crowd control (tear gas, water cannon) at no one named."""
    return (
        event.type in (EventType.COERCE, EventType.ASSAULT)
        and (any(a.sector == "PRO" for a in event.target) or event.mode == Mode.REPRESSION)
        and not any(a.sector == "PRO" for a in event.source)
    )


def _held_by(demo: Event, force: Event) -> bool:
    """The demonstration is the one the force met: no one named holds it, or protesters,
    or those the force was used on (not "detained before the president's rally")."""
    targets = {(a.key, a.sector) for a in force.target}
    return not demo.source or any(a.sector == "PRO" or (a.key, a.sector) in targets for a in demo.source)


def _demonstration(event: Event) -> bool:
    return event.type == EventType.PROTEST or (
        event.type == EventType.ASSAULT and any(a.sector == "PRO" for a in event.source)
    )


def primary(events: Sequence[Event], plover_only: bool = False, statements: bool = False) -> Event | None:
    """The text's main event by ``rank``; with ``plover_only``, among its PLOVER events only
    (OTHER events, disasters and crime, then do not compete), and with ``statements`` too
    its public statements (which rank after every act)."""
    kept = PLOVER_TYPES + (STATEMENT_TYPES if statements else ())
    pool = [e for e in events if e.type in kept] if plover_only else list(events)
    return min(pool, key=lambda e: rank(e, pool)) if pool else None
