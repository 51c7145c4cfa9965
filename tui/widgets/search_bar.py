"""SearchBar: the query input above the article list; it searches as you type, and Up and
Down walk the earlier queries (the library keeps them across restarts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from newsreader.tui.keys import bindings
from newsreader.tui.messages import SearchChanged, SearchSubmitted
from textual import events
from textual.binding import Binding, BindingType, NoBinding
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_SECONDS = 0.15


class SearchBar(Input):
    """Posts SearchChanged once typing pauses; Esc clears it, Enter goes to the results.

    Enter and Esc act as soon as the search bar reaches them, calling ``on_submit`` (which
    moves the focus on) instead of posting SearchSubmitted, and keys that were sent here
    before the focus moved (typed in the same burst: a paste, a fast typist over SSH) are
    passed back to the app for the widget that has the focus now. So "query Enter b" runs
    the query and bookmarks the first hit rather than typing "b" into the query.
    """

    AT_ONCE: ClassVar[tuple[str, ...]] = ("submit", "clear_search")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_search", "Clear search", id="clear_search"),
        *bindings("search"),
    ]

    def __init__(
        self,
        *,
        id: str | None = None,
        on_submit: Callable[[str], None] | None = None,
        history: Callable[[], list[str]] | None = None,
    ) -> None:
        """``on_submit``: called with the query on Enter ("" on Esc); without it the
        search bar posts SearchSubmitted. ``history``: the earlier queries, newest first
        (read when Up is first pressed)."""
        super().__init__(
            placeholder='/ search: words, "phrase", person:name, tag:x, is:unread …',
            id=id,
            select_on_focus=False,
        )
        self._timer: Timer | None = None
        self._sent: str = ""
        self.on_submit = on_submit
        self.history = history
        self._walk: list[str] | None = None  # the history being walked, newest first
        self._walk_at = -1  # its entry shown (-1: what was typed before Up)
        self._draft = ""
        self._walked: str | None = None  # the value the walk set (its Changed comes later)

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:  # (has_focus lags: it waits for the Blur event)
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        try:
            bound = self._bindings.get_bindings_for_key(event.key)
        except NoBinding:
            bound = []
        for binding in bound:
            if binding.action in self.AT_ONCE:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return
        # anything else: Input's own handler (typing) runs next

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._walked:  # typing starts the walk afresh from the newest
            self._walk = None
            self._walk_at = -1
            self._walked = None
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
        """Show a query without searching again (the main screen already runs it)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._sent = query.strip()
        with self.prevent(Input.Changed):
            self.value = query
        self.cursor_position = len(query)

    def take_query(self) -> str:
        """The query as it stands, taken as searched (no SearchChanged will follow for it):
        the main screen runs it itself when Enter is pressed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._sent = self.value.strip()
        return self._sent

    async def action_submit(self) -> None:
        """Enter: the query now, without waiting for the pause in typing."""
        changed = self.value.strip() != self._sent
        query = self.take_query()
        if self.on_submit is not None:
            self.on_submit(query)
            return
        if changed:
            self.post_message(SearchChanged(query))
        self.post_message(SearchSubmitted(query))

    def action_history_back(self) -> None:
        """Up: the query before the one shown (it is searched as if typed)."""
        if self._walk is None:
            self._walk = self.history() if self.history is not None else []
            self._walk_at = -1
            self._draft = self.value
        at = self._walk_at + 1
        while at < len(self._walk) and self._walk[at] == self.value.strip():
            at += 1  # the query on screen is not a step back
        if at >= len(self._walk):
            self.app.bell()
            return
        self._show_walk(at)

    def action_history_forward(self) -> None:
        """Down: the query after the one shown, and at last what was typed before Up."""
        if self._walk is None or self._walk_at < 0:
            return
        self._show_walk(self._walk_at - 1)

    def _show_walk(self, at: int) -> None:
        assert self._walk is not None
        self._walk_at = at
        text = self._walk[at] if at >= 0 else self._draft
        self._walked = text
        self.value = text
        self.cursor_position = len(text)

    def on_blur(self) -> None:
        self._walk = None
        self._walk_at = -1
        self._walked = None

    def action_clear_search(self) -> None:
        """Empty the query; the main screen goes back to the view shown before the search."""
        self.set_query("")
        if self.on_submit is not None:
            self.on_submit("")
        else:
            self.post_message(SearchSubmitted(""))
