"""Languages at refresh: a sample of each feed is checked against what it declares, every
entry when the sample disagrees, and only the storing process runs the detector."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from newsreader.index import language
from newsreader.index.feeds.parse import parse_feed, with_languages
from newsreader.index.feeds.refresh import parse_job
from newsreader.index.library import Library
from newsreader.index.models import ParsedFeed
from pytest_httpserver import HTTPServer

ENGLISH = [
    "The harbour authority said on Tuesday that the new ferry terminal would open in May.",
    "Farmers in the valley expect a smaller harvest after the driest summer in forty years.",
    "The city council voted to extend the tram line to the airport by the end of next year.",
    "Doctors at the regional hospital warned that waiting lists had grown again this winter.",
]
GERMAN = (
    "Die Bahn will im kommenden Jahr sparen und streicht deshalb zahlreiche Verbindungen im "
    "Fernverkehr, sagte ein Sprecher des Unternehmens am Dienstag in Berlin."
)


def feed(texts: list[str], declared: str | None) -> bytes:
    lang = f"<language>{declared}</language>" if declared else ""
    items = "".join(
        f"<item><guid>g{i}</guid><title>Item {i}</title><description>{t}</description></item>"
        for i, t in enumerate(texts)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://example.org/</link>{lang}{items}</channel></rss>"
    ).encode()


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the detector was asked about."""
    asked: list[str] = []
    real: Callable[[str], tuple[str | None, float]] = language.detect

    def counting(text: str) -> tuple[str | None, float]:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(language, "detect", counting)
    return asked


def test_a_feed_in_the_language_it_declares_is_checked_on_a_sample(
    detections: list[str],
) -> None:
    texts = [ENGLISH[i % 4] for i in range(50)]
    entries = parse_feed(feed(texts, "en-GB"), "https://example.org/f").entries
    assert [e.language for e in entries] == ["en"] * 50
    assert len(detections) == 4 + 50 // 12


def test_a_sampled_entry_against_the_declaration_has_every_entry_checked(
    detections: list[str],
) -> None:
    texts = [GERMAN] + [ENGLISH[i % 4] for i in range(29)]
    entries = parse_feed(feed(texts, "en"), "https://example.org/f").entries
    assert entries[0].language == "de"
    assert {e.language for e in entries[1:]} == {"en"}
    assert len(detections) > 30 // 2  # the sample, then all the others


def test_a_feed_that_declares_nothing_takes_the_language_its_sample_agrees_on(
    detections: list[str],
) -> None:
    texts = [ENGLISH[i % 4] for i in range(40)] + ["Short one"]
    entries = parse_feed(feed(texts, None), "https://example.org/f").entries
    assert [e.language for e in entries[:40]] == ["en"] * 40
    assert entries[40].language is None  # too little text, nothing declared: unknown
    assert len(detections) < 40


def test_a_mixed_feed_that_declares_nothing_is_checked_entry_by_entry() -> None:
    texts = [ENGLISH[0], GERMAN, ENGLISH[1], GERMAN, ENGLISH[2]] * 4
    entries = parse_feed(feed(texts, None), "https://example.org/f").entries
    assert [e.language for e in entries] == ["en", "de", "en", "de", "en"] * 4


def test_a_parse_worker_leaves_the_check_to_the_storing_process() -> None:
    body = feed([GERMAN] * 3, "en")
    outcome = parse_job(body, "https://example.org/f", None, False)
    assert isinstance(outcome, ParsedFeed)
    assert [e.language for e in outcome.entries] == ["en"] * 3  # declared, not yet checked
    assert [e.language for e in with_languages(outcome).entries] == ["de"] * 3


def test_a_refresh_on_parse_workers_stores_checked_languages(
    lib: Library, httpserver: HTTPServer
) -> None:
    # eight feeds or more are parsed on worker processes
    for n in range(9):
        texts = [GERMAN if n == 4 else ENGLISH[i % 4] for i in range(6)]
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(
            feed(texts, "en"), content_type="application/rss+xml"
        )
        lib.add_feed(httpserver.url_for(f"/f{n}.xml"), fetch=False)
    report = lib.refresh(index=False)
    assert report.new == 54
    by_feed = {
        f.url.rsplit("/", 1)[1]: {
            lib.store.article(a.id).language for a in lib.store.list_articles(feed_id=f.id)
        }
        for f in lib.store.feeds()
    }
    assert by_feed.pop("f4.xml") == {"de"}
    assert all(langs == {"en"} for langs in by_feed.values())
