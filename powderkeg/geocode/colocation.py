"""When readings that lie together are evidence: not against the article's locale.

A name's reading gains when readings of the article's other names lie beside it ("Richmond"
with "Madison County": the Richmond in that Madison County). Common names have towns
everywhere, so in a list such as "Butler, Warren, Hamilton, Montgomery, Clark and Madison" in
an Ohio story, New Jersey's Clark lies beside a Warren, a Hamilton, a Madison and a
Montgomery of New Jersey too. Such a cluster is a coincidence when most of the article's
other places lie in another first-level area (its locale): there it counts for nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from .gazetteer import Candidate

#: the share of the other names' mentions one first-level area must hold to be the article's locale
LOCALE_SHARE = 0.6


def locale(local: Mapping[str, Counter[tuple[str, str]]], key: str) -> tuple[str, str] | None:
    """The article's locale read from every name but ``key`` (``local``: name -> the (country,
    admin1) areas its mentions lie in): the first-level area that holds LOCALE_SHARE of their
    mentions, or None."""
    areas: Counter[tuple[str, str]] = Counter()
    for other, found in local.items():
        if other != key:
            areas.update(found)
    total = sum(areas.values())
    if not total:
        return None
    area, count = areas.most_common(1)[0]
    return area if count / total >= LOCALE_SHARE else None


def elsewhere(home: tuple[str, str] | None, c: Candidate) -> bool:
    """Whether the article's locale ``home`` is a first-level area other than ``c``'s."""
    return home is not None and home != (c.country, c.admin1)
