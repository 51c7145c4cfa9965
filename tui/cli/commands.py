"""The headless commands of ``newsreader``, one ``cmd_*`` handler each, registered with
their arguments by ``@command`` (registry.py).

A handler calls ``Library`` methods and prints through output.py; it returns the exit
status. Everything heavy is imported inside the command that needs it.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.index.errors import NewsreaderError

from .output import (
    article_json,
    bookmark_json,
    day,
    dump,
    entity_groups_json,
    feed_json,
    hit_json,
    iso,
    mention_json,
    progress_bar,
    results_json,
    say,
    top_entity_json,
)
from .registry import arg, command, non_negative, positive

if TYPE_CHECKING:
    from newsreader.index.library import Library
    from newsreader.index.models import SearchResults

QUERY_HELP = """\
query language:
  words            all must match (title, body, author, feed); title matches rank higher
  a OR b           either word;  NOT a  or  -a  excludes;  ( ) groups
  "exact phrase"   words in this order;  pref*  prefix;  word~  fuzzy (typos)
  title:word  author:name  feed:name  tag:politics
  person:assad  org:"islamic state"  place:mosul  group:kurds   (named entities)
  is:unread  is:read  is:bookmarked  is:hidden (articles filters hid)
  folder:News      a folder and the folders below it;  folder:News/Deutsch  just that one
  published:2024-09   published:[2024-09-01 to 2024-09-30]
  published:yesterday   published:[last week to now]
A query with a mistake still runs: what could not be read is reported and ignored.
"""

JSON = arg("--json", action="store_true")


@command(
    "add",
    "subscribe to a feed (a web page that links to a feed works too)",
    arg("url"),
    arg("--title", help="a title of your own for the feed"),
    arg("--no-fetch", action="store_true", help="subscribe without downloading now"),
)
def cmd_add(args: argparse.Namespace, lib: Library) -> int:
    feed, result = lib.add_feed(args.url, args.title, fetch=not args.no_fetch)
    msg = f"added feed {feed.id}: {feed.title}"
    if result is not None:
        msg += f" ({result.new} articles)"
        if result.warning:
            msg += f"\nwarning: {result.warning}"
    say(msg)
    return 0


@command(
    "remove",
    "unsubscribe from a feed and delete its articles",
    arg("feed", help="feed id, URL or title"),
)
def cmd_remove(args: argparse.Namespace, lib: Library) -> int:
    feed, lost = lib.remove_feed(args.feed)
    say(f"removed feed {feed.id}: {feed.title}")
    if lost:
        say(f"note: {lost} bookmarked article(s) of this feed were removed with it", sys.stderr)
    return 0


@command("feeds", "list feeds with counts and errors", JSON)
def cmd_feeds(args: argparse.Namespace, lib: Library) -> int:
    feeds = lib.feeds()
    if args.json:
        dump([feed_json(f) for f in feeds])
        return 0
    if not feeds:
        say(
            "no feeds yet: `newsreader add URL`, `newsreader import FILE.opml` or `newsreader demo`"
        )
        return 0
    for f in feeds:
        where = f"  [{f.folder}]" if f.folder else ""
        say(
            f"{f.id:>4}  {f.unread_count:>5}/{f.article_count:<5}  {f.display_name or f.title}"
            f"{where}  <{f.url}>"
        )
        if f.last_error:
            say(f"      error: {f.last_error}")
            if f.retry_after and f.retry_after > datetime.now(UTC):
                say(f"      not refreshed with the others before {iso(f.retry_after)}")
        elif f.warning:
            say(f"      warning: {f.warning}")
    return 0


@command("import", "subscribe to the feeds of an OPML file", arg("file"))
def cmd_import(args: argparse.Namespace, lib: Library) -> int:
    added, skipped = lib.import_opml(args.file)
    say(f"imported {len(added)} feed(s); {len(skipped)} already subscribed")
    if added:
        say("run `newsreader refresh` to download their articles")
    return 0


@command("export", "write subscriptions as OPML 2.0 (to FILE or stdout)", arg("file", nargs="?"))
def cmd_export(args: argparse.Namespace, lib: Library) -> int:
    text = lib.export_opml()
    if args.file:
        write_file(args.file, text)
        say(f"wrote {len(lib.feeds())} feed(s) to {args.file}", sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def write_file(path: str, text: str) -> None:
    """Write text to path through a temporary file, so a failed write leaves the old file."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise NewsreaderError(f"cannot write {path}: {exc.strerror}") from exc


