"""NewsreaderCommands: every palette action of ``tui.keys.ACTIONS`` in the command palette.

Registered by the app as ``COMMANDS = App.COMMANDS | {NewsreaderCommands}``. Each hit shows
the action's description and its key (if it has one) and runs the action on the App (the
``app_wide`` ones) or on the main screen. Actions neither implements are not offered.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from newsreader.tui.keys import KeyAction, display_keys, keys_in_effect, palette_actions
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode


class NewsreaderCommands(Provider):
    """The app's own commands (add feed, import/export OPML, save search, themes, …)."""

    def _owner(self, action: KeyAction) -> DOMNode | None:
        """Where ``action_<name>`` lives: the App, or the main screen (the stack's first)."""
        for node in (self.app, self.app.screen_stack[0]):
            if hasattr(node, f"action_{action.action}"):
                return node
        return None

    def _available(self) -> list[KeyAction]:
        return [a for a in palette_actions() if self._owner(a) is not None]

    def _runner(self, action: KeyAction) -> Any:
        return partial(self.app.run_action, action.action, self._owner(action))

    def _display(self, action: KeyAction, title: Content) -> Content:
        keys = display_keys(keys_in_effect(self.app, action))
        return title + Content.styled(f"  {keys}", "dim") if keys else title

    async def discover(self) -> Hits:
        for action in self._available():
            yield DiscoveryHit(
                self._display(action, Content(action.description)),
                self._runner(action),
                text=action.description,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._available():
            score = max(
                matcher.match(action.description),
                matcher.match(action.action.replace("_", " ")) * 0.9,
            )
            if score > 0:
                yield Hit(
                    score,
                    self._display(action, matcher.highlight(action.description)),
                    self._runner(action),
                    text=action.description,
                )
