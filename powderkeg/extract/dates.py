"""When did it happen? A date expression in the sentence, anchored on the publication date.

"on Monday" is the latest Monday on or before publication; "yesterday",
"last week", "this month" are read against it; absolute dates ("29 May
2023", "May 2023") are parsed directly, with dateparser as the fallback. With
no expression the event takes the publication date at week precision (news
reports what happened in the last days); with no publication date either,
the precision is "unknown".
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from spacy.tokens import Span, Token

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DMY = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?", re.I
)
_MDY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_MY = re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def resolve(text: str, anchor: dt.date | None) -> tuple[dt.date | None, str]:
    """A date and its precision for a date expression, or (None, "")."""
    low = text.lower().strip()
    if anchor is not None:
        for i, name in enumerate(WEEKDAYS):
            if re.search(rf"\b{name}\b", low):
                delta = (anchor.weekday() - i) % 7
                if "last" in low and delta == 0:
                    delta = 7
                return anchor - dt.timedelta(days=delta), "day"
        if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
            return anchor, "day"
        if re.search(r"\b(yesterday|last night)\b", low):
            return anchor - dt.timedelta(days=1), "day"
        if re.search(r"\bthis week\b|\bthese days\b|\brecent days\b", low):
            return anchor, "week"
        if re.search(r"\blast week\b", low):
            return anchor - dt.timedelta(days=7), "week"
        if re.search(r"\bthis month\b", low):
            return anchor, "month"
        if re.search(r"\blast month\b", low):
            return (anchor.replace(day=1) - dt.timedelta(days=1)), "month"
    if m := _ISO.search(low):
        return _safe(int(m["year"]), int(m["month"]), int(m["day"])), "day"
    for pattern in (_DMY, _MDY):
        if m := pattern.search(low):
            month = _month(m["month"])
            year = int(m["year"]) if m["year"] else _infer_year(month, int(m["day"]), anchor)
            if year is None:
                return None, ""
            day = _safe(year, month, int(m["day"]))
            return (day, "day") if day else (None, "")
    if m := _MY.search(low):
        first = _safe(int(m["year"]), _month(m["month"]), 1)  # year 0 is no date
        return (first, "month") if first else (None, "")
    if anchor is not None and re.search(r"\bago\b|\blast\b|\bearlier\b", low):
        parsed = _dateparser(low, anchor)
        if parsed is not None:
            return parsed, "day"
    return None, ""


def _month(name: str) -> int:
    return MONTHS[name.lower()[:3]]


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, anchor: dt.date | None) -> int | None:
    if anchor is None:
        return None
    candidate = _safe(anchor.year, month, day)
    if candidate and candidate > anchor + dt.timedelta(days=31):
        return anchor.year - 1
    return anchor.year


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str, anchor: dt.date) -> dt.date | None:
    import dateparser

    when = dt.datetime.combine(anchor, dt.time(12))
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": when, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


def event_date(
    sent: Span, trigger: Token, anchor: dt.date | None
) -> tuple[dt.date | None, str, tuple[int, int] | None]:
    """The date of the event triggered in ``sent``: (date, precision, span)."""
    dates = [e for e in sent.ents if e.label_ in ("DATE", "TIME")]
    # nearest to the trigger first: one inside the trigger's own subtree wins
    subtree = {t.i for t in trigger.subtree}
    dates.sort(key=lambda e: (e.start not in subtree, abs(e.start - trigger.i)))
    for ent in dates:
        day, precision = resolve(ent.text, anchor)
        if day is not None:
            return day, precision, (ent.start_char, ent.end_char)
    if anchor is not None:
        return anchor, "week", None
    return None, "unknown", None
