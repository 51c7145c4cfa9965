"""How the CLI prints other coverage (``show``) and entity trends (``entities --trend``).

Titles, feed names and entity names come from feeds: they go through ``say``, which
prints them as plain text, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsreader.index.entities.fields import entity_query
from newsreader.index.models import Coverage, EntityTrend

from .output import day, iso

_BLOCKS = "▁▂▃▄▅▆▇█"


def coverage_json(c: Coverage) -> dict[str, Any]:
    return {
        "id": c.article_id,
        "title": c.title,
        "feed": c.feed_title,
        "published": iso(c.published),
        "shared_entities": list(c.shared),
        "entity_score": c.entity_score,
        "text_score": c.text_score,
        "score": round(c.score, 3),
    }


def coverage_lines(found: Sequence[Coverage]) -> list[str]:
    """``show``'s "Other coverage" section: id, day, feed, headline, what they share."""
    lines = [f"Other coverage ({len(found)}):"]
    for c in found:
        lines.append(f"  {c.article_id[:10]}  {day(c.published)}  {c.feed_title}: {c.title}")
        lines.append(f"      shares {', '.join(c.shared[:4])}")
    return lines


def sparkline(counts: Sequence[int]) -> str:
    """Counts as a row of block characters (the lowest block for none)."""
    top = max(counts, default=0)
    if top == 0:
        return _BLOCKS[0] * len(counts)
    return "".join(_BLOCKS[round(n / top * (len(_BLOCKS) - 1))] for n in counts)


def trend_json(t: EntityTrend, rising: bool) -> dict[str, Any]:
    return {
        "canonical": t.name,
        "label": t.label,
        "query": entity_query(t.label, t.name),
        "total": t.total,
        "days": [{"day": d, "articles": n} for d, n in t.days],
        "this_week": t.this_week,
        "per_week_before": round(t.before, 2),
        "rise": round(t.rise, 2),
        "rising": rising,
    }


def trend_lines(trends: Sequence[EntityTrend], rising: Sequence[EntityTrend]) -> list[str]:
    """One line per entity (total, this week, a sparkline of the days), then what rises."""
    if not trends:
        return ["no entity mentions in those days (run `newsreader enrich`)"]
    first, last = trends[0].days[0][0], trends[0].days[-1][0]
    lines = [f"articles per day, {first} to {last}:"]
    for t in trends:
        lines.append(
            f"{t.total:>5}  {t.this_week:>4} this week  {sparkline(t.counts)}  {t.label:<12} {t.name}"
        )
    if rising:
        lines.append("")
        lines.append("rising this week:")
        for t in rising:
            lines.append(
                f"  {t.name} ({t.label}): {t.this_week} articles, {t.before:.1f} a week before"
            )
    return lines
