"""The lxml fast path must read every document it accepts exactly as feedparser does, and
hand everything unusual back to feedparser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from feedmaker import Item, atom, rss
from newsreader.index.feeds import parse as P
from newsreader.index.feeds.rss_atom import read_entries

ITEMS = [
    Item(
        "g1",
        "AT&T <b>bold</b> & more",
        "<p>Body &amp; more</p><script>x</script>",
        link="http://x/1",
        author="a@b.c (Ann)",
        tags=("x", "y", "x"),
    ),
    Item(None, "No guid", "text only", link="/relative/2"),
    Item(None, "", "<p>no title but a body long enough to give the fallback title words</p>"),
    Item("g4", "Café — “quotes” €", "<div><p>One.</p><p>Two &nbsp; x</p></div>", published=None),
    Item("g5", "Old", "b", published=datetime(1980, 1, 1, tzinfo=UTC)),
    Item("https://x.example/g6", "Absolute id", "b"),
]

RAW = [
    b'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
    b'content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title><![CDATA[CD & ata]]>'
    b"</title><link>http://s/</link><item><title><![CDATA[Hello <i>there</i> &amp; you]]></title>"
    b'<guid isPermaLink="true">http://s/p1</guid><pubDate>6 Sep 2021 16:45 EST</pubDate>'
    b"<dc:creator>Bob</dc:creator><author>x@y (Last)</author><description>teaser</description>"
    b"<content:encoded><![CDATA["
    b"<p>teaser</p><p>full text &eacute;</p>]]></content:encoded></item><item><guid>p2</guid>"
    b"<dc:date>2021-09-07</dc:date><description>&lt;p&gt;x &amp;amp; y&lt;/p&gt;</description>"
    b"</item><item><title>t</title><link>http://s/3</link><pubDate>garbage</pubDate>"
    b'<description></description><category domain="d">  spaced  </category></item>'
    b'<item><guid isPermaLink="false">rel-id</guid><title>not a link</title></item>'
    b"</channel></rss>",
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b'<title type="html">A &amp;amp; B</title><link rel="self" href="http://x/feed"/>'
    b'<link href="http://x/"/><id>x</id><entry><title type="html">X &amp;lt;b&amp;gt;</title>'
    b'<link rel="enclosure" href="http://x/e.mp3"/><link rel="alternate" href="/a1"/>'
    b"<id>tag:1</id><updated>2021-09-07T10:00:00Z</updated><author><name>Ann</name>"
    b'<email>a@x</email></author><summary>short</summary><content type="html">&lt;p&gt;long'
    b'&lt;/p&gt;</content><category term="t1" label="L1"/><category label="only label"/>'
    b"<author><name>Second</name></author></entry><entry><title>Plain &amp; text</title><id>rel-2</id>"
    b'<published>2021-09-06T10:00:00+02:00</published><content type="text">a &lt; b</content>'
    b'</entry><entry><title>s</title><id> spaced </id><summary type="html">&lt;b&gt;sum'
    b"&lt;/b&gt; tail</summary><author><email>only@mail</email></author></entry></feed>",
    b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Latin \xe9'
    b"</title><item><title>caf\xe9</title><guid>l1</guid><description>d\xe9j\xe0</description>"
    b"</item></channel></rss>",
]

DOCS = [rss("Feed & co", ITEMS), atom("Atom & co", ITEMS), *RAW]
BASES = ["https://example.org/feeds/a.xml", "file:///tmp/demo/feed.xml"]


@pytest.mark.parametrize("content_type", [None, "application/rss+xml; charset=utf-8", "text/xml"])
@pytest.mark.parametrize("url", BASES)
@pytest.mark.parametrize("doc", range(len(DOCS)))
def test_fast_path_reads_like_feedparser(
    doc: int, url: str, content_type: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = DOCS[doc]
    fast = P._parse_fast(data, url, content_type)
    if content_type == "text/xml" and not data.isascii():
        assert fast is None  # feedparser's us-ascii rule for text/* is its own business
        return
    if content_type and "utf-8" in content_type and b"iso-8859-1" in data[:60]:
        assert fast is None  # HTTP and document disagree: feedparser decides
        return
    assert fast is not None, "a plain RSS 2.0 / Atom 1.0 document takes the fast path"
    monkeypatch.setattr(P, "_parse_fast", lambda *args: None)
    slow = P.parse_feed(data, url, content_type, languages=False)  # _parse_fast leaves them
    assert (fast.title, fast.site_link) == (slow.title, slow.site_link)
    assert fast.entries == slow.entries
    assert len(fast.entries) > 0


@pytest.mark.parametrize(
    "data",
    [
        b"<rss version='2.0'><channel><item><title>&nbsp;</title></item></channel></rss>",
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        b'<rss version="0.91"><channel><title>t</title></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://b/"><title>t</title></feed>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
        b'<div xmlns="http://www.w3.org/1999/xhtml"><b>x</b></div></content></entry></feed>',
        b'<!DOCTYPE rss [<!ENTITY e "x">]><rss version="2.0"><channel/></rss>',
        b"<html><head><title>page</title></head></html>",
        b"not xml at all",
    ],
)
def test_anything_unusual_goes_to_feedparser(data: bytes) -> None:
    assert read_entries(data, "https://example.org/f") is None
