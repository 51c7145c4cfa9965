"""The argparse side of ``newsreader``: the options every command shares and the parser
built from the command table (``registry.COMMANDS``).

argparse keeps start-up fast; nothing here imports the core beyond its version.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from newsreader.index import __version__

from .registry import COMMAND_MODULES, COMMANDS


class _Parser(argparse.ArgumentParser):
    """Usage errors are the usage line and one message, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def load_commands() -> None:
    """Import the modules that register commands (idempotent: imports run once)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}")


def build_parser() -> argparse.ArgumentParser:
    load_commands()
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the library lives (default: $NEWSREADER_HOME or the platform data dir)",
    )
    parser = _Parser(
        prog="newsreader",
        description="A keyboard-driven terminal news reader. Without a command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for spec in COMMANDS.values():
        p = sub.add_parser(
            spec.name,
            help=spec.help,
            description=spec.help,
            parents=[common],
            **spec.parser_options,
        )
        for argument in spec.arguments:
            p.add_argument(*argument.names, **argument.options)
    return parser
