"""``newsreader``'s entry point: no command opens the app; a command runs headless.

Errors are one line on stderr; exit 0 success, 1 failure, 2 usage, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from newsreader.index.errors import NewsreaderError

from .output import say
from .parser import build_parser
from .registry import COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    try:
        if args.command is None:
            from newsreader.tui.crash import run_app

            return run_app(data_dir)
        spec = COMMANDS[args.command]
        if not spec.needs_library:
            return spec.run(args, None)  # type: ignore[arg-type]
        from newsreader.index import open_library

        with open_library(data_dir) as lib:
            try:
                return spec.run(args, lib)
            finally:
                for notice in lib.notices:
                    say(f"newsreader: {notice}", sys.stderr)
    except NewsreaderError as exc:
        say(f"newsreader: error: {exc}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        say(f"newsreader: error: {reason}{where}", sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        say(
            f"newsreader: internal error: {type(exc).__name__}: {exc}"
            " (set NEWSREADER_DEBUG=1 for details)",
            sys.stderr,
        )
        return 1
