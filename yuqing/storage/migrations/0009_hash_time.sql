-- Messages are looked up by their text and time (an import recognising a chat it holds under another
-- name; a Word export whose times are only 5-minute windows): one index on both.
DROP INDEX IF EXISTS posts_hash;
CREATE INDEX posts_hash ON posts(content_hash, created_at);
