"""Stories in the store: which story each article belongs to, its copy keys and the
MinHash signature its near-duplicates are found by.

``story_members`` holds one row per article of a story of two or more: its story, whether
it is the story's lead (the one row lists show), how it joined ("lead", "copy" for the same
canonical URL or guid, "near" for the same text), a 64-bit hash of each copy key and its
day. An article alone in its story (most of them) has no row: every reader takes a missing
row as a story of one, named by the article's id. Its copy keys' hashes are kept in
``story_keys`` with its member number (a number is given to every grouped article), and
it gets its row, under that number, when its story gains a member. Copies are found
through the indexes on the hashes and the kept keys, in two tables: each batch writes to
``story_keys_recent``, small, and once that holds ``MERGE_KEYS`` they are moved to
``story_keys`` in hash order (rows appended, found through a unique index on the hash).
A batch's random inserts then rewrite the small table's few index pages, and the big
index is rewritten once per merge, not once per batch: the pages a batch writes no longer
grow with the library. Look-ups read both. The signatures are kept apart, in
``story_sketches``: one row per day of each grouped batch, holding its members' numbers,
articles and signatures, so the near-duplicate candidates of a batch (the members dated
within a window of it) are a few rows; grouping bands them in memory
(index/stories/grouping.py). A kept key or signature stands while its article is stored
and has no row, or its row has that number (an article grouped again gets a new number).
Members grouped before schema 8 hold their signature in their own row (and before 9 their
copy keys themselves), and are read too. ``story_queue`` is filled when an article
arrives (``changed`` 0, by the store step: ``queue_new_articles``) or its link, guid or
text changes (``changed`` 1, by a trigger; such an article gets a row even alone);
grouping empties it. Deleting an article deletes its member row (what was kept of it is
then skipped); a trigger makes the next member the lead, so a story outlives the feed
that brought it first.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as datetime_date
from datetime import datetime
from itertools import accumulate, compress, pairwise
from operator import ne
from typing import Any

from ..models import StoryMember
from ..times import from_iso, to_iso, utcnow
from ._base import StoreBase, _chunks

# A member alone in its story keeps story_id '' (its story is its own id): the index on
# story_id then holds only stories of two or more (``OWN_STORY``, ``story_of``). Every
# look-up by story id says ``story_id != ''``, so that SQLite may use that partial index.
OWN_STORY = ""


def story_of(table: str) -> str:
    """The SQL of a member row's story id."""
    return f"COALESCE(NULLIF({table}.story_id, ''), {table}.article_id)"


# lists leave out the articles that are not their story's lead
HIDDEN_COPY_CLAUSE = (
    "NOT EXISTS (SELECT 1 FROM story_members sm WHERE sm.article_id = a.id AND sm.lead = 0)"
)


# not frozen: a frozen one costs ~3x to make
@dataclass(slots=True)
class StoryInput:
    """An article waiting in the queue, as the queue has it."""

    article_id: str
    date: str | None  # as stored, noted when the store step queued it
    day: int  # days since 1970-01-01 (UTC) of ``date``
    # the checksum of the sketch of the entry it was inserted from, when it is as inserted
    # (link, guid and text not changed since), else None
    sketch_check: int | None
    changed: bool  # queued since its link, guid or text changed (not as inserted)
    grouped: bool  # it has a member row (from before its text changed)
    story_taken: bool  # some stored member's story has this article's id


# how a queued article was queued (``Queued.flags``), bits of one number
CHANGED, GROUPED, STORY_TAKEN = 1, 2, 4


@dataclass(slots=True)
class Queued:
    """The articles ``pending`` gave, as columns (item ``n`` in each): an object per
    article cost more than the rest of reading them. Iterated, one ``StoryInput`` each."""

    article_ids: list[str]
    dates: list[str | None]
    checks: list[int | None]
    flags: list[int]  # CHANGED | GROUPED | STORY_TAKEN
    day_number: Callable[[str | None], int]

    def __len__(self) -> int:
        return len(self.article_ids)

    def __iter__(self) -> Iterator[StoryInput]:
        day = self.day_number
        for aid, date, check, f in zip(
            self.article_ids, self.dates, self.checks, self.flags, strict=True
        ):
            yield StoryInput(
                aid,
                date,
                day(date),
                check,
                f & CHANGED != 0,
                f & GROUPED != 0,
                f & STORY_TAKEN != 0,
            )


@dataclass(slots=True)
class StoredArticle:
    """What grouping reads of an article it must sketch itself."""

    link: str | None
    guid: str | None
    title: str
    date: str
    day: int
    text: str


@dataclass(slots=True)
class Candidate:
    """A stored article a new one may join: a copy's or a near-duplicate's."""

    article_id: str
    story_id: str
    member: int  # its member number
    # it has a member row; else it is alone in its story (its own id), with none, and
    # gets its row (under ``member``) when the story gains a member
    has_row: bool = True


