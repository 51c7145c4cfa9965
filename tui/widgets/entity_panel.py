"""EntityPanel: who and what the open article is about, and articles related to it.

Entities are grouped by type with how often each is mentioned; choosing one posts
``EntityPanel.EntityChosen`` with the entity search (``person:"Bashar al-Assad"``), choosing a
related article posts ``EntityPanel.RelatedChosen``. Names come from feeds, so every line is
``Text`` built by ``tui.render`` and the list is made with ``markup=False``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsreader.index.models import ENTITY_TYPES, Mention, SearchHit
from newsreader.tui import render
from newsreader.tui.keys import bindings
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# Entity type -> the search field that finds it; other types are searched as a phrase.
QUERY_FIELDS = {"Person": "person", "Organization": "org", "Place": "place", "Group": "group"}
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


def entity_query(label: str, name: str) -> str:
    """The search that finds other articles naming this entity: ``person:"…"`` or ``"…"``."""
    phrase = '"' + " ".join(name.replace('"', " ").split()) + '"'
    field = QUERY_FIELDS.get(label)
    return f"{field}:{phrase}" if field else phrase


def group_mentions(
    mentions: Sequence[render.MentionLike],
) -> list[tuple[str, list[tuple[str, int]]]]:
    """``[(type, [(name, mentions), …]), …]`` in ENTITY_TYPES order, most mentioned first."""
    counts: Counter[tuple[str, str]] = Counter()
    for item in mentions:
        m: Mention = item if isinstance(item, Mention) else item[1]
        name = " ".join((m.canonical or m.text).split())
        if name:
            counts[(m.label, name)] += 1
    groups: list[tuple[str, list[tuple[str, int]]]] = []
    for label in (*ENTITY_TYPES, *sorted({lb for lb, _ in counts} - set(ENTITY_TYPES))):
        names = [(name, n) for (lb, name), n in counts.items() if lb == label]
        if names:
            names.sort(key=lambda x: (-x[1], x[0].casefold()))
            groups.append((label, names))
    return groups


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
        mentions: Sequence[render.MentionLike],
        related: Sequence[SearchHit] = (),
        note: str = NO_ENTITIES,
    ) -> None:
        """Replace the list: entities grouped by type, then ``related`` articles.

        ``note`` is shown when there are no mentions (say, entities not extracted yet).
        """
        options: list[Option | None] = []
        self._queries = {}
        self._related = {}
        groups = group_mentions(mentions)
        for label, names in groups:
            total = sum(n for _, n in names)
            head = Text.assemble(
                (TYPE_TITLES.get(label, label), render.ENTITY_STYLES.get(label, "bold")),
                (f"  {total} mention{'' if total == 1 else 's'}", "dim"),
            )
            options.append(Option(head, disabled=True))
            for name, n in names:
                key = f"entity-{len(self._queries)}"
                self._queries[key] = entity_query(label, name)
                prompt = Text("  ").append_text(render.plain(name))
                prompt.append(f"  ×{n}", style="dim")
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
        self.border_subtitle = f"{sum(len(n) for _, n in groups)}" if groups else ""
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
