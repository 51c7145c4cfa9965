"""Messages the widgets and the library jobs send up to the screen and the app: small
dataclasses, one per event (as toolong's ScanProgress)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsreader.tui.sources import ListRow, ListSource
from textual.message import Message
from textual.notifications import SeverityLevel


@dataclass
class SourceChosen(Message):
    """The sidebar chose what the article list shows."""

    source: ListSource


@dataclass
class FoldersFolded(Message):
    """The sidebar's folded folders changed (the screen keeps them for the next launch)."""

    folded: frozenset[str]


@dataclass
class RowHighlighted(Message):
    """The article list's cursor moved onto a row; a burst collapses into the last one."""

    row: ListRow | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RowHighlighted)


@dataclass
class ArticleOpened(Message):
    """A row was opened (Enter or a click)."""

    row: ListRow


@dataclass
class SearchChanged(Message):
    """The search text changed (already debounced); an empty query ends the search."""

    query: str


@dataclass
class SearchSubmitted(Message):
    """Enter in the search bar: go to the results."""

    query: str


# -- library jobs (tui/jobs.py): posted from a job's thread to the progress row, and bubbling
# -- up through the main screen (which tells the user and shows what changed) to the app


@dataclass(frozen=True)
class JobResult:
    """What a job hands back: the line for the user ("" says nothing), how grave it is,
    whether the library changed (lists and counts are read again), and for follow-ups the
    feeds it added, the number of new articles or of articles it worked on, and the feeds
    that failed."""

    message: str = ""
    severity: SeverityLevel = "information"
    changed: bool = False
    feed_ids: tuple[int, ...] = field(default=())
    count: int = 0
    failed: int = 0  # feeds that could not be refreshed


@dataclass
class JobStarted(Message):
    """A job began (the progress row shows its label)."""

    label: str


@dataclass
class JobProgress(Message):
    """``done`` of ``total`` steps of a job; a burst of them collapses into the latest."""

    label: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobProgress) and message.label == self.label


@dataclass
class JobDone(Message):
    """A job ended. ``result`` says what to tell the user and what changed; ``notices``
    are the library's own notes added while it ran (a feed found on a web page, refused
    outlines, an index that could not be updated)."""

    kind: str
    label: str
    result: JobResult
    notices: tuple[str, ...] = ()


@dataclass
class JobFailed(Message):
    """A job ended with an error: ``error`` is the one line for the user."""

    kind: str
    label: str
    error: str
    notices: tuple[str, ...] = ()
