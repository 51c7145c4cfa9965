"""Stories in the store: which story each article belongs to, and the LSH buckets that find
its near-duplicates.

``story_members`` holds one row per grouped article: its story, whether it is the story's
lead (the one row lists show), how it joined ("lead", "copy" for the same canonical URL or
guid, "near" for the same text), its copy keys and its MinHash signature. ``story_buckets``
maps each LSH band key to the members that have it, so finding a new article's candidates
is a few index lookups whatever the library's size. ``story_queue`` is filled by triggers
when an article arrives or its link, guid or text changes; grouping (index/stories/grouping)
empties it. Deleting an article deletes its member row; a trigger makes the next member
the lead, so a story outlives the feed that brought it first.

Bucket rows name members, not articles, and are not cascaded: a bucket row whose member is
gone is skipped when read and dropped at the next rebuild (``reset_stories``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import StoryMember
from ..times import from_iso, to_iso, utcnow
from ._base import StoreBase, _chunks

# lists leave out the articles that are not their story's lead
HIDDEN_COPY_CLAUSE = (
    "NOT EXISTS (SELECT 1 FROM story_members sm WHERE sm.article_id = a.id AND sm.lead = 0)"
)


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What grouping needs of an article waiting in the queue."""

    article_id: str
    feed_id: int
    link: str | None
    guid: str | None
    text: str
    date: datetime | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored article sharing at least one LSH bucket with the one being grouped."""

    article_id: str
    story_id: str
    day: int
    signature: bytes


class StoryWriter:
    """Grouping's view of the store inside one transaction: reads see the batch's own writes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def pending(self, limit: int) -> list[StoryInput]:
        rows = self.conn.execute(
            "SELECT a.id, a.feed_id, a.link, a.guid, a.text, a.date FROM story_queue q"
            " JOIN articles a ON a.id = q.article_id ORDER BY q.rowid LIMIT ?",
            (limit,),
        ).fetchall()
        # oldest first within the batch, so the first paper to run a story leads it
        rows.sort(key=lambda r: (r[5], r[0]))
        return [StoryInput(r[0], r[1], r[2], r[3], r[4], from_iso(r[5])) for r in rows]

    def forget(self, article_id: str) -> None:
        """Take an article out of its story (before it is grouped again)."""
        self.conn.execute("DELETE FROM story_members WHERE article_id = ?", (article_id,))

    def story_exists(self, story_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM story_members WHERE story_id = ? LIMIT 1", (story_id,)
        ).fetchone()
        return row is not None

    def done(self, article_id: str) -> None:
        self.conn.execute("DELETE FROM story_queue WHERE article_id = ?", (article_id,))

    def copy_of(self, url_key: str | None, guid_key: str | None) -> str | None:
        """The story of an article with the same canonical URL or guid, if one is stored."""
        for column, value in (("url_key", url_key), ("guid_key", guid_key)):
            if value is None:
                continue
            row = self.conn.execute(
                f"SELECT story_id FROM story_members WHERE {column} = ? ORDER BY member LIMIT 1",
                (value,),
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def candidates(self, keys: Sequence[int]) -> list[Candidate]:
        """Members sharing a bucket with ``keys``, with their signatures."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            "SELECT m.article_id, m.story_id, m.day, m.signature FROM story_members m"
            f" WHERE m.member IN (SELECT DISTINCT member FROM story_buckets WHERE key IN ({marks}))"
            " AND m.signature IS NOT NULL",
            list(keys),
        ).fetchall()
        return [Candidate(r[0], r[1], r[2], r[3]) for r in rows]

    def add(
        self,
        article_id: str,
        story_id: str,
        *,
        kind: str,
        url_key: str | None,
        guid_key: str | None,
        day: int,
        signature: bytes | None,
        keys: Sequence[int],
    ) -> None:
        """Record an article as a member of a story (its lead when ``kind`` is "lead")."""
        cur = self.conn.execute(
            "INSERT INTO story_members (article_id, story_id, lead, kind, url_key, guid_key,"
            " day, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, story_id, int(kind == "lead"), kind, url_key, guid_key, day, signature),
        )
        member = cur.lastrowid
        if keys:
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_buckets (key, member) VALUES (?, ?)",
                [(k, member) for k in keys],
            )

    def take_story_marks(self, article_id: str, story_id: str) -> None:
        """A new source of a story that was read is read; of a bookmarked one, bookmarked.

        The story is one item to the reader: a copy arriving after it was read must not
        bring it back as unread."""
        row = self.conn.execute(
            "SELECT MIN(a.read), MIN(a.bookmarked_at) FROM story_members m"
            " JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = ? AND m.article_id != ?",
            (story_id, article_id),
        ).fetchone()
        if row is None or row[0] is None:
            return
        all_read, bookmarked_at = bool(row[0]), row[1]
        if all_read:
            self.conn.execute(
                "UPDATE articles SET read = 1, read_at = ?, indexed = 0 WHERE id = ? AND read = 0",
                (to_iso(utcnow()), article_id),
            )
        if bookmarked_at is not None:
            self.conn.execute(
                "UPDATE articles SET bookmarked_at = ?, indexed = 0"
                " WHERE id = ? AND bookmarked_at IS NULL",
                (bookmarked_at, article_id),
            )


class StoriesMixin(StoreBase):
    """Reading stories, and the transaction grouping writes them in."""

    def story_writer(self) -> _WriterContext:
        """``with store.story_writer() as w:`` groups a batch in one transaction."""
        return _WriterContext(self)

    def story_queue_size(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM story_queue")[0][0])

    def reset_stories(self) -> None:
        """Forget every story and queue every article again (a rebuild)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM story_buckets")
            conn.execute("DELETE FROM story_members")
            # oldest first, so the first article of each story leads it (the queue's order)
            conn.execute("DELETE FROM story_queue")
            conn.execute(
                "INSERT INTO story_queue (article_id) SELECT id FROM articles ORDER BY date, id"
            )

    def story_article_ids(self, ids: Sequence[str]) -> list[str]:
        """The given articles and every other article of their stories."""
        out: dict[str, None] = dict.fromkeys(ids)
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for (aid,) in self._read(
                "SELECT o.article_id FROM story_members m"
                " JOIN story_members o ON o.story_id = m.story_id"
                f" WHERE m.article_id IN ({marks}) ORDER BY o.member",
                chunk,
            ):
                out.setdefault(aid, None)
        return list(out)

    def story_partners_of_feed(self, feed_id: int) -> list[str]:
        """Articles of other feeds that share a story with one of this feed's articles."""
        return [
            r[0]
            for r in self._read(
                "SELECT DISTINCT o.article_id FROM story_members m"
                " JOIN articles a ON a.id = m.article_id AND a.feed_id = ?"
                " JOIN story_members o ON o.story_id = m.story_id AND o.article_id != m.article_id"
                " WHERE m.story_id IN (SELECT story_id FROM story_members WHERE lead = 0)",
                (feed_id,),
            )
        ]

    def story_sources(self, ids: Sequence[str]) -> dict[str, int]:
        """How many feeds carry each given article's story (only stories of 2 or more)."""
        out: dict[str, int] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for aid, count in self._read(
                "SELECT m.article_id, COUNT(DISTINCT a.feed_id) FROM story_members m"
                " JOIN story_members o ON o.story_id = m.story_id"
                " JOIN articles a ON a.id = o.article_id"
                f" WHERE m.article_id IN ({marks}) GROUP BY m.article_id",
                chunk,
            ):
                if count > 1:
                    out[aid] = int(count)
        return out

    def story_ids(self, ids: Sequence[str]) -> dict[str, tuple[str, bool]]:
        """(story id, is the lead) of each given article that has been grouped."""
        out: dict[str, tuple[str, bool]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for aid, story, lead in self._read(
                f"SELECT article_id, story_id, lead FROM story_members WHERE article_id IN ({marks})",
                chunk,
            ):
                out[aid] = (story, bool(lead))
        return out

    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's articles, the lead first, then in the order they joined."""
        rows = self._read(
            "SELECT a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.date,"
            " a.read, m.kind FROM story_members m JOIN articles a ON a.id = m.article_id"
            " JOIN feeds f ON f.id = a.feed_id WHERE m.story_id = ?"
            " ORDER BY m.lead DESC, m.member",
            (story_id,),
        )
        return [_member(r) for r in rows]

    def multi_source_stories(
        self, since: datetime | None, limit: int
    ) -> list[tuple[str, list[StoryMember]]]:
        """Stories with two or more articles, newest first (by their newest article)."""
        where = ""
        params: list[object] = []
        if since is not None:
            where = " HAVING MAX(a.date) >= ?"
            params.append(to_iso(since))
        stories = self._read(
            "SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id IN (SELECT story_id FROM story_members WHERE lead = 0)"
            f" GROUP BY m.story_id{where} ORDER BY MAX(a.date) DESC, m.story_id LIMIT ?",
            [*params, limit],
        )
        return [(str(r[0]), self.story_members(str(r[0]))) for r in stories]


class _WriterContext:
    def __init__(self, store: StoreBase) -> None:
        self.store = store
        self._tx: Any = None

    def __enter__(self) -> StoryWriter:
        self._tx = self.store.transaction()
        return StoryWriter(self._tx.__enter__())

    def __exit__(self, *exc: Any) -> None:
        self._tx.__exit__(*exc)


def _member(row: tuple[Any, ...]) -> StoryMember:
    return StoryMember(
        article_id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        title=row[3],
        published=from_iso(row[4]),
        read=bool(row[5]),
        kind=row[6],
    )
