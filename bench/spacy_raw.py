"""Raw spaCy throughput on the articles of a newsreader store, for the enrichment comparison.

Reads title and clean text of every article in DB (read-only), then times ``nlp.pipe`` of
the model as shipped (all components) and with only what NER needs (``load_nlp``), each
over ``title + blank line + text``, and prints one JSON object: words, seconds, words/s.

    python -m bench.spacy_raw DATA_DIR/newsreader.sqlite3
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
import time
from typing import Any


def texts_of(db: str) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT title, text FROM articles ORDER BY id").fetchall()
    finally:
        conn.close()
    return [f"{title}\n\n{text}" for title, text in rows]


def time_pipe(nlp: Any, texts: list[str], batch_size: int = 64) -> float:
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.spacy_raw DB", file=sys.stderr)
        return 2
    from newsreader.index.entities.extract import load_nlp, model_package

    texts = texts_of(args[0])
    words = sum(len(t.split()) for t in texts)
    package = model_package()
    out: dict[str, Any] = {"articles": len(texts), "words": words, "model": package}
    t0 = time.perf_counter()
    full = importlib.import_module(package).load()
    out["full_load_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ner = load_nlp(package)
    out["ner_load_s"] = time.perf_counter() - t0
    out["full_components"] = list(full.pipe_names)
    out["ner_components"] = list(ner.pipe_names)
    secs = time_pipe(full, texts)
    out["full_s"] = secs
    out["full_words_per_s"] = words / secs
    secs = time_pipe(ner, texts)
    out["ner_s"] = secs
    out["ner_words_per_s"] = words / secs
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
