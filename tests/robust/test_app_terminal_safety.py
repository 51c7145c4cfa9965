"""The app shows hostile feed text (ingested through the real fetch/parse/store path) as
inert literal text: what is on the screen contains the markup as written and no control
character, and clicking on a would-be ``[@click=app.quit]`` does nothing."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from hostile_text import FORBIDDEN, MARKUP, json_feed, rss_feed
from newsreader.index.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.reading_pane import ReadingPane

WORD = "zebrafinch"
_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="([0-9.]+)"'
    r' clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def screen_grid(svg: str, width: int, height: int) -> list[list[str]]:
    """The characters on screen, cell by cell, read back from the app's SVG screenshot."""
    grid = [[" "] * width for _ in range(height)]
    for x, length, line, raw in _TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not text:
            continue
        cell = float(length) / len(text)
        col = round(float(x) / cell)
        row = int(line)
        for i, ch in enumerate(text):
            if row < height and col + i < width:
                grid[row][col + i] = ch
    return grid


def region_text(grid: list[list[str]], x: int, y: int, w: int, h: int) -> str:
    return "\n".join("".join(grid[r][x : x + w]).rstrip() for r in range(y, min(y + h, len(grid))))


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_hostile_article_is_shown_literally(lib: Library, tmp_path: Path) -> None:
    lib.store.set_meta("demo_seeded", "tests")  # no demo feeds on first start
    for name, data in (("hostile.json", json_feed(WORD)), ("hostile.rss", rss_feed(WORD))):
        path = tmp_path / name
        path.write_bytes(data)
        lib.add_feed(str(path))
    assert lib.count_articles() == 2
    size = (220, 60)

    async def drive() -> None:
        app = NewsreaderApp(lib, restore=False, auto_enrich=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            opened = []
            for _ in range(2):
                await pilot.press("enter")
                await pilot.pause()
                pane = app.query_one(ReadingPane)
                assert pane.article_id is not None
                article = lib.article(pane.article_id)
                opened.append(article.id)
                grid = screen_grid(app.export_screenshot(), *size)
                region = pane.content_region
                shown = region_text(grid, region.x, region.y, region.width, region.height)
                everything = "\n".join("".join(row) for row in grid)
                bad = FORBIDDEN.search(everything)
                assert bad is None, f"control character {bad.group()!r} on screen"
                # title and body both carry the markup; it is on screen as written
                assert squeeze(shown).count(squeeze(MARKUP)) >= 2, shown
                assert WORD in shown and "\x1b" not in article.title
                # click where the screen says [@click=app.quit]: nothing happens
                for r, row in enumerate(grid):
                    line = "".join(row)
                    at = line.find("[@click=app.quit]", region.x, region.x + region.width)
                    if at >= 0 and region.y <= r < region.y + region.height:
                        await pilot.click(offset=(at + 3, r))
                        await pilot.pause()
                        break
                else:
                    raise AssertionError("the literal [@click=...] text is not on screen")
                assert app.is_running
                await pilot.press("escape")
                app.set_focus(app.main.article_list)
                await pilot.press("down")
                await pilot.pause()
            assert app.is_running
            assert len(set(opened)) == 2  # both hostile articles were opened

    asyncio.run(drive())
