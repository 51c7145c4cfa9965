"""Articles as their authors laid them out: blocks and spans, and their plain-text layout."""

from __future__ import annotations

from .blocks import BLOCK_KINDS, SPAN_KINDS, Block, Document, Span, document, parse_document
from .plain import Layout, Placed, layout, link_list, plain_text

__all__ = [
    "BLOCK_KINDS",
    "SPAN_KINDS",
    "Block",
    "Document",
    "Layout",
    "Placed",
    "Span",
    "document",
    "layout",
    "link_list",
    "parse_document",
    "plain_text",
]
