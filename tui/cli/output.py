"""What ``newsreader`` prints: every ``--json`` shape in one place, and the helpers that
write to the terminal (feed text stripped of escapes again, a progress bar on a tty).

A JSON shape is a function from a typed result (index/models.py) to plain data, so a
command that prints hits, articles, feeds, bookmarks or entities prints the same fields
as every other command that does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newsreader.index.models import (
        Article,
        EntityGroup,
        Feed,
        Filter,
        FilterRun,
        Folder,
        MarkResult,
        Mention,
        SearchHit,
        SearchResults,
        Story,
        StoryMember,
    )


# -- writing -------------------------------------------------------------------------------


def say(text: str = "", file: TextIO | None = None) -> None:
    """Print text that may come from a feed: escape sequences are already gone from the store,
    but strip again so nothing can reach the terminal."""
    from newsreader.index.text import safe_text

    print(safe_text(text), file=file or sys.stdout)


def dump(obj: Any) -> None:
    """Write one JSON document to stdout (UTF-8 as is, indented)."""
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal (stderr), nothing when not a tty."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, _what: str = "") -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


def iso(value: datetime | None) -> str | None:
    from newsreader.index.store import to_iso

    return to_iso(value)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "----------"


# -- JSON shapes ---------------------------------------------------------------------------


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "feed": hit.feed,
        "feed_id": hit.feed_id,
        "link": hit.link,
        "published": iso(hit.published),
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "highlights": [list(h) for h in hit.highlights],
        "title_highlights": [list(h) for h in hit.title_highlights],
        "bookmarked": hit.bookmarked,
        "read": hit.read,
        "sources": hit.sources,
    }


def results_json(query: str, res: SearchResults, *, facets: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "query": query,
        "total": res.total,
        # false when total is an estimate (a phrase checked only until the page was full)
        "total_exact": res.total_exact,
        "results": [hit_json(h) for h in res.hits],
        "suggestion": res.suggestion,
        # set when nothing matched the query and these are the results of its correction
        "showing_results_for": res.corrected,
        "notice": res.correction_notice,
        "warnings": res.warnings,
        "pending": res.pending,  # articles stored but not searchable yet (index busy)
    }
    if facets:
        doc["facets"] = res.facets or {}
    return doc


def article_json(art: Article) -> dict[str, Any]:
    from newsreader.index.exports import enclosure_json
    from newsreader.index.reading.article import article_layout

    return {
        "id": art.id,
        "feed_id": art.feed_id,
        "feed": art.feed_title,
        "guid": art.guid,
        "link": art.link,
        "title": art.title,
        "author": art.author,
        "published": iso(art.published),
        "updated": iso(art.updated),
        "tags": list(art.tags),
        "language": art.language,
        "read": art.read,
        "bookmarked": art.bookmarked,
        "bookmarked_at": iso(art.bookmarked_at),
        "summary_html": art.summary_html,
        "content_html": art.content_html,
        "text": art.text,
        "enclosures": [enclosure_json(e) for e in art.enclosures],
        "full_text": bool(art.full_html),
        "full_fetched": iso(art.full_fetched) if art.full_html else None,
        "links": [{"number": n, "url": url} for n, url in enumerate(article_layout(art).links, 1)],
    }


def story_member_json(m: StoryMember) -> dict[str, Any]:
    return {
        "id": m.article_id,
        "title": m.title,
        "feed": m.feed_title,
        "feed_id": m.feed_id,
        "published": iso(m.published),
        "read": m.read,
        "kind": m.kind,
    }


def story_member_line(m: StoryMember) -> str:
    """One source of a story as ``stories`` and ``show`` list it: id, day, feed, headline."""
    return f"  {m.article_id[:10]}  {day(m.published)}  {m.feed_title}: {m.title}"


def other_sources_lines(story: Story, article_id: str) -> list[str]:
    """``show``'s lines naming the story's other sources (the article's own left out)."""
    others = [m for m in story.members if m.article_id != article_id]
    return [f"Also in {len(others)} other source(s):", *map(story_member_line, others)]


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "sources": story.sources,
        "title": story.lead.title,
        "members": [story_member_json(m) for m in story.members],
    }


def feed_json(f: Feed) -> dict[str, Any]:
    return {
        "id": f.id,
        "url": f.url,
        "title": f.title,
        "site_link": f.site_link,
        "articles": f.article_count,
        "unread": f.unread_count,
        "last_fetched": iso(f.last_fetched),
        "error": f.last_error,
        "warning": f.warning,
        "gone": f.gone,
        "next_attempt": iso(f.retry_after),
        "display_name": f.display_name or f.title,
        "folder": f.folder,
        "tags": list(f.tags),
        "status": f.status(),
        "last_success": iso(f.last_success),
        "error_count": f.error_count,
        "hidden": f.hidden_count,
        "full_text": f.full_text,
    }


def folder_json(folder: Folder) -> dict[str, Any]:
    return {
        "path": folder.path,
        "name": folder.name,
        "parent": folder.parent,
        "feeds": list(folder.feed_ids),
        "articles": folder.article_count,
        "unread": folder.unread_count,
    }


def mark_json(result: MarkResult) -> dict[str, Any]:
    """What mark-read/mark-unread changed; ``ids`` is what an undo sets back."""
    return {"read": result.read, "changed": result.changed, "ids": list(result.ids)}


def filter_json(rule: Filter) -> dict[str, Any]:
    return {"name": rule.name, "query": rule.query, "action": rule.action}


def filter_run_json(run: FilterRun) -> dict[str, Any]:
    return {"name": run.name, "action": run.action, "matched": run.matched, "changed": run.changed}


def bookmark_json(article: Article, when: datetime) -> dict[str, Any]:
    """A bookmark as ``bookmarks --json`` prints it: the same shape as in the JSON export
    (the core owns that file format, so the shape is the core's)."""
    from newsreader.index.exports import bookmark_json as shape

    return shape(article, when)


def mention_json(m: Mention) -> dict[str, Any]:
    return {
        "text": m.text,
        "label": m.label,
        "start": m.start,
        "end": m.end,
        "canonical": m.canonical,
    }


def top_entity_json(canonical: str, label: str, articles: int, mentions: int) -> dict[str, Any]:
    return {"canonical": canonical, "label": label, "articles": articles, "mentions": mentions}


def entity_groups_json(groups: Sequence[EntityGroup]) -> dict[str, list[dict[str, Any]]]:
    """An article's entity groups (``Library.entity_groups``) as ``{type: [{canonical,
    count, aliases}, …]}``, in the groups' order."""
    return {
        g.label: [
            {"canonical": e.name, "count": e.count, "aliases": list(e.aliases)} for e in g.entities
        ]
        for g in groups
    }
