"""Entity trends: how many articles mentioned each entity on each day, and what is rising.

Counted from the stored mentions when asked (one grouped query over the days asked for,
driven by the articles' date index), never kept up at refresh and never at start-up. An
article counts once per entity and day however often it names the entity; a story carried
by several feeds counts once (its lead), and hidden articles not at all.

"Rising this week" compares the last 7 days with the weeks before them in the range
(``RISING_WEEKS`` weeks by default): an entity rises when this week has at least
``RISING_MIN`` articles and ``rise`` (this week against the weekly average before, each
plus one so a first mention is not infinitely rising) is at least ``RISING_FACTOR``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from ..models import EntityTrend
from ..store import Store
from ..times import utcnow

SKIP_LABELS = ("Date",)  # "Monday" and "2024" trend with the calendar, not the news
RISING_WEEKS = 5
RISING_MIN = 3
RISING_FACTOR = 2.0


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=utcnow().tzinfo)


def entity_trends(
    store: Store,
    *,
    since: date,
    until: date | None = None,
    entities: Sequence[tuple[str, str]] | None = None,
) -> list[EntityTrend]:
    """Each entity's articles per day from ``since`` to ``until`` (today) inclusive, the
    most mentioned first; ``entities`` limits it to those (canonical, label) pairs."""
    last = until or utcnow().date()
    if last < since:
        return []
    rows = store.entity_day_counts(
        _midnight(since), _midnight(last + timedelta(days=1)), entities, SKIP_LABELS
    )
    span = [(since + timedelta(days=n)).isoformat() for n in range((last - since).days + 1)]
    week_start = (last - timedelta(days=6)).isoformat()
    per: dict[tuple[str, str], dict[str, int]] = {}
    for canonical, label, day, count in rows:
        per.setdefault((canonical, label), {})[day] = count
    weeks_before = max(0.0, (len(span) - 7) / 7)
    out = []
    for (canonical, label), days in per.items():
        this_week = sum(n for d, n in days.items() if d >= week_start)
        earlier = sum(n for d, n in days.items() if d < week_start)
        before = earlier / weeks_before if weeks_before else 0.0
        out.append(
            EntityTrend(
                canonical, label, tuple((d, days.get(d, 0)) for d in span), this_week, before
            )
        )
    out.sort(key=lambda t: (-t.total, t.name, t.label))
    return out


def rising(trends: Sequence[EntityTrend], limit: int = 10) -> list[EntityTrend]:
    """The entities rising in the last week of ``trends``, fastest first."""
    up = [t for t in trends if t.this_week >= RISING_MIN and t.rise >= RISING_FACTOR]
    up.sort(key=lambda t: (-t.rise, -t.this_week, t.name))
    return up[:limit]


def rising_this_week(
    store: Store, *, today: date | None = None, limit: int = 10
) -> list[EntityTrend]:
    """What is rising this week, measured against the ``RISING_WEEKS`` - 1 weeks before."""
    last = today or utcnow().date()
    return rising(
        entity_trends(store, since=last - timedelta(days=7 * RISING_WEEKS - 1), until=last), limit
    )
