"""``newsreader stories``: stories that several feeds (or several articles) carry."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .commands import parse_since
from .output import dump, say, story_json, story_member_line
from .registry import arg, command, positive

if TYPE_CHECKING:
    from newsreader.index.library import Library


@command(
    "stories",
    "stories carried by several feeds, newest first, with each source",
    arg("--since", metavar="DATE", help="only stories with an article since DATE"),
    arg("--limit", type=positive, default=50, metavar="N", help="at most N stories (50)"),
    arg("--json", action="store_true"),
)
def cmd_stories(args: argparse.Namespace, lib: Library) -> int:
    lib.group_stories()  # articles stored by a refresh that was stopped midway
    since = parse_since(args.since) if args.since else None
    found = lib.stories(since=since, limit=args.limit)
    if args.json:
        dump([story_json(s) for s in found])
        return 0
    if not found:
        say("no story is carried by more than one feed yet")
    for story in found:
        say(f"{story.lead.title}  ({story.sources} sources)")
        for m in story.members:
            say(story_member_line(m))
    return 0
