"""Settings from config.toml: good values read, bad ones refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsreader.index.config import load_settings, resolve_paths
from newsreader.index.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_values_are_read(tmp_path: Path) -> None:
    home = _write(
        tmp_path,
        '[fetch]\nconcurrency = 3\ntimeout = 12.5\nconnect_timeout = "4"\nmax_body_mb = 2\n'
        '[app]\ntheme = "textual-light"\n[keys]\ntoggle_bookmark = "x"\n',
    )
    settings = load_settings(resolve_paths(home))
    assert settings.concurrency == 3
    assert settings.timeout == 12.5
    assert settings.connect_timeout == 4.0
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.theme == "textual-light"
    assert settings.keys == {"toggle_bookmark": "x"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("timeout = -1", "timeout = -1 is outside"),
        ('timeout = "nan"', "outside"),
        ("connect_timeout = inf", "outside"),
        ("concurrency = 0", "concurrency = 0 is outside"),
        ("max_body_mb = 0", "outside"),
        ("timeout = true", "must be a number"),
        ("timeout = [1, 2]", "must be a number"),
        ('timeout = "soon"', "bad value"),
    ],
)
def test_bad_fetch_values_are_refused_with_the_reason(
    tmp_path: Path, line: str, expected: str
) -> None:
    home = _write(tmp_path, f"[fetch]\n{line}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(resolve_paths(home))
    message = str(caught.value)
    assert expected in message
    assert "config.toml" in message
