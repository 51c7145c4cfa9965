"""The story view: every source of one story (copies and near-duplicates in other feeds),
each with its time, feed and headline; Enter opens that source, Esc goes back.

Feed titles and headlines are untrusted, so every line is plain ``Text`` we build.
"""

from __future__ import annotations

from newsreader.index.models import Story
from newsreader.index.text import one_line
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

KIND_LABELS = {"lead": "first", "copy": "same page", "near": "same text"}


def source_line(member_time: str, feed: str, title: str, kind: str, read: bool) -> Text:
    """One source: time, feed and headline, with how it was found and whether it is read."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(" " if read else "●", "bold")
    line.append(f" {member_time:<16}  ", "dim")
    line.append(f"{one_line(feed)[:24]:<24}  ", "bold")
    line.append(one_line(title) or "(untitled)")
    line.append(f"  ({KIND_LABELS.get(kind, kind)})", "dim")
    return line


class StoryScreen(ModalScreen[str | None]):
    """Pick one source of a story: Enter gives its article id, Esc ``None``."""

    DEFAULT_CSS = """
    StoryScreen {
        align: center middle;
    }
    StoryScreen > Vertical {
        width: 110;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    StoryScreen #story-title {
        text-style: bold;
        margin-bottom: 1;
    }
    StoryScreen OptionList {
        height: auto;
        max-height: 20;
    }
    StoryScreen #story-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", show=False)]

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        story = self.story
        with Vertical():
            yield Label(
                Text(f"{one_line(story.lead.title)} — {story.sources} sources"), id="story-title"
            )
            yield OptionList(
                *(
                    Option(
                        source_line(
                            m.published.strftime("%Y-%m-%d %H:%M") if m.published else "",
                            m.feed_title,
                            m.title,
                            m.kind,
                            m.read,
                        ),
                        id=m.article_id,
                    )
                    for m in story.members
                ),
                id="story-sources",
            )
            yield Label(Text("Enter opens a source · Esc goes back"), id="story-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
