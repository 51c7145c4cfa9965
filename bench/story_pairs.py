"""A labelled set of article pairs for duplicate detection, generated from bench.corpus.

Positive pairs are one wire story as two papers run it: the copy gets its own headline and
some of these edits, drawn at random: one to five sentences dropped (at most a quarter), the end cut off, two paragraphs
swapped or a sentence moved, figures rewritten (``1,234`` as ``1234``, ``12.5 percent`` as
``12.5%``, ``$40 million`` as ``$40m``), a dateline or a closing line of the paper's own
added. Negative pairs are two different stories on the same topic (the same vocabulary and
sentence templates, often the same places and organisations): the hard case for precision.

    python -m bench.story_pairs --pairs 10 --show 3    # print pair 3
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass

from bench.corpus import Corpus

_SENTENCE_END = re.compile(r"(?<=[.”])\s+(?=[A-Z“])")
_THOUSANDS = re.compile(r"\b(\d{1,3}),(\d{3})\b")
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?) percent\b")
_MONEY = re.compile(r"\$(\d+) (million|billion)\b")

DATELINES = ["(Wire) — ", "AGENCY — ", "From our wire service: ", "UPDATED: "]
CLOSERS = [
    "This story has been updated with new figures.",
    "Additional reporting by our correspondent.",
    "The agency contributed to this report.",
    "Sign up for our morning newsletter to get stories like this.",
]
HEADLINE_OPENERS = ["What we know:", "Live:", "Explainer:", "Breaking:", "Analysis:"]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two articles and whether they are one story; ``edits`` says how the copy differs."""

    left_title: str
    left_text: str
    right_title: str
    right_text: str
    same: bool
    edits: tuple[str, ...]


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _reformat_numbers(text: str) -> str:
    text = _THOUSANDS.sub(r"\1\2", text)
    text = _PERCENT.sub(r"\1%", text)
    return _MONEY.sub(lambda m: f"${m.group(1)}{m.group(2)[0]}", text)


def wire_variant(
    title: str, paragraphs: list[str], rng: random.Random
) -> tuple[str, str, tuple[str, ...]]:
    """Another paper's edit of a wire story: (headline, text, the edits made)."""
    paras = [_sentences(p) for p in paragraphs]
    edits: list[str] = ["headline"]
    total = sum(len(p) for p in paras)
    if rng.random() < 0.7 and total > 4:
        drop = rng.randint(1, min(5, max(1, total // 4)))
        for _ in range(drop):
            candidates = [(i, j) for i, p in enumerate(paras) for j in range(len(p)) if len(p) > 1]
            if not candidates:
                break
            i, j = rng.choice(candidates)
            del paras[i][j]
        edits.append(f"dropped {drop}")
    if rng.random() < 0.15:
        # a paper that runs only the top of the story
        keep = max(2, round(sum(len(p) for p in paras) * rng.uniform(0.7, 0.85)))
        kept: list[list[str]] = []
        for p in paras:
            if keep <= 0:
                break
            kept.append(p[:keep])
            keep -= len(p)
        paras = kept
        edits.append("trimmed")
    if rng.random() < 0.5 and len(paras) > 2:
        i, j = rng.sample(range(1, len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
        edits.append("paragraphs swapped")
    elif rng.random() < 0.4:
        src = rng.randrange(len(paras))
        if len(paras[src]) > 1:
            sentence = paras[src].pop(rng.randrange(len(paras[src])))
            paras[rng.randrange(len(paras))].append(sentence)
            edits.append("sentence moved")
    text = "\n\n".join(" ".join(p) for p in paras if p)
    if rng.random() < 0.6:
        text = _reformat_numbers(text)
        edits.append("numbers")
    if rng.random() < 0.4:
        text = rng.choice(DATELINES) + text
        edits.append("dateline")
    if rng.random() < 0.4:
        text = text + "\n\n" + rng.choice(CLOSERS)
        edits.append("closer")
    words = title.split()
    rng.shuffle(words)
    headline = f"{rng.choice(HEADLINE_OPENERS)} {' '.join(words[: max(3, len(words) - 2)])}"
    return headline, text, tuple(edits)


def labelled_pairs(positives: int = 150, negatives: int = 150, seed: int = 18) -> list[Pair]:
    """``positives`` wire variants and ``negatives`` same-topic different stories."""
    rng = random.Random(seed)
    corpus = Corpus(feeds=12, items=200, seed=seed)
    pairs: list[Pair] = []
    for n in range(positives):
        item = corpus.item(n % corpus.feeds, n // corpus.feeds)
        headline, text, edits = wire_variant(item.title, list(item.paragraphs), rng)
        pairs.append(Pair(item.title, item.text, headline, text, True, edits))
    by_topic: dict[str, list[tuple[str, str]]] = {}
    for feed in range(corpus.feeds):
        for number in range(100, 100 + 2 * negatives // corpus.feeds + 2):
            item = corpus.item(feed, number)
            by_topic.setdefault(item.topic, []).append((item.title, item.text))
    topics = sorted(by_topic)
    while len(pairs) < positives + negatives:
        pool = by_topic[rng.choice(topics)]
        (lt, ltext), (rt, rtext) = rng.sample(pool, 2)
        if ltext != rtext:
            pairs.append(Pair(lt, ltext, rt, rtext, False, ("different story",)))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=150, help="pairs of each kind")
    parser.add_argument("--show", type=int, default=0, help="which pair to print")
    args = parser.parse_args(argv)
    pair = labelled_pairs(args.pairs, args.pairs)[args.show]
    print(f"same story: {pair.same}  edits: {', '.join(pair.edits)}")
    print(
        f"\n## {pair.left_title}\n\n{pair.left_text}\n\n## {pair.right_title}\n\n{pair.right_text}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
