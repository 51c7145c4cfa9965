"""Compare readability-lxml and trafilatura on our saved article pages: speed and quality.

``python -m bench.extractors`` (trafilatura is not a dependency: ``pip install
trafilatura`` first to see both). Quality is counted, not judged: which of the page's
junk (adverts, navigation, comments) leaked into the extracted text, which article
sentences were lost, and whether code, ordered lists and inline code kept their shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reading" / "pages"
JUNK = [
    "ADVERTISEMENT",
    "Sponsored",
    "harbourfan22",
    "Nobody asked us",
    "Related stories",
    "Subscribe now",
    "Cookie settings",
    "newsletter",
    "Share this post",
    "worked first time",
    "Powered by",
]
KEEP = [
    "ending a ban on night arrivals",
    "noise limits are written",
    "Arrivals allowed",
    "Skerry Star",
    "$ make test",
    "# indented comment kept as written",
    "Python 3.11",
    "the error message names",
]
ROUNDS = 20


def _extractors() -> dict[str, Callable[[str], str]]:
    from readability import Document

    found: dict[str, Callable[[str], str]] = {
        "readability-lxml": lambda h: str(Document(h).summary(html_partial=True)),
    }
    try:
        import trafilatura
    except ImportError:
        return found

    def traf(h: str) -> str:
        out = trafilatura.extract(
            h,
            output_format="html",
            include_links=True,
            include_images=True,
            include_tables=True,
            include_comments=False,
            favor_precision=True,
        )
        return out or ""

    found["trafilatura"] = traf
    return found


def main() -> None:
    from newsreader.index.reading import parse_document, plain_text
    from newsreader.index.text import sanitize_html

    for page in sorted(PAGES.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for name, extract in _extractors().items():
            out = extract(html)
            start = time.perf_counter()
            for _ in range(ROUNDS):
                extract(html)
            ms = (time.perf_counter() - start) / ROUNDS * 1000
            text = plain_text(parse_document(sanitize_html(out, "https://example.org/")))
            leaked = [j for j in JUNK if j in text]
            lost = [k for k in KEEP if k in html and k not in text]
            shape = {
                "code block": "    $ make test" in text or "    $ make" not in html,
                "ordered list": "1. " in text or "<ol" not in html,
                "inline code inline": "run make from" in text or "run <code>make" not in html,
            }
            kept = ", ".join(k for k, ok in shape.items() if ok) or "none"
            print(
                f"{page.name:10} {name:17} {ms:6.2f} ms  leaked={leaked} lost={lost} kept: {kept}"
            )


if __name__ == "__main__":
    main()
