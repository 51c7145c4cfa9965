"""PromptScreen and ConfirmScreen: what each key gives back, and untrusted text shown inert."""

from __future__ import annotations

import asyncio
from typing import Any

from newsreader.tui.screens.prompt import ConfirmScreen, PromptScreen
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label

_UNSET = object()


class _Host(App[None]):
    """Pushes one screen at mount and records what it was dismissed with."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make
        self.result: Any = _UNSET

    def on_mount(self) -> None:
        self.push_screen(self.make(), self._got)

    def _got(self, value: Any) -> None:
        self.result = value


def _answer(make: Any, *keys: str) -> Any:
    async def drive() -> Any:
        app = _Host(make)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
        return app.result

    return asyncio.run(drive())


def test_prompt_enter_gives_the_typed_text_stripped() -> None:
    got = _answer(lambda: PromptScreen("Add a feed", placeholder="https://"), *" x.org ", "enter")
    assert got == "x.org"


def test_prompt_starts_with_its_value_and_escape_cancels() -> None:
    assert _answer(lambda: PromptScreen("Name", value="ports"), "enter") == "ports"
    assert _answer(lambda: PromptScreen("Name", value="ports"), "a", "escape") is None


def test_confirm_keys() -> None:
    assert _answer(lambda: ConfirmScreen("Delete?"), "y") is True
    assert _answer(lambda: ConfirmScreen("Delete?"), "enter") is True
    assert _answer(lambda: ConfirmScreen("Delete?"), "n") is False
    assert _answer(lambda: ConfirmScreen("Delete?"), "escape") is False
    # Enter on the focused "No" button answers no
    assert _answer(lambda: ConfirmScreen("Delete?"), "tab", "enter") is False


def test_titles_and_questions_with_markup_and_escapes_are_shown_literally() -> None:
    hostile = "Delete [bold red]x[/] [@click=app.quit]y[/] \x1b]8;;http://e\x07z\x1b[31m?"

    async def drive(make: Any) -> list[str]:
        app = _Host(make)
        async with app.run_test() as pilot:
            await pilot.pause()
            screen: Screen[Any] = app.screen
            texts = [str(label.render()) for label in screen.query(Label)]
            if isinstance(make(), PromptScreen):
                texts.append(screen.query_one(Input).value)
            await pilot.click("#prompt-title" if isinstance(make(), PromptScreen) else "Label")
            await pilot.pause()
            assert app.is_running  # the [@click=app.quit] did nothing
        return texts

    for make in (lambda: ConfirmScreen(hostile), lambda: PromptScreen(hostile, value=hostile)):
        texts = asyncio.run(drive(make))
        assert "Delete [bold red]x[/] [@click=app.quit]y[/] z?" in texts
        assert not any("\x1b" in t or "\x07" in t for t in texts)
