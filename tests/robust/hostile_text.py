"""Text that tries to take over a terminal or a Rich/Textual renderer (used by several tests)."""

from __future__ import annotations

import json
import re

ATTACKS = {
    "sgr": "\x1b[31;5mRED\x1b[0m",
    "clear": "\x1b[2J\x1b[H",
    "osc52": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "osc8": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "title": "\x1b]0;pwned window title\x07",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "c1": "\x9b31m\x9d0;c1 title\x9c",
    "c0": "bell\x07 back\x08 nul\x00 vt\x0b ff\x0c del\x7f",
    "cr": "visible\rHIDDEN",
    "bidi": "invoice \u202egnp.exe\u202c \u2066iso\u2069",
}
MARKUP = "[bold red]loud[/bold red] [@click=app.quit]quit[/] [link=https://evil.example]x[/link]"

# What must never reach the output: escape/control bytes and bidi controls (newline and tab
# are fine). \r is a control too: it lets later text overwrite earlier text on the line.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile(label: str) -> str:
    """Every attack and the markup, around a plain word a test can search for."""
    return f"{label} " + " ".join(ATTACKS.values()) + " " + MARKUP


def json_feed(word: str) -> bytes:
    """A JSON Feed whose title, author, tags and content are all hostile."""
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": hostile("Feed"),
        "home_page_url": "https://hostile.example/",
        "authors": [{"name": hostile("Author")}],
        "items": [
            {
                "id": "t1",
                "url": "https://hostile.example/t1",
                "title": hostile(f"Title {word}"),
                "content_html": "<p>" + hostile("Body") + "</p><p>second paragraph</p>",
                "tags": [hostile("tag")],
                "date_published": "2026-03-01T10:00:00Z",
            }
        ],
    }
    return json.dumps(doc).encode()


def rss_feed(word: str) -> bytes:
    """The same in RSS, the controls as character references and raw bytes (which XML forbids,
    so feedparser reads it in its forgiving mode)."""

    def ref(text: str) -> str:
        out = []
        for ch in text:
            if ch == "&":
                out.append("&amp;")
            elif ch == "<":
                out.append("&lt;")
            elif (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F:
                out.append(f"&#{ord(ch)};")
            else:
                out.append(ch)
        return "".join(out)

    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{ref(hostile('RSS feed'))}</title><link>https://hostile.example/</link>"
        f"<item><guid>r1</guid><title>{ref(hostile(f'Rss {word}'))}</title>"
        f"<author>{ref(hostile('Writer'))}</author>"
        f"<category>{ref(hostile('cat'))}</category>"
        f"<link>https://hostile.example/r1</link>"
        f"<description>{ref('<p>' + hostile('Desc') + '</p>')}</description></item>"
        "</channel></rss>"
    ).encode()
