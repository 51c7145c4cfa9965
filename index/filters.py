"""Filter rules: a query in the search language and an action on the articles it matches.

Actions are ``hide`` (kept in the store, left out of lists and searches, found with
``is:hidden``), ``mark-read``, ``bookmark`` and ``tag:NAME``. Refresh applies every
filter to the articles it stored for the first time; ``Library.apply_filters`` applies
them to all articles on request.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import NewsreaderError
from .models import FILTER_ACTIONS, Filter, FilterRun
from .store import Store
from .text import one_line


def check_filter(name: str, query: str, action: str) -> Filter:
    """A filter made from what a user typed, or a NewsreaderError saying what is wrong."""
    name = one_line(name).strip()
    query = query.strip()
    action = action.strip()
    if not name:
        raise NewsreaderError("a filter needs a name")
    if not query:
        raise NewsreaderError("a filter needs a query (it would match every article)")
    low = action.lower()
    if low in ("hide", "mark-read", "bookmark"):
        action = low
    elif low.startswith("tag:") and one_line(action[4:]).strip():
        action = "tag:" + one_line(action[4:]).strip()
    else:
        known = ", ".join(FILTER_ACTIONS)
        raise NewsreaderError(f"unknown filter action {action!r} (one of {known})")
    return Filter(name=name, query=query, action=action)


def run_filter(store: Store, rule: Filter, matched: Sequence[str]) -> FilterRun:
    """Do ``rule``'s action to the articles its query ``matched``; how many it changed."""
    ids = list(dict.fromkeys(matched))
    if rule.action == "hide":
        changed = store.set_hidden(ids, True)
    elif rule.action == "mark-read":
        changed = len(store.set_read_changed(ids, True))
    elif rule.action == "bookmark":
        changed = store.set_bookmarks(ids)
    elif rule.action.startswith("tag:"):
        changed = store.add_filter_tag(ids, rule.action[4:])
    else:  # a row written by a newer version, or edited by hand
        raise NewsreaderError(f"filter {rule.name!r} has an unknown action {rule.action!r}")
    return FilterRun(rule.name, rule.action, len(ids), changed)