@command(
    "refresh",
    "download new articles of all feeds or the named ones",
    arg("feeds", nargs="*", metavar="FEED"),
    arg("--no-index", action="store_true", help="store only; the index catches up later"),
    arg(
        "--enrich",
        action="store_true",
        help="extract entities afterwards (the default when an entity model is installed)",
    ),
    arg("--no-enrich", action="store_true", help="store only; `newsreader enrich` later"),
)
def cmd_refresh(args: argparse.Namespace, lib: Library) -> int:
    if not lib.feed_count():  # not feeds(): its counts are a pass over every article
        say("no feeds to refresh: `newsreader add URL` or `newsreader demo`", sys.stderr)
        return 0
    with progress_bar("refreshing") as progress:
        report = lib.refresh(args.feeds or None, progress=progress, index=not args.no_index)
    failed = [r for r in report.results if r.status in ("error", "gone")]
    fetched = sum(1 for r in report.results if r.status != "skipped")
    say(
        f"{fetched} feed(s) checked: {report.new} new, {report.updated} updated article(s);"
        f" {len(failed)} failed"
    )
    for r in report.results:
        if r.status in ("error", "gone"):
            say(f"  {r.url}: {r.error}", sys.stderr)
        elif r.warning:
            say(f"  {r.url}: warning: {r.warning}", sys.stderr)
    for run in report.filtered:
        if run.changed:
            say(f"  filter {run.name!r}: {run.action} on {run.changed} new article(s)")
    skipped = [r for r in report.results if r.status == "skipped"]
    if skipped:
        say(
            f"note: {len(skipped)} feed(s) not tried this time (gone, or waiting after server"
            " errors or a Retry-After); `newsreader refresh FEED` tries one anyway",
            sys.stderr,
        )
    if args.enrich or (not args.no_enrich and lib.entities_available()):
        _enrich(lib, None, quiet=not args.enrich)
    return 1 if failed and len(failed) == fetched else 0


@command(
    "search",
    "search articles",
    arg("query", nargs="*", help="the query (empty: newest articles)"),
    arg("--limit", type=positive, default=20),
    arg("--offset", type=non_negative, default=0),
    arg("--sort", choices=("relevance", "date")),
    arg("--facets", action="store_true", help="counts by feed and month"),
    JSON,
    epilog=QUERY_HELP,
    formatter_class=argparse.RawDescriptionHelpFormatter,
)
def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    query = " ".join(args.query)
    res = lib.search(
        query, limit=args.limit, offset=args.offset, sort=args.sort, facets=args.facets
    )
    if args.json:
        dump(results_json(query, res, facets=args.facets))
        return 0
    for w in res.warnings:
        say(f"note: {w}", sys.stderr)
    if res.pending:
        say(f"note: {res.pending:,} recent articles are not searchable yet", sys.stderr)
    _print_results(res)
    return 0


def _print_results(res: SearchResults) -> None:
    tty = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if not res.hits:
        say("no matches")
    if res.correction_notice:
        say(res.correction_notice)
    elif res.suggestion:
        say(f"did you mean: {res.suggestion}")
    if tty:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for h in res.hits:
            head = Text()
            head.append(h.id[:10], style="dim")
            head.append(f"  {day(h.published)}  ")
            head.append("★ " if h.bookmarked else "  ", style="yellow")
            title = Text(h.title, style="bold")
            for s, e in h.title_highlights:
                title.stylize("reverse", s, e)
            head.append(title)
            head.append(f"  — {h.feed}", style="dim")
            console.print(head)
            snip = Text("    " + h.snippet)
            for s, e in h.highlights:
                snip.stylize("bold yellow", s + 4, e + 4)
            console.print(snip)
    else:
        for h in res.hits:
            mark = "*" if h.bookmarked else " "
            say(f"{h.id[:10]}  {day(h.published)} {mark} {h.title}  — {h.feed}")
            say(f"    {h.snippet}")
    if res.hits:
        about = "" if res.total_exact else "about "
        say(f"{len(res.hits)} shown of {about}{res.total}", sys.stderr)


@command(
    "show",
    "print an article as clean text",
    arg("id"),
    arg("--full", action="store_true", help="fetch the article's page and show its full text"),
    JSON,
)
def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    from .output import other_sources_lines, story_member_json
    from .story_output import coverage_json, coverage_lines

    art = lib.fetch_full_text(lib.article(args.id).id) if args.full else lib.article(args.id)
    story = lib.story(art.id)
    coverage = lib.other_coverage(art.id)
    if args.json:
        doc = article_json(art)
        doc["other_sources"] = (
            [story_member_json(m) for m in story.members if m.article_id != art.id] if story else []
        )
        doc["other_coverage"] = [coverage_json(c) for c in coverage]
        dump(doc)
        return 0
    say(art.title)
    say("=" * min(len(art.title), 78))
    meta = [art.feed_title]
    if art.author:
        meta.append(art.author)
    if art.published:
        meta.append(art.published.strftime("%Y-%m-%d %H:%M UTC"))
    say(" · ".join(meta))
    if art.link:
        say(art.link)
    if story is not None:
        for line in other_sources_lines(story, art.id):
            say(line)
    say()
    from newsreader.index.reading import link_list
    from newsreader.index.reading.article import article_layout

    lay = article_layout(art)
    say(lay.text)
    if art.enclosures:
        from newsreader.index.exports import enclosure_line

        say()
        say("Media:")
        for enc in art.enclosures:
            say(f"  {enclosure_line(enc)}")
    if lay.links:
        say()
        say("Links:")
        say(link_list(lay.links))
    if coverage:  # the same event in other words: under the article, not merged (issue 18)
        say()
        for line in coverage_lines(coverage):
            say(line)
    return 0


