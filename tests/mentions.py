"""Building Mention fixtures by the words they cover, not by hand-counted offsets."""

from __future__ import annotations

from newsreader.index.models import Mention


def mention(
    article_text: str, text: str, label: str, canonical: str | None = None, nth: int = 0
) -> Mention:
    """The ``nth`` (0-based) occurrence of ``text`` in ``article_text`` as a ``label`` mention."""
    start = -1
    for _ in range(nth + 1):
        start = article_text.index(text, start + 1)
    return Mention(text, label, start, start + len(text), canonical or text)