@dataclass(slots=True)
class PlacedBatch:
    """A batch's articles placed in their stories, to be written: one column per field,
    item ``n`` in each (a batch is mostly articles alone, and an object per article cost
    more than the rest of their writing)."""

    article_ids: list[str]
    story_ids: list[str]
    kinds: list[str]  # "lead", "copy" or "near"
    url_hashes: list[int | None]  # the copy keys' hashes (``stories.urls.key_hash``)
    guid_hashes: list[int | None]
    days: list[int]
    # queued changed (or grouped before): a lead alone in its story gets no member row
    # unless so (then its row, under a new number, tells its earlier keys and signature
    # apart as stale)
    changed: list[bool]
    signed: list[int]  # the items with a signature, in order
    # what is kept of their signatures (grouping's choice of slot width), one after the
    # other, all of one width
    signatures: bytes


@dataclass(slots=True)
class Window:
    """Signatures of members dated near the articles being grouped, by the row they were
    kept in: member numbers (int64 bytes, all rows one after the other), and each row's
    day, signatures and articles. A member may have gone since its signature was kept
    (``StoryWriter.candidates`` says which are still there). Member ``at`` of the window
    is the ``at``-th number of ``members``."""

    members: bytes
    # (how many members, their signatures one after the other) per row read; a row may
    # hold signatures of another slot width than the next (grouping reads the width)
    signatures: list[tuple[int, bytes]]
    days: list[int]  # one per row: the day of its members
    # each row's articles as kept ("\n" between them; from schema 10), None for a member
    # kept before, looked up by its number: cut only for the rows a candidate is in
    named: list[str | None]
    _starts: list[int] = field(default_factory=list)  # each row's first member
    _cut: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._starts = list(accumulate((count for count, _ in self.signatures), initial=0))

    def article(self, at: int) -> str | None:
        """The article of the window's ``at``-th member, if its row names it."""
        row = bisect_right(self._starts, at) - 1
        named = self.named[row]
        if named is None:
            return None
        cut = self._cut.get(row)
        if cut is None:
            cut = self._cut[row] = named.split("\n")
        return cut[at - self._starts[row]]


# the day number of each date (its first ten characters) ``StoryWriter.day_number`` met
_DAYS: dict[str, int] = {}
_EPOCH = datetime_date(1970, 1, 1)

# the days of each month of a common year (``StoryWriter.day_numbers``)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# a statement's parameters are chunked below SQLite's limit (32,766 since 3.32)
_MAX_PARAMS = 5000

# the recent keys are merged into story_keys once there are this many (about ten batches'
# worth): a batch's inserts then touch at most a ~75-page index, and story_keys' index is
# rewritten once per merge. Larger merges rewrite the big index less often but make every
# batch's inserts into the small one dearer; at 100k articles ~20,000 is about the least
# of the two together
MERGE_KEYS = 20_000


def queue_new_articles(
    conn: sqlite3.Connection, feed_id: int, articles: Sequence[tuple[str, str | None, int | None]]
) -> None:
    """Queue a feed's articles just inserted for grouping: (id, date as stored, the checksum
    of the parse worker's sketch of the entry, if it made one). The store step calls it in
    its transaction. One row for them all (``story_queue_added``): a row an article cost
    more to write, read and delete than grouping the article alone."""
    if not articles:
        return
    ids, dates, checks = zip(*articles, strict=True)
    conn.execute(
        "INSERT INTO story_queue_added (feed_id, size, entries) VALUES (?, ?, ?)",
        (feed_id, len(ids), json.dumps([ids, dates, checks], separators=(",", ":"))),
    )


