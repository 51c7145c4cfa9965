"""Every action the app offers, in one list: the key bindings, the help screen and the
command palette are all generated from ``ACTIONS``.

An action's ``keys`` are Textual key names separated by commas (``"j,down"``); an action
with no keys is reached from the command palette only. ``scope`` says where the keys work:
``app`` anywhere on the main screen, ``list`` when the article list has focus, ``sidebar``
in the sidebar, ``search`` in the search bar, ``reader`` in the reading pane, ``entities`` in the entity panel,
``fullscreen`` on the full-screen reading view and ``links`` in the list of an article's
links. ``app`` actions are the main screen's (``MainScreen.BINDINGS = screen_bindings()``)
except those marked ``app_wide`` (quit, help, theme, the reading actions): those are the
App's actions, bound by the App (``app_bindings()``, so they work over other screens) and by
the main screen as ``app.*``. Each binding made here carries ``id=action``, so the
``[keys]`` table of config.toml (action name -> comma-separated keys) can be applied with
``App.set_keymap(keymap(settings.keys))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.app import App

SCOPES = ("app", "list", "sidebar", "search", "reader", "entities", "fullscreen", "links")
SCOPE_TITLES = {
    "app": "Anywhere",
    "list": "Article list",
    "sidebar": "Sidebar",
    "search": "Search bar",
    "reader": "Reading pane",
    "entities": "Entity panel",
    "fullscreen": "Full-screen reading",
    "links": "Link list",
}

# Scopes that are screens of their own (pushed over the main one): their bindings win over
# the app's there, so they may give an app key another meaning ("q" closes, "n" next match).
SCREEN_SCOPES = ("fullscreen", "links")


@dataclass(frozen=True, slots=True)
class KeyAction:
    """One action: ``action_<action>`` on the main screen (on the App when ``app_wide``; on
    the focused widget for the other scopes)."""

    action: str
    keys: str
    description: str
    scope: str
    palette: bool = True
    footer: bool = False  # shown in the Footer when its scope applies
    short: str = ""  # the Footer's label, when the description is too long for it
    # checked by the App before the focused widget sees the key: needed when keys typed in
    # the same burst must go where the action sends focus (the App then vetoes the action
    # in check_action where the key must be typed instead, e.g. "/" in an Input)
    priority: bool = False
    app_wide: bool = False  # an action of the App (works over any screen), not the main screen's

    @property
    def label(self) -> str:
        """The short label for the Footer (the description when there is none)."""
        return self.short or self.description


ACTIONS: tuple[KeyAction, ...] = (
    # anywhere
    KeyAction("quit", "q", "Quit", "app", footer=True, app_wide=True),
    KeyAction(
        "help",
        "?",
        "Help: keys and query language",
        "app",
        footer=True,
        short="Help",
        app_wide=True,
    ),
    KeyAction(
        "focus_search",
        "/",
        "Search (results update as you type)",
        "app",
        footer=True,
        short="Search",
        priority=True,  # vetoed in inputs (MainScreen.check_action)
    ),
    KeyAction(
        "toggle_bookmark",
        "b",
        "Bookmark or unbookmark the article",
        "app",
        footer=True,
        short="Bookmark",
    ),
    KeyAction(
        "leave_search",
        "escape",
        "Back from the search results",
        "app",
        footer=True,
        short="Back",
    ),
    KeyAction("show_bookmarks", "B", "Show bookmarks", "app", short="Bookmarks"),
    KeyAction("show_story", "S", "Show every source of the story", "app", short="Sources"),
    KeyAction("toggle_read", "m", "Mark the article read or unread", "app", short="Read/unread"),
    KeyAction(
        "refresh_feed", "r", "Refresh the selected feed", "app", footer=True, short="Refresh"
    ),
    KeyAction("refresh_all", "R", "Refresh all feeds", "app", short="Refresh all"),
    KeyAction(
        "open_link",
        "o",
        "Open the article's link in the browser",
        "app",
        footer=True,
        short="Open link",
    ),
    KeyAction(
        "focus_entities",
        "e",
        "Show and focus the entity panel and its sparklines",
        "app",
        short="Entities",
    ),
    KeyAction(
        "read_full_screen",
        "v",
        "Read the article full screen",
        "app",
        short="Full screen",
        app_wide=True,
    ),
    KeyAction(
        "show_links",
        "l",
        "List the article's links, to open or copy",
        "app",
        short="Links",
        app_wide=True,
    ),
    KeyAction(
        "play_media", "P", "Play the article's audio or video", "app", short="Play", app_wide=True
    ),
    KeyAction(
        "fetch_full_text",
        "F",
        "Fetch the article's full text from its page",
        "app",
        short="Full text",
        app_wide=True,
    ),
    KeyAction("toggle_sort", "s", "Sort by relevance or date", "app", short="Sort"),
    KeyAction("add_feed", "a", "Add a feed", "app", short="Add feed"),
    KeyAction(
        "next_unread",
        "n",
        "Next unread article (at the end: the next feed with unread ones)",
        "app",
        short="Next unread",
    ),
    KeyAction(
        "prev_unread",
        "p",
        "Previous unread article (at the top: the previous feed with unread ones)",
        "app",
        short="Prev unread",
    ),
    KeyAction(
        "mark_list_read",
        "A",
        "Mark every article of this list read (u undoes it)",
        "app",
        short="All read",
    ),
    KeyAction("undo_mark", "u", "Undo the last mark-all-read (for a minute)", "app", short="Undo"),
    KeyAction(
        "toggle_only_unread",
        "U",
        "Show only the unread articles of each list, or all again",
        "app",
        short="Only unread",
    ),
    KeyAction(
        "feed_details",
        "i",
        "Details of the highlighted feed: errors, last success, next try",
        "app",
        short="Feed info",
    ),
    KeyAction("focus_next_pane", "tab", "Next pane", "app"),
    KeyAction("focus_previous_pane", "shift+tab", "Previous pane", "app"),
    KeyAction("command_palette", "ctrl+p", "Command palette", "app", palette=False, app_wide=True),
    # article list
    KeyAction("cursor_down", "j,down", "Next article", "list", palette=False),
    KeyAction("cursor_up", "k,up", "Previous article", "list", palette=False),
    KeyAction("cursor_top", "g,home", "First article", "list", palette=False),
    KeyAction("cursor_bottom", "G,end", "Last article", "list", palette=False),
    KeyAction("open_article", "enter", "Open the article", "list", footer=True, short="Open"),
    # sidebar (Tree and OptionList both name these actions so)
    KeyAction("cursor_down", "j,down", "Next view or feed", "sidebar", palette=False),
    KeyAction("cursor_up", "k,up", "Previous view or feed", "sidebar", palette=False),
    KeyAction("toggle_folder", "space", "Fold or unfold the folder", "sidebar", palette=False),
    KeyAction("collapse_folder", "left", "Fold the folder", "sidebar", palette=False),
    KeyAction("expand_folder", "right", "Unfold the folder", "sidebar", palette=False),
    # search bar
    KeyAction("history_back", "up", "The search before (history)", "search", palette=False),
    KeyAction("history_forward", "down", "The search after (history)", "search", palette=False),
    # reading pane (VerticalScroll's own scrolling actions)
    KeyAction("scroll_down", "j,down", "Scroll down", "reader", palette=False),
    KeyAction("scroll_up", "k,up", "Scroll up", "reader", palette=False),
    KeyAction("page_down", "space,pagedown", "Page down", "reader", palette=False),
    KeyAction("page_up", "pageup", "Page up", "reader", palette=False),
    KeyAction("scroll_home", "g,home", "Top of the article", "reader", palette=False),
    KeyAction("scroll_end", "G,end", "End of the article", "reader", palette=False),
    # entity panel (OptionList's own actions)
    KeyAction("cursor_down", "j,down", "Next entity", "entities", palette=False),
    KeyAction("cursor_up", "k,up", "Previous entity", "entities", palette=False),
    KeyAction(
        "select",
        "enter",
        "Search for the entity, or open the related article",
        "entities",
        palette=False,
        footer=True,
        short="Choose",
    ),
    # full-screen reading
    KeyAction(
        "close_reader",
        "escape,q",
        "Back to the article list",
        "fullscreen",
        palette=False,
        footer=True,
        short="Back",
    ),
    KeyAction(
        "find_in_article",
        "/",
        "Find words in the article",
        "fullscreen",
        palette=False,
        footer=True,
        short="Find",
    ),
    KeyAction(
        "next_match", "n", "Next match", "fullscreen", palette=False, footer=True, short="Next"
    ),
    KeyAction("previous_match", "N", "Previous match", "fullscreen", palette=False),
    # the link list
    KeyAction(
        "open_choice",
        "enter,o",
        "Open the link in the browser",
        "links",
        palette=False,
        footer=True,
        short="Open",
    ),
    KeyAction(
        "copy_choice",
        "c,y",
        "Copy the link (OSC 52)",
        "links",
        palette=False,
        footer=True,
        short="Copy",
    ),
    KeyAction(
        "play_choice",
        "P",
        "Play the link in the media player",
        "links",
        palette=False,
        footer=True,
        short="Play",
    ),
    KeyAction(
        "close_links",
        "escape,q",
        "Close the list",
        "links",
        palette=False,
        footer=True,
        short="Close",
    ),
    # command palette only
    KeyAction("import_opml", "", "Import feeds from an OPML file", "app"),
    KeyAction("export_opml", "", "Export feeds to an OPML file", "app"),
    KeyAction("export_bookmarks", "", "Export bookmarks to a file", "app"),
    KeyAction("save_search", "", "Save the current search as a virtual feed", "app"),
    KeyAction(
        "add_filter",
        "",
        "Filter: hide, mark read, bookmark or tag this search's articles, now and new ones",
        "app",
    ),
    KeyAction("delete_feed", "", "Delete the feed highlighted in the sidebar", "app"),
    KeyAction("rename_feed", "", "Rename the feed highlighted in the sidebar", "app"),
    KeyAction("move_feed", "", "Move the highlighted feed to a folder", "app"),
    KeyAction("reindex", "", "Rebuild the search index", "app"),
    KeyAction("toggle_theme", "", "Switch between dark and light theme", "app", app_wide=True),
    KeyAction("enrich", "", "Find named entities in new articles", "app"),
    KeyAction(
        "toggle_feed_full_text",
        "",
        "Fetch every new article's full text for the selected feed (or stop)",
        "app",
        app_wide=True,
    ),
)

_KEY_NAMES = {
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Esc",
    "question_mark": "?",
    "slash": "/",
}


def display_key(key: str) -> str:
    """How one Textual key name is written for people: ``ctrl+p`` -> ``Ctrl+P``, ``down`` -> ``↓``."""
    key = key.strip()
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if "+" in key and len(key) > 1:
        *mods, last = key.split("+")
        return "+".join([m.capitalize() for m in mods] + [_KEY_NAMES.get(last, last.upper())])
    return key


def display_keys(keys: str) -> str:
    """All of an action's keys for people, e.g. ``"j,down"`` -> ``"j ↓"``; empty for palette-only."""
    return " ".join(display_key(k) for k in keys.split(",") if k.strip())


