"""HelpScreen: every key, grouped by where it works, and the query language, from one list.

Generated from ``tui.keys.ACTIONS`` (so it cannot drift from the bindings) and the query
help of the search core. Keys shown are the ones in effect, so a config keymap is reflected.
"""

from __future__ import annotations

from typing import Any

from newsreader.tui.keys import ACTIONS, SCOPE_TITLES, SCOPES, display_keys, keys_in_effect
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def keys_text(app: Any = None, columns: int | None = None) -> Text:
    """The key table: one section per scope, then the palette-only commands.

    Each line ends with the action's name, which is what config.toml's ``[keys]`` rebinds;
    the names line up in a column when the table fits in ``columns`` characters, and a name
    that would not fit on its line goes under its description.
    """
    rows: list[tuple[str, str, str, str]] = []  # (section, keys, description, action)
    for scope in SCOPES:
        for a in ACTIONS:
            keys = display_keys(keys_in_effect(app, a))
            if a.scope == scope and keys:
                rows.append((SCOPE_TITLES[scope], keys, a.description, a.action))
    for a in ACTIONS:
        if not keys_in_effect(app, a):
            rows.append(("Command palette (Ctrl+P) only", "", a.description, a.action))
    key_width = max(len(k) for _, k, _, _ in rows) + 2
    text_width = max(len(d) for _, _, d, _ in rows)
    full_width = 2 + key_width + text_width + 2 + max(len(a) for _, _, _, a in rows)
    aligned = columns is not None and full_width <= columns
    out = Text()
    section = None
    for title, keys, description, action in rows:
        if title != section:
            if section is not None:
                out.append("\n")
            out.append(title + "\n", style="bold underline")
            section = title
        out.append(f"  {keys:<{key_width}}", style="bold")
        out.append(f"{description:<{text_width}}" if aligned else description)
        # the action's name is what config.toml's [keys] uses; where it would wrap to the
        # box's left edge it goes on a line of its own, under the description
        fits = columns is None or 2 + key_width + len(description) + 2 + len(action) <= columns
        if aligned or fits:
            out.append(f"  {action}\n", style="dim")
        else:
            out.append("\n" + " " * (2 + key_width))
            out.append(f"{action}\n", style="dim")
    out.rstrip()
    return out


def query_text(app: Any = None) -> Text:
    from newsreader.index.search.query import QUERY_HELP

    search = next(a for a in ACTIONS if a.action == "focus_search")
    keys = display_keys(keys_in_effect(app, search))
    out = Text(f"Search ({keys})\n" if keys else "Search\n", style="bold underline")
    out.append(QUERY_HELP)
    return out


def _inner_width(terminal_width: int) -> int:
    """Room for text inside the help box (see DEFAULT_CSS: width 100, max 95%, thick
    border, padding 0 1, a scrollbar)."""
    return min(100, terminal_width * 95 // 100) - 6


class HelpScreen(ModalScreen[None]):
    """Keys and the query language; Esc, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 100;
        max-width: 95%;
        height: 90%;
        border: thick $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Static {
        margin-bottom: 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help"),
        Binding("j,down", "scroll('down')", "Scroll", show=False),
        Binding("k,up", "scroll('up')", "Scroll", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "newsreader help"
            scroll.border_subtitle = "Esc, ? or q to close"
            yield Static(keys_text(self.app, _inner_width(self.app.size.width)), id="help-keys")
            yield Static(query_text(self.app), id="help-query")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
