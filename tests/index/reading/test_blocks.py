"""The structured text model: sanitised HTML to blocks and spans, and their plain layout."""

from __future__ import annotations

from pathlib import Path

from newsreader.index.feeds.parse import parse_feed
from newsreader.index.reading import document, layout, link_list, parse_document, plain_text
from newsreader.index.reading.blocks import subscript, superscript
from newsreader.index.text import sanitize_html

FIXTURE = Path(__file__).parents[2] / "fixtures" / "reading" / "structured.rss"


def _doc(html: str):  # type: ignore[no-untyped-def]
    return parse_document(sanitize_html(html, "https://ex.org/post/"))


def test_every_block_kind() -> None:
    doc = _doc(
        "<h2>Title</h2><p>Words</p><ul><li>a</li></ul><pre>x = 1\n  y = 2</pre>"
        "<blockquote><p>said</p></blockquote><table><tr><td>c</td></tr></table>"
        '<p><img src="/i.png" alt="Chart"></p><hr>'
    )
    kinds = [(b.kind, b.quote) for b in doc.blocks]
    assert kinds == [
        ("heading", 0),
        ("paragraph", 0),
        ("item", 0),
        ("code", 0),
        ("paragraph", 1),
        ("row", 0),
        ("image", 0),
        ("rule", 0),
    ]
    assert doc.blocks[0].level == 2
    assert doc.blocks[3].text == "x = 1\n  y = 2"  # verbatim, indentation kept


def test_pre_keeps_lines_and_is_indented() -> None:
    text = plain_text(_doc("<p>Run:</p><pre>$ make\n$ make test\n$ make install</pre>"))
    assert text == "Run:\n\n    $ make\n    $ make test\n    $ make install"


def test_list_markers_depth_and_numbering() -> None:
    html = (
        "<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>"
        '<ol start="4"><li>four</li><li>five</li></ol>'
    )
    text = plain_text(_doc(html))
    assert text == "• one\n  • inner\n• two\n\n4. four\n5. five"
    items = _doc(html).blocks
    assert [(b.marker, b.indent) for b in items] == [
        ("•", 0),
        ("•", 2),
        ("•", 0),
        ("4.", 0),
        ("5.", 0),
    ]


def test_quote_lines_are_barred_and_links_numbered_in_order() -> None:
    doc = _doc(
        '<blockquote><p>First <a href="https://a.example/x">one</a><br>then'
        ' <a href="/rel">two</a> and <a href="https://a.example/x">again</a></p></blockquote>'
        '<p><a href="javascript:alert(1)">no</a> <a href="mailto:x@y.z">mail</a></p>'
    )
    lay = layout(doc)
    assert lay.text == "│ First one[1]\n│ then two[2] and again[1]\n\nno mail"
    assert lay.links == ("https://a.example/x", "https://ex.org/rel")
    assert link_list(lay.links) == "[1] https://a.example/x\n[2] https://ex.org/rel"
    links = [(lay.text[s.start : s.end], s.link) for s in lay.spans if s.kind == "link"]
    assert links == [("one", 1), ("two", 2), ("again", 1)]


def test_inline_spans_land_on_their_words_after_layout() -> None:
    lay = layout(
        _doc("<ul><li>a <em>soft</em> and <strong>loud</strong> <code>x()</code></li></ul>")
    )
    got = {s.kind: lay.text[s.start : s.end] for s in lay.spans}
    assert got == {"em": "soft", "strong": "loud", "code": "x()"}


def test_sup_and_sub() -> None:
    assert plain_text(_doc("<p>mc<sup>2</sup>, 2<sup>n+1</sup>, H<sub>2</sub>O</p>")) == (
        "mc², 2ⁿ⁺¹, H₂O"
    )
    assert superscript("th") == "^(th)" and superscript("a") == "^a"
    assert subscript("12") == "₁₂" and subscript("Q") == "_Q"


def test_table_rows_are_lines_with_aligned_cells() -> None:
    html = (
        "<table><thead><tr><th>Name</th><th>Size</th></tr></thead>"
        "<tbody><tr><td>alpha</td><td>1</td></tr><tr><td>b</td><td>12345</td></tr></tbody></table>"
    )
    doc = _doc(html)
    assert [b.header for b in doc.blocks] == [True, False, False]
    assert plain_text(doc) == "Name   Size\nalpha  1\nb      12345"


