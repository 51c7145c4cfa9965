"""JobProgressRow: the row under the panes that shows the running job and its progress.

It listens to the job messages (tui/messages.py) that the job runner posts to it; they
bubble on to the main screen, which tells the user how a job ended.
"""

from __future__ import annotations

from newsreader.tui.messages import JobDone, JobFailed, JobProgress, JobStarted
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class JobProgressRow(Horizontal):
    """Shown (class ``-busy``) while any job runs; the label is the latest job's."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._busy: list[str] = []  # labels of the jobs started and not ended, oldest first

    def compose(self) -> ComposeResult:
        yield Static(id="progress-label", markup=False)
        yield ProgressBar(id="progress", show_eta=False)

    def on_job_started(self, message: JobStarted) -> None:
        self._busy.append(message.label)
        self.query_one("#progress-label", Static).update(Text(message.label + " "))
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.add_class("-busy")

    def on_job_progress(self, message: JobProgress) -> None:
        self.query_one("#progress-label", Static).update(Text(message.label + " "))
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)

    def on_job_done(self, message: JobDone) -> None:
        self._ended(message.label)

    def on_job_failed(self, message: JobFailed) -> None:
        self._ended(message.label)

    def _ended(self, label: str) -> None:
        if label in self._busy:
            self._busy.remove(label)
        if self._busy:
            self.query_one("#progress-label", Static).update(Text(self._busy[-1] + " "))
        else:
            self.remove_class("-busy")
