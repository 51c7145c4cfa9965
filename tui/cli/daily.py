"""The daily-loop commands (issue 16): mark read or unread in bulk, move/rename/tag a feed,
list folders, and filter rules. Registered with ``@command`` like those in commands.py."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .output import (
    dump,
    feed_json,
    filter_json,
    filter_run_json,
    folder_json,
    iso,
    mark_json,
    say,
)
from .registry import arg, command

if TYPE_CHECKING:
    from newsreader.index.library import Library

JSON = arg("--json", action="store_true")


def a_date(text: str) -> datetime:
    """An argparse type: an ISO date or date and time (UTC unless it says otherwise)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_SCOPE = (
    arg("--feed", metavar="FEED", help="one feed (id, URL or title)"),
    arg("--folder", metavar="PATH", help="a folder and the folders below it (News/Deutsch)"),
    arg("--query", metavar="QUERY", help="the results of a search (the query language)"),
    arg("--all", action="store_true", help="every article"),
    arg("--before", metavar="DATE", type=a_date, help="only articles dated before DATE"),
    JSON,
)


def _mark(args: argparse.Namespace, lib: Library, read: bool) -> int:
    chosen = [n for n in ("feed", "folder", "query") if getattr(args, n) is not None]
    if len(chosen) + bool(args.all) != 1:
        verb = "mark-read" if read else "mark-unread"
        say(
            f"newsreader {verb}: error: say which articles: one of --feed, --folder, --query"
            " or --all",
            sys.stderr,
        )
        return 2
    result = lib.mark_all(
        read, feed=args.feed, folder=args.folder, query=args.query, before=args.before
    )
    if args.json:
        dump(mark_json(result))
        return 0
    state = "read" if read else "unread"
    say(f"marked {result.changed} article(s) {state}")
    return 0


@command("mark-read", "mark the articles of a feed, folder or search (or all) read", *_SCOPE)
def cmd_mark_read(args: argparse.Namespace, lib: Library) -> int:
    return _mark(args, lib, True)


@command("mark-unread", "mark the articles of a feed, folder or search (or all) unread", *_SCOPE)
def cmd_mark_unread(args: argparse.Namespace, lib: Library) -> int:
    return _mark(args, lib, False)


@command(
    "feed",
    "show a feed's details, or move, rename and tag it",
    arg("feed", help="id, URL or title"),
    arg("--folder", metavar="PATH", help='move to a folder (News/Deutsch; "" for the top)'),
    arg("--title", help='a title of your own ("" for the feed\'s own)'),
    arg("--tag", action="append", metavar="TAG", help="set the tags (repeat for more)"),
    arg("--no-tags", action="store_true", help="remove every tag"),
    arg(
        "--full-text",
        choices=("on", "off"),
        help="fetch every new article's page during refresh (on), or not (off)",
    ),
    JSON,
)
def cmd_feed(args: argparse.Namespace, lib: Library) -> int:
    tags: list[str] | None = [] if args.no_tags else args.tag
    if args.full_text is not None:
        lib.set_feed_full_text(args.feed, args.full_text == "on")
    if args.folder is None and args.title is None and tags is None:
        feed = lib.feed_details(lib.find_feed(args.feed).id)
    else:
        feed = lib.update_feed(args.feed, folder=args.folder, title=args.title, tags=tags)
    if args.json:
        dump(feed_json(feed))
        return 0
    say(f"{feed.id}: {feed.display_name or feed.title}  <{feed.url}>")
    say(f"  folder: {feed.folder or '(top)'}   tags: {', '.join(feed.tags) or '(none)'}")
    say(
        f"  {feed.unread_count} unread of {feed.article_count}"
        + (f", {feed.hidden_count} hidden" if feed.hidden_count else "")
    )
    say(f"  status: {feed.status()}   last success: {iso(feed.last_success) or 'never'}")
    if feed.full_text:
        say("  full text: each new article's page is fetched during refresh")
    if feed.last_error:
        say(f"  last error ({feed.error_count} in a row): {feed.last_error}")
    elif feed.warning:
        say(f"  warning: {feed.warning}")
    if feed.next_attempt and feed.next_attempt > datetime.now(UTC):
        say(f"  next attempt: {iso(feed.next_attempt)}")
    return 0


@command("folders", "list folders with their unread counts", JSON)
def cmd_folders(args: argparse.Namespace, lib: Library) -> int:
    folders = lib.folders()
    if args.json:
        dump([folder_json(f) for f in folders])
        return 0
    if not folders:
        say("no folders (`newsreader feed FEED --folder NAME`, or import an OPML file)")
    for f in folders:
        say(f"{'  ' * f.depth}{f.name}  ({f.unread_count} unread of {f.article_count})")
    return 0


FILTER_HELP = """\
filter add NAME QUERY --action ACTION   add (or replace) a rule
filter list                             the rules, in the order they are applied
filter delete NAME                      remove a rule
filter apply [NAME ...]                 apply rules (all, or those named) to every article
ACTION is hide, mark-read, bookmark or tag:NAME. New articles get every rule at refresh;
hidden ones stay in the store and are found with the query is:hidden.
"""


@command(
    "filter",
    "rules that hide, mark read, bookmark or tag matching articles",
    arg("verb", choices=("add", "list", "delete", "apply")),
    arg("words", nargs="*", metavar="NAME/QUERY"),
    arg("--action", help="hide, mark-read, bookmark or tag:NAME (for add)"),
    JSON,
    epilog=FILTER_HELP,
    formatter_class=argparse.RawDescriptionHelpFormatter,
)
def cmd_filter(args: argparse.Namespace, lib: Library) -> int:
    words: list[str] = args.words
    if args.verb == "add":
        if len(words) != 2 or not args.action:
            return _usage("filter add NAME QUERY --action ACTION (quote a query of many words)")
        added = lib.add_filter(words[0], words[1], args.action)
        if args.json:
            dump(filter_json(added))
        else:
            say(f"filter {added.name!r}: {added.query} -> {added.action}")
            say("run `newsreader filter apply` to apply it to the articles you have already")
        return 0
    if args.verb == "list":
        rules = lib.filters()
        if args.json:
            dump([filter_json(r) for r in rules])
        elif not rules:
            say("no filters (`newsreader filter add NAME QUERY --action hide`)")
        for rule in [] if args.json else rules:
            say(f"{rule.name}  {rule.query}  -> {rule.action}")
        return 0
    if args.verb == "delete":
        if len(words) != 1:
            return _usage("filter delete NAME")
        lib.delete_filter(words[0])
        say(f"deleted filter {words[0]!r}")
        return 0
    runs = lib.apply_filters(words or None)
    if args.json:
        dump([filter_run_json(r) for r in runs])
        return 0
    if not runs:
        say("no filters to apply")
    for r in runs:
        say(f"{r.name}: matched {r.matched}, changed {r.changed} ({r.action})")
    return 0


def _usage(text: str) -> int:
    say(f"usage: newsreader {text}", sys.stderr)
    return 2
