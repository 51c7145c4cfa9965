"""NewsreaderApp: the Textual app around the main screen (screens/main.py, which holds the
layout and the reading, search and job logic): theme, key map, command palette, help,
quit, and what an unexpected error does.

An unexpected error ends the app with its traceback kept in ``crash``; ``run_app``
(tui/crash.py) writes it to the crash log and tells the user one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ClassVar

from newsreader.index.library import Library
from newsreader.index.models import Article
from newsreader.index.text import one_line
from newsreader.tui.keys import app_bindings, keymap, unknown_actions
from newsreader.tui.reading_actions import ReadingActions
from newsreader.tui.screens.main import MainScreen
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

if TYPE_CHECKING:
    from textual.command import Provider

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
ENRICH_DELAY = 2.0  # seconds after start-up before background enrichment begins
INDEX_DELAY = 0.5  # seconds after start-up before articles left unindexed are indexed


def _newsreader_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (start-up stays lean)."""
    from newsreader.tui.commands import NewsreaderCommands

    return NewsreaderCommands


class NewsreaderApp(ReadingActions, App[None]):
    """Keyboard-driven reading, search as you type, bookmarks and entities."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(app_bindings())
    COMMANDS = App.COMMANDS | {_newsreader_commands}

    def __init__(
        self,
        library: Library,
        *,
        restore: bool = True,
        auto_enrich: bool | None = None,
        background_index: bool | None = None,
    ) -> None:
        """``auto_enrich``: find entities in the background after start-up and refreshes;
        ``background_index``: list refreshed articles at once, make them searchable in a
        background job, and search what is indexed meanwhile (saying how many wait), instead
        of indexing before a refresh ends and before a search. Both default to on in a real
        terminal, off in headless test runs (tests that want them say so)."""
        super().__init__()
        self._auto_enrich = auto_enrich
        self.auto_enrich = False
        self._background_index = background_index
        self.background_index = False
        self.library = library
        self.settings = library.settings
        self.restore = restore
        self.main = MainScreen(library, restore=restore)
        self.crash: str | None = None  # the traceback of an unexpected error that ended the app
        self.crash_line = ""  # the same error in one line for the user

    def get_default_screen(self) -> MainScreen:
        return self.main

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, less its Quit: ours (with its key) is listed."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app without Textual's traceback over the terminal:
        the traceback is kept in ``crash`` (``run_app`` writes it to the crash log and tells
        the user one line). Pilot tests still see the error raised, as with Textual's own."""
        if self.crash is None:
            cause = error.error if isinstance(error, WorkerFailed) else error
            self.crash = "".join(traceback.format_exception(error))
            message = one_line(str(cause))
            if len(message) > 200:
                message = message[:199] + "…"
            self.crash_line = (
                f"{type(cause).__name__}: {message}" if message else type(cause).__name__
            )
            with contextlib.suppress(Exception):  # read/bookmark marks are saved already
                self.main.save_state()
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry feed titles, URLs and server errors: never parsed as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        """Before the main screen mounts: the worker pool, the theme and the key map."""
        if not self.is_headless:
            asyncio.get_running_loop().set_default_executor(
                _WorkerPool(max_workers=8, thread_name_prefix="newsreader-worker")
            )
        state = self.library.ui_state() if self.restore else {}
        theme = state.get("theme") or self.settings.theme
        self.theme = theme if theme in self.available_themes else DARK_THEME
        self.set_keymap(keymap(self.settings.keys))
        unknown = unknown_actions(self.settings.keys)
        if unknown:
            self.notify(
                f"config.toml [keys]: no action named {', '.join(unknown)} (see ? for names)",
                severity="warning",
            )
        self.auto_enrich = not self.is_headless if self._auto_enrich is None else self._auto_enrich
        self.background_index = (
            not self.is_headless if self._background_index is None else self._background_index
        )

    def first_screen_shown(self) -> None:
        """Called by the main screen once it shows the first list: background enrichment
        starts a little later, so start-up never waits for spaCy; articles stored by a refresh
        that ended early (quit, crash) or by `newsreader refresh --no-index` are indexed."""
        if self.background_index:
            self.set_timer(INDEX_DELAY, self.main.start_indexing)
        if self.auto_enrich:
            self.set_timer(ENRICH_DELAY, lambda: self.main.start_enrich(asked=False))

    def start_indexing(self) -> None:
        """Make stored articles searchable in the background (the main screen's job)."""
        self.main.start_indexing()

    # -- what the reading actions (reading_actions.py) read of the open article -----------

    def current_id(self) -> str | None:
        return self.main.current_id()

    @property
    def open_article_data(self) -> Article | None:  # type: ignore[override]
        return self.main.open_article_data

    @property
    def open_mentions(self) -> list[Any]:  # type: ignore[override]
        return self.main.open_mentions

    @property
    def terms(self) -> list[str]:  # type: ignore[override]
        return self.main.terms

    def open_article(self, article_id: str, *, mark: bool = True, quiet: bool = False) -> None:
        self.main.open_article(article_id, mark=mark, quiet=quiet)

    def _selected_feed_id(self) -> int | None:
        return self.main._selected_feed_id()

    def ask(
        self,
        title: str,
        then: Callable[[str | None], None],
        *,
        placeholder: str = "",
        value: str = "",
    ) -> None:
        """One line of text from the user (None when cancelled), handed to ``then``."""
        from newsreader.tui.screens.prompt import PromptScreen

        self.push_screen(PromptScreen(title, placeholder=placeholder, value=value), then)

    def action_focus_next(self) -> None:
        if self.screen is self.main:
            self.main.cycle_panes(+1)
        else:
            super().action_focus_next()

    def action_focus_previous(self) -> None:
        if self.screen is self.main:
            self.main.cycle_panes(-1)
        else:
            super().action_focus_previous()

    def action_help(self) -> None:
        from newsreader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.main.save_state()
        self.exit()

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME  # saved (on_mount)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker is one line for the user, never a traceback over the screen
        (library jobs catch their own errors: tui/jobs.py)."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"{event.worker.group or event.worker.name} failed: {type(error).__name__}: {error}",
                severity="error",
            )

    def unfinished_jobs(self) -> list[str]:
        """Refreshes, enrichment and other jobs still running (after the app has quit)."""
        return self.main.jobs.running() if self.main.jobs is not None else []


class _WorkerPool(ThreadPoolExecutor):
    """The thread workers' pool. Quitting does not wait for a refresh or an enrichment in
    flight (asyncio would join every thread first, keeping the terminal for seconds)."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)
