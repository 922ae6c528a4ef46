-- yuqing core schema. Timestamps are Unix seconds (UTC); JSON columns hold JSON text.

CREATE TABLE units (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    parent TEXT NOT NULL DEFAULT '',
    level  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sources (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    match      TEXT NOT NULL DEFAULT '[]',
    url        TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'active',
    options    TEXT NOT NULL DEFAULT '{}',
    configured INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- One row per post; the analysis columns are NULL until `yuqing analyze` has run.
CREATE TABLE posts (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    source_id    TEXT NOT NULL,
    source_kind  TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    native_id    TEXT,
    author       TEXT NOT NULL DEFAULT '',
    author_id    TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    thread_id    TEXT NOT NULL DEFAULT '',
    parent_id    TEXT NOT NULL DEFAULT '',
    likes        INTEGER NOT NULL DEFAULT 0,
    replies      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    pii          TEXT NOT NULL DEFAULT '[]',
    extra        TEXT NOT NULL DEFAULT '{}',
    -- analysis
    sentiment    TEXT,
    p_negative   REAL,
    p_neutral    REAL,
    p_positive   REAL,
    topic        TEXT,
    topics       TEXT,
    risk         TEXT,
    keywords     TEXT,
    tokens       TEXT,
    simhash      INTEGER,
    event_id     TEXT,
    model_version TEXT,
    analyzed_at  INTEGER
);
CREATE INDEX posts_created ON posts(created_at);
CREATE INDEX posts_unit_created ON posts(unit, created_at);
CREATE INDEX posts_source_created ON posts(source_id, created_at);
CREATE INDEX posts_thread ON posts(thread_id, created_at);
CREATE INDEX posts_hash ON posts(content_hash);
CREATE INDEX posts_event ON posts(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX posts_unanalyzed ON posts(rowid) WHERE analyzed_at IS NULL;
CREATE INDEX posts_risk_created ON posts(risk, created_at) WHERE risk IN ('high', 'medium');

-- Full-text index over the one tokenizer's output (space-joined tokens in posts.tokens).
CREATE VIRTUAL TABLE posts_fts USING fts5(
    tokens, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    keywords   TEXT NOT NULL DEFAULT '[]',
    topic      TEXT NOT NULL DEFAULT 'other',
    unit       TEXT NOT NULL DEFAULT '',
    first_at   INTEGER,
    last_at    INTEGER,
    size       INTEGER NOT NULL DEFAULT 0,
    negative   INTEGER NOT NULL DEFAULT 0,
    signature  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_last ON events(last_at);

-- Issues: one per real matter (event), routed to a union unit, worked through 说事解事.
CREATE TABLE issues (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT NOT NULL DEFAULT '',
    rule          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT 'opinion',  -- opinion | source_health
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    severity      TEXT NOT NULL DEFAULT 'low',
    topic         TEXT NOT NULL DEFAULT 'other',
    unit          TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL DEFAULT '',
    method_reason TEXT NOT NULL DEFAULT '',
    step          TEXT NOT NULL DEFAULT '干部问事',
    status        TEXT NOT NULL DEFAULT 'open',     -- open | closed
    assignee      TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    due_at        INTEGER,
    closed_at     INTEGER,
    version       INTEGER NOT NULL DEFAULT 1,
    extra         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX issues_unit ON issues(unit, status);
CREATE INDEX issues_event ON issues(event_id, status);
CREATE INDEX issues_created ON issues(created_at);

CREATE TABLE issue_posts (
    issue_id  INTEGER NOT NULL REFERENCES issues(id),
    post_id   TEXT NOT NULL,
    rule      TEXT NOT NULL DEFAULT '',
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (issue_id, post_id)
);
CREATE INDEX issue_posts_post ON issue_posts(post_id);

-- Append-only: who did what to an issue, when.
CREATE TABLE issue_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id  INTEGER NOT NULL REFERENCES issues(id),
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    step      TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    data      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX issue_history_issue ON issue_history(issue_id, at);
CREATE TRIGGER issue_history_append_only_u BEFORE UPDATE ON issue_history
BEGIN SELECT RAISE(ABORT, 'issue_history is append-only'); END;
CREATE TRIGGER issue_history_append_only_d BEFORE DELETE ON issue_history
BEGIN SELECT RAISE(ABORT, 'issue_history is append-only'); END;

-- Every e-mail is written here before it is sent and marked sent only once the server accepted it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,            -- alert | rollup | digest
    issue_id        INTEGER,
    recipients      TEXT NOT NULL,            -- JSON list
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL DEFAULT '',
    attachments     TEXT NOT NULL DEFAULT '[]', -- JSON list of {"filename", "path", "mime"}
    created_at      INTEGER NOT NULL,
    send_after      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         INTEGER,
    message_id      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_at ON audit_log(at);

-- Staff corrections from the dashboard; used as training labels.
CREATE TABLE labels (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id  TEXT NOT NULL,
    field    TEXT NOT NULL,  -- sentiment | topic | risk
    value    TEXT NOT NULL,
    actor    TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX labels_post ON labels(post_id, field);

CREATE TABLE quarantine (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    origin    TEXT NOT NULL,
    position  TEXT NOT NULL,
    reason    TEXT NOT NULL,
    raw       TEXT NOT NULL DEFAULT '',
    source_id TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL,
    UNIQUE (origin, position, reason)
);

-- Files imported, by content hash: a copy or a renamed file is not imported twice.
CREATE TABLE imported_files (
    content_hash TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    fmt          TEXT NOT NULL DEFAULT '',
    posts        INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    quarantined  INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    imported_at  INTEGER NOT NULL
);

CREATE TABLE source_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    url       TEXT NOT NULL DEFAULT '',
    error     TEXT NOT NULL
);
CREATE INDEX source_failures_source ON source_failures(source_id, at);

CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