class StoryWriter:
    """Grouping's view of the store inside one transaction: reads see the batch's own writes.

    Every method takes a whole batch, so grouping costs a handful of statements per batch,
    not several per article."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._last_queued = 0  # the queue's rowid of the last article ``pending`` gave
        self._last_added = 0  # and of the last row of added articles
        # the articles of the batch being grouped: their kept keys and signatures are not
        # candidates (they are being replaced)
        self.regrouping: set[str] = set()

    def pending(self, limit: int) -> Queued:
        """The next queued articles, about ``limit`` of them; only the queue is read.

        First the rows the store step queued (``story_queue_added``, one a call: whole rows,
        so a batch may be larger than ``limit``), then, when they leave room, the articles
        queued one by one (``story_queue``: changed since inserted, or requeued by reindex).
        An article in both is taken from the second (the later queueing); one queued one by
        one is only taken once no added row is left, so none of its added rows comes after."""
        ids: list[str] = []
        dates: list[str | None] = []
        checks: list[int | None] = []
        self._last_added = 0
        for row_id, entries in self.conn.execute(
            "SELECT id, entries FROM story_queue_added ORDER BY id"
        ):
            row_ids, row_dates, row_checks = json.loads(entries)
            ids += row_ids
            dates += row_dates
            checks += row_checks
            self._last_added = int(row_id)
            if len(ids) >= limit:
                break
        flags = [0] * len(ids)
        if len(ids) < limit:
            rows = self.conn.execute(
                # four columns (each costs the reader a few calls a row): the flags in one,
                # and the day worked out here, not by strftime in SQL (~0.8 µs a row there)
                "SELECT q.article_id, q.date, CASE WHEN q.changed = 0 THEN q.sketch_check END,"
                # an article queued as inserted has no member row, nor can its id name a
                # story: an id is never stored twice (feed ids are AUTOINCREMENT, and
                # articles go only with their feed), so the two look-ups are made only for
                # the others
                " CASE WHEN q.changed THEN 1 + 2 * EXISTS (SELECT 1 FROM story_members m"
                " WHERE m.article_id = q.article_id) + 4 * EXISTS (SELECT 1 FROM story_members"
                " s WHERE s.story_id = q.article_id AND s.story_id != '') ELSE 0 END"
                " FROM story_queue q ORDER BY q.rowid LIMIT ?",
                (limit - len(ids),),
            ).fetchall()
            if rows:
                (last,) = self.conn.execute(
                    "SELECT rowid FROM story_queue ORDER BY rowid LIMIT 1 OFFSET ?",
                    (len(rows) - 1,),
                ).fetchone()
                self._last_queued = int(last)
                if ids:  # queued again since added: the later queueing says how
                    again = {r[0] for r in rows}
                    keep = [n for n, aid in enumerate(ids) if aid not in again]
                    if len(keep) < len(ids):
                        ids = [ids[n] for n in keep]
                        dates = [dates[n] for n in keep]
                        checks = [checks[n] for n in keep]
                        flags = [0] * len(ids)
                for aid, date, check, f in rows:
                    ids.append(aid)
                    dates.append(date)
                    checks.append(check)
                    flags.append(int(f))
        return Queued(ids, dates, checks, flags, self.day_number)

    def day_numbers(self, dates: Sequence[str | None]) -> list[int]:
        """``day_number`` of each date. Dates as the store writes them (``…T…Z``, 20
        characters) are read from their digits in one pass over all of them (numpy): a call
        a date cost ~4,500 instructions, most of a batch's sorting out; any other date, or
        one those digits do not make a day from 1970 on, goes to ``day_number``."""
        import numpy as np

        count = len(dates)
        if count == 0:
            return []
        if None in dates:
            return [self.day_number(d) for d in dates]
        joined = "".join(dates)  # type: ignore[arg-type]  # no None: tested above
        if len(joined) != 20 * count or not joined.isascii():
            return [self.day_number(d) for d in dates]
        chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(count, 20)
        digits = chars[:, [0, 1, 2, 3, 5, 6, 8, 9]].astype(np.int64) - ord("0")
        ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
        ok &= (chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))
        ok &= (chars[:, 10] == ord("T")) & (chars[:, 19] == ord("Z"))
        year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
        month = digits[:, 4] * 10 + digits[:, 5]
        day = digits[:, 6] * 10 + digits[:, 7]
        ok &= (month >= 1) & (month <= 12) & (year >= 1970)
        month = np.where(ok, month, 1)
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        ok &= (day >= 1) & (day <= np.array(_MONTH_DAYS)[month - 1] + ((month == 2) & leap))
        # days from the civil date (H. Hinnant's days_from_civil; years from 1970 here)
        shifted = year - (month <= 2)
        era, of_era = shifted // 400, shifted % 400
        of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
        numbers = era * 146097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719468
        out: list[int] = numbers.tolist()
        if not ok.all():
            for n in np.flatnonzero(~ok).tolist():
                out[n] = self.day_number(dates[n])
        return out

    def day_number(self, date: str | None) -> int:
        """Days since 1970-01-01 (UTC) of a stored date, as SQLite's
        ``CAST(strftime('%s', date) AS INTEGER) / 86400`` has it (0 for none, or a date it
        cannot read). A date as the store writes it (``times.to_iso``: ``…T…Z``, UTC) from
        1970 on is its first ten characters' day, kept in a table; any other asks SQLite."""
        if date is None:
            return 0
        if len(date) == 20 and date[10] == "T" and date[19] == "Z":
            known = _DAYS.get(date[:10])
            if known is not None:
                return known
            try:
                day = (datetime_date.fromisoformat(date[:10]) - _EPOCH).days
            except ValueError:
                day = -1
            if day >= 0:  # before 1970 SQLite rounds towards 0, not down
                if len(_DAYS) > 100_000:
                    _DAYS.clear()
                _DAYS[date[:10]] = day
                return day
        row = self.conn.execute(
            "SELECT CAST(strftime('%s', ?) AS INTEGER) / 86400", (date,)
        ).fetchone()
        return int(row[0] or 0)

    def stored(self, article_ids: Sequence[str]) -> dict[str, StoredArticle]:
        """Link, guid, title, date and text of the given articles, by id."""
        return {
            r[0]: StoredArticle(r[1], r[2], r[3], r[4], self.day_number(r[4]), r[5])
            for r in self._in(
                "SELECT id, link, guid, title, date, text FROM articles WHERE id IN ({marks})",
                article_ids,
            )
        }

    def _in(self, sql: str, values: Sequence[Any]) -> list[Any]:
        """Rows of ``sql`` (with one ``{marks}`` list) for every chunk of ``values``."""
        out: list[Any] = []
        for chunk in _chunks(list(values), _MAX_PARAMS):
            marks = ",".join("?" * len(chunk))
            out.extend(self.conn.execute(sql.format(marks=marks), chunk).fetchall())
        return out

    def forget(self, article_ids: Sequence[str]) -> None:
        """Take articles out of their stories (before they are grouped again)."""
        self._in("DELETE FROM story_members WHERE article_id IN ({marks})", article_ids)

    def done(self) -> None:
        """Take the articles ``pending`` gave off the queue."""
        if self._last_added:
            self.conn.execute("DELETE FROM story_queue_added WHERE id <= ?", (self._last_added,))
        if self._last_queued:
            self.conn.execute("DELETE FROM story_queue WHERE rowid <= ?", (self._last_queued,))

    def _alone(self, kept: Sequence[tuple[int, str]]) -> dict[int, Candidate]:
        """The (member number, article) pairs kept outside member rows (story_keys,
        story_sketches) that still stand, by number. The article must still be stored and
        not in the batch being grouped (``regrouping``); with no member row it is alone in
        its story; with one under another number it was grouped again since, and its kept
        keys and signature are stale."""
        wanted = sorted({aid for _, aid in kept if aid not in self.regrouping})
        if not wanted:
            return {}
        found = {
            r[0]: (r[1], r[2])
            for r in self._in(
                "SELECT a.id, m.member, COALESCE(NULLIF(m.story_id, ''), a.id) FROM articles a"
                " LEFT JOIN story_members m ON m.article_id = a.id WHERE a.id IN ({marks})",
                wanted,
            )
        }
        out: dict[int, Candidate] = {}
        for member, aid in kept:
            row = found.get(aid)
            if row is None:  # deleted, or being grouped again
                continue
            if row[0] is None:
                out[member] = Candidate(aid, aid, member, has_row=False)
            elif int(row[0]) == member:
                out[member] = Candidate(aid, str(row[1]), member)
        return out

    def copy_stories(
        self, url_keys: Mapping[str, int], guid_keys: Mapping[str, int]
    ) -> dict[str, Candidate]:
        """The first stored article (by member number) with each canonical URL or guid key.

        Members keep a 64-bit hash of each key (``stories.urls.key_hash``), whose index is a fraction of
        the keys' own size; members grouped before schema 9 keep the key itself. An article
        alone in its story keeps its keys' hashes in ``story_keys`` (url and guid keys are
        never the same string: guid keys carry a prefix). The keys come with their hashes
        (key: hash), worked out by the parse workers."""
        rows: list[tuple[int, str, Candidate]] = []
        # members grouped before schema 9 keep the key itself (a look-up each, when any do)
        for column, values in (("url", url_keys), ("guid", guid_keys)):
            if not values or not self._any_kept(f"{column}_key"):
                continue
            rows += [
                (int(member), found, Candidate(aid, story, int(member)))
                for member, found, aid, story in self._in(
                    f"SELECT member, {column}_key, article_id, {story_of('m')}"
                    f" FROM story_members m WHERE {column}_key IN ({{marks}})",
                    sorted(values),
                )
                if aid not in self.regrouping
            ]
        # the hashes, in one statement over the kept keys and the member rows: the hashes
        # go as one JSON list each (a list of 2,000 "?" took longer to parse than to run)
        by_hash = {
            hashed: key for values in (url_keys, guid_keys) for key, hashed in values.items()
        }
        parts = [
            f"SELECT 0, k.hash, k.member, k.article_id, NULL FROM json_each(:all) j"
            f" JOIN {table} k ON k.hash = j.value"
            for table in ("story_keys", "story_keys_recent")
        ]
        for column, values in (("url", url_keys), ("guid", guid_keys)):
            if values and self._any_kept(f"{column}_hash"):
                parts.append(
                    f"SELECT 1, m.{column}_hash, m.member, m.article_id, {story_of('m')}"
                    f" FROM json_each(:{column}) j JOIN story_members m"
                    f" ON m.{column}_hash = j.value"
                )
        # each list written once (a 64-bit number's decimals cost more than its look-up):
        # the kept keys' list is the other two joined
        url_list = json.dumps(list(url_keys.values()))
        guid_list = json.dumps(list(guid_keys.values()))
        both = ",".join(part for part in (url_list[1:-1], guid_list[1:-1]) if part)
        found = (
            self.conn.execute(
                " UNION ALL ".join(parts),
                {"all": f"[{both}]", "url": url_list, "guid": guid_list},
            ).fetchall()
            if by_hash
            else []
        )
        rows += [
            (int(member), by_hash[hashed], Candidate(aid, story, int(member)))
            for row_kept, hashed, member, aid, story in found
            if row_kept and aid not in self.regrouping
        ]
        keyed = [(int(r[2]), r[3]) for r in found if not r[0]]
        alone = self._alone(keyed)
        rows += [
            (int(r[2]), by_hash[r[1]], alone[int(r[2])])
            for r in found
            if not r[0] and int(r[2]) in alone
        ]
        out: dict[str, Candidate] = {}
        for _, key, candidate in sorted(rows, key=lambda r: (r[0], r[1])):
            out.setdefault(key, candidate)
        return out

    def _any_kept(self, column: str) -> bool:
        """Whether any member row keeps a value in this copy-key column (each has a
        partial index on the rows that do, so this reads a page or two): most libraries
        have no key kept as itself (from before schema 9), and a look-up of a batch's keys
        costs ~1 ms even on an empty index."""
        row = self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM story_members WHERE {column} IS NOT NULL)"
        ).fetchone()
        return bool(row[0])

    def window(self, first_day: int, last_day: int) -> Window:
        """The signatures kept for members dated from ``first_day`` to ``last_day``: a few
        rows of ``story_sketches`` (one per day of each batch), after the members that still
        hold their own (grouped before schema 8), so the pool is in member order."""
        members: list[bytes] = []
        days: list[int] = []
        sigs: list[tuple[int, bytes]] = []
        named: list[str | None] = []
        for member, day, signature in self.conn.execute(
            "SELECT member, day, signature FROM story_members"
            " WHERE day BETWEEN ? AND ? AND signature IS NOT NULL ORDER BY member",
            (first_day, last_day),
        ):
            members.append(int(member).to_bytes(8, "little", signed=True))
            days.append(day)
            sigs.append((1, signature))
            named.append(None)
        for day, kept, signatures, articles in self.conn.execute(
            "SELECT day, members, signatures, articles FROM story_sketches"
            " WHERE day BETWEEN ? AND ? ORDER BY chunk",
            (first_day, last_day),
        ):
            count = len(kept) // 8
            members.append(kept)
            days.append(day)
            sigs.append((count, signatures))
            named.append(articles if count else None)
        return Window(b"".join(members), sigs, days, named)

    def candidates(self, kept: Sequence[tuple[int, str | None]]) -> dict[int, Candidate]:
        """The given kept members (number, article if the kept row names it) that still
        stand, by number."""
        out = self._alone([(m, aid) for m, aid in kept if aid is not None])
        by_number = sorted({m for m, aid in kept if aid is None})
        for member, aid, story in self._in(
            f"SELECT member, article_id, {story_of('m')} FROM story_members m"
            " WHERE member IN ({marks})",
            by_number,
        ):
            if aid not in self.regrouping:
                out[int(member)] = Candidate(aid, story, int(member))
        return out

    def add(self, placed: PlacedBatch, promoted: Sequence[Candidate] = ()) -> None:
        """Record a batch's articles as members of their stories, and keep their signatures
        in one row of ``story_sketches`` per day (near-duplicate candidates are read by day).

        A lead alone in its story (not queued changed) gets no member row: its keys go to
        ``story_keys``. ``promoted`` are stored articles alone in their story until now
        that this batch joins: they get their row, as their story's lead.

        Members are numbered above every number used before, also by members gone since:
        a kept signature or key names its member by number, so a number is never given
        twice (every batch writes a ``story_sketches`` row, with its last number). Item
        ``n`` of the batch is member ``first + n``."""
        ids, stories, kinds, days = placed.article_ids, placed.story_ids, placed.kinds, placed.days
        if not ids:
            return
        row = self.conn.execute(
            "SELECT MAX(COALESCE((SELECT MAX(member) FROM story_members), 0),"
            " COALESCE((SELECT last_member FROM story_sketches ORDER BY chunk DESC LIMIT 1), 0))"
        ).fetchone()
        first = int(row[0]) + 1
        # an item not alone in its story is in another's (its story is not its own id: a
        # copy, a near-duplicate) or named one that is joined; found by C-level scans, not a
        # loop over every item (most are alone)
        others = list(compress(range(len(ids)), map(ne, stories, ids)))
        # stories that gain a member: their lead, stored alone before, now names its story
        joined = {stories[n] for n in others if kinds[n] != "lead"}
        self._in(
            "UPDATE story_members SET story_id = article_id"
            " WHERE article_id IN ({marks}) AND story_id = ''",
            sorted(joined),
        )
        if promoted:
            day_of = dict(zip(stories, days, strict=True))
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_members (member, article_id, story_id, lead, kind,"
                " day) VALUES (?, ?, ?, 1, 'lead', ?)",
                [
                    (c.member, c.article_id, c.article_id, day_of.get(c.article_id, 0))
                    for c in promoted
                ],
            )
        not_alone = set(others)
        if joined and (led := joined.intersection(ids)):  # batch items whose story is joined
            if len(led) > 8:
                at = dict(zip(ids, range(len(ids)), strict=True))
                not_alone.update(at[story] for story in led)
            else:
                not_alone.update(ids.index(story) for story in led)
        alone = [True] * len(ids)
        for n in not_alone:
            alone[n] = False
        # articles queued changed get their row even alone
        rowed = sorted(not_alone.union(compress(range(len(ids)), placed.changed)))
        url_hashes, guid_hashes = placed.url_hashes, placed.guid_hashes
        self.conn.executemany(
            "INSERT INTO story_members (member, article_id, story_id, lead, kind, url_hash,"
            " guid_hash, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    first + n,
                    ids[n],
                    OWN_STORY if alone[n] else stories[n],
                    int(kinds[n] == "lead"),
                    kinds[n],
                    url_hashes[n],
                    guid_hashes[n],
                    days[n],
                )
                for n in rowed
            ],
        )
        # a key of a stored article alone in its story is never wanted again by another
        # one alone (that one would have been its copy), so a row there is a stale one
        # (one in story_keys stays, stale, until the merge replaces it)
        # One statement over JSON, not an executemany: a row each cost ~12,800 instructions,
        # two thirds of it SQLite starting and ending the statement. Item n's url hash is
        # element n of one list, its guid hash element count + n, null where it keeps none
        # (or has its row); its id the n-th of the ids padded to one width, as bytes (substr
        # of a text counts its characters from the start: a blob's is a slice).
        hashes = [*url_hashes, *guid_hashes]
        for n in rowed:
            hashes[n] = hashes[len(ids) + n] = None
        padded, width = _padded(ids)
        self.conn.execute(
            "INSERT OR REPLACE INTO story_keys_recent (hash, article_id, member)"
            " SELECT j.value,"
            " rtrim(CAST(substr(:ids, :width * (j.key % :count) + 1, :width) AS TEXT)),"
            " :first + j.key % :count FROM json_each(:hashes) j WHERE j.value IS NOT NULL",
            {
                "ids": padded,
                "width": width,
                "count": len(ids),
                "first": first,
                "hashes": json.dumps(hashes),
            },
        )
        self.conn.executemany(
            "INSERT INTO story_sketches (day, last_member, members, signatures, articles)"
            " VALUES (?, ?, ?, ?, ?)",
            _sketch_rows(placed, first),
        )

    def merge_keys(self, at_least: int | None = None) -> int:
        """Move the recent kept keys into ``story_keys`` once there are ``at_least`` of
        them (by default ``MERGE_KEYS``; 0: whatever there are); returns how many moved.

        In hash order, so the big index is rewritten in one pass. Of two rows with one hash
        the recent one is the newer, and the older is stale (``add``): it is replaced."""
        (recent,) = self.conn.execute("SELECT MAX(id) FROM story_keys_recent").fetchone()
        if recent is None or int(recent) < (MERGE_KEYS if at_least is None else at_least):
            return 0
        moved = self.conn.execute(
            "INSERT OR REPLACE INTO story_keys (hash, article_id, member)"
            " SELECT hash, article_id, member FROM story_keys_recent ORDER BY hash"
        ).rowcount
        # no WHERE: SQLite empties the table at once, and its rowids start again from 1
        self.conn.execute("DELETE FROM story_keys_recent")
        return int(moved)

    def take_story_marks(self, joined: Mapping[str, Sequence[str]]) -> None:
        """New sources of a story that was read are read; of a bookmarked one, bookmarked.

        The story is one item to the reader: a copy arriving after it was read must not
        bring it back as unread. ``joined`` gives each story that gained members in this
        batch its new articles; the marks come from its other members, read for all the
        stories by one statement (one a story cost ~40,000 instructions each)."""
        if not joined:
            return
        new_ids = [aid for new in joined.values() for aid in new]
        rows = self.conn.execute(
            "SELECT m.story_id, MIN(a.read), MIN(a.bookmarked_at) FROM story_members m"
            " JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id IN (SELECT value FROM json_each(:stories)) AND m.story_id != ''"
            " AND m.article_id NOT IN (SELECT value FROM json_each(:new)) GROUP BY m.story_id",
            {"stories": json.dumps(list(joined)), "new": json.dumps(new_ids)},
        ).fetchall()
        read = [aid for story, all_read, _ in rows if all_read for aid in joined[story]]
        if read:
            marks = ",".join("?" * len(read))
            # "+read": not by the index on (read, ...), which SQLite otherwise picks here and
            # walks every unread article of the library; by id
            self.conn.execute(
                f"UPDATE articles SET read = 1, read_at = ?, indexed = 0 WHERE id IN ({marks})"
                " AND +read = 0",
                (to_iso(utcnow()), *read),
            )
        for story, _, bookmarked_at in rows:
            if bookmarked_at is not None:
                new = joined[story]
                marks = ",".join("?" * len(new))
                self.conn.execute(
                    f"UPDATE articles SET bookmarked_at = ?, indexed = 0 WHERE id IN ({marks})"
                    " AND bookmarked_at IS NULL",
                    (bookmarked_at, *new),
                )