def actions_in(scope: str) -> list[KeyAction]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {', '.join(SCOPES)}")
    return [a for a in ACTIONS if a.scope == scope]


def _binding(a: KeyAction) -> Binding:
    return Binding(
        a.keys,
        a.action,
        a.label,
        show=a.footer,
        priority=a.priority,
        tooltip=a.description,
        id=a.action,
    )


def bindings(scope: str) -> list[BindingType]:
    """Textual bindings for one scope (actions with keys only), each with ``id=action``.

    The Footer shows the short label; the full description is the binding's tooltip.
    ``command_palette`` is left out: the App binds ctrl+p itself (``COMMAND_PALETTE_BINDING``).
    The ``app`` scope is bound in two places: ``screen_bindings`` and ``app_bindings``.
    """
    return [_binding(a) for a in actions_in(scope) if a.keys and a.action != "command_palette"]


def _app_wide() -> set[str]:
    return {a.action for a in ACTIONS if a.app_wide}


def screen_bindings() -> list[BindingType]:
    """The main screen's bindings: the ``app`` scope, the ``app_wide`` actions sent on to
    the App (``app.quit``), so the Footer lists them in ``ACTIONS`` order as before."""
    wide = _app_wide()
    return [
        replace(b, action=f"app.{b.action}") if b.action in wide else b
        for b in bindings("app")
        if isinstance(b, Binding)
    ]


