"""Untrusted text made safe: the quick test for text with nothing to remove."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index import text as text_module
from newsreader.index.text import safe_text


def patterns_only(value: str) -> str:
    """safe_text without its quick test: the escape and control patterns on everything."""
    if not value:
        return ""
    if "\x1b" in value or "\x9b" in value or "\x9d" in value:
        value = text_module._ESCAPES.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return text_module._CONTROLS.sub("", value)


# what the patterns touch, what they keep that is unprintable, and ordinary text
PIECES = [
    *"\x00\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x80\x9b\x9c\x9d\x9f\xa0\xad",
    *"\u200b\u200d\u2028\u2029\u202a\u202e\u2060\u2066\u2069\u3000\ufeff\ud800\udfff",
    "\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "Bundes\u00adregierung", "caf\u00e9", "\u2019",
    "<p>a</p>", " ", "word", "\U0001f600", "\r\n",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=30))
def test_the_quick_test_changes_nothing(parts: list[str]) -> None:
    value = "".join(parts)
    assert safe_text(value) == patterns_only(value)


def test_printable_text_is_not_run_through_the_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    html = "<p>The harbour\tauthority said\u00a0on Tuesday \u2019that\u2019</p>\n" * 20
    controls = text_module._CONTROLS

    class Counted:
        calls = 0

        def sub(self, repl: str, value: str) -> str:
            Counted.calls += 1
            return controls.sub(repl, value)

    monkeypatch.setattr(text_module, "_CONTROLS", Counted())
    assert safe_text(html) is html
    assert Counted.calls == 0  # ~50 ns a character saved on every article's HTML
    assert safe_text("a\rb") == "a\nb" and safe_text("a\u00adb") == "ab"
    assert Counted.calls == 2
