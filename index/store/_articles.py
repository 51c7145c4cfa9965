"""Articles in the store: writing entries as they arrive, read and bookmark marks, listing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..errors import NotFoundError
from ..models import Article, ArticleRow, ParsedEntry
from ..times import from_iso, to_iso, utcnow
from ._base import _chunks
from ._reading import ReadingMixin
from ._stories import HIDDEN_COPY_CLAUSE, queue_new_articles

_ARTICLE_COLUMNS = (
    "a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.guid, a.link, a.title, a.author,"
    " a.published, a.updated, a.summary_html, a.content_html, a.text, a.tags, a.read,"
    " a.bookmarked_at, a.language, a.hidden, a.full_html, a.full_fetched"
)
_ROW_COLUMNS = (
    "a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.date, a.read,"
    " a.bookmarked_at IS NOT NULL, a.link"
)


def article_id(feed_id: int, key: str) -> str:
    """A stable id: the feed's row id and the entry's identity key, hashed."""
    return hashlib.sha1(f"{feed_id}\x00{key}".encode()).hexdigest()[:16]


def content_hash(
    entry: ParsedEntry, published: str | None = None, updated: str | None = None
) -> str:
    """The digest an entry is known changed by; ``published``, ``updated``: its dates as
    ``to_iso`` writes them, when the caller has them already."""
    if published is None:
        published = to_iso(entry.published)
    if updated is None:
        updated = to_iso(entry.updated)
    parts = [
        entry.title,
        entry.link or "",
        entry.author or "",
        published or "",
        updated or "",
        entry.summary_html,
        entry.content_html,
        "\x1f".join(entry.tags),
        *(f"{e.url}\x1f{e.type}\x1f{e.length}" for e in entry.enclosures),
    ]
    return hashlib.sha1("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class ArticlesMixin(ReadingMixin):
    """Storing entries, marking them, and reading them back as articles and rows."""

    def store_entries(
        self,
        feed_id: int,
        entries: Sequence[ParsedEntry],
        new_ids: list[str] | None = None,
    ) -> tuple[int, int]:
        """Insert new entries and update changed ones; returns (new, updated), and appends
        the ids of the new ones to ``new_ids`` when given.

        An entry is the same article when its identity key is; it is changed when
        its content hash differs. Read and bookmark state are never touched. New
        entries get a per-feed sequence number, higher for entries nearer the top of the
        document, so entries with the same date (undated ones take the fetch time) list
        in the feed's own order.
        """
        now = to_iso(utcnow())
        new = updated = 0
        with self.transaction() as conn:
            known = dict(
                conn.execute(
                    "SELECT key, content_hash FROM articles WHERE feed_id = ?", (feed_id,)
                ).fetchall()
            )
            inserts: list[tuple[object, ...]] = []
            queued: list[tuple[str, str | None, int | None]] = []  # for grouping stories
            updates: list[tuple[object, ...]] = []
            seen: set[str] = set()
            media: list[tuple[str, ParsedEntry]] = []  # new or changed: their enclosures
            for entry in entries:
                if entry.key in seen:
                    continue  # the same id twice in one feed document: the first wins
                seen.add(entry.key)
                published, updated_at = to_iso(entry.published), to_iso(entry.updated)
                digest = content_hash(entry, published, updated_at)
                old = known.get(entry.key)
                if old == digest:
                    continue
                aid = article_id(feed_id, entry.key)
                media.append((aid, entry))
                date = published or updated_at or now
                fields = (
                    entry.guid,
                    entry.link,
                    entry.title,
                    entry.author,
                    published,
                    updated_at,
                    date,
                    entry.summary_html,
                    entry.content_html,
                    entry.text,
                    json.dumps(list(entry.tags), ensure_ascii=False),
                    digest,
                    entry.language,
                )
                if old is None:
                    inserts.append((aid, feed_id, entry.key, *fields, now))
                    check = entry.sketch.check if entry.sketch is not None else None
                    queued.append((aid, date, check))
                else:
                    updates.append((*fields, feed_id, entry.key))
            if inserts:
                top = conn.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM articles WHERE feed_id = ?", (feed_id,)
                ).fetchone()[0]
                inserts = [(*row, int(top) + len(inserts) - n) for n, row in enumerate(inserts)]
                if new_ids is not None:
                    new_ids.extend(str(row[0]) for row in inserts)
                conn.executemany(
                    "INSERT INTO articles (id, feed_id, key, guid, link, title, author, published,"
                    " updated, date, summary_html, content_html, text, tags, content_hash,"
                    " language, first_seen, seq)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    inserts,
                )
                queue_new_articles(conn, feed_id, queued)
                new = len(inserts)
            if updates:
                conn.executemany(
                    "UPDATE articles SET guid = ?, link = ?, title = ?, author = ?, published = ?,"
                    " updated = ?, date = ?, summary_html = ?, content_html = ?,"
                    " text = CASE WHEN full_html != '' THEN text ELSE ? END,"
                    " tags = ?, content_hash = ?, language = ?, indexed = 0, entities_version = 0"
                    " WHERE feed_id = ? AND key = ?",
                    updates,
                )
                updated = len(updates)
            self._write_enclosures(conn, media)
        return new, updated

    def texts_to_reread(self, after: str = "", limit: int = 500) -> list[tuple[str, str, str, str]]:
        """(id, summary_html, content_html, text) of articles whose text came from feed HTML
        with words before its first tag, ordered by id, after ``after``.

        Before 6 Dec such text was dropped (a summary "Tom &amp; Jerry" was stored as empty
        text), and soft hyphens were kept in it; ``reindex`` reads these again. Articles
        with a fetched page keep its text."""
        rows = self._read(
            "SELECT id, summary_html, content_html, text FROM articles"
            " WHERE id > ? AND full_html = '' AND ("
            " (summary_html != '' AND substr(ltrim(summary_html), 1, 1) != '<')"
            " OR (content_html != '' AND substr(ltrim(content_html), 1, 1) != '<')"
            " OR instr(text, char(173)) > 0)"
            " ORDER BY id LIMIT ?",
            (after, limit),
        )
        return [(str(a), str(s or ""), str(c or ""), str(t or "")) for a, s, c, t in rows]

    def replace_texts(self, texts: Sequence[tuple[str, str]]) -> None:
        """Store articles' re-read text, (id, text) each; they are indexed and their
        entities found again (entity offsets point into the text)."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET text = ?, indexed = 0, entities_version = 0 WHERE id = ?",
                [(text, aid) for aid, text in texts],
            )

    def set_read_changed(self, ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark articles read or unread; returns the ids whose state changed."""
        ids = list(dict.fromkeys(ids))
        now = to_iso(utcnow()) if read else None
        changed: list[str] = []
        with self.transaction() as conn:
            for chunk in _chunks(ids, 500):
                marks = ",".join("?" * len(chunk))
                found = conn.execute(
                    f"SELECT id FROM articles WHERE read != ? AND id IN ({marks})",
                    [int(read), *chunk],
                ).fetchall()
                flip = [str(r[0]) for r in found]
                conn.executemany(
                    "UPDATE articles SET read = ?, read_at = ?, indexed = 0 WHERE id = ?",
                    [(int(read), now, i) for i in flip],
                )
                changed.extend(flip)
        return changed

    def select_ids(
        self,
        view: str = "all",
        feed_id: int | None = None,
        *,
        folder: str | None = None,
        before: datetime | None = None,
        read: bool | None = None,
    ) -> list[str]:
        """Ids of the articles in a list (view, feed, folder), dated before ``before``,
        read or unread when ``read`` says which."""
        where, params = self._view_where(view, feed_id, folder)
        clauses = [where[len(" WHERE ") :]] if where else []
        if before is not None:
            clauses.append("a.date < ?")
            params.append(to_iso(before))
        if read is not None:
            clauses.append("a.read = ?")
            params.append(int(read))
        sql = "SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return [str(r[0]) for r in self._read(sql, params)]

    def filter_ids(
        self, ids: Sequence[str], *, before: datetime | None = None, read: bool | None = None
    ) -> list[str]:
        """Those of ``ids`` that are stored, not hidden, dated before ``before`` and read
        or unread when ``read`` says which (search hits narrowed for a mark-read)."""
        out: list[str] = []
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM articles WHERE hidden = 0 AND id IN ({marks})"
            params: list[object] = list(chunk)
            if before is not None:
                sql += " AND date < ?"
                params.append(to_iso(before))
            if read is not None:
                sql += " AND read = ?"
                params.append(int(read))
            out.extend(str(r[0]) for r in self._read(sql, params))
        return out

    def set_hidden(self, ids: Sequence[str], hidden: bool = True) -> int:
        """Hide articles from lists and searches (or show them again); how many changed."""
        changed = 0
        with self.transaction() as conn:
            for chunk in _chunks(list(ids), 500):
                marks = ",".join("?" * len(chunk))
                cur = conn.execute(
                    f"UPDATE articles SET hidden = ?, indexed = 0"
                    f" WHERE hidden != ? AND id IN ({marks})",
                    [int(hidden), int(hidden), *chunk],
                )
                changed += cur.rowcount
        return changed

    def add_filter_tag(self, ids: Sequence[str], tag: str) -> int:
        """Give articles a tag (a filter's ``tag:NAME``); how many did not have it yet."""
        changed = 0
        low = tag.casefold()
        with self.transaction() as conn:
            for chunk in _chunks(list(ids), 500):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT id, tags, filter_tags FROM articles WHERE id IN ({marks})", chunk
                ).fetchall()
                for aid, own, added in rows:
                    mine = json.loads(added or "[]")
                    have = {t.casefold() for t in [*json.loads(own or "[]"), *mine]}
                    if low in have:
                        continue
                    conn.execute(
                        "UPDATE articles SET filter_tags = ?, indexed = 0 WHERE id = ?",
                        (json.dumps([*mine, tag], ensure_ascii=False), aid),
                    )
                    changed += 1
        return changed

    def set_bookmarks(self, ids: Sequence[str]) -> int:
        """Bookmark many articles (a filter's action); how many were not bookmarked yet."""
        now = to_iso(utcnow())
        changed = 0
        with self.transaction() as conn:
            for chunk in _chunks(list(ids), 500):
                marks = ",".join("?" * len(chunk))
                cur = conn.execute(
                    f"UPDATE articles SET bookmarked_at = ?, indexed = 0"
                    f" WHERE bookmarked_at IS NULL AND id IN ({marks})",
                    [now, *chunk],
                )
                changed += cur.rowcount
        return changed

    def hidden_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that filters hid."""
        out: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                str(r[0])
                for r in self._read(
                    f"SELECT id FROM articles WHERE hidden = 1 AND id IN ({marks})", chunk
                )
            )
        return out

    def set_read(self, ids: Iterable[str], read: bool = True) -> int:
        ids = list(ids)
        now = to_iso(utcnow()) if read else None
        with self.transaction() as conn:
            cur = conn.executemany(
                "UPDATE articles SET read = ?, read_at = ?, indexed = 0 WHERE id = ? AND read != ?",
                [(int(read), now, i, int(read)) for i in ids],
            )
        return cur.rowcount

    def mark_feed_read(self, feed_id: int | None) -> int:
        with self.transaction() as conn:
            now = to_iso(utcnow())
            if feed_id is None:
                cur = conn.execute(
                    "UPDATE articles SET read = 1, read_at = ?, indexed = 0 WHERE read = 0", (now,)
                )
            else:
                cur = conn.execute(
                    "UPDATE articles SET read = 1, read_at = ?, indexed = 0"
                    " WHERE read = 0 AND feed_id = ?",
                    (now, feed_id),
                )
        return cur.rowcount

    def set_bookmark(self, article_id: str, on: bool) -> datetime | None:
        """Bookmark (keeping the first time it was bookmarked) or unbookmark."""
        self.article_exists(article_id)
        with self.transaction() as conn:
            if on:
                conn.execute(
                    "UPDATE articles SET bookmarked_at = COALESCE(bookmarked_at, ?), indexed = 0"
                    " WHERE id = ?",
                    (to_iso(utcnow()), article_id),
                )
            else:
                conn.execute(
                    "UPDATE articles SET bookmarked_at = NULL, indexed = 0 WHERE id = ?",
                    (article_id,),
                )
            row = conn.execute(
                "SELECT bookmarked_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return from_iso(row[0]) if row else None

    # -- articles: reading --------------------------------------------------------------

    def article_exists(self, article_id: str) -> None:
        if not self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
            raise NotFoundError(f"no article with id {article_id}")

    def resolve_article_id(self, prefix: str) -> str:
        """Accept a full id or an unambiguous prefix of at least 6 characters."""
        prefix = prefix.strip().lower()
        if self._read("SELECT 1 FROM articles WHERE id = ?", (prefix,)):
            return prefix
        if len(prefix) >= 6:
            rows = self._read(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (prefix, prefix + "\uffff"),
            )
            if len(rows) == 1:
                return str(rows[0][0])
            if len(rows) > 1:
                raise NotFoundError(f"article id {prefix} is ambiguous")
        raise NotFoundError(f"no article with id {prefix}")

    def article(self, article_id: str) -> Article:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return self._with_enclosures([_article(rows[0])])[0]

    def articles(self, ids: Sequence[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._read(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
                f" WHERE a.id IN ({marks})",
                chunk,
            ):
                art = _article(row)
                out[art.id] = art
        return {a.id: a for a in self._with_enclosures(list(out.values()))}

    def rows(self, ids: Sequence[str]) -> dict[str, ArticleRow]:
        out: dict[str, ArticleRow] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._read(
                f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
                f" WHERE a.id IN ({marks})",
                chunk,
            ):
                out[row[0]] = _row(row)
        return out

    def _view_where(
        self,
        view: str,
        feed_id: int | None,
        folder: str | None = None,
        *,
        collapse: bool = True,
    ) -> tuple[str, list[object]]:
        """The WHERE of a view; across feeds a story is one row (its lead), unless not
        ``collapse``; a feed's own list shows its own copy."""
        clauses: list[str] = []
        params: list[object] = []
        if collapse and feed_id is None:
            clauses.append(HIDDEN_COPY_CLAUSE)
        if view == "hidden":
            clauses.append("a.hidden = 1")
        else:
            clauses.append("a.hidden = 0")
            if view == "unread":
                clauses.append("a.read = 0")
            elif view == "bookmarks":
                clauses.append("a.bookmarked_at IS NOT NULL")
            elif view != "all":
                raise ValueError(f"unknown view {view!r}")
        if feed_id is not None:
            clauses.append("a.feed_id = ?")
            params.append(feed_id)
        if folder:
            path = folder.strip("/")
            clauses.append(
                "a.feed_id IN (SELECT id FROM feeds WHERE folder = ? COLLATE NOCASE"
                " OR folder LIKE ? ESCAPE '\\')"
            )
            params += [path, _like_prefix(path) + "/%"]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_articles(
        self,
        view: str = "all",
        feed_id: int | None = None,
        *,
        folder: str | None = None,
        limit: int = 100,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[ArticleRow]:
        """A page of article rows, newest first (bookmarks: most recently bookmarked first).

        ``reverse`` counts ``offset`` from the other end and lists oldest first: the end of
        a long list costs what its start costs (SQLite walks OFFSET rows one by one).
        """
        where, params = self._view_where(view, feed_id, folder)
        if view == "bookmarks":
            order = "a.bookmarked_at, a.id DESC" if reverse else "a.bookmarked_at DESC, a.id"
        else:
            # same date (undated entries of one fetch): the feed's order, by sequence
            order = "a.date, a.seq, a.id DESC" if reverse else "a.date DESC, a.seq DESC, a.id"
        rows = self._read(
            f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f"{where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_row(r) for r in rows]

    def count_articles(
        self, view: str = "all", feed_id: int | None = None, *, folder: str | None = None
    ) -> int:
        where, params = self._view_where(view, feed_id, folder, collapse=False)
        total = int(self._read(f"SELECT COUNT(*) FROM articles a{where}", params)[0][0])
        if feed_id is not None:
            return total
        # the rows a collapsed list leaves out, counted from the (few) hidden copies: a
        # NOT EXISTS over every article would cost a lookup per article on each count
        hidden_where, hidden_params = self._view_where(view, None, folder, collapse=False)
        hidden_where += " AND a.id IN (SELECT article_id FROM story_members WHERE lead = 0)"
        hidden = int(
            self._read(f"SELECT COUNT(*) FROM articles a{hidden_where}", hidden_params)[0][0]
        )
        return total - hidden

    def bookmarks(self) -> list[tuple[Article, datetime]]:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.bookmarked_at IS NOT NULL ORDER BY a.bookmarked_at DESC, a.id"
        )
        out = []
        for art in self._with_enclosures([_article(row) for row in rows]):
            assert art.bookmarked_at is not None
            out.append((art, art.bookmarked_at))
        return out

    def unread_ids(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self._read(
                    f"SELECT id FROM articles WHERE read = 0 AND id IN ({marks})", chunk
                )
            )
        return out

    def article_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM articles")[0][0])

    def article_rows_hint(self) -> int:
        """At least the number of articles, read in a few pages: the highest row number
        (rows deleted leave it as it was). COUNT(*) reads a whole index: 0.1-0.6 s at a
        million, which the app's first screen cannot wait for."""
        return int(self._read("SELECT COALESCE(MAX(rowid), 0) FROM articles")[0][0])


def _article(row: tuple[Any, ...]) -> Article:
    return Article(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        guid=row[3],
        link=row[4],
        title=row[5],
        author=row[6],
        published=from_iso(row[7]),
        updated=from_iso(row[8]),
        summary_html=row[9],
        content_html=row[10],
        text=row[11],
        tags=tuple(json.loads(row[12] or "[]")),
        read=bool(row[13]),
        bookmarked_at=from_iso(row[14]),
        language=row[15],
        hidden=bool(row[16]),
        full_html=row[17] or "",
        full_fetched=from_iso(row[18]),
    )


def _like_prefix(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards escaped with a backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(row: tuple[Any, ...]) -> ArticleRow:
    return ArticleRow(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        title=row[3],
        published=from_iso(row[4]),
        read=bool(row[5]),
        bookmarked=bool(row[6]),
        link=row[7],
    )
