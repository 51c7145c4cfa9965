"""LinksScreen: an article's own link, its numbered links and its media, to open or copy.

The numbers are the ones after each link's text in the article ("[3]"), so a reader who
saw "the report[3]" picks line 3. Enter opens a link in the browser (http and https only),
``c`` copies it with OSC 52, ``P`` hands it to the media player.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from newsreader.index.text import is_openable_url
from newsreader.tui import render
from newsreader.tui.keys import bindings
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """One line of the list: what it is ("3", "article", "audio/mpeg · 46 MB") and where."""

    label: str
    url: str
    media: bool = False


class LinkOpener(Protocol):
    """What the list asks of the app (so the screen holds no launching code)."""

    def open_address(self, url: str) -> None: ...
    def play_address(self, url: str) -> None: ...
    def copy_address(self, url: str) -> None: ...


class LinksScreen(ModalScreen[None]):
    """The numbered list of an article's links."""

    DEFAULT_CSS = """
    LinksScreen {
        align: center middle;
    }
    LinksScreen > Vertical {
        width: 90%;
        max-width: 120;
        height: 80%;
        border: round $primary;
        background: $surface;
    }
    LinksScreen #links-title {
        padding: 0 1;
        text-style: bold;
    }
    LinksScreen OptionList {
        height: 1fr;
        border: none;
    }
    """
    BINDINGS = bindings("links")

    def __init__(self, title: str, choices: list[LinkChoice], opener: LinkOpener) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.opener = opener

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(render.plain(f"Links of: {self.title_text}"), id="links-title")
            yield OptionList(*[Option(self._line(c)) for c in self.choices], id="links")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @staticmethod
    def _line(choice: LinkChoice) -> Text:
        line = Text(f"{choice.label:>8}  ", style="bold")
        url = render.plain(choice.url)
        if not is_openable_url(choice.url):
            url.stylize("strike")
        line.append_text(url)
        return line

    def _chosen(self) -> LinkChoice | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.choices):
            return None
        return self.choices[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_choice()

    def action_open_choice(self) -> None:
        choice = self._chosen()
        if choice is not None:
            self.opener.open_address(choice.url)

    def action_copy_choice(self) -> None:
        choice = self._chosen()
        if choice is not None:
            self.opener.copy_address(choice.url)

    def action_play_choice(self) -> None:
        choice = self._chosen()
        if choice is not None:
            self.opener.play_address(choice.url)

    def action_close_links(self) -> None:
        self.dismiss(None)
