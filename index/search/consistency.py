"""Keeping the search index in step with the store, across crashes and other processes.

The index is derived: the store says what it should hold (``Store.pending_index``), and
a token plus a generation number say whether the index on disk is the one the store
knows. The token is written both in the store's meta table and in a file inside the index
directory when an index is made; every committed batch moves the generation on, first in
the file, then in the store. On open, a token that differs means another index (rebuild
it); a generation behind the store, or more than one ahead, means divergence (rebuild it);
one ahead is a crash between the two writes (its batch is simply written again).

A ``reindex`` takes an exclusive lock on a file beside the index (not in it: a rebuild
removes the index), so two processes never remove each other's index; a process whose
open index was replaced meanwhile reopens it and catches up (``ConsistentIndex.use``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import NewsreaderError, SearchIndexError, StoreDamagedError, StoreError
from ..models import IndexDoc, Progress

if TYPE_CHECKING:
    from ..store import Store
    from .index import SearchIndex
    from .writer import DocLoader

TOKEN_FILE = "newsreader-token"
REBUILD_LOCK_FILE = "reindex.lock"  # beside the index, not in it: a rebuild removes the index
_REBUILD_WAIT = 60.0  # seconds a reindex waits for another process's reindex to finish
_T = TypeVar("_T")


class ConsistentIndex:
    """The search index of one library, opened on first use and kept in step with its store.

    ``notices`` collects what the user should be told once (an index rebuilt, an update
    delayed); the Library shares its own list.
    """

    def __init__(self, store: Store, index_dir: Path, lock_dir: Path, notices: list[str]) -> None:
        self.store = store
        self.index_dir = index_dir
        self.lock_dir = lock_dir
        self.notices = notices
        self._index: SearchIndex | None = None
        self._lock = threading.RLock()  # opening and closing the index
        self._sync_lock = threading.RLock()  # one sync (or reindex) at a time
        self._in_flight = 0  # articles the running sync is writing
        self._resyncing = False  # use() is catching up a reopened index

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use; rebuilt (and the user told) if broken."""
        with self._lock:
            if self._index is None:
                self._index = self._open()
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def _discard(self, idx: SearchIndex | None = None) -> None:
        """Forget the open index (only if it is still ``idx``, when given), closing it
        quietly: its files may be gone already, replaced by another process's rebuild."""
        with self._lock:
            if self._index is not None and (idx is None or self._index is idx):
                with contextlib.suppress(Exception):
                    self._index.close()
                self._index = None

    def _open(self, *, announce: bool = True) -> SearchIndex:
        from .index import SearchIndex

        path = self.index_dir
        token_file = path / TOKEN_FILE
        try:
            idx = SearchIndex.open(path)
        except SearchIndexError as exc:
            self.notices.append(
                f"the search index was unreadable ({exc}); rebuilt it from the store"
            )
            shutil.rmtree(path, ignore_errors=True)
            idx = SearchIndex.open(path)
            self._stamp_new_index(token_file)
            return idx
        token = self.store.get_meta("index_token")
        on_disk, on_disk_generation = _read_token(token_file)
        if idx.is_new():
            if announce and self.store.article_count() and token is not None:
                self.notices.append("the search index was missing; rebuilt it from the store")
            self._stamp_new_index(token_file)
            return idx
        claim = self.store.index_claim()
        if claim is not None and token is not None and on_disk == token:
            self._settle_claim(claim, on_disk_generation, idx)
        generation = self._store_generation()
        problem = None
        if token is None or on_disk != token:
            problem = "the search index did not match the store; rebuilding it"
        elif not _generations_agree(on_disk_generation, generation):
            problem = (
                f"the search index is out of step with the store (index generation"
                f" {on_disk_generation}, store {generation}); rebuilding it"
            )
        if problem is not None:
            if self.store.article_count():
                self.notices.append(problem)
            # start from empty: documents the store no longer has must not linger
            idx.close()
            shutil.rmtree(path, ignore_errors=True)
            idx = SearchIndex.open(path)
            self._stamp_new_index(token_file)
        return idx

    def _settle_claim(
        self, claim: tuple[int, list[str]], on_disk: int | None, idx: SearchIndex
    ) -> None:
        """A batch claimed by a process that stopped before confirming it (killed, or
        quit mid-write): the index either committed it (confirm it) or not (pending again).
        A batch another process is writing right now is left to that process."""
        generation, _ids = claim
        if on_disk == generation and generation:
            self.store.finish_index_claim([], generation)
        elif not idx.is_being_written():
            self.store.release_index_claim()

    def _store_generation(self) -> int | None:
        value = self.store.get_meta("index_generation")
        return int(value) if value and value.isdigit() else None

    def _stamp_new_index(self, token_file: Path) -> None:
        token = secrets.token_hex(8)
        self.store.mark_all_unindexed()
        _write_token(token_file, token, 0)
        self.store.set_meta("index_token", token)
        self.store.set_meta("index_generation", "0")

    def sync(self, progress: Progress | None = None, *, when_pending: bool = False) -> int:
        """Bring the index up to date with the store: one writer, one commit per batch.

        Searches in other threads go on meanwhile (on the last commit): only one sync runs
        at a time, and opening the index is the only thing it shares a lock with.
        ``when_pending``: an index not open yet is opened only if the store has something
        for it (refresh: opening reads every segment, a cost that grows with the library;
        the next search opens and checks it as always).
        """
        with self._sync_lock:
            if when_pending and self._index is None and self._nothing_pending():
                return 0
            _ = self.index  # opened first: a rebuilt index marks every article unindexed
            write, delete = self.store.pending_index()
            if not write and not delete:
                return 0
            if progress:
                progress(0, len(write), "indexing")
            from .writer import worker_count

            load: DocLoader = self.store.index_docs
            procs = 1  # a store in memory (tests): its documents load only in this process
            if self.store.path is not None:
                load, procs = StoreDocs(str(self.store.path)), worker_count()
            # Each committed batch moves the generation on: the store claims the batch for
            # it first (so an article changed meanwhile is caught up by the next batch), then
            # the index commits and its token file says so, then the store closes the claim.
            # A crash after the index's commit leaves the index one ahead (allowed); before
            # it, an open claim the index never reached (_open rebuilds the index).
            generation = (self._store_generation() or 0) + 1
            self.store.claim_for_index(write, generation)
            self._in_flight = len(write)
            try:
                count = self.use(lambda idx: idx.write_ids(write, delete, load=load, procs=procs))
                token = self.store.get_meta("index_token")
                if token is not None:
                    _write_token(self.index_dir / TOKEN_FILE, token, generation)
            except BaseException:
                with contextlib.suppress(NewsreaderError):
                    self.store.release_index_claim()
                raise
            finally:
                self._in_flight = 0
            self.store.finish_index_claim(delete, generation)
            if progress:
                progress(len(write), len(write), "indexing")
            return count

    def _nothing_pending(self) -> bool:
        """True if the store has nothing for the index: no article to (re)write, none to
        drop, no batch a stopped process left claimed."""
        write, delete = self.store.pending_index(limit=1)
        return not write and not delete and self.store.index_claim() is None

    def pending(self) -> int:
        """Articles stored but not searchable yet (a sync is running or still to come)."""
        return self.store.pending_index_count() + self._in_flight

    def try_sync(self, *, when_pending: bool = False) -> int:
        """Sync, but a busy or broken index only delays search: the store already has it all."""
        try:
            return self.sync(when_pending=when_pending)
        except StoreDamagedError:
            raise  # not a delay: the store itself is unusable
        except NewsreaderError as exc:
            self.notices.append(f"search index not updated yet ({exc}); it catches up next time")
            return 0

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the store (one process at a time)."""
        with self._sync_lock, _rebuild_lock(self.lock_dir):
            for attempt in range(3):
                with self._lock:
                    self._discard()
                    shutil.rmtree(self.index_dir, ignore_errors=True)
                    self._index = self._open(announce=False)
                try:
                    return self.sync(progress)
                except SearchIndexError as exc:
                    # another process (a refresh, a bookmark catching the index up) wrote
                    # into the directory while it was being replaced: start again
                    if attempt == 2:
                        raise SearchIndexError(
                            "the search index is busy: other processes kept writing to it "
                            f"during the rebuild ({exc}); try again in a moment",
                            path=self.index_dir,
                        ) from exc
                    time.sleep(0.2 * (attempt + 1))
            raise AssertionError("unreachable")

    def use(self, action: Callable[[SearchIndex], _T]) -> _T:
        """Run ``action`` on the index, reopening it if another process rebuilt it meanwhile.

        A `reindex` in another process replaces the index directory; this process's open
        searcher then finds its files gone (Whoosh's EmptyIndexError, FileNotFoundError).
        That is a moment's business, not damage: reopen and try again, else say it is busy.
        """
        from whoosh.index import IndexError as WhooshIndexError

        for attempt in range(3):
            idx = self.index
            try:
                return action(idx)
            except (OSError, WhooshIndexError) as exc:
                self._discard(idx)
                if attempt == 2:
                    raise SearchIndexError(
                        "the search index is busy: another process is rebuilding it "
                        f"({type(exc).__name__}); try again in a moment",
                        path=self.index_dir,
                    ) from exc
                time.sleep(0.2 * (attempt + 1))
                if not self._resyncing:  # the reopened index may be new: fill it first
                    self._resyncing = True
                    try:
                        self.try_sync()
                    finally:
                        self._resyncing = False
        raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class StoreDocs:
    """Loads articles' index documents from the store at ``db_path``, read-only.

    Picklable, so each of the index's writer processes loads its own share of a big write
    (only ids cross the pipe)."""

    db_path: str

    def __call__(self, ids: Sequence[str]) -> Iterator[IndexDoc]:
        from ..store import Store

        store = Store.open(self.db_path, readonly=True)
        try:
            yield from store.index_docs(ids)
        finally:
            store.close()


@contextlib.contextmanager
def _rebuild_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the data directory's reindex lock file (POSIX flock; where
    there is none, no lock), so two `reindex` runs never remove each other's index."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    lock_path = data_dir / REBUILD_LOCK_FILE
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held across yield
    except OSError as exc:
        raise StoreError(
            f"cannot lock {data_dir} for a reindex: {exc.strerror}", path=lock_path
        ) from exc
    with handle:
        deadline = time.monotonic() + _REBUILD_WAIT
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SearchIndexError(
                        "the search index is busy: another process is rebuilding it",
                        path=lock_path,
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_token(path: Path) -> tuple[str | None, int | None]:
    """(token, generation) from the index's token file; an old file holds only the token."""
    try:
        parts = path.read_text().split()
    except OSError:
        return None, None
    token = parts[0] if parts else None
    generation = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return token, generation


def _write_token(path: Path, token: str, generation: int) -> None:
    """Replace the token file in one step, so a crash never leaves half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{token} {generation}\n")
    os.replace(tmp, path)


def _generations_agree(index: int | None, store: int | None) -> bool:
    """The index may be one batch ahead of the store (crash after its commit), never behind
    or further ahead; unknown generations (older versions) are trusted."""
    if index is None or store is None:
        return True
    return index in (store, store + 1)
