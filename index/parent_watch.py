"""Worker processes that end themselves when the process that started them is gone.

Parse and index workers (``worker_pool``) notice the end of their stdin only between calls:
after a ``kill -9`` of the refresh or reindex in the middle of a long call, each one watches
its parent and exits on its own.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int, thread_name: str = "newsreader-parent-watch") -> None:
    """Exit this process once ``parent`` has died (or is a zombie)."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except OSError:
                pass
            if is_zombie(parent):
                os._exit(0)

    threading.Thread(target=watch, name=thread_name, daemon=True).start()


def is_zombie(pid: int) -> bool:
    """True for a process that has died but not been reaped (Linux; elsewhere False)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return False
