"""The primary event of a sentence or short text: what a one-label coder would say.

Gold sets give one label per sentence (or snippet); a sentence can hold
several events ("X accused Y of attacking Z" is ACCUSE, with a claimed
ASSAULT beneath it). The primary event is chosen by a fixed order:

1. PLOVER events before OTHER ones when ``plover_only`` (five-way, PLOVER
   sets); otherwise OTHER competes like any type.
2. counted (asserted, claimed) before the rest: what the text says happened
   outweighs what it says might;
3. events of hand-written patterns before those of patterns imported from
   the CAMEO dictionary (rule ``cameo:...``), which only fill gaps;
4. the earliest sentence (a snippet's lead reports its news);
5. the trigger nearest its sentence's root: the main clause's event over an
   event it embeds (the accusation over the attack it alleges);
6. higher coder confidence, then the earlier trigger.

Force used on protesters (dispersal, arrests, shooting) yields to their
demonstration in its own sentence: the demonstration is what happened, the
force its answer ("police fired tear gas at protesters who threw stones",
"police detained dozens during a march").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..knowledge.cameo_import import ORIGIN as GENERATED_ORIGIN
from ..knowledge.ontology import PLOVER_TYPES, EventType, Mode
from ..records import Event


def rank(event: Event) -> tuple:
    start = event.spans.get("trigger", (0, 0))[0]
    imported = event.rule.startswith(GENERATED_ORIGIN)
    return (not event.counted, imported, event.sentence_index, event.depth, -event.confidence, start)


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


def primary(events: Sequence[Event], plover_only: bool = False) -> Event | None:
    pool = [e for e in events if e.type in PLOVER_TYPES] if plover_only else list(events)
    if not pool:
        return None
    best = min(pool, key=rank)
    if best.counted and _against_protesters(best):
        demos = [
            e
            for e in pool
            if e.counted
            and e.sentence_index == best.sentence_index
            and _demonstration(e)
            and _held_by(e, best)
        ]
        return min(demos, key=rank) if demos else best
    return best
