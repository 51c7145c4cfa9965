"""An article's language: the feed's declaration, checked against the text."""

from __future__ import annotations

import json

from newsreader.index.feeds.parse import parse_feed
from newsreader.index.language import article_language, detect, normalise
from newsreader.index.store import Store

GERMAN = (
    "Die Bahn will im kommenden Jahr sparen und streicht deshalb zahlreiche Verbindungen im "
    "Fernverkehr, sagte ein Sprecher des Unternehmens am Dienstag in Berlin."
)
RUSSIAN = (
    "Правительство объявило о новых мерах поддержки для семей с детьми, сообщили в "
    "министерстве во вторник вечером."
)
URDU = "پاکستان میں عام انتخابات کے نتائج کا اعلان کر دیا گیا ہے اور نئی حکومت بنے گی۔"
ENGLISH = "The harbour authority said on Tuesday that the new ferry terminal would open in May."


def test_declared_codes_are_cut_to_two_letters() -> None:
    assert normalise("en-US") == "en"
    assert normalise("de_DE") == "de"
    assert normalise(" RU ") == "ru"
    assert normalise("ger") == "de" and normalise("fas") == "fa"
    assert normalise("") is None and normalise("x-klingon") is None and normalise(None) is None
    assert normalise("12") is None


def test_detects_the_language_of_real_sentences() -> None:
    assert detect(GERMAN)[0] == "de"
    assert detect(RUSSIAN)[0] == "ru"
    assert detect(URDU)[0] == "ur"
    assert detect(ENGLISH)[0] == "en"
    assert detect("Hi") == (None, 0.0)  # too little text to say


def test_the_text_overrules_a_wrong_declaration_but_not_a_short_one() -> None:
    assert article_language("en-us", "Bahn streicht Verbindungen", GERMAN) == "de"
    assert article_language("de", "Bahn", GERMAN) == "de"
    assert article_language(None, "", RUSSIAN) == "ru"
    # too little text: the declaration stands, and without one nothing is guessed
    assert article_language("sk", "Voľby", "") == "sk"
    assert article_language(None, "The Who", "") is None


def test_rss_atom_and_json_feed_declarations_reach_the_entries() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<link>https://example.org/</link><language>de-DE</language>"
        b"<item><guid>1</guid><title>Kurz</title><description>Bahn</description></item>"
        b"</channel></rss>"
    )
    assert [e.language for e in parse_feed(rss, "https://example.org/f").entries] == ["de"]

    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">'
        "<title>T</title><id>urn:x</id>"
        "<entry><id>urn:1</id><title>Новости</title><summary>Кратко</summary></entry>"
        '<entry xml:lang="ur"><id>urn:2</id><title>خبریں</title><summary>خبر</summary></entry>'
        f"<entry><id>urn:3</id><title>Ferry</title><summary>{ENGLISH}</summary></entry>"
        "</feed>"
    ).encode()
    langs = [e.language for e in parse_feed(atom, "https://example.org/a").entries]
    assert langs == ["ru", "ur", "en"]  # the third one's text is plainly English

    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "language": "fa-IR",
        "items": [
            {"id": "1", "title": "خبر", "content_text": "کوتاه"},
            {"id": "2", "title": "x", "content_text": GERMAN, "language": "de"},
        ],
    }
    entries = parse_feed(json.dumps(doc).encode(), "https://example.org/j.json").entries
    assert [e.language for e in entries] == ["fa", "de"]


def test_the_store_keeps_the_language_and_fills_in_old_rows() -> None:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<link>https://example.org/</link>"
        f"<item><guid>1</guid><title>Bahn</title><description>{GERMAN}</description></item>"
        f"<item><guid>2</guid><title>Ferry</title><description>{ENGLISH}</description></item>"
        "</channel></rss>"
    ).encode()
    store = Store.memory()
    feed = store.add_feed("https://example.org/f")
    store.store_entries(feed.id, parse_feed(rss, "https://example.org/f").entries)
    ids = sorted(r.id for r in store.list_articles())
    assert sorted(store.article(i).language or "" for i in ids) == ["de", "en"]
    # a row stored before languages existed: detected (and kept) when it is next indexed
    store.conn.execute("UPDATE articles SET language = NULL")
    docs = {d.id: d.language for d in store.index_docs(ids)}
    assert sorted(v or "" for v in docs.values()) == ["de", "en"]
    assert sorted(store.article(i).language or "" for i in ids) == ["de", "en"]


def test_the_mapped_model_scores_from_a_plain_array_over_the_mapping() -> None:
    import numpy as np
    from newsreader.index import language

    model = language._mapped_model()
    assert model is not None
    table = model.nb_ptc
    assert type(table) is np.ndarray  # not np.memmap, whose indexing runs in Python
    assert not table.flags.owndata  # the mapping's pages, not a copy in this process
    assert language.detect(ENGLISH)[0] == "en"


def test_letters_after_a_sample_s_first_characters_still_count() -> None:
    from newsreader.index.language import _sample

    figures = "12 34 56 78 90 " * 5  # 75 characters without a letter
    assert _sample(figures + "abcde " * 8) is not None  # 40 letters, all late
    assert _sample(figures + "abcde " * 7 + "abcd") is None  # 39 letters
    assert _sample("word " * 20) == " ".join(["word"] * 20)  # letters early: same sample


def test_the_windowed_walk_counts_what_py3langid_s_walk_counts() -> None:
    """The automaton's states found from each byte's last six bytes (all positions at once)
    are py3langid's one-byte-at-a-time walk's: same features, counts and order."""
    import random
    from collections import Counter
    from pathlib import Path

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from newsreader.index import language
    from py3langid.langid import LanguageIdentifier, visit_counts

    model = language._model()
    assert model._steps is not None  # the mapped model walks by windows
    fixtures = Path(__file__).parents[1] / "fixtures"
    texts = [GERMAN, RUSSIAN, URDU, ENGLISH, "", "a", "ab cd", "x" * 7]
    texts += [p.read_text(errors="replace")[:3000] for p in sorted(fixtures.rglob("*.html"))]
    rng = random.Random(14)
    texts += [
        "".join(rng.choice("aé ßд語\u0600.,") for _ in range(rng.randrange(80))) for _ in range(50)
    ]

    def same(text: str) -> None:
        data = model._encode(text)
        theirs = visit_counts(model.tk_nextmove, model._rowbase, model.tk_output, data)
        ours = language.window_visits(model._steps, data)
        assert list(ours.items()) == list((theirs or Counter()).items())
        assert (model._raw_score(data) == LanguageIdentifier._raw_score(model, data)).all()

    for text in texts:
        same(text)
    given(st.text(max_size=700))(settings(max_examples=200, deadline=None)(same))()
