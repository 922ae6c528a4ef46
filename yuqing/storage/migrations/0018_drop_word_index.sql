-- Search reads the character-gram index (0012) only: the jieba word index of 0006 (posts_fts over
-- posts.search) is no longer written or read. Dropping it gives the import back the search-mode cut
-- of every post. posts.search stays as a column (rewriting every row to drop it buys nothing).
DROP TABLE IF EXISTS posts_fts;
