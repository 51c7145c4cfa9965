"""SearchBar: the query input above the article list; it searches as you type."""

from __future__ import annotations

from typing import ClassVar

from newsreader.tui.messages import SearchChanged, SearchSubmitted
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_SECONDS = 0.15


class SearchBar(Input):
    """Posts SearchChanged once typing pauses; Esc clears it, Enter goes to the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_search", "Clear search", id="clear_search"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='/ search: words, "phrase", person:name, tag:x, is:unread …',
            id=id,
            select_on_focus=False,
        )
        self._timer: Timer | None = None
        self._sent: str = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._send)

    def _send(self) -> None:
        self._timer = None
        query = self.value.strip()
        if query != self._sent:
            self._sent = query
            self.post_message(SearchChanged(query))

    def set_query(self, query: str) -> None:
        """Show a query without searching again (the app already runs it)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._sent = query.strip()
        with self.prevent(Input.Changed):
            self.value = query
        self.cursor_position = len(query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        query = self.value.strip()
        if query != self._sent:
            self._sent = query
            self.post_message(SearchChanged(query))
        self.post_message(SearchSubmitted(query))

    def action_clear_search(self) -> None:
        """Empty the query; the app goes back to the view shown before the search."""
        self.set_query("")
        self.post_message(SearchSubmitted(""))
