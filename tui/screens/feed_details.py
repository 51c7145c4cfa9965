"""What is known of one feed (``Library.feed_details``): its state, last error, last success,
next attempt and counts. ``feed_summary`` is the few lines under the sidebar for the
highlighted feed; ``FeedDetailsScreen`` (``i``) shows everything.

Errors come from servers and titles from feeds: both go into ``Text`` as they are (after
``one_line``), never parsed as markup.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.index.models import Feed, Folder
from newsreader.index.text import one_line
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

STATUS_WORDS = {
    "ok": ("ok", "green"),
    "warning": ("warning", "yellow"),
    "error": ("failing", "bold red"),
    "gone": ("gone (HTTP 410): no longer refreshed", "bold red"),
    "waiting": ("waiting before the next try", "yellow"),
    "new": ("not fetched yet", "dim"),
}


def when(value: datetime | None, now: datetime | None = None) -> str:
    """A time for people, in local time: "14:05" today, "1 Dec 14:05" otherwise."""
    if value is None:
        return "never"
    local = value.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"


def _problem(feed: Feed) -> str:
    return one_line(feed.last_error or feed.warning or "")


def feed_summary(feed: Feed, now: datetime | None = None) -> Text:
    """A few short lines: the error first (so a failing feed says why, not just "!"), then
    the last success, the next try when it waits, and the counts."""
    status = feed.status(now)
    word, style = STATUS_WORDS[status]
    out = Text()
    problem = _problem(feed)
    if problem and status in ("error", "warning", "waiting", "gone"):
        out.append("! " if status != "warning" else "? ", style=style)
        out.append(problem, style=style)
        out.append("\n")
    elif status != "ok":
        out.append(word + "\n", style=style)
    out.append(f"last ok {when(feed.last_success, now)}", style="dim")
    if feed.next_attempt is not None and status == "waiting":
        out.append(f" · next {when(feed.next_attempt, now)}", style="dim")
    out.append("\n")
    out.append(f"{feed.article_count:,} articles, {feed.unread_count:,} unread", style="dim")
    return out


def folder_summary(folder: Folder) -> Text:
    out = Text(f"{folder.unread_count:,} unread of {folder.article_count:,}", style="dim")
    out.append("\nSpace folds, Enter lists it", style="dim")
    return out


def feed_details(feed: Feed, now: datetime | None = None) -> Text:
    """Everything: name, address, folder, tags, state, error, times, counts."""
    status = feed.status(now)
    word, style = STATUS_WORDS[status]
    rows: list[tuple[str, Text]] = [
        ("Feed", Text(one_line(feed.display_name or feed.title) or feed.url, style="bold")),
        ("Address", Text(one_line(feed.url))),
    ]
    if feed.site_link:
        rows.append(("Site", Text(one_line(feed.site_link))))
    rows.append(("Folder", Text(one_line(feed.folder or "") or "(top level)")))
    if feed.tags:
        rows.append(("Tags", Text(", ".join(one_line(t) for t in feed.tags))))
    rows.append(("State", Text(word, style=style)))
    problem = _problem(feed)
    if feed.last_error:
        rows.append(("Last error", Text(problem, style="bold red")))
        rows.append(("Failures", Text(f"{feed.error_count} in a row")))
    elif feed.warning:
        rows.append(("Warning", Text(problem, style="yellow")))
    rows.append(("Last fetched", Text(when(feed.last_fetched, now))))
    rows.append(("Last success", Text(when(feed.last_success, now))))
    if feed.next_attempt is not None:
        rows.append(("Next try", Text(when(feed.next_attempt, now))))
    else:
        rows.append(("Next try", Text("at the next refresh")))
    counts = f"{feed.article_count:,} articles, {feed.unread_count:,} unread"
    if feed.hidden_count:
        counts += f", {feed.hidden_count:,} hidden by filters"
    rows.append(("Articles", Text(counts)))
    rows.append(("Full text", Text("fetched for every new article" if feed.full_text else "no")))
    width = max(len(label) for label, _ in rows) + 2
    out = Text()
    for label, value in rows:
        out.append(f"{label:<{width}}", style="dim")
        out.append_text(value)
        out.append("\n")
    out.rstrip()
    return out


class FeedDetailsScreen(ModalScreen[None]):
    """One feed's details; Esc, q or i closes."""

    DEFAULT_CSS = """
    FeedDetailsScreen {
        align: center middle;
    }
    FeedDetailsScreen > VerticalScroll {
        width: 76;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,i", "close", "Close", show=False)]

    def __init__(self, feed: Feed) -> None:
        super().__init__()
        self.feed = feed

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Feed details"
            scroll.border_subtitle = "Esc to close"
            yield Static(feed_details(self.feed), id="feed-details-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
