"""Background enrichment: batches, progress, resuming after a crash, version bumps."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from newsreader.index.entities import enrich
from newsreader.index.entities.enrich import enrich_pending
from newsreader.index.entities.extract import ENTITY_VERSION
from newsreader.index.models import Mention, ParsedEntry
from newsreader.index.store import Store


class WordExtractor:
    """A stand-in model: every capitalised word of the text is a Place; counts its calls."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.fail_after = fail_after
        self.batches = 0
        self.seen: list[str] = []

    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise RuntimeError("killed")
        self.batches += 1
        out: list[tuple[list[Mention], list[Mention]]] = []
        for title, text in docs:
            self.seen.append(title)
            mentions: list[Mention] = []
            pos = 0
            for word in text.split(" "):
                if word[:1].isupper():
                    mentions.append(Mention(word, "Place", pos, pos + len(word), word))
                pos += len(word) + 1
            out.append(([], mentions))
        return out


def make_store(n: int) -> Store:
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    entries = [
        ParsedEntry(
            key=f"k{i}",
            guid=f"g{i}",
            link=None,
            title=f"Story {i}",
            author=None,
            published=None,
            updated=None,
            summary_html="",
            content_html="",
            text=f"news from Town{i} and Village{i}",
        )
        for i in range(n)
    ]
    store.store_entries(feed.id, entries)
    return store


def entity_rows(store: Store) -> list[tuple[str, str]]:
    ids = [r[0] for r in store._read("SELECT id FROM articles")]
    return sorted((aid, m.text) for aid in ids for _, m in store.article_entities(aid))


def test_enrich_saves_every_article_once_with_progress() -> None:
    store = make_store(10)
    calls: list[tuple[int, int]] = []
    done = enrich_pending(
        store, WordExtractor(), batch_size=4, progress=lambda d, t: calls.append((d, t))
    )
    assert done == 10
    assert calls == [(0, 10), (4, 10), (8, 10), (10, 10)]
    assert store.count_needing_entities(ENTITY_VERSION) == 0
    assert len(entity_rows(store)) == 20
    # Nothing left: a second run does nothing.
    again = WordExtractor()
    assert enrich_pending(store, again) == 0
    assert again.batches == 0


def test_a_crash_loses_at_most_the_batch_in_flight_and_a_rerun_finishes() -> None:
    store = make_store(10)
    crashing = WordExtractor(fail_after=2)
    with pytest.raises(RuntimeError):
        enrich_pending(store, crashing, batch_size=3)
    assert store.count_needing_entities(ENTITY_VERSION) == 10 - 6
    rerun = WordExtractor()
    assert enrich_pending(store, rerun, batch_size=3) == 4
    # The rerun only saw the articles the crashed run had not saved.
    assert not set(rerun.seen) & set(crashing.seen)
    rows = entity_rows(store)
    assert len(rows) == len(set(rows)) == 20
    assert store.count_needing_entities(ENTITY_VERSION) == 0


def test_limit_caps_one_call() -> None:
    store = make_store(5)
    assert enrich_pending(store, WordExtractor(), batch_size=2, limit=3) == 3
    assert store.count_needing_entities(ENTITY_VERSION) == 2


def test_a_new_pipeline_version_redoes_old_results(monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(3)
    enrich_pending(store, WordExtractor())
    monkeypatch.setattr(enrich, "ENTITY_VERSION", ENTITY_VERSION + 1)
    assert store.count_needing_entities(ENTITY_VERSION + 1) == 3
    assert enrich_pending(store, WordExtractor()) == 3
    assert len(entity_rows(store)) == 6  # replaced, not doubled


def test_no_model_needed_when_nothing_is_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(0)

    def no_model() -> None:
        raise AssertionError("the model must not be loaded")

    monkeypatch.setattr(enrich, "load_extractor", no_model)
    assert enrich_pending(store) == 0


def test_enrich_with_the_real_model_stores_offsets_into_the_stored_text() -> None:
    pytest.importorskip("spacy")
    from newsreader.index.entities.extract import load_extractor, model_available

    if not model_available():
        pytest.skip("no spaCy model installed")
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    text = "GENEVA — The World Health Organization met in Geneva on Monday.\n\nWHO officials left."
    entry = ParsedEntry("k", "g", None, "WHO meets in Geneva", None, None, None, "", "", text)
    store.store_entries(feed.id, [entry])
    assert enrich_pending(store, load_extractor()) == 1
    aid = store._read("SELECT id FROM articles")[0][0]
    article = store.article(aid)
    pairs = store.article_entities(aid)
    assert {(f, m.text, m.label) for f, m in pairs} >= {
        ("text", "World Health Organization", "Organization"),
        ("text", "WHO", "Organization"),
        ("text", "Monday", "Date"),
    }
    for field, m in pairs:
        source = article.title if field == "title" else article.text
        assert source[m.start : m.end] == m.text


class ChokingExtractor(WordExtractor):
    """Fails on any batch holding the article titled ``bad``."""

    def __init__(self, bad: str) -> None:
        super().__init__()
        self.bad = bad

    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        if any(title == self.bad for title, _ in docs):
            raise ValueError("model choked")
        return super().extract_batch(docs)


def test_one_article_the_model_chokes_on_does_not_block_the_rest() -> None:
    store = make_store(6)
    assert enrich_pending(store, ChokingExtractor("Story 2"), batch_size=4) == 6
    assert store.count_needing_entities(ENTITY_VERSION) == 0
    rows = entity_rows(store)
    assert len(rows) == 10  # two mentions for each article but the bad one
    assert not any(text.endswith("2") for _, text in rows)


# -- languages -------------------------------------------------------------------------


def ids_by_title(store: Store) -> dict[str, str]:
    return {r[1]: r[0] for r in store._read("SELECT id, title FROM articles")}


def entry(key: str, text: str, language: str | None) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        guid=key,
        link=None,
        title=f"Story {key}",
        author=None,
        published=None,
        updated=None,
        summary_html="",
        content_html="",
        text=text,
        language=language,
    )