def test_images_show_their_alt_and_tracking_pixels_vanish() -> None:
    text = plain_text(_doc('<p>See <img src="/a.png" alt="A cat"><img src="/p.gif" width="1"></p>'))
    assert text == "See [image: A cat]"
    assert plain_text(_doc('<img src="/b.png">')) == "[image]"


def test_markup_like_feed_text_stays_text() -> None:
    doc = _doc("<p>[bold]not markup[/bold] &lt;b&gt;</p>")
    assert plain_text(doc) == "[bold]not markup[/bold] <b>"


def test_summary_and_content_share_one_numbering() -> None:
    doc = document(
        '<p><a href="https://a.example/">a</a></p>', '<p><a href="https://b.example/">b</a></p>'
    )
    assert plain_text(doc) == "a[1]\n\nb[2]"


def test_the_fixture_feed_reads_as_written() -> None:
    feed = parse_feed(FIXTURE.read_bytes(), "https://workbench.example/feed.xml")
    post = feed.entries[0].text
    assert "    $ make\n    $ make test\n    $ make install" in post
    assert "• A C compiler\n  • gcc or clang" in post
    assert "1. Fetch the sources\n2. Build them" in post
    assert "│ Make it work, then make it fast." in post
    assert "E = mc²" in post and "2ⁿ⁺¹" in post
    assert "Target  Seconds\nbuild   12\ntest    148" in post
    assert "[image: Build time per commit]" in post
    assert "build notes[1]" in post and "contact page[2]" in post


def test_a_table_nested_in_a_cell_reads_as_that_cells_words() -> None:
    # newsletter layouts nest tables; this once raised inside the parse and failed the feed
    html = (
        "<table><tr><td>Left<table><tr><td>inner a</td><td>inner b</td></tr></table></td>"
        "<td>Right<ul><li>one</li><li>two</li></ul></td></tr></table><p>After</p>"
    )
    doc = _doc(html)
    assert [b.kind for b in doc.blocks] == ["row", "paragraph"]
    assert doc.blocks[0].cells == ("Left inner a inner b", "Right one two")
    assert plain_text(doc) == "Left inner a inner b  Right one two\n\nAfter"


def test_a_feed_with_a_nested_table_keeps_its_entries() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Weekly letter</title><link>https://ex.org/1</link><description>"
        b"&lt;table&gt;&lt;tr&gt;&lt;td&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Deep cell"
        b"&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"
        b"</description></item></channel></rss>"
    )
    feed = parse_feed(body, "https://ex.org/feed", "application/rss+xml")
    assert [e.title for e in feed.entries] == ["Weekly letter"]
    assert feed.entries[0].text == "Deep cell"


def test_text_before_the_first_tag_is_kept() -> None:
    # a summary with an entity but no tag, or words before a "Read more" link, lost that text
    assert plain_text(_doc("Tom &amp; Jerry meet in Paris")) == "Tom & Jerry meet in Paris"
    assert plain_text(_doc('Prices rose. <a href="https://ex.org/2">Read more</a>')) == (
        "Prices rose. Read more[1]"
    )
    assert (
        plain_text(_doc("Lead words<p>A paragraph</p>tail")) == "Lead words\n\nA paragraph\n\ntail"
    )


def test_a_plain_text_summary_with_an_ampersand_keeps_its_text() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://ex.org/1</link>"
        b"<description>Tom &amp;amp; Jerry meet in Paris</description></item>"
        b"</channel></rss>"
    )
    (entry,) = parse_feed(body, "https://ex.org/feed", "application/rss+xml").entries
    assert entry.text == "Tom & Jerry meet in Paris"


def test_the_stored_text_is_the_layouts_text() -> None:
    # plain_text lays out text only (no places or spans): it must give the layout's text
    feed = parse_feed(FIXTURE.read_bytes(), "https://ex.org/feed", "application/rss+xml")
    docs = [document(e.summary_html, e.content_html) for e in feed.entries]
    docs.append(_doc("<ul><li>a<ol><li>b</li></ol></li></ul><blockquote>q<br>r</blockquote>"))
    assert all(doc.blocks for doc in docs)
    for doc in docs:
        assert plain_text(doc) == layout(doc).text
