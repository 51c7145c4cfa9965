"""Search as you type: '/', results with highlights, Esc back, sort toggle, did-you-mean."""

from __future__ import annotations

from app_store import FEEDS, PER_FEED, build, run
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.article_text import ArticleBody
from newsreader.tui.render import TERM_STYLE
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.reading_pane import ReadingPane
from newsreader.tui.widgets.search_bar import SearchBar
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

TOTAL = PER_FEED * len(FEEDS)


async def settle(app: NewsreaderApp, pilot: Pilot[None]) -> None:
    """Let the debounce timer fire and the search worker finish."""
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


def status(app: NewsreaderApp) -> str:
    return str(app.query_one("#list-status", Static).render())


def test_typing_a_query_lists_the_hits_with_highlighted_titles(lib: Library) -> None:
    build(lib)
    expected = lib.search("harbour", limit=200)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash")
            assert isinstance(app.focused, SearchBar)
            await pilot.press(*"harbour")
            await settle(app, pilot)
            articles = app.query_one(ArticleList)
            assert articles.row_count == expected.total == PER_FEED
            first = articles.current
            assert first is not None and first.id == expected.hits[0].id
            assert first.title_highlights == ((0, len("harbour")),)
            line = articles.row_text(first, 100)
            highlighted = [
                line.plain[s.start : s.end] for s in line.spans if "reverse" in str(s.style)
            ]
            assert "Harbour" in highlighted
            assert f"{PER_FEED} results" in status(app)
            # focus stays in the search bar while typing
            assert isinstance(app.focused, SearchBar)

    run(drive)


def test_results_follow_each_keystroke(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"river")
            await settle(app, pilot)
            rivers = app.query_one(ArticleList).row_count
            await pilot.press("space", *"valley")
            await settle(app, pilot)
            both = app.query_one(ArticleList).row_count
            assert rivers == lib.search("river").total
            assert both == lib.search("river valley").total
            assert 0 < both < rivers

    run(drive)


def test_enter_goes_to_the_results_and_the_article_shows_the_terms(lib: Library) -> None:
    build(lib)
    expected = lib.search("museum")

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            # Enter straight after typing: the search runs at once, the first hit opens
            await pilot.press("slash", *"museum", "enter")
            await pilot.pause()
            articles = app.query_one(ArticleList)
            assert app.focused is articles
            assert articles.row_count == expected.total > 0
            assert app.open_id == expected.hits[0].id
            content = app.query_one(ReadingPane).query_one("#reader-body", Static).content
            assert isinstance(content, ArticleBody)
            body = content.body
            marked = [body.plain[s.start : s.end] for s in body.spans if str(s.style) == TERM_STYLE]
            assert marked and all(m.lower() == "museum" for m in marked)
            # each result's second line is its snippet, the matched word highlighted
            assert articles.row_height == 2
            row = articles.current
            assert row is not None
            second = articles.snippet_text(row, 60)
            lit = [second.plain[s.start : s.end] for s in second.spans if "reverse" in str(s.style)]
            # (a match at the right edge may be cut short: "m…")
            assert lit and all(w.lower() == "museum" for w in lit[:1])
            assert all("museum".startswith(w.lower().rstrip("…")) for w in lit)

    run(drive)


def test_escape_clears_the_search_and_returns_to_the_view(lib: Library) -> None:
    ids = build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            feed = app.sidebar.source_for(f"feed:{ids[0]}")
            assert feed is not None
            app.show_source(feed)
            assert app.query_one(ArticleList).row_count == PER_FEED
            await pilot.press("slash", *"bridge")
            await settle(app, pilot)
            assert app.source.kind == "search"
            await pilot.press("escape")
            await pilot.pause()
            assert app.query_one(SearchBar).value == ""
            assert app.source == feed
            assert app.query_one(ArticleList).row_count == PER_FEED
            assert app.focused is app.query_one(ArticleList)

    run(drive)


def test_s_toggles_between_relevance_and_date(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"port OR river", "enter")
            assert app.sort == "relevance"
            assert "by relevance" in status(app)
            await pilot.press("s")
            await settle(app, pilot)
            assert app.sort == "date"
            assert "by date" in status(app)
            articles = app.query_one(ArticleList)
            dates = [articles.rows.get(i).published for i in range(articles.row_count)]  # type: ignore[union-attr]
            assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
            await pilot.press("s")
            await settle(app, pilot)
            assert app.sort == "relevance"

    run(drive)