def test_each_article_goes_through_its_own_languages_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    store.store_entries(
        feed.id,
        [
            entry("en", "news from Lagos", "en"),
            entry("fr", "nouvelles de Lyon", "fr"),
            entry("de", "Nachrichten aus Essen", "de"),
        ],
    )
    models = {"en": WordExtractor(), "fr": WordExtractor()}
    monkeypatch.setattr(enrich, "load_extractor", lambda language: models[language])
    assert enrich.pending_count(store, ("en", "fr")) == 2
    assert enrich_pending(store, languages=("en", "fr")) == 2
    assert models["en"].seen == ["Story en"] and models["fr"].seen == ["Story fr"]
    assert enrich.pending_count(store, ("en", "fr")) == 0
    german = ids_by_title(store)["Story de"]
    assert store.article_entities(german) == []
    # German has no model: never pending, and its stored state says why.
    assert store.entity_state(german) == (0, "de")


def test_mentions_of_a_model_of_another_language_are_removed() -> None:
    """Articles the English model once read in German lose those mentions."""
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    store.store_entries(feed.id, [entry("de", "Ein Gespräch in Essen", "de")])
    aid = ids_by_title(store)["Story de"]
    store.save_entities([(aid, [], [Mention("Gespräch", "Person", 4, 12, "Gespräch")])], 3)
    assert store.clear_entities_outside(("en", "fr")) == 1
    assert store.article_entities(aid) == []
    assert store.entity_state(aid) == (0, "de")
    assert store.clear_entities_outside(("en", "fr")) == 0


def test_an_article_of_unknown_language_is_detected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    german = (
        "Die Bundesregierung hat am Montag ein neues Gesetz beschlossen, das die Förderung"
        " von Wärmepumpen in den kommenden Jahren deutlich ausweiten soll."
    )
    store.store_entries(feed.id, [entry("x", german, None), entry("y", "short", None)])
    store.set_languages([])  # nothing to store: no error
    with store.transaction() as conn:  # as stored before articles had languages
        conn.execute("UPDATE articles SET language = NULL")
    model = WordExtractor()
    assert enrich_pending(store, model, languages=("en",)) == 2
    assert model.seen == ["Story y"]  # too short to tell: read as English
    langs = {title: store.entity_state(aid)[1] for title, aid in ids_by_title(store).items()}
    assert langs == {"Story x": "de", "Story y": None}
    assert enrich.pending_count(store, ("en",)) == 0


def test_a_gazetteer_language_is_enriched_with_known_places_only() -> None:
    """German has no model: its articles get the places the gazetteer confirms (the real
    extractor of ``extract.load_extractor``, no spaCy), and its old mentions are replaced."""
    store = Store.memory()
    feed = store.add_feed("https://example.org/feed", "Example")
    store.store_entries(
        feed.id, [entry("de", "Der Betriebsrat in Essen protestiert. Das Essen ist kalt.", "de")]
    )
    aid = ids_by_title(store)["Story de"]
    store.save_entities([(aid, [], [Mention("Betriebsrat", "Person", 4, 15, "Betriebsrat")])], 3)
    assert enrich.pending_count(store, ("en", "de")) == 1
    assert enrich_pending(store, languages=("en", "de")) == 1
    # "Essen" is used as a noun in this article ("Das Essen"): no place either.
    assert store.article_entities(aid) == []
    assert store.entity_state(aid) == (ENTITY_VERSION, "de")
    store.store_entries(feed.id, [entry("de2", "Die Zentrale in Essen schließt.", "de")])
    assert enrich_pending(store, languages=("de",)) == 1
    other = ids_by_title(store)["Story de2"]
    assert [(m.text, m.label) for _, m in store.article_entities(other)] == [("Essen", "Place")]
