"""Other coverage: different writing about the same event, shown beside an article, never
merged into its story.

Two articles are taken to report one event when they name the same things and use the same
words around them, close in time:

- candidates are the articles dated within ``WINDOW_DAYS`` of the article that name at
  least ``MIN_SHARED`` of its entities (people, organisations, places, groups, events;
  dates and works are too common to tell events apart); a story is one candidate (its
  lead), and the article's own story is left out (those are its copies);
- the entity score is the weight of the shared entities among the article's own, each
  entity weighted by how rare it is among the candidates (``log(1 + n / df)``), so a name
  every article of the week mentions counts for little;
- the text score is the cosine similarity of the two texts' content words (folded as for
  shingles; short and common words left out), which tells "the earthquake in Izmir" from
  "the mayor of Izmir opens a museum" when both name Izmir and Turkey;
- an article is other coverage when both scores reach their thresholds, chosen on the
  fixtures of tests/index/stories/test_coverage.py (one event in three papers' words
  against the same people and places in other news).

The work is a few indexed queries and a few hundred word counts, done when an article
is shown (on a worker thread in the app), never at start-up or refresh.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from ..models import Coverage, Mention
from ..store import Store
from ..times import from_iso
from .shingles import words

WINDOW_DAYS = 3
MIN_SHARED = 2
ENTITY_THRESHOLD = 0.3
TEXT_THRESHOLD = 0.25
CANDIDATES = 40  # the best candidates by shared entities whose texts are compared
EVENT_LABELS = frozenset({"Person", "Organization", "Place", "Group", "Event", "Law"})
_MIN_WORD = 4  # shorter words are mostly function words in the languages we read
# common words of news prose that are 4 letters or longer, in English (the text score
# would otherwise reward two articles for both using "said" and "would")
_STOP_TEXT = """
    about above after again against also among been before being below between both
    could does doing down during each even from further have having here however into
    just last made make many more most much must next only other over said same says
    should since some such than that their them then there these they this those
    through under until very were what when where which while will with would year
    years your told according week month today yesterday tuesday monday wednesday
    thursday friday saturday sunday people percent million billion
    """
STOP_WORDS = frozenset(_STOP_TEXT.split())


def content_words(text: str) -> Counter[str]:
    """The words a text is compared on, with their counts."""
    return Counter(
        w for w in words(text) if len(w) >= _MIN_WORD and w not in STOP_WORDS and not w.isdigit()
    )


def cosine(left: Counter[str], right: Counter[str]) -> float:
    if not left or not right:
        return 0.0
    small, large = (left, right) if len(left) < len(right) else (right, left)
    dot = sum(n * large.get(w, 0) for w, n in small.items())
    norm = math.sqrt(sum(n * n for n in left.values())) * math.sqrt(
        sum(n * n for n in right.values())
    )
    return dot / norm if norm else 0.0


def other_coverage(
    store: Store, article_id: str, mentions: Sequence[Mention], *, limit: int = 5
) -> list[Coverage]:
    """Articles on the same event as ``article_id`` (whose entities are ``mentions``),
    best first."""
    own = {(m.canonical, m.label) for m in mentions if m.label in EVENT_LABELS}
    if len(own) < MIN_SHARED:
        return []
    info = store.coverage_articles([article_id])
    if article_id not in info:
        return []
    _, _, date_text, text = info[article_id]
    when = from_iso(date_text)
    if when is None:
        return []
    window = timedelta(days=WINDOW_DAYS)
    rows = store.coverage_candidates(article_id, sorted(own), when - window, when + window)
    story = set(store.story_article_ids([article_id]))
    named: dict[str, set[tuple[str, str]]] = {}
    for aid, canonical, label in rows:
        if aid not in story:
            named.setdefault(aid, set()).add((canonical, label))
    if not named:
        return []
    df = Counter(e for found in named.values() for e in found)
    pool = len(named)
    weight = {e: math.log(1 + pool / df.get(e, 1)) for e in own}
    total = sum(weight.values())
    ranked = sorted(
        (
            (sum(weight[e] for e in found) / total, aid, found)
            for aid, found in named.items()
            if len(found) >= MIN_SHARED
        ),
        key=lambda t: (-t[0], t[1]),
    )[:CANDIDATES]
    ranked = [r for r in ranked if r[0] >= ENTITY_THRESHOLD]
    if not ranked:
        return []
    texts = store.coverage_articles([aid for _, aid, _ in ranked])
    mine = content_words(text)
    out: list[Coverage] = []
    for entity_score, aid, found in ranked:
        title, feed, published, other_text = texts[aid]
        text_score = cosine(mine, content_words(other_text))
        if text_score < TEXT_THRESHOLD:
            continue
        shared = tuple(c for c, _ in sorted(found, key=lambda e: (-weight[e], e)))
        out.append(
            Coverage(
                aid,
                title,
                feed,
                from_iso(published),
                shared,
                round(entity_score, 3),
                round(text_score, 3),
            )
        )
    out.sort(key=lambda c: (-c.score, c.article_id))
    return out[:limit]
