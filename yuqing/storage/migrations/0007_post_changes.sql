-- Forum posts change after they are stored: earlier texts of edited posts are kept here, newest
-- text in posts.text; and posts their source deleted or hid (banned by a moderator, waiting for
-- review) are listed in post_removals, keyed by the post's rowid so every query can leave them
-- out with "rowid NOT IN (SELECT post_rowid FROM post_removals)" and still read only indexes.

CREATE TABLE post_revisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id      TEXT NOT NULL,
    text         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    replaced_at  INTEGER NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions(post_id, id);

CREATE TABLE post_removals (
    post_rowid INTEGER PRIMARY KEY,          -- posts.rowid
    post_id    TEXT NOT NULL UNIQUE,
    status     TEXT NOT NULL,                -- deleted | hidden
    reason     TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);

-- a thread's stored posts by source (the crawler compares them with a re-read thread)
CREATE INDEX posts_source_thread ON posts(source_id, thread_id);
