"""Handing an address to another program: the browser, a media player, the clipboard.

Only http(s) addresses are ever handed on. A configured command (``browser``/``player`` in
config.toml) is split like a shell line and run without a shell, the address replacing
``%u`` as one argument, so nothing in a feed's URL can become a second command. Copying
uses OSC 52, which many terminals support but some refuse or need enabling (tmux needs
``set-clipboard on``); ``copy_note`` says so honestly.
"""

from __future__ import annotations

import os
import shlex
import subprocess

from newsreader.index.text import is_openable_url


class LaunchError(Exception):
    """The address could not be handed on; the message says why, in one line."""


def command_line(template: str, url: str) -> list[str]:
    """``template`` split into arguments with ``%u`` replaced by ``url`` (one argument)."""
    try:
        parts = shlex.split(template)
    except ValueError as exc:
        raise LaunchError(f"cannot read the command {template!r}: {exc}") from exc
    if not parts:
        raise LaunchError("the command is empty")
    return [part.replace("%u", url) for part in parts]


def launch(template: str, url: str) -> None:
    """Start ``template`` for ``url`` in the background, detached from the terminal."""
    if not is_openable_url(url):
        raise LaunchError("only http and https links are opened")
    argv = command_line(template, url)
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise LaunchError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc


def open_in_browser(url: str, browser: str = "") -> None:
    """Open ``url`` with the configured ``browser`` command, else the system's default."""
    if not is_openable_url(url):
        raise LaunchError("only http and https links are opened")
    if browser:
        launch(browser, url)
        return
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except Exception as exc:  # a broken browser setup must not crash the app
        raise LaunchError(str(exc)) from exc
    if not opened:
        raise LaunchError('no browser found: set browser = "yourbrowser %u" in config.toml')


def copy_note() -> str:
    """What to tell the reader after copying with OSC 52, which cannot be confirmed."""
    term = os.environ.get("TERM", "")
    if term in ("linux", "dumb", ""):
        return "this terminal does not support copying (OSC 52): select the text instead"
    if os.environ.get("TMUX"):
        return "sent to the clipboard by OSC 52 (in tmux this needs set-clipboard on)"
    return "sent to the clipboard by OSC 52 (if nothing arrives, the terminal refuses it)"
