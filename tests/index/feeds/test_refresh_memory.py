"""What a big refresh holds in memory between downloading and storing."""

from __future__ import annotations

from typing import Any

import pytest
from feedmaker import Item, rss
from newsreader.index.feeds import refresh as refresh_module
from newsreader.index.library import Library
from pytest_httpserver import HTTPServer


def test_a_big_refresh_hands_story_sketches_to_grouping_as_it_goes(
    lib: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh_module, "_SKETCH_BATCH", 10)
    handed: list[int] = []
    real = Library._try_group_stories

    def counting(self: Library, sketches: Any = None) -> int:
        handed.append(len(sketches or {}))
        return real(self, sketches)

    monkeypatch.setattr(Library, "_try_group_stories", counting)
    for n in range(9):
        items = [
            Item(
                guid=f"f{n}-{i}",
                title=f"Harbour story {n}-{i}",
                body=" ".join(f"word{n}x{i}x{j}" for j in range(60)),
            )
            for i in range(6)
        ]
        path = f"/f{n}.xml"
        httpserver.expect_request(path).respond_with_data(
            rss(f"F{n}", items), content_type="text/xml"
        )
        lib.add_feed(httpserver.url_for(path), fetch=False)
    report = lib.refresh(index=False)
    assert report.new == 54
    # every new article's sketch handed over once, never more than a batch and a feed at once
    assert sum(handed) == 54
    assert len(handed) >= 4 and max(handed) < 10 + 6
    assert lib.store.story_queue_size() == 0  # and every article grouped
