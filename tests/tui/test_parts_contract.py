"""Every action in tui/keys.py is implemented where its scope says, so no key or palette
command is dead: app actions on the main screen (the app-wide few on NewsreaderApp), the
rest on the widget that binds them."""

from __future__ import annotations

import pytest
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.keys import ACTIONS, app_bindings, bindings
from newsreader.tui.screens.links import LinksScreen
from newsreader.tui.screens.main import MainScreen
from newsreader.tui.screens.reader import ReaderScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.search_bar import SearchBar
from newsreader.tui.widgets.sidebar import Sidebar

OWNERS: dict[str, type] = {
    "app": MainScreen,
    "list": ArticleList,
    "sidebar": Sidebar,
    "search": SearchBar,
    "reader": ReadingPane,
    "entities": EntityPanel,
    "fullscreen": ReaderScreen,
    "links": LinksScreen,
}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: f"{a.scope}:{a.action}")
def test_action_is_implemented(action) -> None:  # type: ignore[no-untyped-def]
    owner = NewsreaderApp if action.app_wide else OWNERS[action.scope]
    assert callable(getattr(owner, f"action_{action.action}", None)), (
        f"{owner.__name__} has no action_{action.action} for {action.keys or 'the palette'}"
    )


@pytest.mark.parametrize(
    "scope", ["app", "list", "sidebar", "reader", "entities", "fullscreen", "links"]
)
def test_widgets_bind_their_scope(scope: str) -> None:
    owner = OWNERS[scope]
    bound = {getattr(b, "id", None) for b in owner.BINDINGS}
    if scope == "app":  # quit and help are the App's own (app_wide), the rest the screen's
        bound |= {getattr(b, "id", None) for b in NewsreaderApp.BINDINGS}
    assert {getattr(b, "id", None) for b in bindings(scope)} <= bound


def test_the_app_binds_its_app_wide_keys() -> None:
    bound = {getattr(b, "id", None) for b in NewsreaderApp.BINDINGS}
    assert {getattr(b, "id", None) for b in app_bindings()} <= bound
    assert {"quit", "help"} <= bound
