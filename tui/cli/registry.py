"""The table of ``newsreader`` commands, and the decorator that adds one to it.

A command is a function ``(args, lib) -> exit status`` with its name, help text and
arguments declared beside it::

    @command("mark-read", "mark articles read", arg("--feed"), arg("--json", action="store_true"))
    def cmd_mark_read(args: argparse.Namespace, lib: Library) -> int: ...

To add commands in a module of their own, decorate them there and name the module in
``COMMAND_MODULES``; ``parser.build_parser`` imports those modules, in that order, and turns
the table into argparse subcommands (help lists them in the order they were registered).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.index.library import Library

#: Modules of this package whose ``@command`` functions make up ``newsreader``; import order
#: is help order.
COMMAND_MODULES: tuple[str, ...] = ("commands", "daily", "stories")

Handler = Callable[[argparse.Namespace, "Library"], int]


@dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call, kept as data until the parser is built."""

    names: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*names: str, **options: Any) -> Argument:
    """An argument of a command, with ``ArgumentParser.add_argument``'s parameters."""
    return Argument(names, options)


@dataclass(frozen=True)
class Command:
    """A subcommand: what it is called, what help says, its arguments and its handler.

    ``needs_library`` False runs the handler without opening the store (``lib`` is None).
    ``parser_options`` go to ``add_parser`` (an epilog, a formatter class).
    """

    name: str
    help: str
    run: Handler
    arguments: tuple[Argument, ...] = ()
    needs_library: bool = True
    parser_options: dict[str, Any] = field(default_factory=dict)


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help_text: str,
    *arguments: Argument,
    needs_library: bool = True,
    **parser_options: Any,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the subcommand ``name``.

    Stacking two decorators gives one handler two names (``read``/``unread``); the lower
    decorator runs first, so its name comes first in help.
    """

    def register(run: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"two commands are called {name!r}")
        COMMANDS[name] = Command(
            name, help_text, run, tuple(arguments), needs_library, dict(parser_options)
        )
        return run

    return register


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def non_negative(text: str) -> int:
    """An argparse type: a whole number of 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
