"""Messages the app's widgets send up to the app: small dataclasses, one per event."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.tui.sources import ListRow, ListSource
from textual.message import Message


@dataclass
class SourceChosen(Message):
    """The sidebar chose what the article list shows."""

    source: ListSource


@dataclass
class RowHighlighted(Message):
    """The article list's cursor moved onto a row; a burst collapses into the last one."""

    row: ListRow | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RowHighlighted)


@dataclass
class ArticleOpened(Message):
    """A row was opened (Enter or a click)."""

    row: ListRow


@dataclass
class SearchChanged(Message):
    """The search text changed (already debounced); an empty query ends the search."""

    query: str


@dataclass
class SearchSubmitted(Message):
    """Enter in the search bar: go to the results."""

    query: str
