"""Date expressions in queries: ``2024-09``, ``2024-09-01``, ``yesterday``, ``last week``, ``3 days ago``.

Whoosh's own English date grammar reads neither ISO months nor "last week", so the query
parser's date plugin calls ``date_span`` instead. Every expression is a span [start, end] in
naive UTC, which a range query can use directly.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

_UNITS = {
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "year": "year", "years": "year",
    "h": "hour", "hour": "hour", "hours": "hour",
}  # fmt: skip
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})

_ISO = re.compile(
    r"(?P<y>\d{4})(?:[-/.]?(?P<m>\d{1,2})(?:[-/.]?(?P<d>\d{1,2})"
    r"(?:[t ](?P<H>\d{1,2})(?::(?P<M>\d{2}))?)?)?)?$"
)
_AGO = re.compile(r"(?P<n>\d+)\s*(?P<u>[a-z]+)\s+ago$")
_SHORT = re.compile(r"-(?P<n>\d+)\s*(?P<u>[a-z]+)$")
_LASTN = re.compile(r"(?:last|past)\s+(?P<n>\d+)\s+(?P<u>[a-z]+)$")
_REL = re.compile(r"(?P<which>last|this|next|past)\s+(?P<u>[a-z]+)$")
_MONTH_YEAR = re.compile(r"(?P<mon>[a-z]+)\.?(?:\s+(?P<d>\d{1,2}))?(?:,?\s+(?P<y>\d{4}))?$")
_DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?(?:\s+(?P<y>\d{4}))?$")

Span = tuple[datetime, datetime]
_TICK = timedelta(microseconds=1)


def _day(d: datetime) -> Span:
    start = d.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1) - _TICK


def _month(year: int, month: int) -> Span:
    last = calendar.monthrange(year, month)[1]
    return datetime(year, month, 1), datetime(year, month, last, 23, 59, 59, 999999)


def _shift_months(d: datetime, months: int) -> datetime:
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return d.replace(year=year, month=month + 1, day=day)


def _back(now: datetime, n: int, unit: str) -> datetime:
    if unit == "hour":
        return now - timedelta(hours=n)
    if unit == "day":
        return now - timedelta(days=n)
    if unit == "week":
        return now - timedelta(weeks=n)
    if unit == "month":
        return _shift_months(now, -n)
    return _shift_months(now, -12 * n)


def _unit_span(now: datetime, unit: str, offset: int) -> Span:
    """The calendar day/week/month/year containing now, moved by ``offset`` units."""
    if unit == "day":
        return _day(now + timedelta(days=offset))
    if unit == "week":
        monday = _day(now)[0] - timedelta(days=now.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(weeks=1) - _TICK
    if unit == "month":
        d = _shift_months(now.replace(day=1), offset)
        return _month(d.year, d.month)
    if unit == "year":
        y = now.year + offset
        return datetime(y, 1, 1), datetime(y, 12, 31, 23, 59, 59, 999999)
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=offset)
    return start, start + timedelta(hours=1) - _TICK


def date_span(text: str, now: datetime) -> Span | None:
    """The span of time an expression means (naive UTC), or None if it is not a date."""
    s = " ".join(text.strip().lower().replace("_", " ").split()).strip("'\"")
    if not s:
        return None
    try:
        return _date_span(s, now)
    except (ValueError, OverflowError):
        return None


def _date_span(s: str, now: datetime) -> Span | None:
    if m := _ISO.match(s):
        y = int(m["y"])
        if m["m"] is None:
            return datetime(y, 1, 1), datetime(y, 12, 31, 23, 59, 59, 999999)
        mo = int(m["m"])
        if m["d"] is None:
            return _month(y, mo)
        d = datetime(y, mo, int(m["d"]))
        if m["H"] is None:
            return _day(d)
        d = d.replace(hour=int(m["H"]))
        if m["M"] is None:
            return d, d + timedelta(hours=1) - _TICK
        d = d.replace(minute=int(m["M"]))
        return d, d + timedelta(minutes=1) - _TICK
    if s == "now":
        return now, now
    if s == "today":
        return _day(now)
    if s == "yesterday":
        return _day(now - timedelta(days=1))
    if s == "tomorrow":
        return _day(now + timedelta(days=1))
    if (m := _AGO.match(s) or _SHORT.match(s)) and m["u"] in _UNITS:
        moment = _back(now, int(m["n"]), _UNITS[m["u"]])
        return moment, moment
    if (m := _LASTN.match(s)) and m["u"] in _UNITS:
        return _back(now, int(m["n"]), _UNITS[m["u"]]), now
    if m := _REL.match(s):
        word, unit = m["which"], m["u"]
        if unit in _UNITS:
            u = _UNITS[unit]
            if word == "past":
                return _back(now, 1, u), now
            return _unit_span(now, u, {"last": -1, "this": 0, "next": 1}[word])
        if unit in _WEEKDAYS and word in ("last", "this", "next"):
            return _weekday(now, _WEEKDAYS[unit], word)
        return None
    if s in _WEEKDAYS:
        return _weekday(now, _WEEKDAYS[s], "last")
    for pattern in (_MONTH_YEAR, _DAY_MONTH_YEAR):
        m = pattern.match(s)
        if m and m["mon"] in _MONTHS:
            mo = _MONTHS[m["mon"]]
            year = int(m["y"]) if m["y"] else now.year
            if not m["y"] and datetime(year, mo, 1) > now:
                year -= 1  # "september" in March means last September
            if m["d"]:
                return _day(datetime(year, mo, int(m["d"])))
            return _month(year, mo)
    return None


def _weekday(now: datetime, weekday: int, which: str) -> Span:
    """The most recent (or the coming) given weekday; today counts as "this"."""
    delta = (now.weekday() - weekday) % 7
    if which == "last":
        delta = delta or 7
        return _day(now - timedelta(days=delta))
    if which == "this":
        return _day(now - timedelta(days=delta))
    ahead = (weekday - now.weekday()) % 7 or 7
    return _day(now + timedelta(days=ahead))
