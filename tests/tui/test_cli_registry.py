"""The command table: every registered command is a subcommand, names are unique, and a
command's declared arguments reach its handler."""

from __future__ import annotations

import argparse

import pytest
from newsreader.tui.cli import registry
from newsreader.tui.cli.parser import build_parser, load_commands


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def test_every_registered_command_is_a_subcommand_in_registration_order() -> None:
    parser = build_parser()
    assert _subcommands(parser) == list(registry.COMMANDS)
    assert {"add", "search", "read", "unread", "extract", "demo"} <= set(registry.COMMANDS)


def test_a_second_command_of_the_same_name_is_refused() -> None:
    load_commands()
    with pytest.raises(ValueError, match="search"):
        registry.command("search", "again")(lambda args, lib: 0)


def test_a_new_command_gets_its_arguments() -> None:
    load_commands()

    @registry.command("echo-test", "a command added by a test", registry.arg("word"))
    def cmd_echo(args: argparse.Namespace, lib: object) -> int:
        return len(args.word)

    try:
        args = build_parser().parse_args(["echo-test", "four"])
        assert registry.COMMANDS[args.command].run(args, None) == 4  # type: ignore[arg-type]
    finally:
        del registry.COMMANDS["echo-test"]
