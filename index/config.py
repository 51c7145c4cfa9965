"""Where newsreader keeps its files, and the settings read from ``config.toml``."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

APP_NAME = "newsreader"
ENV_HOME = "NEWSREADER_HOME"

DEFAULT_CONFIG = """\
# newsreader configuration. Every key is optional.

[fetch]
# How many feeds are downloaded at the same time.
concurrency = 8
# Seconds allowed to connect, and for a whole feed download.
connect_timeout = 10
timeout = 30
# Largest feed body accepted, in megabytes.
max_body_mb = 20

[app]
# "textual-dark", "textual-light", or any Textual theme name.
theme = "textual-dark"
# The command that opens a link (o, and the link list), %u standing for the address;
# without it the system's default browser is used. E.g. browser = "firefox --new-tab %u"
# browser = ""
# The command that plays an article's audio or video (P). E.g. player = "mpv %u"
# player = ""
# While the app is open it refreshes every feed this often, in minutes (0: only on R).
# Feeds that asked to be left alone (Retry-After, backoff after errors) are still skipped.
refresh_minutes = 30

[keys]
# Rebind app actions (names as in the help screen's key list, keys comma-separated), e.g.:
# toggle_bookmark = "b,ctrl+b"
# focus_search = "/"
"""


DEFAULT_REFRESH_MINUTES = 30


@dataclass(frozen=True, slots=True)
class Paths:
    """Every file the library reads or writes, derived from one data directory."""

    data_dir: Path
    config_file: Path

    @property
    def db_file(self) -> Path:
        return self.data_dir / "newsreader.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@dataclass(frozen=True, slots=True)
class Settings:
    concurrency: int = 8
    connect_timeout: float = 10.0
    timeout: float = 30.0
    max_body_bytes: int = 20 * 1024 * 1024
    theme: str = "textual-dark"
    keys: dict[str, str] = field(default_factory=dict)
    browser: str = ""  # a command with %u, or "" for the system's default browser
    player: str = ""  # a command with %u that plays audio/video enclosures
    # the app's auto-refresh period in minutes; 0 turns it off. Half an hour: news sites
    # update about hourly, a conditional GET of an unchanged feed costs one small answer,
    # and it is newsboat's and most readers' order of magnitude (see notes/issue-16.md)
    refresh_minutes: int = DEFAULT_REFRESH_MINUTES


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Pick the data directory: the argument, else ``$NEWSREADER_HOME``, else platformdirs.

    With an explicit directory (argument or environment) the config file lives inside
    it, so one directory holds a whole self-contained setup.
    """
    chosen = data_dir or os.environ.get(ENV_HOME)
    if chosen:
        base = Path(chosen).expanduser()
        return Paths(data_dir=base, config_file=base / "config.toml")
    import platformdirs

    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_file=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml",
    )


def load_settings(paths: Paths) -> Settings:
    """Read ``config.toml`` if present; a broken file is a ConfigError with the reason."""
    try:
        raw = paths.config_file.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"cannot read {paths.config_file}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{paths.config_file} is not valid TOML: {exc}") from exc
    return _settings_from(data, paths.config_file)


def _settings_from(data: dict[str, Any], source: Path) -> Settings:
    fetch = data.get("fetch", {})
    app = data.get("app", {})
    keys = data.get("keys", {})
    if not isinstance(fetch, dict) or not isinstance(app, dict) or not isinstance(keys, dict):
        raise ConfigError(f"{source}: [fetch], [app] and [keys] must be tables")
    try:
        settings = Settings(
            concurrency=int(_number(fetch, "concurrency", 8, 1, 64, source)),
            connect_timeout=_number(fetch, "connect_timeout", 10, 0.1, 600, source),
            timeout=_number(fetch, "timeout", 30, 0.1, 3600, source),
            max_body_bytes=int(
                _number(fetch, "max_body_mb", 20, 0.001, 4096, source) * 1024 * 1024
            ),
            theme=str(app.get("theme", "textual-dark")),
            browser=_command(app, "browser", source),
            player=_command(app, "player", source),
            refresh_minutes=int(
                _number(app, "refresh_minutes", DEFAULT_REFRESH_MINUTES, 0, 24 * 60, source, "app")
            ),
            keys={str(k): str(v) for k, v in keys.items()},
        )
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(f"{source}: bad value: {exc}") from exc
    return settings


def _command(table: dict[str, Any], key: str, source: Path) -> str:
    """A command line from ``[app]`` that must say where the address goes (%u)."""
    raw = table.get(key, "")
    if not isinstance(raw, str):
        raise ConfigError(f'{source}: [app] {key} must be a string such as "mpv %u"')
    value = raw.strip()
    if value and "%u" not in value:
        raise ConfigError(f"{source}: [app] {key} = {raw!r} must contain %u (the address)")
    return value


def _number(
    table: dict[str, Any],
    key: str,
    default: float,
    low: float,
    high: float,
    source: Path,
    section: str = "fetch",
) -> float:
    """A number from ``[section]``, refused with the allowed range when it is out of it."""
    raw = table.get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ConfigError(f"{source}: [{section}] {key} must be a number, not {raw!r}", path=source)
    value = float(raw)
    if not low <= value <= high:  # also refuses nan
        raise ConfigError(
            f"{source}: [{section}] {key} = {raw!r} is outside {low:g}..{high:g}", path=source
        )
    return value


def write_default_config(paths: Paths) -> None:
    """Create a commented config file if there is none (never overwrites)."""
    if paths.config_file.exists():
        return
    try:
        paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        paths.config_file.write_text(DEFAULT_CONFIG, encoding="utf-8")
    except OSError:
        pass  # a read-only config location is not fatal: defaults apply
