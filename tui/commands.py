"""NewsreaderCommands: every palette action of ``tui.keys.ACTIONS`` in the command palette.

Registered by the app as ``COMMANDS = App.COMMANDS | {NewsreaderCommands}``. Each hit shows
the action's description and its key (if it has one) and runs ``app.run_action(action)``.
Actions the running app does not implement are not offered.
"""

from __future__ import annotations

from functools import partial

from newsreader.tui.keys import KeyAction, display_keys, keys_in_effect, palette_actions
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class NewsreaderCommands(Provider):
    """The app's own commands (add feed, import/export OPML, save search, themes, …)."""

    def _available(self) -> list[KeyAction]:
        return [a for a in palette_actions() if hasattr(self.app, f"action_{a.action}")]

    def _display(self, action: KeyAction, title: Content) -> Content:
        keys = display_keys(keys_in_effect(self.app, action))
        return title + Content.styled(f"  {keys}", "dim") if keys else title

    async def discover(self) -> Hits:
        for action in self._available():
            yield DiscoveryHit(
                self._display(action, Content(action.description)),
                partial(self.app.run_action, action.action),
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
                    partial(self.app.run_action, action.action),
                    text=action.description,
                )
