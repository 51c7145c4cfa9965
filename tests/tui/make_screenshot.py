"""Write docs/screenshot.svg: the app at 160×48 on the snapshot library, after searching
``okafor`` and opening the first hit (entities and the search term highlighted); and
docs/reading.svg: the structured fixture post read full screen (v) at 100×40.

Run ``.venv/bin/python tests/tui/make_screenshot.py`` after a change to how the app looks.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "docs" / "screenshot.svg"
READING_OUT = HERE.parent.parent / "docs" / "reading.svg"
FIXTURE = HERE.parent / "fixtures" / "reading" / "structured.rss"
SETTLE_SECONDS = 0.4


async def shoot(data_dir: Path, out: Path) -> None:
    sys.path.insert(0, str(HERE))
    import snapshot_store
    from newsreader.index.library import Library
    from newsreader.tui.app import NewsreaderApp

    lib = Library.open(data_dir)
    try:
        snapshot_store.build(lib)
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(160, 48)) as pilot:
            for keys in (["slash"], list("okafor"), ["enter"]):
                await pilot.press(*keys)
                await pilot.pause(SETTLE_SECONDS)
                await app.workers.wait_for_complete()
            await pilot.pause(SETTLE_SECONDS)
            out.parent.mkdir(parents=True, exist_ok=True)
            app.save_screenshot(filename=out.name, path=str(out.parent))
    finally:
        lib.close()


async def shoot_reading(data_dir: Path, out: Path) -> None:
    from newsreader.index.feeds.parse import parse_feed
    from newsreader.index.library import Library
    from newsreader.tui.app import NewsreaderApp

    lib = Library.open(data_dir)
    try:
        feed = lib.store.add_feed("https://workbench.example/feed.xml", "Workbench Notes")
        lib.store.store_entries(feed.id, parse_feed(FIXTURE.read_bytes(), feed.url).entries)
        lib.store.set_meta("demo_seeded", "screenshot")
        lib.sync_index()
        app = NewsreaderApp(lib, restore=False)
        async with app.run_test(size=(100, 40)) as pilot:
            for keys in (["j", "j", "enter"], ["v"]):
                await pilot.press(*keys)
                await pilot.pause(SETTLE_SECONDS)
                await app.workers.wait_for_complete()
            await pilot.pause(SETTLE_SECONDS)
            app.save_screenshot(filename=out.name, path=str(out.parent))
    finally:
        lib.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(shoot(Path(tmp) / "main", OUT))
        asyncio.run(shoot_reading(Path(tmp) / "reading", READING_OUT))
    print(f"wrote {OUT} and {READING_OUT}")


if __name__ == "__main__":
    main()
