"""When did it happen? A date expression in the sentence, counted back from the publication date.

Relative expressions resolve against the publication date, backwards for what happened and
forwards for what is announced (a future event, or "next ..."):

- a weekday: the last such day on or before publication ("on Sunday" in a Monday paper is
  the day before; "on Monday" in it, that day, as wires write it), or the next on or after
  it for a future event; "last Friday" is the one before, "next Friday" the one after;
- a month without a year: the last such month up to publication ("In January", in May, is
  this January; "in October", last October), or the next from it for a future event;
- a day and month without a year: on or before publication (or after, for a future event);
- "yesterday", "last week", "this month", "three weeks ago" against it.

Absolute dates ("29 May 2023", "May 2023") are read as written. A year alone ("in 2014")
dates nothing finer than a year, so the event's date is unknown rather than the
publication's. Weekdays and month names are found in the sentence also where the
recogniser does not mark them as dates. With no expression the event takes the
publication date at week precision (news reports what happened in the last days); with no
publication date either, the precision is "unknown".
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from spacy.tokens import Span, Token

from .columns import C_LOWER, ents, keys, rows

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DMY = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?", re.I
)
_MDY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_MY = re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


_YEAR = re.compile(r"^(?:in|since|during|by|until|from|of|the|early|late|mid)?[\s-]*(?:19|20)\d\d$")
UNKNOWN = "unknown"  # a precision: the text dates the event, but not to a month or finer


def resolve(text: str, anchor: dt.date | None, future: bool = False) -> tuple[dt.date | None, str]:
    """A date and its precision for a date expression, or (None, "") when it names none.

    ``future``: the event is announced, not reported, so relative dates count forwards.
    (None, "unknown"): a year alone, which dates the event to no month or day.
    """
    low = text.lower().strip()
    forward = future or bool(re.search(r"\b(next|coming|upcoming)\b", low))
    if anchor is not None:
        for i, name in enumerate(WEEKDAYS):
            if re.search(rf"\b{name}\b", low):
                return _weekday(i, anchor, forward, strict="last" in low or "next" in low), "day"
        if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
            return anchor, "day"
        if re.search(r"\b(yesterday|last night)\b", low):
            return anchor - dt.timedelta(days=1), "day"
        if re.search(r"\bthis week\b|\bthese days\b|\brecent days\b", low):
            return anchor, "week"
        if re.search(r"\blast week\b", low):
            return anchor - dt.timedelta(days=7), "week"
        if re.search(r"\bnext week\b", low):
            return anchor + dt.timedelta(days=7), "week"
        if re.search(r"\bthis month\b", low):
            return anchor, "month"
        if re.search(r"\blast month\b", low):
            return (anchor.replace(day=1) - dt.timedelta(days=1)), "month"
    if m := _ISO.search(low):
        return _safe(int(m["year"]), int(m["month"]), int(m["day"])), "day"
    for pattern in (_DMY, _MDY):
        if m := pattern.search(low):
            month = _month(m["month"])
            year = int(m["year"]) if m["year"] else _infer_year(month, int(m["day"]), anchor, forward)
            if year is None:
                return None, ""
            day = _safe(year, month, int(m["day"]))
            return (day, "day") if day else (None, "")
    if m := _MY.search(low):
        first = _safe(int(m["year"]), _month(m["month"]), 1)  # year 0 is no date
        return (first, "month") if first else (None, "")
    if m := _MONTH_ALONE.search(low):
        if anchor is None:
            return None, ""
        return _month_of(_month(m["month"]), anchor, forward, strict="last" in low or "next" in low), "month"
    if _YEAR.match(low):
        return None, UNKNOWN
    if anchor is not None and re.search(r"\bago\b|\blast\b|\bearlier\b", low):
        parsed = _dateparser(low, anchor)
        if parsed is not None:
            return parsed, "day"
    return None, ""


_MONTH_ALONE = re.compile(rf"(?<![\d-])\b{_MONTH}(?!\s*\d)", re.I)


def _weekday(index: int, anchor: dt.date, forward: bool, strict: bool) -> dt.date:
    """The weekday ``index`` on or before ``anchor`` (after it, when ``forward``); ``strict``: not
    ``anchor`` itself ("last Monday", "next Monday")."""
    if forward:
        delta = (index - anchor.weekday()) % 7 or (7 if strict else 0)
        return anchor + dt.timedelta(days=delta)
    delta = (anchor.weekday() - index) % 7 or (7 if strict else 0)
    return anchor - dt.timedelta(days=delta)


def _month_of(month: int, anchor: dt.date, forward: bool, strict: bool) -> dt.date:
    """The first day of the last ``month`` up to ``anchor``'s month (the next from it, when
    ``forward``); ``strict``: not ``anchor``'s own month."""
    if forward:
        after = month > anchor.month or (month == anchor.month and not strict)
        return dt.date(anchor.year if after else anchor.year + 1, month, 1)
    before = month < anchor.month or (month == anchor.month and not strict)
    return dt.date(anchor.year if before else anchor.year - 1, month, 1)


