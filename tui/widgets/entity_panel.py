"""EntityPanel: who and what the open article is about, and articles related to it;
TrendPanel beside it: how often the article's entities were in the news, and what rises.

EntityPanel shows the groups ``Library.entity_groups`` makes (entities by type, with how
often each is mentioned, the same as ``newsreader entities``); choosing one posts
``EntityPanel.EntityChosen`` with the entity's search (``person:"Bashar al-Assad"``). When
several feeds carry the article's story its first line is "N sources", and Enter on it
posts ``EntityPanel.StoryChosen`` (the story view). Other coverage (the same event in other
words, ``Library.other_coverage``) and related articles follow; choosing one posts
``EntityPanel.RelatedChosen``. Names come from feeds, so every line is ``Text`` built by
``tui.render`` and the list is made with ``markup=False``.

``reading_extras`` gathers what both panels show beyond the entities (on the screen's
worker thread: the queries are not for the UI thread, and nothing of it runs at start-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsreader.index.models import Coverage, EntityGroup, EntityTrend, SearchHit
from newsreader.tui import render
from newsreader.tui.keys import bindings
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from newsreader.index.library import Library

TYPE_TITLES = {
    "Person": "People",
    "Organization": "Organizations",
    "Place": "Places",
    "Group": "Groups",
    "Date": "Dates",
    "Event": "Events",
    "Work": "Works",
    "Law": "Laws",
}
NO_ENTITIES = "No named entities in this article."
TREND_ENTITIES = 4  # sparklines under the entity panel: the article's most named entities
RISING_SHOWN = 5


@dataclass(frozen=True)
class ReadingExtras:
    """What the panels show of an article beyond its entities."""

    sources: int = 0  # feeds carrying its story (0 or 1: none other)
    coverage: Sequence[Coverage] = ()
    trends: Sequence[EntityTrend] = ()  # the article's entities, most named first
    rising: Sequence[EntityTrend] = field(default_factory=tuple)


def reading_extras(
    library: Library, article_id: str, groups: Sequence[EntityGroup]
) -> ReadingExtras:
    """The article's story size, other coverage, its entities' trends and what is rising."""
    story = library.story(article_id)
    order = {
        (e.name, g.label): n
        for n, (g, e) in enumerate(
            sorted(((g, e) for g in groups for e in g.entities), key=lambda ge: -ge[1].count)
        )
    }
    trends = sorted(
        (t for t in library.article_trends(article_id) if t.total),
        key=lambda t: order.get((t.name, t.label), len(order)),
    )
    return ReadingExtras(
        sources=story.sources if story is not None else 0,
        coverage=library.other_coverage(article_id),
        trends=trends[:TREND_ENTITIES],
        rising=library.rising_entities(limit=RISING_SHOWN),
    )


class EntityPanel(OptionList):
    """The open article's entities by type (with counts), then related articles."""

    DEFAULT_CSS = """
    EntityPanel {
        height: 1fr;
    }
    """
    BINDINGS = bindings("entities")

    class EntityChosen(Message):
        """An entity was chosen: run ``query`` to list its articles."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class StoryChosen(Message):
        """The "N sources" line was chosen: show the open article's story."""

    class RelatedChosen(Message):
        """A related article (or other coverage) was chosen: open ``article_id``."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.border_title = "Entities"
        self._queries: dict[str, str] = {}
        self._related: dict[str, str] = {}

    def show(
        self,
        groups: Sequence[EntityGroup],
        related: Sequence[SearchHit] = (),
        note: str = NO_ENTITIES,
        extras: ReadingExtras | None = None,
    ) -> None:
        """Replace the list: the story's sources, the entity ``groups``, other coverage,
        then ``related`` articles.

        ``note`` is shown when there are no groups (say, entities not extracted yet).
        """
        options: list[Option | None] = []
        self._queries = {}
        self._related = {}
        if extras is not None and extras.sources > 1:
            line = Text.assemble(
                (f"{extras.sources} sources", "bold"), ("  Enter: the story view", "dim")
            )
            options.append(Option(line, id="story"))
        for group in groups:
            total = group.mentions
            head = Text.assemble(
                (
                    TYPE_TITLES.get(group.label, group.label),
                    render.ENTITY_STYLES.get(group.label, "bold"),
                ),
                (f"  {total} mention{'' if total == 1 else 's'}", "dim"),
            )
            options.append(Option(head, disabled=True))
            for entity in group.entities:
                key = f"entity-{len(self._queries)}"
                self._queries[key] = entity.query
                prompt = Text("  ").append_text(render.plain(entity.name))
                prompt.append(f"  ×{entity.count}", style="dim")
                options.append(Option(prompt, id=key))
        if not groups:
            options.append(Option(Text(note, style="dim"), disabled=True))
        if extras is not None and extras.coverage:
            options.append(None)
            options.append(Option(Text("Other coverage", style="bold"), disabled=True))
            for cov in extras.coverage:
                key = f"related-{len(self._related)}"
                self._related[key] = cov.article_id
                prompt = Text("  ").append_text(render.plain(cov.title))
                feed = render.plain(cov.feed_title)
                feed.stylize("dim")
                prompt.append("  ").append_text(feed)
                options.append(Option(prompt, id=key))
        if related:
            options.append(None)
            options.append(Option(Text("Related articles", style="bold"), disabled=True))
            for hit in related:
                key = f"related-{len(self._related)}"
                self._related[key] = hit.id
                prompt = Text("  ").append_text(render.plain(hit.title))
                feed = render.plain(hit.feed)
                feed.stylize("dim")
                prompt.append("  ").append_text(feed)
                options.append(Option(prompt, id=key))
        self.clear_options()
        self.add_options(options)
        self.border_subtitle = f"{sum(len(g.entities) for g in groups)}" if groups else ""
        first = next((i for i, o in enumerate(options) if o is not None and not o.disabled), None)
        self.highlighted = first

    def clear(self, note: str = "") -> None:
        """No article open: an empty list with an optional note."""
        self.show([], note=note or "")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self:
            return
        event.stop()
        key = event.option.id or ""
        if key == "story":
            self.post_message(self.StoryChosen())
        elif key in self._queries:
            self.post_message(self.EntityChosen(self._queries[key]))
        elif key in self._related:
            self.post_message(self.RelatedChosen(self._related[key]))


class TrendPanel(Vertical):
    """Sparklines of the open article's entities (articles per day, the last 30 days) and
    what is rising this week; hidden while there is neither."""

    DEFAULT_CSS = """
    TrendPanel {
        height: auto;
        max-height: 7;
        display: none;
        padding: 0 1;
        border-top: hkey $panel;
    }
    TrendPanel.-has-trends {
        display: block;
    }
    TrendPanel > Horizontal {
        height: 1;
    }
    TrendPanel Label.trend-name {
        width: 24;
        color: $text-muted;
    }
    TrendPanel Sparkline {
        width: 1fr;
        height: 1;
    }
    TrendPanel Static.trend-rising {
        height: auto;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.trends: Sequence[EntityTrend] = ()
        self.rising: Sequence[EntityTrend] = ()

    def compose(self) -> ComposeResult:
        yield from ()

    def show(self, extras: ReadingExtras | None) -> None:
        """Replace the sparklines and the rising line (``None``: no article, hidden)."""
        self.trends = extras.trends if extras is not None else ()
        self.rising = extras.rising if extras is not None else ()
        self.remove_children()
        rows: list[Horizontal | Static] = []
        for trend in self.trends:
            name = render.plain(trend.name)
            name.append(f" {trend.this_week}/wk", style="dim")
            name.truncate(23, overflow="ellipsis")
            label = Label(name, classes="trend-name", markup=False)
            rows.append(Horizontal(label, Sparkline(trend.counts, summary_function=max)))
        if self.rising:
            line = Text("Rising this week: ", style="bold")
            for n, trend in enumerate(self.rising):
                if n:
                    line.append(", ")
                line.append_text(render.plain(trend.name))
                line.append(f" ×{trend.rise:.1f}", style="dim")
            rows.append(Static(line, classes="trend-rising", markup=False))
        if rows:
            self.mount_all(rows)
        self.set_class(bool(rows), "-has-trends")
