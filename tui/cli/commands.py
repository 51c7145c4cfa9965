"""The ``newsreader`` command: no subcommand opens the app; the rest work headless.

argparse keeps start-up fast; everything heavy is imported inside the command that
needs it. Errors are one line on stderr; exit 0 success, 1 failure, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from newsreader.index import __version__
from newsreader.index.errors import NewsreaderError

if TYPE_CHECKING:
    from newsreader.index.library import Library
    from newsreader.index.models import Article, SearchHit, SearchResults

QUERY_HELP = """\
query language:
  words            all must match (title, body, author, feed); title matches rank higher
  a OR b           either word;  NOT a  or  -a  excludes;  ( ) groups
  "exact phrase"   words in this order;  pref*  prefix;  word~  fuzzy (typos)
  title:word  author:name  feed:name  tag:politics
  person:assad  org:"islamic state"  place:mosul  group:kurds   (named entities)
  is:unread  is:read  is:bookmarked
  published:2024-09   published:[2024-09-01 to 2024-09-30]
  published:yesterday   published:[last week to now]
A query with a mistake still runs: what could not be read is reported and ignored.
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the library lives (default: $NEWSREADER_HOME or the platform data dir)",
    )
    parser = _Parser(
        prog="newsreader",
        description="A keyboard-driven terminal news reader. Without a command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def cmd(name: str, help_text: str, **kw: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common], **kw)

    p = cmd("add", "subscribe to a feed (a web page that links to a feed works too)")
    p.add_argument("url")
    p.add_argument("--title", help="a title of your own for the feed")
    p.add_argument("--no-fetch", action="store_true", help="subscribe without downloading now")

    p = cmd("remove", "unsubscribe from a feed and delete its articles")
    p.add_argument("feed", help="feed id, URL or title")

    p = cmd("feeds", "list feeds with counts and errors")
    p.add_argument("--json", action="store_true")

    p = cmd("import", "subscribe to the feeds of an OPML file")
    p.add_argument("file")

    p = cmd("export", "write subscriptions as OPML 2.0 (to FILE or stdout)")
    p.add_argument("file", nargs="?")

    p = cmd("refresh", "download new articles of all feeds or the named ones")
    p.add_argument("feeds", nargs="*", metavar="FEED")
    p.add_argument("--no-index", action="store_true", help="store only; the index catches up later")
    p.add_argument("--enrich", action="store_true", help="also extract entities afterwards")

    p = cmd(
        "search",
        "search articles",
        epilog=QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", nargs="*", help="the query (empty: newest articles)")
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--offset", type=_non_negative, default=0)
    p.add_argument("--sort", choices=("relevance", "date"))
    p.add_argument("--facets", action="store_true", help="counts by feed and month")
    p.add_argument("--json", action="store_true")

    p = cmd("show", "print an article as clean text")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    for name, text in (("read", "mark an article read"), ("unread", "mark an article unread")):
        p = cmd(name, text)
        p.add_argument("id")

    p = cmd("bookmark", "bookmark an article")
    p.add_argument("id")
    p = cmd("unbookmark", "remove a bookmark")
    p.add_argument("id")
    p = cmd("bookmarks", "list bookmarks")
    p.add_argument("--json", action="store_true")

    p = cmd("export-bookmarks", "export bookmarks and saved searches")
    p.add_argument("file", nargs="?")
    p.add_argument("--format", choices=("json", "md", "html"), default="json")

    cmd("reindex", "rebuild the search index from the store")

    p = cmd("searches", "list saved searches")
    p.add_argument("--json", action="store_true")
    p = cmd("save-search", "save a search under a name")
    p.add_argument("name")
    p.add_argument("query", nargs="+")
    p = cmd("delete-search", "delete a saved search")
    p.add_argument("name")

    p = cmd("related", "articles most like the given one")
    p.add_argument("id")
    p.add_argument("--limit", type=_positive, default=10)
    p.add_argument("--json", action="store_true")

    p = cmd("enrich", "extract named entities of articles that lack them")
    p.add_argument("--limit", type=_positive)

    p = cmd("extract", "print the named entities of a text (a file, or - for stdin)")
    p.add_argument("file", nargs="?", default="-")
    p.add_argument("--json", action="store_true")

    p = cmd("entities", "entities of an article, or the most mentioned (--top)")
    p.add_argument("id", nargs="?")
    p.add_argument("--top", type=_positive, metavar="N")
    p.add_argument("--since", metavar="DATE", help="with --top: only articles since DATE")
    p.add_argument("--json", action="store_true")

    cmd("demo", "subscribe to the bundled offline demo feeds")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


# -- output helpers ------------------------------------------------------------------------


def _out(text: str = "", file: TextIO | None = None) -> None:
    """Print text that may come from a feed: escape sequences are already gone from the store,
    but strip again so nothing can reach the terminal."""
    from newsreader.index.text import safe_text

    print(safe_text(text), file=file or sys.stdout)


def _dump(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _iso(value: datetime | None) -> str | None:
    from newsreader.index.store import to_iso

    return to_iso(value)


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "feed": hit.feed,
        "feed_id": hit.feed_id,
        "link": hit.link,
        "published": _iso(hit.published),
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "highlights": [list(h) for h in hit.highlights],
        "title_highlights": [list(h) for h in hit.title_highlights],
        "bookmarked": hit.bookmarked,
        "read": hit.read,
    }


def _article_json(art: Article) -> dict[str, Any]:
    from newsreader.index.reading.article import article_layout

    return {
        "id": art.id,
        "feed_id": art.feed_id,
        "feed": art.feed_title,
        "guid": art.guid,
        "link": art.link,
        "title": art.title,
        "author": art.author,
        "published": _iso(art.published),
        "updated": _iso(art.updated),
        "tags": list(art.tags),
        "read": art.read,
        "bookmarked": art.bookmarked,
        "bookmarked_at": _iso(art.bookmarked_at),
        "summary_html": art.summary_html,
        "content_html": art.content_html,
        "text": art.text,
        "links": [{"number": n, "url": url} for n, url in enumerate(article_layout(art).links, 1)],
    }


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal (stderr), nothing when not a tty."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, _what: str = "") -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


# -- commands --------------------------------------------------------------------------------


def run_command(args: argparse.Namespace, lib: Library) -> int:
    command = args.command
    handler = COMMANDS[command]
    return handler(args, lib)


def cmd_add(args: argparse.Namespace, lib: Library) -> int:
    feed, result = lib.add_feed(args.url, args.title, fetch=not args.no_fetch)
    msg = f"added feed {feed.id}: {feed.title}"
    if result is not None:
        msg += f" ({result.new} articles)"
        if result.warning:
            msg += f"\nwarning: {result.warning}"
    _out(msg)
    return 0


def cmd_remove(args: argparse.Namespace, lib: Library) -> int:
    feed, lost = lib.remove_feed(args.feed)
    _out(f"removed feed {feed.id}: {feed.title}")
    if lost:
        _out(f"note: {lost} bookmarked article(s) of this feed were removed with it", sys.stderr)
    return 0


def cmd_feeds(args: argparse.Namespace, lib: Library) -> int:
    feeds = lib.feeds()
    if args.json:
        _dump(
            [
                {
                    "id": f.id,
                    "url": f.url,
                    "title": f.title,
                    "site_link": f.site_link,
                    "articles": f.article_count,
                    "unread": f.unread_count,
                    "last_fetched": _iso(f.last_fetched),
                    "error": f.last_error,
                    "warning": f.warning,
                    "gone": f.gone,
                    "next_attempt": _iso(f.retry_after),
                }
                for f in feeds
            ]
        )
        return 0
    if not feeds:
        _out(
            "no feeds yet: `newsreader add URL`, `newsreader import FILE.opml` or `newsreader demo`"
        )
        return 0
    for f in feeds:
        _out(f"{f.id:>4}  {f.unread_count:>5}/{f.article_count:<5}  {f.title}  <{f.url}>")
        if f.last_error:
            _out(f"      error: {f.last_error}")
            if f.retry_after and f.retry_after > datetime.now(UTC):
                _out(f"      not refreshed with the others before {_iso(f.retry_after)}")
        elif f.warning:
            _out(f"      warning: {f.warning}")
    return 0


def cmd_import(args: argparse.Namespace, lib: Library) -> int:
    added, skipped = lib.import_opml(args.file)
    _out(f"imported {len(added)} feed(s); {len(skipped)} already subscribed")
    if added:
        _out("run `newsreader refresh` to download their articles")
    return 0


def cmd_export(args: argparse.Namespace, lib: Library) -> int:
    text = lib.export_opml()
    if args.file:
        _write_file(args.file, text)
        _out(f"wrote {len(lib.feeds())} feed(s) to {args.file}", sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _write_file(path: str, text: str) -> None:
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise NewsreaderError(f"cannot write {path}: {exc.strerror}") from exc


def cmd_refresh(args: argparse.Namespace, lib: Library) -> int:
    if not lib.feeds():
        _out("no feeds to refresh: `newsreader add URL` or `newsreader demo`", sys.stderr)
        return 0
    with _progress("refreshing") as progress:
        report = lib.refresh(args.feeds or None, progress=progress, index=not args.no_index)
    failed = [r for r in report.results if r.status in ("error", "gone")]
    fetched = sum(1 for r in report.results if r.status != "skipped")
    _out(
        f"{fetched} feed(s) checked: {report.new} new, {report.updated} updated article(s);"
        f" {len(failed)} failed"
    )
    for r in report.results:
        if r.status in ("error", "gone"):
            _out(f"  {r.url}: {r.error}", sys.stderr)
        elif r.warning:
            _out(f"  {r.url}: warning: {r.warning}", sys.stderr)
    skipped = [r for r in report.results if r.status == "skipped"]
    if skipped:
        _out(
            f"note: {len(skipped)} feed(s) not tried this time (gone, or waiting after server"
            " errors or a Retry-After); `newsreader refresh FEED` tries one anyway",
            sys.stderr,
        )
    if args.enrich:
        _enrich(lib, None)
    return 1 if failed and len(failed) == fetched else 0


def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    query = " ".join(args.query)
    res = lib.search(
        query, limit=args.limit, offset=args.offset, sort=args.sort, facets=args.facets
    )
    if args.json:
        doc: dict[str, Any] = {
            "query": query,
            "total": res.total,
            "results": [_hit_json(h) for h in res.hits],
            "suggestion": res.suggestion,
            "warnings": res.warnings,
        }
        if args.facets:
            doc["facets"] = res.facets or {}
        _dump(doc)
        return 0
    for w in res.warnings:
        _out(f"note: {w}", sys.stderr)
    _print_results(res)
    return 0


def _print_results(res: SearchResults) -> None:
    tty = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if not res.hits:
        _out("no matches")
    if res.suggestion:
        _out(f"did you mean: {res.suggestion}")
    if tty:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for h in res.hits:
            head = Text()
            head.append(h.id[:10], style="dim")
            head.append(f"  {_day(h.published)}  ")
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
            _out(f"{h.id[:10]}  {_day(h.published)} {mark} {h.title}  — {h.feed}")
            _out(f"    {h.snippet}")
    if res.hits:
        _out(f"{len(res.hits)} shown of {res.total}", sys.stderr)


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "----------"


def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    art = lib.article(args.id)
    if args.json:
        _dump(_article_json(art))
        return 0
    _out(art.title)
    _out("=" * min(len(art.title), 78))
    meta = [art.feed_title]
    if art.author:
        meta.append(art.author)
    if art.published:
        meta.append(art.published.strftime("%Y-%m-%d %H:%M UTC"))
    _out(" · ".join(meta))
    if art.link:
        _out(art.link)
    _out()
    from newsreader.index.reading import link_list
    from newsreader.index.reading.article import article_layout

    lay = article_layout(art)
    _out(lay.text)
    if lay.links:
        _out()
        _out("Links:")
        _out(link_list(lay.links))
    return 0


def cmd_read(args: argparse.Namespace, lib: Library) -> int:
    lib.mark_read(args.id, args.command == "read")
    return 0


def cmd_bookmark(args: argparse.Namespace, lib: Library) -> int:
    if args.command == "bookmark":
        when = lib.bookmark(args.id)
        _out(f"bookmarked {lib.article(args.id).title} ({_iso(when)})")
    else:
        lib.unbookmark(args.id)
        _out("bookmark removed")
    return 0


def cmd_bookmarks(args: argparse.Namespace, lib: Library) -> int:
    from newsreader.index.library import bookmark_json

    marks = lib.bookmarks()
    if args.json:
        _dump([bookmark_json(a, when) for a, when in marks])
        return 0
    if not marks:
        _out("no bookmarks yet (press b in the app, or `newsreader bookmark ID`)")
    for art, when in marks:
        _out(f"{art.id[:10]}  {when:%Y-%m-%d}  {art.title}  — {art.feed_title}")
        if art.link:
            _out(f"    {art.link}")
    return 0


def cmd_export_bookmarks(args: argparse.Namespace, lib: Library) -> int:
    text = lib.export_bookmarks(args.format)
    if args.file:
        _write_file(args.file, text)
        _out(f"wrote {len(lib.bookmarks())} bookmark(s) to {args.file}", sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_reindex(args: argparse.Namespace, lib: Library) -> int:
    with _progress("indexing") as progress:
        count = lib.reindex(progress)
    _out(f"indexed {count} article(s)")
    return 0


def cmd_searches(args: argparse.Namespace, lib: Library) -> int:
    searches = lib.saved_searches(with_counts=True)
    if args.json:
        _dump([{"name": s.name, "query": s.query, "unread": s.unread_count} for s in searches])
        return 0
    if not searches:
        _out("no saved searches (`newsreader save-search NAME QUERY`)")
    for s in searches:
        _out(f"{s.name}  ({s.unread_count} unread)  {s.query}")
    return 0


def cmd_save_search(args: argparse.Namespace, lib: Library) -> int:
    lib.save_search(args.name, " ".join(args.query))
    _out(f"saved search {args.name!r}")
    return 0


def cmd_delete_search(args: argparse.Namespace, lib: Library) -> int:
    lib.delete_search(args.name)
    _out(f"deleted saved search {args.name!r}")
    return 0


def cmd_related(args: argparse.Namespace, lib: Library) -> int:
    hits = lib.related(args.id, limit=args.limit)
    if args.json:
        _dump({"id": args.id, "results": [_hit_json(h) for h in hits]})
        return 0
    if not hits:
        _out("no related articles")
    for h in hits:
        _out(f"{h.id[:10]}  {_day(h.published)}  {h.title}  — {h.feed}")
    return 0


def _enrich(lib: Library, limit: int | None) -> int:
    if not lib.entities_available():
        from newsreader.index.entities.extract import load_extractor

        load_extractor()  # raises ModelMissingError with the install command
    total = lib.pending_enrichment()
    if not total:
        _out("all articles already have their entities")
        return 0
    with _progress("extracting entities") as progress:
        cb = (lambda d, t: progress(d, t, "")) if progress else None
        done = lib.enrich(progress=cb, limit=limit)
    _out(f"extracted entities of {done} article(s)")
    return 0


def cmd_enrich(args: argparse.Namespace, lib: Library) -> int:
    return _enrich(lib, args.limit)


def cmd_extract(args: argparse.Namespace, lib: Library | None) -> int:
    from newsreader.index.entities.extract import extract_text

    if args.file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise NewsreaderError(f"cannot read {args.file}: {exc.strerror}") from exc
    mentions = extract_text(text)
    if args.json:
        _dump(
            [
                {
                    "text": m.text,
                    "label": m.label,
                    "start": m.start,
                    "end": m.end,
                    "canonical": m.canonical,
                }
                for m in mentions
            ]
        )
        return 0
    for m in mentions:
        extra = f"  → {m.canonical}" if m.canonical != m.text else ""
        _out(f"{m.start:>6}-{m.end:<6} {m.label:<12} {m.text}{extra}")
    return 0


def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    if args.top or not args.id:
        since = _parse_since(args.since) if args.since else None
        top = lib.top_entities(args.top or 20, since)
        if args.json:
            _dump(
                [
                    {"canonical": c, "label": lbl, "articles": a, "mentions": m}
                    for c, lbl, a, m in top
                ]
            )
            return 0
        if not top:
            _out("no entities yet: run `newsreader enrich`")
        for c, lbl, a, m in top:
            _out(f"{a:>5} articles  {m:>5} mentions  {lbl:<12} {c}")
        return 0
    groups = group_entities(lib.article_entities(args.id))
    if args.json:
        _dump({"id": args.id, "entities": groups})
        return 0
    if not groups:
        _out("no entities for this article (run `newsreader enrich`)")
    for label, items in groups.items():
        _out(f"{label}:")
        for item in items:
            _out(f"  {item['count']:>3}  {item['canonical']}")
    return 0


def group_entities(pairs: Sequence[tuple[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Entities of one article grouped by type, with mention counts and surface forms."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for _field, m in pairs:
        slot = groups.setdefault(m.label, {}).setdefault(
            m.canonical, {"canonical": m.canonical, "count": 0, "aliases": []}
        )
        slot["count"] += 1
        if m.text != m.canonical and m.text not in slot["aliases"]:
            slot["aliases"].append(m.text)
    return {
        label: sorted(items.values(), key=lambda i: (-i["count"], i["canonical"]))
        for label, items in groups.items()
    }


def _parse_since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise NewsreaderError(f"--since {text!r}: use a date like 2024-09-01") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def cmd_demo(args: argparse.Namespace, lib: Library) -> int:
    added = lib.seed_demo_feeds(force=True)
    _out(f"subscribed to {len(added)} demo feed(s)")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "import": cmd_import,
    "export": cmd_export,
    "refresh": cmd_refresh,
    "search": cmd_search,
    "show": cmd_show,
    "read": cmd_read,
    "unread": cmd_read,
    "bookmark": cmd_bookmark,
    "unbookmark": cmd_bookmark,
    "bookmarks": cmd_bookmarks,
    "export-bookmarks": cmd_export_bookmarks,
    "reindex": cmd_reindex,
    "searches": cmd_searches,
    "save-search": cmd_save_search,
    "delete-search": cmd_delete_search,
    "related": cmd_related,
    "enrich": cmd_enrich,
    "extract": cmd_extract,
    "entities": cmd_entities,
    "demo": cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    try:
        if args.command is None:
            from newsreader.tui.app import run_app

            return run_app(data_dir)
        if args.command == "extract":
            return cmd_extract(args, None)
        from newsreader.index.library import Library

        with Library.open(data_dir) as lib:
            try:
                return run_command(args, lib)
            finally:
                for notice in lib.notices:
                    _out(f"newsreader: {notice}", sys.stderr)
    except NewsreaderError as exc:
        _out(f"newsreader: error: {exc}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        _out(f"newsreader: error: {reason}{where}", sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        _out(
            f"newsreader: internal error: {type(exc).__name__}: {exc}"
            " (set NEWSREADER_DEBUG=1 for details)",
            sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