def _month(name: str) -> int:
    return MONTHS[name.lower()[:3]]


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, anchor: dt.date | None, forward: bool = False) -> int | None:
    """The year of a day and month without one: on or before publication (a day's slack, for
    time zones), or on or after it for a future event."""
    if anchor is None:
        return None
    candidate = _safe(anchor.year, month, day) or _safe(anchor.year, month, 28)
    assert candidate is not None
    if forward:
        return anchor.year + 1 if candidate < anchor - dt.timedelta(days=1) else anchor.year
    return anchor.year - 1 if candidate > anchor + dt.timedelta(days=1) else anchor.year


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
    sent: Span, trigger: Token, anchor: dt.date | None, future: bool = False
) -> tuple[dt.date | None, str, tuple[int, int] | None]:
    """The date of the event triggered in ``sent``: (date, precision, span). ``future``: the
    event is announced (see ``resolve``)."""
    dates = _expressions(sent)
    if len(dates) > 1:
        # nearest to the trigger first: one inside the trigger's own subtree wins
        subtree = {t.i for t in trigger.subtree}
        dates.sort(key=lambda e: (e.start not in subtree, abs(e.start - trigger.i)))
    year_only: Span | None = None
    for ent in dates:
        day, precision = resolve(ent.text, anchor, future)
        if day is not None:
            return day, precision, (ent.start_char, ent.end_char)
        if precision == UNKNOWN and year_only is None:
            year_only = ent
    if year_only is not None:  # "in 2014", and nothing finer: not the publication week
        return None, UNKNOWN, (year_only.start_char, year_only.end_char)
    if anchor is not None:
        return anchor, "week", None
    return None, "unknown", None


_CALENDAR = {*WEEKDAYS, *(m for m in _MONTH_NAMES)}
_CALENDAR_KEYS = keys(frozenset(_CALENDAR))


def _expressions(sent: Span) -> list[Span]:
    """The recogniser's DATE and TIME entities, and each weekday or month name it did not mark
    (with a "last"/"next"/"this" before it)."""
    found = [e for e in ents(sent) if e.label_ in ("DATE", "TIME")]
    covered = {i for e in found for i in range(e.start, e.end)}
    doc = sent.doc
    for k, row in enumerate(rows(sent)):  # a Token only for a calendar word
        if row[C_LOWER] not in _CALENDAR_KEYS or sent.start + k in covered:
            continue
        tok = doc[sent.start + k]
        if not tok.text[0].isupper() or tok.tag_ == "MD":
            continue  # "the march", "May" the modal
        start = (
            tok.i - 1 if tok.i > sent.start and doc[tok.i - 1].lower_ in ("last", "next", "this") else tok.i
        )
        found.append(doc[start : tok.i + 1])
    return found
