"""The store's tables: one SQL script per schema version, applied in order on open."""

from __future__ import annotations

# Each step moves the schema one version up; never edit a step once released.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        user_title TEXT,
        site_link TEXT,
        etag TEXT,
        last_modified TEXT,
        last_fetched TEXT,
        last_error TEXT,
        warning TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        retry_after TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        updated TEXT,
        date TEXT NOT NULL,
        summary_html TEXT NOT NULL DEFAULT '',
        content_html TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        read_at TEXT,
        bookmarked_at TEXT,
        indexed INTEGER NOT NULL DEFAULT 0,
        entities_version INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX articles_date ON articles (date DESC);
    CREATE INDEX articles_feed_date ON articles (feed_id, date DESC);
    CREATE INDEX articles_unread ON articles (read, date DESC);
    CREATE INDEX articles_unindexed ON articles (indexed) WHERE indexed = 0;
    CREATE INDEX articles_bookmarked ON articles (bookmarked_at) WHERE bookmarked_at IS NOT NULL;
    CREATE INDEX articles_entities_version ON articles (entities_version);
    CREATE TABLE index_deletions (id TEXT PRIMARY KEY);
    CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
        INSERT OR IGNORE INTO index_deletions (id) VALUES (old.id);
    END;
    CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        canonical TEXT NOT NULL
    );
    CREATE INDEX entities_article ON entities (article_id);
    CREATE INDEX entities_canonical ON entities (canonical, label);
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ui_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: each article's language (ISO 639-1, NULL when unknown), for stemming and entities
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 3: the daily loop (issue 16): feed folders and tags, last success, a per-feed sequence
    # keeping undated entries in the feed's order, hidden articles and tags added by filters,
    # filter rules, search history
    """
    ALTER TABLE feeds ADD COLUMN folder TEXT;
    ALTER TABLE feeds ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE feeds ADD COLUMN last_success TEXT;
    UPDATE feeds SET last_success = last_fetched
        WHERE last_error IS NULL AND last_fetched IS NOT NULL;
    ALTER TABLE articles ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN filter_tags TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX articles_feed_seq ON articles (feed_id, seq);
    CREATE TABLE filters (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        action TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE search_history (query TEXT PRIMARY KEY, used_at TEXT NOT NULL);
    """,
    # 4: reading (issue 15): each article's media enclosures, the full text fetched from its
    # page (sanitised HTML, shown and indexed instead of the feed's), and per feed whether
    # every new article's full text is fetched during refresh
    """
    CREATE TABLE enclosures (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        url TEXT NOT NULL,
        type TEXT,
        length INTEGER,
        PRIMARY KEY (article_id, position)
    );
    ALTER TABLE articles ADD COLUMN full_html TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN full_fetched TEXT;
    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: stories across feeds (index/store/_stories.py): each article's story, its copy keys
    # and MinHash signature, the LSH buckets, and the queue of articles still to group
    """
    CREATE TABLE story_members (
        member INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL,
        lead INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL,
        url_key TEXT,
        guid_key TEXT,
        day INTEGER NOT NULL,
        signature BLOB
    );
    CREATE INDEX story_members_story ON story_members (story_id);
    CREATE INDEX story_members_hidden ON story_members (article_id) WHERE lead = 0;
    CREATE INDEX story_members_url ON story_members (url_key) WHERE url_key IS NOT NULL;
    CREATE INDEX story_members_guid ON story_members (guid_key) WHERE guid_key IS NOT NULL;
    CREATE TABLE story_buckets (
        key INTEGER NOT NULL,
        member INTEGER NOT NULL,
        PRIMARY KEY (key, member)
    ) WITHOUT ROWID;
    CREATE TABLE story_queue (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
    );
    INSERT INTO story_queue (article_id) SELECT id FROM articles ORDER BY date, id;
    CREATE TRIGGER story_queue_new AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO story_queue (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER story_queue_changed AFTER UPDATE OF link, guid, text ON articles
    WHEN old.link IS NOT new.link OR old.guid IS NOT new.guid OR old.text IS NOT new.text
    BEGIN
        INSERT OR IGNORE INTO story_queue (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER story_lead_gone AFTER DELETE ON story_members WHEN old.lead = 1 BEGIN
        UPDATE story_members SET lead = 1, kind = 'lead' WHERE member = (
            SELECT member FROM story_members WHERE story_id = old.story_id
            ORDER BY member LIMIT 1
        );
    END;
    """,
    # 6: stories (issue 18): near-duplicate candidates come from the members dated near a
    # new article (their signatures banded in memory), not from a table of LSH buckets,
    # whose random keys made every batch rewrite pages all over a table that grew with the
    # library; the members' day is indexed instead
    """
    DROP TABLE story_buckets;
    CREATE INDEX story_members_day ON story_members (day) WHERE signature IS NOT NULL;
    """,
    # 7: the counts the app's sidebar shows at start-up (All, Unread, and the hidden copies
    # they leave out) read an index, not every row: COUNT(*) WHERE hidden = 0 [AND read = 0]
    # read the whole table, ~6 GB at a million articles (no first screen within a minute).
    # read first, so "bookmarks" keeps its own partial index; id last, so the hidden copies
    # are looked up in it too (EXPLAIN QUERY PLAN: covering index for every count)
    """
    CREATE INDEX articles_visible ON articles (read, hidden, id);
    """,
    # 8: stories (issue 18), cheaper grouping at refresh. A batch keeps its signatures in one
    # row per day (story_sketches: member numbers and signatures, read by day in a few rows),
    # not one 512-byte blob per member row; members grouped before keep theirs (read too).
    # The queue says whether an article is as it was inserted (changed = 0), so grouping can
    # trust the parse worker's sketch without reading the text from its overflow pages.
    """
    CREATE TABLE story_sketches (
        chunk INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        last_member INTEGER NOT NULL,
        members BLOB NOT NULL,
        signatures BLOB NOT NULL
    );
    CREATE INDEX story_sketches_day ON story_sketches (day);
    ALTER TABLE story_queue ADD COLUMN changed INTEGER NOT NULL DEFAULT 1;
    DROP TRIGGER story_queue_new;
    CREATE TRIGGER story_queue_new AFTER INSERT ON articles BEGIN
        INSERT INTO story_queue (article_id, changed) VALUES (new.id, 0)
        ON CONFLICT (article_id) DO UPDATE SET changed = 1;
    END;
    DROP TRIGGER story_queue_changed;
    CREATE TRIGGER story_queue_changed AFTER UPDATE OF link, guid, text ON articles
    WHEN old.link IS NOT new.link OR old.guid IS NOT new.guid OR old.text IS NOT new.text
    BEGIN
        INSERT INTO story_queue (article_id, changed) VALUES (new.id, 1)
        ON CONFLICT (article_id) DO UPDATE SET changed = 1;
    END;
    """,
    # 9: stories (issue 18): the store step queues its new articles for grouping itself
    # (_stories.queue_new_articles, one executemany); an AFTER INSERT trigger on articles,
    # even an empty one, cost ~20 µs per inserted article (a fifth of the store step). It
    # also notes each one's date and its sketch's checksum, so grouping need not read the
    # article's row when it has the parse worker's sketch. Members keep a 64-bit hash of
    # their copy keys, not the keys (an index a fifth the size: fewer pages to write per
    # batch); those grouped before keep their keys, and both are looked up. An article
    # alone in its story has story_id '' (its story is its own id) and no entry in the
    # story index: most articles are alone, and each entry was a page written per batch
    """
    DROP TRIGGER story_queue_new;
    ALTER TABLE story_queue ADD COLUMN date TEXT;
    ALTER TABLE story_queue ADD COLUMN sketch_check INTEGER;
    ALTER TABLE story_members ADD COLUMN url_hash INTEGER;
    ALTER TABLE story_members ADD COLUMN guid_hash INTEGER;
    CREATE INDEX story_members_url_hash ON story_members (url_hash) WHERE url_hash IS NOT NULL;
    CREATE INDEX story_members_guid_hash ON story_members (guid_hash)
        WHERE guid_hash IS NOT NULL;
    DROP INDEX story_members_story;
    CREATE INDEX story_members_story ON story_members (story_id) WHERE story_id != '';
    DROP TRIGGER story_lead_gone;
    CREATE TRIGGER story_lead_gone AFTER DELETE ON story_members
    WHEN old.lead = 1 AND old.story_id != '' BEGIN
        UPDATE story_members SET lead = 1, kind = 'lead' WHERE member = (
            SELECT member FROM story_members WHERE story_id = old.story_id AND story_id != ''
            ORDER BY member LIMIT 1
        );
    END;
    """,
    # 10: stories (issue 18): an article alone in its story (most of them) has no member row:
    # a missing row is a story of one. Its copy keys are kept in story_keys (their 64-bit hash
    # as the rowid: one b-tree, where a member row wrote the table, the article-id index and
    # the hash indexes), with its member number; the batch's kept signatures name their
    # articles too (story_sketches.articles), so a near-duplicate finds one without a row.
    # When a story of one gains a member, its lead gets its row, under its own number.
    """
    CREATE TABLE story_keys (
        hash INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        member INTEGER NOT NULL
    );
    ALTER TABLE story_sketches ADD COLUMN articles TEXT;
    """,
    # 11: stories (issue 18): story_keys rows are appended (a sequential rowid) and found
    # through a UNIQUE index on the hash. Keyed by the hash itself, each batch's inserts
    # landed all over the table (article id and member too), rewriting most of its pages
    # once the library passed ~10k articles; the index entries are a third of a row's
    # size, so a batch writes about that many fewer pages (1017 -> 639 WAL frames per
    # 2000 articles at 100k, 289 -> 252 at 10k)
    """
    CREATE TABLE story_keys_appended (
        id INTEGER PRIMARY KEY,
        hash INTEGER NOT NULL UNIQUE,
        article_id TEXT NOT NULL,
        member INTEGER NOT NULL
    );
    INSERT INTO story_keys_appended (hash, article_id, member)
        SELECT hash, article_id, member FROM story_keys ORDER BY member;
    DROP TABLE story_keys;
    ALTER TABLE story_keys_appended RENAME TO story_keys;
    """,
    # 12: stories (issue 18): each batch's copy-key hashes go to a small table,
    # story_keys_recent, merged into story_keys (sorted by hash, one pass over its index)
    # once it holds ~20,000 (``_stories.MERGE_KEYS``); copies are looked up in both. A
    # batch's 2,000 random inserts into story_keys' index rewrote nearly all its pages
    # (436 of 440 at 100k articles), a cost per article that grew with the library; the
    # small table's index stays a few dozen pages, and a merge rewrites the big one once
    # per ~10 batches
    """
    CREATE TABLE story_keys_recent (
        id INTEGER PRIMARY KEY,
        hash INTEGER NOT NULL UNIQUE,
        article_id TEXT NOT NULL,
        member INTEGER NOT NULL
    );
    """,
    # 13: stories (issue 18): the store step queues its new articles for grouping as one row
    # per call (story_queue_added: the ids, dates and sketch checksums as JSON columns), not
    # one story_queue row each. Writing, reading and deleting a row a new article cost the
    # store step and grouping ~20,000 instructions an article through Python's sqlite3
    # (grouping ~38M a 2,000-article batch); a feed's rows go with its feed, as its articles
    # do (they go with nothing else). story_queue keeps what the trigger queues (articles
    # changed), what reindex queues, and what was queued before
    """
    CREATE TABLE story_queue_added (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        size INTEGER NOT NULL,
        entries TEXT NOT NULL
    );
    CREATE INDEX story_queue_added_feed ON story_queue_added (feed_id);
    """,
    # 14: the sidebar's counts per feed (``Store.feeds``: articles, unread and hidden of each
    # feed) read an index of (feed_id, hidden, read) alone. With articles_feed_date they
    # looked up every article's row in the table: on a library of a million articles
    # (~6 GB) 86-164 s at start-up, against 0.2-0.3 s from this index. IF NOT EXISTS: the
    # migration tests replay steps on a store that has them
    """
    CREATE INDEX IF NOT EXISTS articles_feed_counts ON articles (feed_id, hidden, read);
    """,
]
