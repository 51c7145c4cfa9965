"""The store's connection: opening, migrating, transactions, and SQLite errors made readable.

Every per-domain part of the store (feeds, articles, entities, the index queue, saved
searches) builds on ``StoreBase``; ``Store`` in ``__init__.py`` puts them together.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from ..errors import StoreDamagedError, StoreError
from ._schema import MIGRATIONS


class StoreBase:
    """One SQLite connection with the schema migrated to the newest version."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        # The app calls from worker threads; the connection that writes is used by one
        # thread at a time.
        self.lock = threading.RLock()
        # Reads outside a transaction go through a read-only connection of their own
        # thread (a file store in WAL mode lets them run beside a write and beside each
        # other). On one shared connection, a count a worker runs on a million articles
        # (tens of seconds) held the lock, and the app's quit, which saves its state,
        # waited behind it.
        self._in_transaction = threading.local()
        self._readers: dict[threading.Thread, sqlite3.Connection] = {}
        self._readers_lock = threading.Lock()

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Self:
        path = Path(path)
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from exc
        try:
            conn = _connect(path, readonly=readonly)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
                if mode and str(mode[0]).lower() != "wal":
                    raise StoreError(f"{path}: the database cannot use write-ahead logging")
                conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, path)
            store._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise _store_error(path, exc) from exc
        return store

    @classmethod
    def memory(cls) -> Self:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None)
        store._migrate(False)
        return store

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = list(self._readers.values()), {}
        for reader in readers:
            reader.close()
        self.conn.close()

    def _reader(self) -> sqlite3.Connection | None:
        """This thread's read connection, or None where reads use the main one: a store
        in memory (no file to open twice), or a read inside this thread's transaction
        (it must see the transaction's own writes)."""
        depth: int = getattr(self._in_transaction, "depth", 0)
        if self.path is None or depth:
            return None
        thread = threading.current_thread()
        reader = self._readers.get(thread)
        if reader is not None:
            return reader
        reader = _connect(self.path, readonly=True)
        reader.execute("PRAGMA busy_timeout = 10000")
        with self._readers_lock:
            # the app's workers run on threads that come and go: their connections go too
            ended = [t for t in self._readers if not t.is_alive()]
            for t in ended:
                self._readers.pop(t).close()
            self._readers[thread] = reader
        return reader

    def _migrate(self, readonly: bool) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer newsreader (schema {version});"
                " upgrade newsreader"
            )
        if version == len(MIGRATIONS):
            return
        if readonly:
            raise StoreError(f"{self.path} needs an upgrade but is read-only")
        for step in range(version, len(MIGRATIONS)):
            try:
                self.conn.executescript(
                    "BEGIN IMMEDIATE;"
                    + MIGRATIONS[step]
                    + f";PRAGMA user_version = {step + 1}; COMMIT;"
                )
            except sqlite3.DatabaseError:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; a database error becomes a StoreError."""
        conn = self.conn
        local = self._in_transaction
        with self.lock:
            local.depth = getattr(local, "depth", 0) + 1
            try:
                if not conn.in_transaction:
                    conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.commit()
            except sqlite3.DatabaseError as exc:
                conn.rollback()
                raise _store_error(self.path, exc) from exc
            except BaseException:
                conn.rollback()
                raise
            finally:
                local.depth -= 1

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            reader = self._reader()
            if reader is not None:
                return reader.execute(sql, params).fetchall()
            with self.lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _store_error(self.path, exc) from exc

    # -- meta and ui state -----------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def get_state(self) -> dict[str, str]:
        return {k: v for k, v in self._read("SELECT key, value FROM ui_state")}

    def set_state(self, values: dict[str, str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO ui_state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the store's file (read-only by URI where asked), in autocommit mode
    and usable from any thread: the store's own locking says who uses it when."""
    if readonly:
        return sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            timeout=10,
            isolation_level=None,
            check_same_thread=False,
        )
    return sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _store_error(path: Path | None, exc: sqlite3.DatabaseError) -> StoreError:
    message = _describe(path, exc)
    if _code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreDamagedError(message)
    return StoreError(message)


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def _code(exc: sqlite3.DatabaseError) -> int | None:
    """The primary SQLite result code of an error (from the message when Python lacks it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc)
    for needle, value in (
        ("not a database", _SQLITE_NOTADB),
        ("malformed", _SQLITE_CORRUPT),
        ("readonly", _SQLITE_READONLY),
        ("read-only", _SQLITE_READONLY),
        ("disk is full", _SQLITE_FULL),
        ("disk I/O error", _SQLITE_IOERR),
        ("locked", _SQLITE_BUSY),
        ("busy", _SQLITE_BUSY),
        ("unable to open", _SQLITE_CANTOPEN),
    ):
        if needle in text:
            return value
    return None


def _describe(path: Path | None, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    where = str(path) if path else "the database"
    code = _code(exc)
    if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
        return f"{where} is damaged or not a newsreader database ({text}); it was left untouched"
    if code == _SQLITE_READONLY:
        folder = path.parent if path else None
        if folder is not None and not os.access(folder, os.W_OK):
            return (
                f"{where} cannot be written: its folder {folder} is read-only"
                " (newsreader keeps a write-ahead log beside the database)"
            )
        return f"{where} is read-only: {text}"
    if code == _SQLITE_FULL:
        return f"the disk holding {where} is full: nothing was lost, free some space and retry"
    if code == _SQLITE_IOERR:
        return (
            f"could not write {where} ({text}): the disk may be full, over quota or failing;"
            " what was stored before is intact"
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return f"{where} is busy (another newsreader is writing); try again in a moment"
    if code == _SQLITE_CANTOPEN:
        return f"cannot open {where}: check that the directory exists and is writable"
    return f"database error in {where}: {text}"
