"""Entity quality and speed: raw spaCy sm against our pipeline, side by side.

Quality: precision, recall and F1 per type and overall on the hand-annotated gold set in
tests/fixtures/entities_gold/: the development set the rules were written against, the
held-out set written afterwards (looked at once while tuning), and heldout2-4, each written
and committed before anything ran on it (heldout3 after the second round of rules, then
used to fix rules; heldout4 after all of them; heldout2 and heldout4 never tuned on), and
the newswire sets wire, wire2, wire3 (1990s agency copy: headlines in capitals, datelines,
sports tables; each first run unseen, then tuned on). Exact-span match (field, start, end
and label must agree); the "P/O/L" row scores Person, Organization and Place together, the
three types CoNLL-style newswire benchmarks score.
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsreader.index.entities.extract import (
    LABELS,
    SpacyExtractor,
    install_hint,
    load_nlp,
    model_available,
    model_package,
    spacy_spans,
)
from newsreader.index.entities.gazetteer import load_gazetteer
from newsreader.index.entities.gazetteer_names import gazetteer_mentions
from newsreader.index.entities.languages import MODELS
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


def raw_keys(
    nlp: Any, articles: Sequence[dict[str, Any]], labels: Mapping[str, str] = LABELS
) -> set[Key]:
    out: set[Key] = set()
    for i, a in enumerate(articles):
        for field_no, field in enumerate(("title", "text")):
            for s in spacy_spans(nlp(a[field]), 0, field_no, labels):
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


# The three types newswire benchmarks in the CoNLL-2003 style score (their MISC has no
# counterpart of ours), scored together as the "P/O/L" row.
NEWSWIRE_TYPES = ("Person", "Organization", "Place")


def print_table(systems: dict[str, set[Key]], gold: set[Key]) -> None:
    names = list(systems)
    head = f"{'type':<13}{'gold':>5}  " + "  ".join(f"{n + ' P/R/F1':>22}" for n in names)
    print(head)
    print("-" * len(head))
    for label in (*ENTITY_TYPES, None, "P/O/L"):
        cells = []
        n = 0
        for name in names:
            pred, expected = systems[name], gold
            if label == "P/O/L":
                pred = {k for k in pred if k[4] in NEWSWIRE_TYPES}
                expected = {k for k in gold if k[4] in NEWSWIRE_TYPES}
            p, r, f, n = scores(pred, expected, None if label == "P/O/L" else label)
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
    ap.add_argument(
        "--language",
        choices=("all", "en", "fr", "de", "es"),
        default="all",
        help="score only the English sets or only the French one (all: both)",
    )
    ap.add_argument("--no-speed", action="store_true", help="quality only, no timing")
    args = ap.parse_args(argv)

    articles = load_gold()
    gazetteer = load_gazetteer()
    sets_by_language = {
        "en": (
            ("development", articles),
            ("held-out", load_gold(GOLD / "heldout")),
            ("held-out 2 (unseen)", load_gold(GOLD / "heldout2")),
            ("held-out 3 (first run unseen, then tuned on)", load_gold(GOLD / "heldout3")),
            ("held-out 4 (unseen)", load_gold(GOLD / "heldout4")),
            ("newswire (first run unseen at 864b871, then tuned on)", load_gold(GOLD / "wire")),
            ("newswire 2 (first run unseen at c6dff3b, then tuned on)", load_gold(GOLD / "wire2")),
            ("newswire 3 (first run unseen at 0777ad7)", load_gold(GOLD / "wire3")),
        ),
        "fr": (
            ("French (first run unseen, then tuned on)", load_gold(GOLD / "fr")),
            ("French 2 (first run unseen at c1a396f, then tuned on)", load_gold(GOLD / "fr2")),
            ("French 3 (first run unseen at 01a5e50, then tuned on)", load_gold(GOLD / "fr3")),
        ),
    }
    languages = ("en", "fr", "de", "es") if args.language == "all" else (args.language,)
    for language in languages:
        if language in GAZETTEER_SETS:
            for name, folder in GAZETTEER_SETS[language]:
                gazetteer_only(load_gold(GOLD / folder), gazetteer, language, name)
            continue
        if not model_available(language):
            print(f"\n({language}: no model installed, sets skipped: {install_hint(language)})")
            continue
        package = model_package(language)
        labels = MODELS[language].labels
        full = importlib.import_module(package).load()
        ner_only = load_nlp(package, language)
        ours = SpacyExtractor(ner_only, gazetteer, language=language)
        print(f"\nmodel {package} {full.meta['version']}; raw components {full.pipe_names}")
        print(f"ours: components {ner_only.pipe_names}, per paragraph, document rules, gazetteer")
        for name, subset in sets_by_language[language]:
            keys = gold_keys(subset)
            print(f"\n{name} gold: {len(subset)} articles, {len(keys)} entities; exact-span match")
            systems = {
                "raw sm": raw_keys(full, subset, labels),
                "raw ner-only": raw_keys(ner_only, subset, labels),
                "ours": our_keys(ours, subset),
            }
            print_table(systems, keys)
        print(
            f"\n(labels mapped: {', '.join(f'{k}->{v}' for k, v in labels.items())}; rest dropped)\n"
        )
        if language == "en" and not args.no_speed:
            speed(full, ner_only, ours, articles, args.rounds, args.repeat)
    return 0


# Languages with no model: sets scored for what the gazetteer alone marks.
GAZETTEER_SETS = {
    "de": (("de (tuned on)", "de"), ("de2 (first run unseen, then one fix)", "de2")),
    "es": (
        ("es (first run unseen at ac74592, then tuned on)", "es"),
        ("es2 (first run unseen, commit a171612)", "es2"),
    ),
}


def gazetteer_keys(
    articles: Sequence[dict[str, Any]], gazetteer: Any, language: str, persons: bool
) -> set[Key]:
    out: set[Key] = set()
    for i, a in enumerate(articles):
        fields = (a["title"], a["text"])
        found = gazetteer_mentions(fields, gazetteer, language, persons=persons)
        for field, mentions in zip(("title", "text"), found, strict=True):
            out.update((i, field, m.start, m.end, m.label) for m in mentions)
    return out


def gazetteer_only(
    articles: Sequence[dict[str, Any]], gazetteer: Any, language: str, name: str
) -> None:
    """A language with no model: what the gazetteer alone marks (places, then places and
    persons), scored on the types it can mark."""
    keys = {k for k in gold_keys(articles) if k[4] in ("Place", "Person")}
    print(
        f"\n{name} gold (no model; gazetteer only): {len(articles)} articles, "
        f"{len(keys)} Place/Person entities of {len(gold_keys(articles))}; exact-span match"
    )
    systems = {
        "places": gazetteer_keys(articles, gazetteer, language, persons=False),
        "places+persons": gazetteer_keys(articles, gazetteer, language, persons=True),
    }
    print_table(systems, keys)


def speed(
    full: Any,
    ner_only: Any,
    ours: SpacyExtractor,
    articles: Sequence[dict[str, Any]],
    rounds: int,
    repeat: int,
) -> None:
    """Words per second of raw nlp.pipe (all components, NER only) and of our extractor."""
    docs = [(a["title"], a["text"]) for a in articles] * repeat
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
    for _ in range(rounds):
        for name, fn in runs.items():
            rate = n_words / timed(fn)
            best[name] = max(best[name], rate)
    print(f"throughput on {n_words} words, best of {rounds} interleaved rounds:")
    for name in runs:
        print(f"  {name:<32}{best[name]:>10.0f} words/s")
    base = best["raw nlp.pipe, ner only"]
    print(f"  ours vs raw ner-only: {100 * (best['ours (extract_batch of 64)'] / base - 1):+.1f}%")


if __name__ == "__main__":
    sys.exit(main())
