"""NewsreaderApp: the Textual front end (a first screen; the full app grows here)."""

from __future__ import annotations

from newsreader.index.library import Library
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header


class NewsreaderApp(App[None]):
    TITLE = "newsreader"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="articles", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Feed", "Title")
        for row in self.library.list_articles(limit=200):
            date = row.published.strftime("%Y-%m-%d") if row.published else ""
            table.add_row(date, row.feed_title, row.title, key=row.id)


def run_app(data_dir: str | None = None) -> int:
    library = Library.open(data_dir)
    try:
        library.seed_demo_feeds()
        NewsreaderApp(library).run()
    finally:
        library.close()
    return 0
