-- Triage (issue #16): monitoring staff and cadres mark a post or a matter (event) 已处置 / 误报 /
-- 忽略 / 关注. Every change is a line of triage_log (who, when, the mark, an optional note); the
-- current mark of each post or event is in triage_state, written in the same transaction. A post's
-- row also names its rowid, so "hide what is handled" is an index lookup like post_removals.

CREATE TABLE triage_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,                    -- post | event
    target TEXT NOT NULL,                    -- the post's or the event's id
    unit   TEXT NOT NULL DEFAULT '',         -- the post's / event's unit when marked (scope, digest counts)
    mark   TEXT NOT NULL,                    -- handled | false_alarm | ignored | watch | '' (cleared)
    actor  TEXT NOT NULL,
    note   TEXT NOT NULL DEFAULT '',
    at     INTEGER NOT NULL
);
CREATE INDEX triage_log_target ON triage_log(kind, target, id);
CREATE INDEX triage_log_at ON triage_log(at);

CREATE TABLE triage_state (
    kind      TEXT NOT NULL,
    target    TEXT NOT NULL,
    post_rowid INTEGER,                      -- posts.rowid for kind = 'post'
    unit      TEXT NOT NULL DEFAULT '',
    mark      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL,
    PRIMARY KEY (kind, target)
);
CREATE INDEX triage_state_post ON triage_state(post_rowid, mark) WHERE kind = 'post';
