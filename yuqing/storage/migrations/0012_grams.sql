-- Search finds a post whenever it contains the query's words, in any order and also inside longer
-- words: every post is indexed by the character grams of its title and text
-- (yuqing.query_syntax.index_grams: each run of letters and digits gives its two-character grams and
-- its last character), written when the post is stored. Contentless: the grams are computed again
-- from the text when a post is edited (the FTS5 'delete' command needs the old tokens).
-- Posts stored before this migration are indexed by SqliteStore.migrate right after it (Python).
CREATE VIRTUAL TABLE posts_grams USING fts5(
    grams, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0'
);
-- the author view: everything one author said (author_id, or the name where a source has no ids)
CREATE INDEX posts_author_id ON posts(author_id, created_at) WHERE author_id != '';
CREATE INDEX posts_author_name ON posts(author, created_at) WHERE author_id = '';
