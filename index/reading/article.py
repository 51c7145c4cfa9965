"""Which HTML an article is read from, and the article text that follows from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .blocks import Block, Document, document, parse_document
from .plain import Layout, layout, plain_text

if TYPE_CHECKING:
    from ..models import Article


def feed_text(summary_html: str, content_html: str) -> tuple[str, str]:
    """(the summary worth keeping, the article text) from a feed entry's sanitised HTML.

    A summary that is only a teaser or a copy of the content is dropped (returned as ""),
    so the text does not say it twice."""
    content_text = plain_text(parse_document(content_html)) if content_html else ""
    if not summary_html or (summary_html == content_html and content_text):
        return "", content_text  # (a summary that is a copy of the content is read once)
    summary_text = plain_text(parse_document(summary_html))
    if not content_text:
        return summary_html, summary_text
    if summary_text in content_text:
        return "", content_text
    return summary_html, plain_text(document(summary_html, content_html))


def reading_document(summary_html: str, content_html: str, full_html: str = "") -> Document:
    """The blocks an article is shown with: the fetched page when there is one, else the
    feed's summary and content (the same HTML ``feed_text`` made the text from)."""
    if full_html:
        return parse_document(full_html)
    return document(summary_html, content_html)


def article_layout(article: Article) -> Layout:
    """The layout an article is read with (its text is ``article.text``, character for
    character, so entity offsets and search terms land on their words).

    An article stored before the block model, whose text was laid out differently, is
    shown as its stored text in plain paragraphs; its links are still numbered."""
    lay = layout(reading_document(article.summary_html, article.content_html, _full(article)))
    if lay.text == article.text:
        return lay
    paragraphs = tuple(Block(kind="paragraph", text=p) for p in article.text.split("\n\n") if p)
    fallback = layout(Document(blocks=paragraphs))
    if fallback.text != article.text:
        fallback = layout(Document(blocks=(Block(kind="paragraph", text=article.text),)))
    return Layout(fallback.text, fallback.placed, (), lay.links)


def _full(article: Article) -> str:
    return getattr(article, "full_html", "") or ""
