"""tui.render: entity and search-term spans on clean text, and untrusted text kept inert."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from newsreader.index.models import Article, Mention, SearchHit
from newsreader.tui import render
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

HOSTILE = "[bold red]x[/] [@click=app.quit]y[/]"


def _mention(text: str, whole: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = whole.index(text, start + 1)
    return Mention(text=text, label=label, start=start, end=start + len(text), canonical=text)


def _styles_of(rendered: Text, word: str) -> set[str]:
    """The styles of spans covering the first occurrence of ``word`` in ``rendered``."""
    start = rendered.plain.index(word)
    end = start + len(word)
    return {str(s.style) for s in rendered.spans if s.start <= start and s.end >= end}


def test_entities_are_styled_by_type_at_their_offsets() -> None:
    text = "Bashar al-Assad met Reuters in Damascus.\n\nThe Kurds left on Monday."
    mentions = [
        _mention("Bashar al-Assad", text, "Person"),
        _mention("Reuters", text, "Organization"),
        _mention("Damascus", text, "Place"),
        _mention("Kurds", text, "Group"),
        _mention("Monday", text, "Date"),
    ]
    body = render.article_body(text, mentions, ())
    assert body.plain == text  # paragraph breaks kept
    for m in mentions:
        assert _styles_of(body, m.text) == {render.ENTITY_STYLES[m.label]}
    assert _styles_of(body, "met") == set()


def test_stale_or_overlapping_mentions_are_skipped() -> None:
    text = "Reuters reported from Mosul."
    stale = Mention(text="Mosul", label="Place", start=0, end=5, canonical="Mosul")
    outside = Mention(text="x", label="Place", start=50, end=51, canonical="x")
    inner = Mention(text="Mos", label="Person", start=22, end=25, canonical="Mos")
    good = _mention("Mosul", text, "Place")
    body = render.article_body(text, [stale, outside, good, inner], ())
    assert [(s.start, s.end) for s in body.spans] == [(22, 27)]


def test_search_terms_match_like_the_index_stems_and_accents() -> None:
    text = "Mosul's elections: the café voted. Elected officials met at the Cafe."
    body = render.article_body(text, [], ["mosul", "elect", "cafe"])
    marked = [body.plain[s.start : s.end] for s in body.spans if s.style == render.TERM_STYLE]
    assert marked == ["Mosul", "elections", "café", "Elected", "Cafe"]
    # words as typed work too: their index form is added
    typed = render.article_body(text, [], ["Elections"])
    marked = [typed.plain[s.start : s.end] for s in typed.spans]
    assert marked == ["elections", "Elected"]


def test_terms_and_entities_combine() -> None:
    text = "Officials in Mosul said Mosul was calm."
    body = render.article_body(text, [_mention("Mosul", text, "Place", 1)], ["mosul"])
    first, second = (i for i in range(len(text)) if text.startswith("Mosul", i))
    at_first = {str(s.style) for s in body.spans if s.start == first}
    at_second = {str(s.style) for s in body.spans if s.start == second}
    assert at_first == {render.TERM_STYLE}
    assert at_second == {render.TERM_STYLE, render.ENTITY_STYLES["Place"]}


def test_escapes_are_stripped_and_offsets_still_land_on_their_words() -> None:
    raw = "\x1b[31mAlert\x1b[0m: \x1b]8;;http://evil\x07Ankara\x1b]8;;\x07 talks\x07 \u202eend"
    mention = _mention("Ankara", raw, "Place")
    body = render.article_body(raw, [mention], ["talks"])
    assert body.plain == "Alert: Ankara talks end"
    assert _styles_of(body, "Ankara") == {render.ENTITY_STYLES["Place"]}
    assert _styles_of(body, "talks") == {render.TERM_STYLE}


def test_markup_in_feed_text_is_literal() -> None:
    title = render.article_title(HOSTILE)
    body = render.article_body(f"{HOSTILE}\n\nmore", [], ())
    assert title.plain == HOSTILE
    assert body.plain.startswith(HOSTILE)
    assert title.spans == [] and body.spans == []


def test_hostile_title_renders_literally_in_a_widget_and_click_does_nothing() -> None:
    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(render.article_title(HOSTILE + " \x1b[2J\x1b]0;pwned\x07"), id="t")

    async def drive() -> str:
        app = Host()
        async with app.run_test(size=(80, 5)) as pilot:
            await pilot.click("#t", offset=(20, 0))
            await pilot.pause()
            assert app.is_running
            return app.export_screenshot()

    svg = asyncio.run(drive())
    assert "[bold&#160;red]x[/]&#160;[@click=app.quit]y[/]" in svg
    assert "pwned" not in svg


def test_titles_are_one_line_and_hits_keep_their_highlights() -> None:
    assert render.article_title("Two\nlines\tand tab").plain == "Two lines and tab"
    hit = SearchHit(
        id="a1",
        title="Port strike in [Rotterdam]",
        feed="World",
        feed_id=1,
        link=None,
        published=None,
        score=1.0,
        snippet="…the port\nworkers struck…",
        highlights=[(5, 9)],
        title_highlights=[(0, 4)],
    )
    title = render.hit_title(hit)
    assert title.plain == "Port strike in [Rotterdam]"
    assert [(s.start, s.end, s.style) for s in title.spans] == [(0, 4, render.TERM_STYLE)]
    snip = render.snippet(hit)
    assert snip.plain == "…the port workers struck…"
    assert snip.plain[5:9] == "port" and snip.spans[0].start == 5


def test_legend_names_each_type_in_its_style() -> None:
    everything = render.legend()
    assert everything.plain.split() == [
        "Person",
        "Organization",
        "Place",
        "Group",
        "Date",
        "Event",
        "Work",
        "Law",
    ]
    assert _styles_of(everything, "Place") == {render.ENTITY_STYLES["Place"]}
    assert render.legend(["Place", "Person"]).plain.split() == ["Person", "Place"]


def test_article_meta_line() -> None:
    article = Article(
        id="a1",
        feed_id=1,
        feed_title="World [news]",
        guid=None,
        link="https://example.org/a",
        title="T",
        author="Ada \x1b[1mLovelace",
        published=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        updated=None,
        summary_html="",
        content_html="",
        text="",
    )
    assert render.article_meta(article).plain == "World [news] · Ada Lovelace · 2026-11-02 09:30"


def test_link_line_warns_about_links_that_will_not_open() -> None:
    assert render.link_line("https://example.org/a").plain == "https://example.org/a"
    bad = render.link_line("javascript:alert(1)")
    assert bad.plain.startswith("javascript:alert(1)") and "will not open" in bad.plain
    assert render.link_line(None).plain == ""


def test_tabs_become_spaces_and_offsets_hold() -> None:
    text = "Name:\tAnkara\ttalks"
    body = render.article_body(text, [_mention("Ankara", text, "Place")], ())
    assert body.plain == "Name: Ankara talks"
    assert _styles_of(body, "Ankara") == {render.ENTITY_STYLES["Place"]}
