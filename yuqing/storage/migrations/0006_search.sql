-- Search follows the text, not the analysis: every post is indexed when it is stored, with the
-- search-mode cut of its title and text (posts.search), and analysis no longer touches the index.
ALTER TABLE posts ADD COLUMN search TEXT;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(
    search, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0'
);
-- posts stored before this migration keep the words their analysis indexed them by
UPDATE posts SET search = tokens WHERE tokens IS NOT NULL;
INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');
