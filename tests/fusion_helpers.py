"""Build coded events by hand for fusion and index tests (no spaCy needed)."""

from __future__ import annotations

import datetime as dt

from powderkeg.records import Actor, Article, Event, Numbers, Place, stable_id

SCORES = {
    "ASSAULT": (4, -9.0),
    "COERCE": (4, -7.0),
    "MOBILIZE": (4, -7.2),
    "ACCUSE": (3, -2.0),
    "CONSULT": (1, 1.0),
}


def actors(codes: str) -> tuple[Actor, ...]:
    """'SRB' -> a Serbian actor; 'NATO' -> an organisation; '' -> nobody; 'SRB+USA' -> both."""
    out = []
    for code in filter(None, codes.split("+")):
        if len(code) == 3 and code.isupper() and code not in ("NATO",):
            out.append(Actor(code, country=code))
        else:
            out.append(Actor(code, org=code))
    return tuple(out)


def event(
    article: Article,
    type_: str,
    source: str,
    target: str,
    date: str | None,
    precision: str = "day",
    place: tuple[str, str] | None = None,
    mode: str = "",
    sentence: str = "",
    start: int = 0,
    factuality: str = "asserted",
    **numbers: int,
) -> Event:
    quad, score = SCORES.get(type_, (4, -5.0))
    sentence = sentence or f"{source} {type_.lower()} {target}"
    return Event(
        id=stable_id(article.id, type_, source, target, start, sentence),
        article_id=article.id,
        type=type_,
        mode=mode,
        cameo="",
        quad_class=quad,
        score=score,
        acled_type="",
        source=actors(source),
        target=actors(target),
        place=Place(place[0], country=place[1], precision="place") if place else None,
        date=dt.date.fromisoformat(date) if date else None,
        date_precision=precision if date else "unknown",
        numbers=Numbers(**numbers),
        factuality=factuality,
        claimed_by="",
        sentence=sentence,
        sentence_start=start,
        spans={"trigger": (start, start + 1)},
        rule="test",
        confidence=1.0,
    )


def article(name: str, published: str | None = "2023-05-30", source: str = "") -> Article:
    return Article.from_text(
        f"Article {name}: some text.",
        title=name,
        published=dt.date.fromisoformat(published) if published else None,
        source=source or name,
    )
