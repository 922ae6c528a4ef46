-- Unanalysed posts are analysed in time order (event grouping keeps only a window of open events
-- in memory), read with a (created_at, id) cursor.
DROP INDEX IF EXISTS posts_unanalyzed;
CREATE INDEX posts_unanalyzed ON posts(created_at, id) WHERE analyzed_at IS NULL;
