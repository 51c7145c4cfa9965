"""Entity quality and speed: raw spaCy sm against our pipeline, side by side.

Quality: precision, recall and F1 per type and overall on the hand-annotated gold set in
tests/fixtures/entities_gold/: the development set the rules were written against, the
held-out set written afterwards (looked at once while tuning), and heldout2-4, each written
and committed before anything ran on it (heldout3 after the second round of rules, then
used to fix rules; heldout4 after all of them; heldout2 and heldout4 never tuned on). Exact-span match (field, start, end
and label must agree).
"Raw" is the model as shipped (all default components, title and whole text each one doc,
labels mapped to our types). Speed: words per second of raw ``nlp.pipe`` (all components,
and NER only) and of our extractor on the same texts, rounds interleaved so a busy machine
hurts all alike.

    .venv/bin/python bench/entities_eval.py [--rounds 5] [--repeat 10]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsreader.index.entities.extract import (
    LABELS,
    SpacyExtractor,
    load_nlp,
    model_package,
    spacy_spans,
)
from newsreader.index.entities.gazetteer import load_gazetteer
from newsreader.index.models import ENTITY_TYPES

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "entities_gold"
Key = tuple[int, str, int, int, str]  # (doc, field, start, end, label)


def load_gold(folder: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def gold_keys(articles: Sequence[dict[str, Any]]) -> set[Key]:
    return {
        (i, e["field"], e["start"], e["end"], e["label"])
        for i, a in enumerate(articles)
        for e in a["entities"]
    }


def raw_keys(nlp: Any, articles: Sequence[dict[str, Any]]) -> set[Key]:
    out: set[Key] = set()
    for i, a in enumerate(articles):
        for field_no, field in enumerate(("title", "text")):
            for s in spacy_spans(nlp(a[field]), 0, field_no):
                out.add((i, field, s.start, s.end, s.label))
    return out


def our_keys(extractor: SpacyExtractor, articles: Sequence[dict[str, Any]]) -> set[Key]:
    out: set[Key] = set()
    results = extractor.extract_batch([(a["title"], a["text"]) for a in articles])
    for i, (title_mentions, text_mentions) in enumerate(results):
        for field, mentions in (("title", title_mentions), ("text", text_mentions)):
            out.update((i, field, m.start, m.end, m.label) for m in mentions)
    return out


def scores(pred: set[Key], gold: set[Key], label: str | None) -> tuple[float, float, float, int]:
    if label is not None:
        pred = {k for k in pred if k[4] == label}
        gold = {k for k in gold if k[4] == label}
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f, len(gold)


def print_table(systems: dict[str, set[Key]], gold: set[Key]) -> None:
    names = list(systems)
    head = f"{'type':<13}{'gold':>5}  " + "  ".join(f"{n + ' P/R/F1':>22}" for n in names)
    print(head)
    print("-" * len(head))
    for label in (*ENTITY_TYPES, None):
        cells = []
        n = 0
        for name in names:
            p, r, f, n = scores(systems[name], gold, label)
            cells.append(f"{p:6.1f} {r:6.1f} {f:6.1f}".rjust(22))
        print(f"{label or 'overall':<13}{n:>5}  " + "  ".join(cells))


def words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds")
    ap.add_argument("--repeat", type=int, default=10, help="copies of the gold texts to time")
    args = ap.parse_args(argv)

    articles = load_gold()
    heldout = load_gold(GOLD / "heldout")
    unseen = load_gold(GOLD / "heldout2")
    unseen3 = load_gold(GOLD / "heldout3")
    unseen4 = load_gold(GOLD / "heldout4")
    package = model_package()
    full = importlib.import_module(package).load()
    ner_only = load_nlp(package)
    ours = SpacyExtractor(ner_only, load_gazetteer())
    print(f"model {package} {full.meta['version']}; raw components {full.pipe_names}")
    print(f"ours: components {ner_only.pipe_names}, per paragraph, document rules, gazetteer")
    sets = (
        ("development", articles),
        ("held-out", heldout),
        ("held-out 2 (unseen)", unseen),
        ("held-out 3 (first run unseen, then tuned on)", unseen3),
        ("held-out 4 (unseen)", unseen4),
    )
    for name, subset in sets:
        keys = gold_keys(subset)
        print(f"\n{name} gold: {len(subset)} articles, {len(keys)} entities; exact-span match")
        systems = {
            "raw sm": raw_keys(full, subset),
            "raw ner-only": raw_keys(ner_only, subset),
            "ours": our_keys(ours, subset),
        }
        print_table(systems, keys)
    print(f"\n(labels mapped: {', '.join(f'{k}->{v}' for k, v in LABELS.items())}; rest dropped)\n")

    docs = [(a["title"], a["text"]) for a in articles] * args.repeat
    texts = [t for pair in docs for t in pair]
    n_words = words(texts)
    runs: dict[str, Callable[[], object]] = {
        "raw nlp.pipe, all components": lambda: list(full.pipe(texts, batch_size=64)),
        "raw nlp.pipe, ner only": lambda: list(ner_only.pipe(texts, batch_size=64)),
        "ours (extract_batch of 64)": lambda: [
            ours.extract_batch(docs[i : i + 64]) for i in range(0, len(docs), 64)
        ],
    }
    best: dict[str, float] = dict.fromkeys(runs, 0.0)
    for _ in range(args.rounds):
        for name, fn in runs.items():
            rate = n_words / timed(fn)
            best[name] = max(best[name], rate)
    print(f"throughput on {n_words} words, best of {args.rounds} interleaved rounds:")
    for name in runs:
        print(f"  {name:<32}{best[name]:>10.0f} words/s")
    base = best["raw nlp.pipe, ner only"]
    print(f"  ours vs raw ner-only: {100 * (best['ours (extract_batch of 64)'] / base - 1):+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
