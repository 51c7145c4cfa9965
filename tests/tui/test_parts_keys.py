"""The one list of actions: its shape, the bindings made from it, and config key maps."""

from __future__ import annotations

import asyncio

import pytest
from newsreader.tui.keys import (
    ACTIONS,
    SCOPES,
    SCREEN_SCOPES,
    actions_in,
    bindings,
    display_keys,
    keymap,
    palette_actions,
    unknown_actions,
)
from textual.app import App
from textual.binding import Binding

ISSUE_KEYS = {
    "quit": "q",
    "help": "?",
    "focus_search": "/",
    "toggle_bookmark": "b",
    "show_bookmarks": "B",
    "toggle_read": "m",
    "refresh_feed": "r",
    "refresh_all": "R",
    "open_link": "o",
    "focus_entities": "e",
    "toggle_sort": "s",
    "add_feed": "a",
    "next_unread": "n",
    "prev_unread": "p",
    "focus_next_pane": "tab",
    "focus_previous_pane": "shift+tab",
    "command_palette": "ctrl+p",
}
PALETTE_ONLY = {
    "import_opml",
    "export_opml",
    "export_bookmarks",
    "save_search",
    "add_filter",
    "delete_feed",
    "rename_feed",
    "move_feed",
    "reindex",
    "toggle_theme",
    "enrich",
    "toggle_feed_full_text",
}


def test_every_key_the_issue_names_is_an_app_action() -> None:
    app_actions = {a.action: a.keys for a in actions_in("app")}
    for action, key in ISSUE_KEYS.items():
        assert app_actions[action] == key


def test_list_keys_move_and_open() -> None:
    keys = {a.action: a.keys.split(",") for a in actions_in("list")}
    assert keys == {
        "cursor_down": ["j", "down"],
        "cursor_up": ["k", "up"],
        "cursor_top": ["g", "home"],
        "cursor_bottom": ["G", "end"],
        "open_article": ["enter"],
    }


def test_palette_only_actions_have_no_key_and_are_in_the_palette() -> None:
    no_key = {a.action for a in ACTIONS if not a.keys}
    assert no_key == PALETTE_ONLY
    offered = {a.action for a in palette_actions()}
    assert offered >= PALETTE_ONLY
    assert "command_palette" not in offered
    assert "cursor_down" not in offered


def test_no_key_is_bound_twice_in_one_scope_or_clashes_with_an_app_key() -> None:
    app_keys = {k for b in bindings("app") for k in b.key.split(",")}
    for scope in SCOPES:
        seen: set[str] = set()
        for b in bindings(scope):
            for key in b.key.split(","):
                assert key not in seen, (scope, key)
                seen.add(key)
                if scope != "app" and scope not in SCREEN_SCOPES:
                    assert key not in app_keys, (scope, key)


def test_every_action_has_a_known_scope_and_a_description() -> None:
    for a in ACTIONS:
        assert a.scope in SCOPES
        assert a.description and a.description[0].isupper()
        assert a.action.isidentifier()


def test_bindings_carry_the_action_as_id_and_show_important_keys() -> None:
    app = bindings("app")
    assert all(b.id == b.action for b in app)
    shown = {b.action for b in app if b.show}
    assert {"quit", "help", "focus_search", "toggle_bookmark"} <= shown
    assert "command_palette" not in {b.action for b in app}
    with pytest.raises(ValueError):
        bindings("nowhere")


def test_display_keys_reads_naturally() -> None:
    assert display_keys("j,down") == "j ↓"
    assert display_keys("shift+tab") == "Shift+Tab"
    assert display_keys("ctrl+p") == "Ctrl+P"
    assert display_keys("") == ""


def test_keymap_keeps_known_actions_and_reports_unknown_ones() -> None:
    configured = {"toggle_bookmark": " x , ctrl+b", "bookmrk": "z", "quit": ""}
    assert keymap(configured) == {"toggle_bookmark": "x,ctrl+b"}
    assert unknown_actions(configured) == ["bookmrk"]


class _KeysApp(App[None]):
    BINDINGS = bindings("app")

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    def action_toggle_bookmark(self) -> None:
        self.done.append("toggle_bookmark")

    def action_focus_search(self) -> None:
        self.done.append("focus_search")

    def action_help(self) -> None:
        self.done.append("help")


def test_bindings_fire_their_actions_and_a_config_keymap_rebinds_them() -> None:
    async def drive() -> list[str]:
        app = _KeysApp()
        async with app.run_test() as pilot:
            await pilot.press("b", "/", "?")
            app.set_keymap(keymap({"toggle_bookmark": "x"}))
            await pilot.press("x", "b")
            await pilot.pause()
        return app.done

    assert asyncio.run(drive()) == ["toggle_bookmark", "focus_search", "help", "toggle_bookmark"]


def test_footer_labels_are_short_and_the_description_is_the_tooltip() -> None:
    for scope in SCOPES:
        for b in bindings(scope):
            assert isinstance(b, Binding)
            action = next(a for a in actions_in(scope) if a.action == b.action)
            assert b.tooltip == action.description
            if b.show:
                assert len(b.description) <= 12, b.description
