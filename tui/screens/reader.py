"""ReaderScreen: the open article on the whole terminal, with a find bar of its own.

The same ``ReadingPane`` as the main screen, given every column and row. ``/`` opens a find
bar at the bottom that marks the words in the article as they are typed; ``n``/``N`` step
through the matches, Enter goes back to reading and Esc (or ``q``) closes the bar, then the
screen. The app's keys for the article (o, l, b, …) keep working here.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.index.models import Article
from newsreader.tui import render
from newsreader.tui.keys import bindings
from newsreader.tui.widgets.reading_pane import ReadingPane
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, Static


class ReaderScreen(Screen[None]):
    """Full-screen reading of one article."""

    DEFAULT_CSS = """
    ReaderScreen #full-reader {
        height: 1fr;
        padding: 0 2;
    }
    ReaderScreen #find {
        dock: bottom;
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
    }
    ReaderScreen #find.-open {
        display: block;
    }
    ReaderScreen #find-status {
        dock: bottom;
        height: 1;
        padding: 0 1;
        color: $text-muted;
        display: none;
    }
    ReaderScreen #find-status.-open {
        display: block;
    }
    """
    BINDINGS = bindings("fullscreen")

    def __init__(
        self,
        article: Article,
        mentions: Sequence[render.MentionLike] = (),
        terms: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.article = article
        self.mentions = list(mentions)
        self.terms = list(terms)

    def compose(self) -> ComposeResult:
        yield ReadingPane(id="full-reader")
        yield Static(id="find-status", markup=False)
        yield Input(placeholder="find in the article (Enter: read, Esc: close)", id="find")
        yield Footer()

    @property
    def pane(self) -> ReadingPane:
        return self.query_one("#full-reader", ReadingPane)

    @property
    def find_bar(self) -> Input:
        return self.query_one("#find", Input)

    def on_mount(self) -> None:
        self.pane.show_article(self.article, self.mentions, self.terms)
        self.set_focus(self.pane)

    def show(self, article: Article, mentions: Sequence[render.MentionLike] = ()) -> None:
        """Show another version of the article (its full text arrived, say)."""
        self.article, self.mentions = article, list(mentions)
        self.pane.show_article(article, self.mentions, self.terms)

    # -- actions --------------------------------------------------------------------------

    def action_close_reader(self) -> None:
        """Esc or q: close the find bar if it is open, else go back to the main screen."""
        if self.find_bar.has_class("-open"):
            self._close_find()
            return
        self.dismiss(None)

    def action_find_in_article(self) -> None:
        bar = self.find_bar
        bar.add_class("-open")
        self.query_one("#find-status").add_class("-open")
        self.set_focus(bar)

    def action_next_match(self) -> None:
        self._step(1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        if not self.pane.matches:
            self.notify("Nothing found yet: press / to find words in the article.")
            return
        number = self.pane.step_match(step)
        self._status(f"{number} of {len(self.pane.matches)}")

    def _close_find(self) -> None:
        self.find_bar.remove_class("-open")
        self.query_one("#find-status").remove_class("-open")
        self.set_focus(self.pane)

    def _status(self, message: str) -> None:
        status = self.query_one("#find-status", Static)
        status.add_class("-open")
        status.update(render.plain(message))

    # -- the find bar ---------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "find":
            return
        event.stop()
        count = self.pane.find(event.value)
        if not event.value.strip():
            self._status("")
        elif count:
            self._status(f"1 of {count}  (n next, N previous)")
        else:
            self._status(f"not in this article: {event.value.strip()}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "find":
            return
        event.stop()
        self.find_bar.remove_class("-open")
        self.set_focus(self.pane)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.focused is self.find_bar:
            event.stop()
            self._close_find()