# The lower decorator registers first: "read" comes before "unread" in help.
@command("unread", "mark an article unread", arg("id"))
@command("read", "mark an article read", arg("id"))
def cmd_read(args: argparse.Namespace, lib: Library) -> int:
    lib.mark_read(args.id, args.command == "read")
    return 0


@command("unbookmark", "remove a bookmark", arg("id"))
@command("bookmark", "bookmark an article", arg("id"))
def cmd_bookmark(args: argparse.Namespace, lib: Library) -> int:
    if args.command == "bookmark":
        when = lib.bookmark(args.id)
        say(f"bookmarked {lib.article(args.id).title} ({iso(when)})")
    else:
        lib.unbookmark(args.id)
        say("bookmark removed")
    return 0


@command("bookmarks", "list bookmarks", JSON)
def cmd_bookmarks(args: argparse.Namespace, lib: Library) -> int:
    marks = lib.bookmarks()
    if args.json:
        dump([bookmark_json(a, when) for a, when in marks])
        return 0
    if not marks:
        say("no bookmarks yet (press b in the app, or `newsreader bookmark ID`)")
    for art, when in marks:
        say(f"{art.id[:10]}  {when:%Y-%m-%d}  {art.title}  — {art.feed_title}")
        if art.link:
            say(f"    {art.link}")
    return 0


