"""The help screen and the command palette, both generated from tui.keys.ACTIONS."""

from __future__ import annotations

import asyncio
from typing import Any

from newsreader.index.search.query import QUERY_HELP
from newsreader.tui.commands import NewsreaderCommands
from newsreader.tui.keys import ACTIONS, bindings, display_keys, palette_actions
from newsreader.tui.screens.help import HelpScreen, keys_text, query_text
from textual.app import App
from textual.command import CommandPalette


class _Host(App[None]):
    """Implements every palette action by recording its name."""

    COMMANDS = App.COMMANDS | {NewsreaderCommands}
    BINDINGS = bindings("app")

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("action_") and name[7:] in {a.action for a in palette_actions()}:
            return lambda: self.done.append(name[7:])
        raise AttributeError(name)


class _SmallHost(App[None]):
    """Implements only add_feed (and Textual's quit): the palette offers nothing else."""

    COMMANDS = App.COMMANDS | {NewsreaderCommands}

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    def action_add_feed(self) -> None:
        self.done.append("add_feed")


def test_help_lists_every_action_with_its_keys_and_the_query_language() -> None:
    text = keys_text().plain
    for a in ACTIONS:
        assert a.description in text
        if a.keys:
            line = next(ln for ln in text.splitlines() if f"{a.description}  {a.action}" in ln)
            assert display_keys(a.keys) in line
    for title in ("Anywhere", "Article list", "Reading pane", "Command palette (Ctrl+P) only"):
        assert title in text

    async def drive() -> None:
        app = _Host()
        async with app.run_test(size=(120, 60)) as pilot:
            for close in ("escape", "q", "?"):
                await pilot.press("?")
                await pilot.pause()
                assert isinstance(app.screen, HelpScreen)
                shown = app.screen.query_one("#help-query").content
                assert QUERY_HELP in str(shown)
                await pilot.press(close)
                await pilot.pause()
                assert not isinstance(app.screen, HelpScreen)
            assert app.is_running  # q closed help, it did not quit

    asyncio.run(drive())


def test_help_shows_keys_from_a_config_keymap() -> None:
    async def drive() -> str:
        app = _Host()
        async with app.run_test() as pilot:
            app.set_keymap({"toggle_bookmark": "x", "focus_search": "ctrl+f"})
            await pilot.pause()
            assert query_text(app).plain.startswith("Search (Ctrl+F)\n")
            return keys_text(app).plain

    text = asyncio.run(drive())
    line = next(ln for ln in text.splitlines() if "Bookmark or unbookmark" in ln)
    assert line.split()[0] == "x"
    assert line.endswith("toggle_bookmark")


def _palette_run(app: App[Any], typed: str) -> Any:
    async def drive() -> Any:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*typed)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.2)
        return app

    return asyncio.run(drive())


def test_palette_runs_the_chosen_action() -> None:
    assert _palette_run(_Host(), "import opml").done == ["import_opml"]
    assert _palette_run(_Host(), "switch theme").done == ["toggle_theme"]
    assert _palette_run(_Host(), "add a feed").done == ["add_feed"]


def test_palette_hits_show_keys_and_skip_unimplemented_actions() -> None:
    async def hits(app: App[Any], query: str) -> list[str]:
        provider = NewsreaderCommands(app.screen)
        if not query:  # the palette discovers, not searches, when nothing is typed
            return [str(h.display) async for h in provider.discover()]
        return [str(h.match_display) async for h in provider.search(query)]

    async def drive(app: App[Any], query: str) -> list[str]:
        async with app.run_test():
            return await hits(app, query)

    everything = asyncio.run(drive(_Host(), ""))
    assert len(everything) == len(palette_actions())
    assert "Bookmark or unbookmark the article  b" in everything
    assert "Rebuild the search index" in everything
    # App has action_quit itself; of ours the small app implements only add_feed
    assert asyncio.run(drive(_SmallHost(), "")) == ["Quit  q", "Add a feed  a"]
    assert asyncio.run(drive(_SmallHost(), "reindex")) == []
    bookmark = asyncio.run(drive(_Host(), "bookmark"))
    assert bookmark[0] in ("Bookmark or unbookmark the article  b", "Show bookmarks  B")


def test_action_names_line_up_when_there_is_room() -> None:
    def name_columns(text: str) -> set[int]:
        return {
            len(line) - len(line.split()[-1])
            for line in text.splitlines()
            if line.startswith("  ") and line.strip()
        }

    assert len(name_columns(keys_text(columns=200).plain)) == 1
    assert len(name_columns(keys_text(columns=60).plain)) > 1


def test_a_name_that_would_wrap_goes_under_its_description() -> None:
    """At 80 columns (the help box leaves 70) a long description pushes its action's name
    past the edge; the name then has a line of its own, indented under the description."""
    columns = 70
    lines = keys_text(columns=columns).plain.splitlines()
    for action in ACTIONS:
        assert any(line.split()[-1:] == [action.action] for line in lines), action.action
    names = {a.action for a in ACTIONS}
    # a line may still be too long where a description alone is (the box wraps that), but
    # never because a name was put at its end
    assert [ln for ln in lines if len(ln) > columns and ln.split()[-1] in names] == []
    alone = [line for line in lines if line.strip() in names]
    assert alone  # at this width some names need their own line
    indent = {len(line) - len(line.lstrip()) for line in alone}
    assert len(indent) == 1 and indent.pop() > 2
