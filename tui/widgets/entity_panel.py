"""EntityPanel: who and what the open article is about, and articles related to it.

It shows the groups ``Library.entity_groups`` makes (entities by type, with how often each
is mentioned, the same as ``newsreader entities``); choosing one posts
``EntityPanel.EntityChosen`` with the entity's search (``person:"Bashar al-Assad"``), choosing a
related article posts ``EntityPanel.RelatedChosen``. Names come from feeds, so every line is
``Text`` built by ``tui.render`` and the list is made with ``markup=False``.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.index.models import EntityGroup, SearchHit
from newsreader.tui import render
from newsreader.tui.keys import bindings
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

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

    class RelatedChosen(Message):
        """A related article was chosen: open ``article_id``."""

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
    ) -> None:
        """Replace the list: the entity ``groups``, then ``related`` articles.

        ``note`` is shown when there are no groups (say, entities not extracted yet).
        """
        options: list[Option | None] = []
        self._queries = {}
        self._related = {}
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
        if key in self._queries:
            self.post_message(self.EntityChosen(self._queries[key]))
        elif key in self._related:
            self.post_message(self.RelatedChosen(self._related[key]))
