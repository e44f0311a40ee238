"""``POST /articles``: code and store articles sent as JSON, as `powderkeg run` does a JSONL file."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import BadParameter, DocumentError
from ..fuse import fuse
from ..ingest.files import article_from_record
from ..records import Article, Event, Quarantined
from ..store import EventQuery, Store

MAX_ARTICLES = 100  # per request


def ingest(state: Any, payload: Any) -> dict[str, Any]:
    """Code the records, store the new ones with their events in one write unit, fuse them.

    Returns each record's stored article id, whether it was new, and its events; records
    that cannot be read are quarantined (as by `powderkeg run`) and listed with their reason.
    """
    records = payload if isinstance(payload, list) else [payload]
    if not records or len(records) > MAX_ARTICLES:
        raise BadParameter(f"send 1 to {MAX_ARTICLES} articles per request, not {len(records)}")
    articles: list[tuple[int, Article]] = []
    quarantined: list[tuple[int, Quarantined]] = []
    for i, record in enumerate(records):
        origin = f"api:{record.get('id', i) if isinstance(record, dict) else i}"
        try:
            if not isinstance(record, dict):
                raise BadParameter(f"article {i} is not a JSON object")
            articles.append((i, article_from_record(record, state.settings, path=origin)))
        except DocumentError as exc:
            digest = hashlib.sha256(json.dumps(record, default=str).encode()).hexdigest()[:16]
            quarantined.append((i, Quarantined(origin, exc.code, exc.message, digest)))
    coded: dict[str, list[Event]] = {}
    if articles:
        for article, result in state.pipeline().code(a for _, a in articles):
            if isinstance(result, Quarantined):
                quarantined.append((next(i for i, a in articles if a.id == article.id), result))
            else:
                coded[article.id] = result
    store = Store(state.settings.db, wait=state.settings.lock_wait)
    with store.unit():
        for _, item in quarantined:
            store.quarantine(item)
        added = store.add_many([(a, coded[a.id]) for _, a in articles if a.id in coded])
        touched = fuse(store.con, sorted(added)) if added else []
        stored = {  # articles sent before: their events as stored
            a.id: list(store.events(EventQuery(article_id=a.id, include_unconfirmed=True)))
            for _, a in articles
            if a.id in coded and a.id not in added
        }
    return {
        "articles": [
            {
                "index": i,
                "id": a.id,
                "new": a.id in added,
                "events": [e.to_dict() for e in coded[a.id]] if a.id in added else stored[a.id],
            }
            for i, a in articles
            if a.id in coded
        ],
        "quarantined": [{"index": i, "code": q.code, "reason": q.reason} for i, q in quarantined],
        "fused_touched": touched,
    }