class StoriesMixin(StoreBase):
    """Reading stories, and the transaction grouping writes them in."""

    def story_writer(self) -> _WriterContext:
        """``with store.story_writer() as w:`` groups a batch in one transaction."""
        return _WriterContext(self)

    def story_queue_size(self) -> int:
        return int(
            self._read(
                "SELECT (SELECT COUNT(*) FROM story_queue)"
                " + (SELECT COALESCE(SUM(size), 0) FROM story_queue_added)"
            )[0][0]
        )

    def reset_stories(self) -> None:
        """Forget every story and queue every article again (a rebuild)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM story_members")
            conn.execute("DELETE FROM story_sketches")
            conn.execute("DELETE FROM story_keys")
            conn.execute("DELETE FROM story_keys_recent")
            # oldest first, so the first article of each story leads it (the queue's order);
            # queued as new (changed 0, no sketch check): nothing of them is kept any more,
            # and each is sketched from its stored text
            conn.execute("DELETE FROM story_queue")
            conn.execute("DELETE FROM story_queue_added")
            conn.execute(
                "INSERT INTO story_queue (article_id, changed, date)"
                " SELECT id, 0, date FROM articles ORDER BY date, id"
            )

    def story_article_ids(self, ids: Sequence[str]) -> list[str]:
        """The given articles and every other article of their stories."""
        out: dict[str, None] = dict.fromkeys(ids)
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for (aid,) in self._read(
                "SELECT o.article_id FROM story_members m"
                " JOIN story_members o ON o.story_id = m.story_id AND o.story_id != ''"
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
                " JOIN story_members o ON o.story_id = m.story_id AND o.story_id != ''"
                " AND o.article_id != m.article_id"
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
                " JOIN story_members o ON o.story_id = m.story_id AND o.story_id != ''"
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
                f"SELECT article_id, {story_of('m')}, lead FROM story_members m"
                f" WHERE article_id IN ({marks})",
                chunk,
            ):
                out[aid] = (story, bool(lead))
        return out

    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's articles, the lead first, then in the order they joined."""
        rows = self._read(
            "SELECT a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title, a.date,"
            " a.read, m.kind FROM story_members m JOIN articles a ON a.id = m.article_id"
            " JOIN feeds f ON f.id = a.feed_id"
            " WHERE m.story_id = ? AND m.story_id != '' ORDER BY m.lead DESC, m.member",
            (story_id,),
        )
        if not rows:  # a story of one article, named by its id (with no member row, or '')
            rows = self._read(
                "SELECT a.id, a.feed_id, COALESCE(f.user_title, f.title, f.url), a.title,"
                " a.date, a.read, COALESCE(m.kind, 'lead') FROM articles a"
                " JOIN feeds f ON f.id = a.feed_id"
                " LEFT JOIN story_members m ON m.article_id = a.id"
                " WHERE a.id = ? AND COALESCE(m.story_id, '') = ''",
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

    # -- other coverage and entity trends (index/stories/coverage.py, trends.py) ------------

    def trend_version(self) -> tuple[int, int]:
        """Changes when articles or entities are added (a cache of trends is then stale)."""
        row = self._read(
            "SELECT (SELECT COALESCE(MAX(rowid), 0) FROM articles),"
            " (SELECT COALESCE(MAX(rowid), 0) FROM entities)"
        )[0]
        return int(row[0]), int(row[1])

    def coverage_candidates(
        self,
        article_id: str,
        entities: Sequence[tuple[str, str]],
        start: datetime,
        end: datetime,
    ) -> list[tuple[str, str, str]]:
        """(article id, canonical, label) for every mention of the given entities by
        another article dated in [start, end] that a list shows (a story's lead, not
        hidden)."""
        if not entities:
            return []
        rows = self._read(
            "SELECT DISTINCT e.article_id, e.canonical, e.label FROM json_each(?) j"
            " JOIN entities e ON e.canonical = j.value ->> 0 AND e.label = j.value ->> 1"
            " JOIN articles a ON a.id = e.article_id"
            " WHERE a.date BETWEEN ? AND ? AND a.id != ? AND a.hidden = 0"
            f" AND {HIDDEN_COPY_CLAUSE}",
            (json.dumps([list(e) for e in entities]), to_iso(start), to_iso(end), article_id),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def coverage_articles(self, ids: Sequence[str]) -> dict[str, tuple[str, str, str | None, str]]:
        """(title, feed title, date, text) of each given article."""
        out: dict[str, tuple[str, str, str | None, str]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for aid, title, feed, date, text in self._read(
                "SELECT a.id, a.title, COALESCE(f.user_title, f.title, f.url), a.date, a.text"
                f" FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})",
                chunk,
            ):
                out[aid] = (title, feed, date, text)
        return out

    def entity_day_counts(
        self,
        since: datetime,
        until: datetime | None = None,
        entities: Sequence[tuple[str, str]] | None = None,
        skip_labels: Sequence[str] = (),
    ) -> list[tuple[str, str, str, int]]:
        """(canonical, label, YYYY-MM-DD, articles) per entity and day since ``since``:
        how many articles a list shows (a story once, hidden ones not) mentioned it.
        ``entities`` limits it to those (canonical, label) pairs."""
        params: list[object] = []
        source = "entities e"
        if entities is not None:
            if not entities:
                return []
            source = (
                "json_each(?) j JOIN entities e"
                " ON e.canonical = j.value ->> 0 AND e.label = j.value ->> 1"
            )
            params.append(json.dumps([list(e) for e in entities]))
        where = "a.date >= ?"
        params.append(to_iso(since))
        if until is not None:
            where += " AND a.date < ?"
            params.append(to_iso(until))
        if skip_labels:
            where += f" AND e.label NOT IN ({','.join('?' * len(skip_labels))})"
            params.extend(skip_labels)
        rows = self._read(
            "SELECT e.canonical, e.label, substr(a.date, 1, 10) AS day,"
            f" COUNT(DISTINCT e.article_id) FROM {source}"
            " JOIN articles a ON a.id = e.article_id"
            f" WHERE {where} AND a.hidden = 0 AND {HIDDEN_COPY_CLAUSE}"
            " GROUP BY e.canonical, e.label, day",
            params,
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]


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


def _padded(ids: Sequence[str]) -> tuple[bytes, int]:
    """The ids as bytes, each padded with spaces to the longest's width, one after the
    other, and that width (``add``'s statement cuts them out of the blob)."""
    width = len(ids[0])
    joined = "".join(ids)
    # ids of one width in ASCII (the store's are 16 hex digits) need no padding: one join
    if len(joined) == width * len(ids) and joined.isascii() and len(set(map(len, ids))) == 1:
        return joined.encode("ascii"), width
    encoded = [aid.encode() for aid in ids]
    width = max(map(len, encoded))
    return b"".join(aid.ljust(width) for aid in encoded), width


def _sketch_rows(placed: PlacedBatch, first: int) -> list[tuple[int, int, bytes, bytes, str]]:
    """The ``story_sketches`` rows of a batch: (day, last member, member numbers,
    signatures, articles) for each day of its signed items; one row with none when no item
    is signed (the batch's last number is still noted)."""
    signed, days, ids = placed.signed, placed.days, placed.article_ids
    last = first + len(ids) - 1
    if not signed:
        return [(days[0], last, b"", b"", "")]
    width = len(placed.signatures) // len(signed)
    import numpy as np

    signed_days = np.array(days, dtype=np.int64)[signed]
    if signed_days.size < 2 or bool((signed_days[1:] >= signed_days[:-1]).all()):
        # the items are in date order, so each day's signed items are one run of ``signed``
        # (cut by numpy: a loop over the items cost ~2,300 instructions an item)
        members = np.array(signed, dtype="<i8") + first
        cuts = [0, *(np.flatnonzero(signed_days[1:] != signed_days[:-1]) + 1).tolist()]
        cuts.append(len(signed))
        contiguous = signed[-1] - signed[0] == len(signed) - 1
        return [
            (
                int(signed_days[a]),
                last,
                members[a:b].tobytes(),
                placed.signatures[a * width : b * width],
                "\n".join(ids[signed[a] : signed[b - 1] + 1])
                if contiguous
                else "\n".join(map(ids.__getitem__, signed[a:b])),
            )
            for a, b in pairwise(cuts)
        ]
    by_day: dict[int, list[int]] = {}  # day: places in ``signed``
    for at, n in enumerate(signed):
        by_day.setdefault(days[n], []).append(at)
    rows = []
    for day, places in sorted(by_day.items()):
        numbers = [first + signed[at] for at in places]
        if places[-1] - places[0] == len(places) - 1:  # one run (items are in date order)
            sigs = placed.signatures[places[0] * width : (places[-1] + 1) * width]
        else:
            sigs = b"".join(placed.signatures[at * width : (at + 1) * width] for at in places)
        rows.append(
            (
                day,
                last,
                struct.pack(f"<{len(numbers)}q", *numbers),
                sigs,
                "\n".join(ids[signed[at]] for at in places),
            )
        )
    return rows
