"""Every action in tui/keys.py is implemented where its scope says, so no key or palette
command is dead: app actions on NewsreaderApp, the rest on the widget that binds them."""

from __future__ import annotations

import pytest
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.keys import ACTIONS, bindings
from newsreader.tui.screens.links import LinksScreen
from newsreader.tui.screens.reader import ReaderScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.entity_panel import EntityPanel
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.sidebar import Sidebar

OWNERS: dict[str, type] = {
    "app": NewsreaderApp,
    "list": ArticleList,
    "sidebar": Sidebar,
    "reader": ReadingPane,
    "entities": EntityPanel,
    "fullscreen": ReaderScreen,
    "links": LinksScreen,
}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: f"{a.scope}:{a.action}")
def test_action_is_implemented(action) -> None:  # type: ignore[no-untyped-def]
    owner = OWNERS[action.scope]
    assert callable(getattr(owner, f"action_{action.action}", None)), (
        f"{owner.__name__} has no action_{action.action} for {action.keys or 'the palette'}"
    )


@pytest.mark.parametrize(
    "scope", ["app", "list", "sidebar", "reader", "entities", "fullscreen", "links"]
)
def test_widgets_bind_their_scope(scope: str) -> None:
    owner = OWNERS[scope]
    bound = {getattr(b, "id", None) for b in owner.BINDINGS}
    assert {getattr(b, "id", None) for b in bindings(scope)} <= bound
