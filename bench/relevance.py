"""Known-item relevance on our own fixture feeds: newsreader's search against SQLite FTS5.

The corpus is the feeds in ``tests/fixtures/relevance/`` (English RSS, German Atom, Russian
JSON Feed, Persian RSS), parsed by our feed parser; ``qrels.json`` lists queries by class
(stop words, numbers, identifiers, inflections, typos, folding), each with the article that
must come first, and the class "titles" adds every article's title typed as words. Both
engines get the same texts; FTS5 uses the porter tokenizer (``porter unicode61
remove_diacritics 2``) and bm25 with our field weights, each typed word quoted as an
FTS5-based reader would pass it. Reported: hit@3 (the article is in the top 3) and MRR.

    .venv/bin/python -m bench.relevance          # the table
    .venv/bin/python -m bench.relevance --json

``tests/index/search/test_relevance.py`` runs newsreader's side as a quality gate.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "relevance"
FEEDS = ("en.xml", "de.xml", "ru.json", "fa.xml")
K = 3
_STRIP = ':,;!?"“”«»()'


@dataclass(frozen=True)
class Query:
    cls: str
    text: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Article:
    guid: str
    feed_id: int
    feed: str
    title: str
    text: str
    language: str | None


def load_articles() -> list[Article]:
    """Every fixture article, as our parser reads it (its guid names it in the qrels)."""
    from newsreader.index.feeds.parse import parse_feed

    out = []
    for feed_id, name in enumerate(FEEDS, 1):
        data = (FIXTURES / name).read_bytes()
        feed = parse_feed(data, f"https://fixtures.example/{name}")
        for e in feed.entries:
            # Atom ids are resolved against the feed's address: the fixture id is the last part
            guid = (e.guid or e.key).rsplit("/", 1)[-1]
            out.append(Article(guid, feed_id, feed.title or name, e.title, e.text, e.language))
    return out


def load_queries(articles: list[Article]) -> list[Query]:
    doc = json.loads((FIXTURES / "qrels.json").read_text(encoding="utf-8"))
    out = [Query(q["class"], q["query"], frozenset(q["relevant"])) for q in doc["queries"]]
    for a in articles:  # every title typed as words
        words = [w.strip(_STRIP) for w in a.title.lower().split()]
        out.append(Query("titles", " ".join(w for w in words if w), frozenset({a.guid})))
    return out


def newsreader_engine(articles: list[Article], workdir: Path) -> Callable[[str], list[str]]:
    from newsreader.index.models import IndexDoc
    from newsreader.index.search.index import SearchIndex

    idx = SearchIndex.open(workdir / "index")
    idx.write(
        IndexDoc(
            id=a.guid,
            feed_id=a.feed_id,
            feed=a.feed,
            title=a.title,
            body=a.text,
            author="",
            link="",
            tags=(),
            published=None,
            bookmarked=False,
            read=False,
            language=a.language,
        )
        for a in articles
    )

    def run(q: str) -> list[str]:
        return [h.id for h in idx.search(q, limit=10).hits]

    return run


def fts5_engine(articles: list[Article], workdir: Path) -> Callable[[str], list[str]]:
    conn = sqlite3.connect(workdir / "fts.sqlite3")
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(guid UNINDEXED, title, body, feed,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO fts (guid, title, body, feed) VALUES (?, ?, ?, ?)",
        [(a.guid, a.title, a.text, a.feed) for a in articles],
    )
    conn.commit()

    def run(q: str) -> list[str]:
        quoted = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())
        match = q if '"' in q else quoted
        try:
            rows = conn.execute(
                "SELECT guid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 3.0, 1.0, 1.0)"
                " LIMIT 10",
                (match,),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]

    return run


def score(run: Callable[[str], list[str]], queries: list[Query]) -> dict[str, Any]:
    """hit@K and MRR per class and overall, and the queries that missed the top K."""
    per: dict[str, list[tuple[bool, float]]] = {}
    misses: list[str] = []
    for q in queries:
        got = run(q.text)
        rank = next((i + 1 for i, g in enumerate(got) if g in q.relevant), None)
        hit = rank is not None and rank <= K
        per.setdefault(q.cls, []).append((hit, 1.0 / rank if rank else 0.0))
        if not hit:
            misses.append(f"{q.cls}: {q.text}")
    every = [x for v in per.values() for x in v]

    def summary(xs: list[tuple[bool, float]]) -> dict[str, float]:
        return {
            "n": len(xs),
            "hit@3": sum(h for h, _ in xs) / len(xs),
            "mrr": sum(r for _, r in xs) / len(xs),
        }

    return {
        "classes": {c: summary(v) for c, v in per.items()},
        "overall": summary(every),
        "misses": misses,
    }


def run() -> dict[str, Any]:
    """Both engines on the fixture corpus (bench/run.py calls this)."""
    articles = load_articles()
    queries = load_queries(articles)
    work = Path(tempfile.mkdtemp(prefix="relevance-"))
    try:
        return {
            "articles": len(articles),
            "queries": len(queries),
            "newsreader": score(newsreader_engine(articles, work), queries),
            "fts5": score(fts5_engine(articles, work), queries),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(res: dict[str, Any]) -> list[str]:
    lines = [
        f"Known-item relevance: {res['articles']} fixture articles (en, de, ru, fa),"
        f" {res['queries']} queries; hit@{K} and MRR",
        "",
        "| class | n | newsreader hit@3 | MRR | FTS5 hit@3 | MRR |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    ours, theirs = res["newsreader"], res["fts5"]
    for cls in [*ours["classes"], "overall"]:
        a = ours["overall"] if cls == "overall" else ours["classes"][cls]
        b = theirs["overall"] if cls == "overall" else theirs["classes"][cls]
        lines.append(
            f"| {cls} | {a['n']} | {a['hit@3']:.1%} | {a['mrr']:.3f} |"
            f" {b['hit@3']:.1%} | {b['mrr']:.3f} |"
        )
    if ours["misses"]:
        lines += ["", "newsreader missed: " + "; ".join(ours["misses"])]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    res = run()
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else "\n".join(render(res)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