def app_bindings() -> list[BindingType]:
    """The App's own bindings: the ``app_wide`` actions with keys (quit, help)."""
    wide = _app_wide()
    return [b for b in bindings("app") if isinstance(b, Binding) and b.action in wide]


def palette_actions() -> list[KeyAction]:
    """The actions offered in the command palette, each once, in ``ACTIONS`` order."""
    seen: set[str] = set()
    found: list[KeyAction] = []
    for a in ACTIONS:
        if a.palette and a.action not in seen:
            seen.add(a.action)
            found.append(a)
    return found


def keymap(configured: Mapping[str, str]) -> dict[str, str]:
    """The part of a config ``[keys]`` table that names known actions, ready for ``set_keymap``.

    Values are normalised (spaces dropped); unknown action names are left out, so a typo in
    config.toml cannot break start-up. See ``unknown_actions`` to report them.
    """
    known = {a.action for a in ACTIONS}
    found: dict[str, str] = {}
    for action, keys in configured.items():
        cleaned = ",".join(k.strip() for k in str(keys).split(",") if k.strip())
        if action in known and cleaned:
            found[action] = cleaned
    return found


def unknown_actions(configured: Mapping[str, str]) -> list[str]:
    """Action names in a config ``[keys]`` table that no action has (to warn about)."""
    known = {a.action for a in ACTIONS}
    return sorted(a for a in configured if a not in known)


def keys_in_effect(app: App[Any] | None, action: KeyAction) -> str:
    """``action``'s keys as the running app binds them (a config keymap wins over the default)."""
    # Textual keeps the applied keymap (binding id -> keys) on the app; it has no public getter.
    applied: Mapping[str, str] = getattr(app, "_keymap", None) or {}
    return str(applied.get(action.action, action.keys))


def markdown_table() -> str:
    """The key table of the README, from ``ACTIONS`` (``python -m newsreader.tui.keys``)."""
    lines = ["| Keys | Where | What | Action name |", "| --- | --- | --- | --- |"]
    for scope in SCOPES:
        for a in actions_in(scope):
            if a.keys:
                keys = " ".join(f"`{k}`" for k in display_keys(a.keys).split(" "))
                lines.append(f"| {keys} | {SCOPE_TITLES[scope]} | {a.description} | `{a.action}` |")
    for a in ACTIONS:
        if not a.keys:
            lines.append(f"| | Command palette | {a.description} | `{a.action}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
