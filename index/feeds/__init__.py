"""Getting feeds: fetch (httpx), parse (feedparser and the lxml fast path), OPML."""