@command(
    "export-bookmarks",
    "export bookmarks and saved searches",
    arg("file", nargs="?", help="FILE.json, .md or .html (the extension picks the format)"),
    arg(
        "--format", choices=("json", "md", "html"), help="the format (default: from FILE, or json)"
    ),
)
def cmd_export_bookmarks(args: argparse.Namespace, lib: Library) -> int:
    from newsreader.index.exports import format_for_path

    fmt = args.format or (format_for_path(args.file) if args.file else "json")
    text = lib.export_bookmarks(fmt)
    if args.file:
        write_file(args.file, text)
        say(f"wrote {len(lib.bookmarks())} bookmark(s) to {args.file}", sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


@command("reindex", "rebuild the search index from the store")
def cmd_reindex(args: argparse.Namespace, lib: Library) -> int:
    with progress_bar("indexing") as progress:
        count = lib.reindex(progress)
    say(f"indexed {count} article(s)")
    return 0


@command("searches", "list saved searches", JSON)
def cmd_searches(args: argparse.Namespace, lib: Library) -> int:
    searches = lib.saved_searches(with_counts=True)
    if args.json:
        dump([{"name": s.name, "query": s.query, "unread": s.unread_count} for s in searches])
        return 0
    if not searches:
        say("no saved searches (`newsreader save-search NAME QUERY`)")
    for s in searches:
        say(f"{s.name}  ({s.unread_count} unread)  {s.query}")
    return 0


@command("save-search", "save a search under a name", arg("name"), arg("query", nargs="+"))
def cmd_save_search(args: argparse.Namespace, lib: Library) -> int:
    lib.save_search(args.name, " ".join(args.query))
    say(f"saved search {args.name!r}")
    return 0


@command("delete-search", "delete a saved search", arg("name"))
def cmd_delete_search(args: argparse.Namespace, lib: Library) -> int:
    lib.delete_search(args.name)
    say(f"deleted saved search {args.name!r}")
    return 0


@command(
    "related",
    "articles most like the given one",
    arg("id"),
    arg("--limit", type=positive, default=10),
    JSON,
)
def cmd_related(args: argparse.Namespace, lib: Library) -> int:
    hits = lib.related(args.id, limit=args.limit)
    if args.json:
        dump({"id": args.id, "results": [hit_json(h) for h in hits]})
        return 0
    if not hits:
        say("no related articles")
    for h in hits:
        say(f"{h.id[:10]}  {day(h.published)}  {h.title}  — {h.feed}")
    return 0


def _enrich(lib: Library, limit: int | None, *, quiet: bool = False) -> int:
    """Enrich what is pending; ``quiet``: say nothing when nothing is (after a refresh)."""
    if not lib.entities_available():
        from newsreader.index.entities.extract import load_extractor

        load_extractor()  # raises ModelMissingError with the install command
    total = lib.pending_enrichment()
    if not total:
        if not quiet:
            say("all articles already have their entities")
        return 0
    with progress_bar("extracting entities") as progress:
        cb = (lambda d, t: progress(d, t, "")) if progress else None
        done = lib.enrich(progress=cb, limit=limit)
    say(f"extracted entities of {done} article(s)")
    return 0


@command(
    "enrich",
    "extract named entities of articles that lack them",
    arg("--limit", type=positive),
)
def cmd_enrich(args: argparse.Namespace, lib: Library) -> int:
    return _enrich(lib, args.limit)


@command(
    "extract",
    "print the named entities of a text (a file, or - for stdin)",
    arg("file", nargs="?", default="-"),
    arg(
        "--language",
        metavar="CODE",
        help="the text's language, as fr or en (default: detected; English if unsure)",
    ),
    JSON,
    needs_library=False,
)
def cmd_extract(args: argparse.Namespace, lib: Library | None) -> int:
    from newsreader.index.entities.extract import extract_text

    if args.file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise NewsreaderError(f"cannot read {args.file}: {exc.strerror}") from exc
    from newsreader.index.entities.languages import entity_language, language_name, model_for
    from newsreader.index.errors import ModelMissingError
    from newsreader.index.language import article_language, normalise

    language = entity_language(normalise(args.language) or article_language(None, "", text))
    if model_for(language) is None:
        raise ModelMissingError(f"no entity model for {language_name(language)} text")
    mentions = extract_text(text, language=language)
    if args.json:
        dump([mention_json(m) for m in mentions])
        return 0
    for m in mentions:
        extra = f"  → {m.canonical}" if m.canonical != m.text else ""
        say(f"{m.start:>6}-{m.end:<6} {m.label:<12} {m.text}{extra}")
    return 0


@command(
    "entities",
    "entities of an article, the most mentioned (--top), or articles per day (--trend)",
    arg("id", nargs="?"),
    arg("--top", type=positive, metavar="N"),
    arg(
        "--trend",
        action="store_true",
        help="articles per entity per day (the last 30 days, or since DATE) and what is"
        " rising this week; with an id, of that article's entities",
    ),
    arg("--since", metavar="DATE", help="with --top or --trend: only articles since DATE"),
    JSON,
)
def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    if args.trend:
        return _entity_trends(args, lib)
    if args.top or not args.id:
        since = parse_since(args.since) if args.since else None
        top = lib.top_entities(args.top or 20, since)
        if args.json:
            dump([top_entity_json(*row) for row in top])
            return 0
        if not top:
            say("no entities yet: run `newsreader enrich`")
        for c, lbl, a, m in top:
            say(f"{a:>5} articles  {m:>5} mentions  {lbl:<12} {c}")
        return 0
    groups = lib.entity_groups(args.id)
    if args.json:
        dump({"id": args.id, "entities": entity_groups_json(groups)})
        return 0
    if not groups:
        status = lib.entity_status(args.id)
        if status.state == "pending":
            say("no entities for this article yet (run `newsreader enrich`)")
        elif status.state == "extracted":
            say("no entities for this article")
        else:
            say(f"no entities for this article: {status.message[:1].lower()}{status.message[1:]}")
    for group in groups:
        say(f"{group.label}:")
        for entity in group.entities:
            say(f"  {entity.count:>3}  {entity.name}")
    return 0


def _entity_trends(args: argparse.Namespace, lib: Library) -> int:
    from newsreader.index.stories.trends import rising

    from .story_output import trend_json, trend_lines

    since = parse_since(args.since).date() if args.since else None
    named = None
    if args.id:
        named = sorted({(m.canonical, m.label) for _, m in lib.article_entities(args.id)})
    trends = lib.entity_trends(since=since, entities=named)
    up = rising(trends)
    shown = trends[: args.top] if args.top else trends
    if args.json:
        rising_names = {(t.name, t.label) for t in up}
        dump(
            {
                "since": trends[0].days[0][0] if trends else None,
                "entities": [trend_json(t, (t.name, t.label) in rising_names) for t in shown],
                "rising": [trend_json(t, True) for t in up],
            }
        )
        return 0
    for line in trend_lines(shown, up):
        say(line)
    return 0


def parse_since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise NewsreaderError(f"--since {text!r}: use a date like 2024-09-01") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@command("demo", "subscribe to the bundled offline demo feeds")
def cmd_demo(args: argparse.Namespace, lib: Library) -> int:
    added = lib.seed_demo_feeds(force=True)
    say(f"subscribed to {len(added)} demo feed(s)")
    return 0