def test_did_you_mean_and_warnings_are_shown_inline(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("slash", *"musem")
            await settle(app, pilot)
            # nothing matches the typo: the correction's results, and the line says so
            assert not status(app).startswith("0 results")
            assert "showing results for museum; search for musem instead" in status(app)
            assert app.query_one(ArticleList).row_count == lib.search("museum").total > 0
            await pilot.press("ctrl+u", *"foo:bar river")
            await settle(app, pilot)
            assert "unknown field foo" in status(app)
            assert app.query_one(ArticleList).row_count == lib.search("foo:bar river").total

    run(drive)


def test_keys_typed_in_one_burst_after_slash_reach_the_search_box(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # all queued before any is handled, as a paste or a fast typist over SSH
            for key, char in (("slash", "/"), ("z", "z"), ("e", "e"), ("p", "p")):
                app.post_message(events.Key(key, char))
            await pilot.pause()
            assert app.query_one(SearchBar).value == "zep"
            # "/" inside the search box is typed, not a jump to it
            await pilot.press("slash")
            assert app.query_one(SearchBar).value == "zep/"

    run(drive)


def test_keys_typed_in_one_burst_after_enter_act_on_the_results(lib: Library) -> None:
    """'/ query Enter b' pasted at once: the query runs, the first hit opens, 'b' bookmarks
    it (it is not typed into the search box)."""
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            burst = [("slash", "/"), *((c, c) for c in "harbour"), ("enter", "\r"), ("b", "b")]
            for key, char in burst:
                app.post_message(events.Key(key, char))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.query_one(SearchBar).value == "harbour"
            assert isinstance(app.focused, ArticleList)
            first = app.query_one(ArticleList).rows.get(0)
            assert first is not None and "harbour" in first.title.lower()
            assert app.open_id == first.id  # the first hit opened ...
            assert lib.article(first.id).bookmarked  # ... and "b" bookmarked it
            assert lib.count_articles("bookmarks") == 1

    run(drive)


def test_enter_in_a_prompt_is_not_taken_by_the_search(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"river")
            answers: list[str | None] = []
            app.ask("A question", answers.append)
            await pilot.pause()
            await pilot.press(*"yes", "enter")
            await pilot.pause()
            assert answers == ["yes"]
            assert app.query_one(SearchBar).value == "river"

    run(drive)


def test_keys_typed_in_one_burst_after_escape_go_to_the_list(lib: Library) -> None:
    build(lib)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = app.query_one(ArticleList).cursor
            burst = [("slash", "/"), *((c, c) for c in "river"), ("escape", None), ("j", "j")]
            for key, char in burst:
                app.post_message(events.Key(key, char))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.query_one(SearchBar).value == ""
            assert app.source.kind == "view"
            assert isinstance(app.focused, ArticleList)
            assert app.query_one(ArticleList).cursor == start + 1

    run(drive)


def test_a_snippet_cut_to_show_its_match_starts_on_a_whole_word() -> None:
    from newsreader.tui.sources import ListRow

    text = "The annual swim, which began in 2009, was cancelled because the Danube is low"
    at = text.index("Danube")
    row = ListRow(
        id="x",
        feed_id=1,
        feed="F",
        title="t",
        published=None,
        read=False,
        bookmarked=False,
        snippet=text,
        snippet_highlights=((at, at + 6),),
    )

    async def drive() -> None:
        app = App[None]()
        async with app.run_test(size=(80, 10)):
            articles = ArticleList()
            await app.mount(articles)
            line = articles.snippet_text(row, 44).plain.strip()
            assert "Danube" in line
            assert line.startswith("…")
            first_word = line[1:].split()[0]
            assert f" {first_word} " in f" {text} "  # a whole word, not a word's tail

    run(drive)


def test_escape_on_the_results_list_goes_back_and_the_footer_offers_it_only_there(
    lib: Library,
) -> None:
    ids = build(lib)

    def footer_keys(app: NewsreaderApp) -> set[str]:
        return {b.action for _, b, enabled, _ in app.active_bindings.values() if enabled}

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            feed = app.sidebar.source_for(f"feed:{ids[1]}")
            assert feed is not None
            app.show_source(feed)
            await pilot.pause()
            assert "leave_search" not in footer_keys(app)
            await pilot.press("escape")  # nothing to leave: the list stays
            await pilot.pause()
            assert app.source == feed
            await pilot.press("slash", *"bridge", "enter")
            await pilot.pause()
            assert app.source.kind == "search"
            assert isinstance(app.focused, ArticleList)
            assert "leave_search" in footer_keys(app)
            await pilot.press("escape")
            await pilot.pause()
            assert app.source == feed
            assert app.query_one(SearchBar).value == ""
            assert app.query_one(ArticleList).row_count == PER_FEED
            assert isinstance(app.focused, ArticleList)
            assert "leave_search" not in footer_keys(app)

    run(drive)
