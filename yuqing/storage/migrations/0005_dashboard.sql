-- Dashboard: login sessions, and covering indexes so the pages' aggregations read indexes only.

CREATE TABLE sessions (
    token      TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(username);

-- Period-wide aggregations (all units): time range first, then the grouped columns.
CREATE INDEX posts_dash_time ON posts(created_at, unit, source_kind, sentiment, topic, risk);
-- Scoped aggregations (a cadre's units): unit first.
CREATE INDEX posts_dash_unit ON posts(unit, created_at, source_kind, sentiment, topic, risk);
-- Per source kind and per topic (the overview's breakdown over long periods).
CREATE INDEX posts_dash_kind ON posts(source_kind, created_at, unit, sentiment, risk);
CREATE INDEX posts_dash_topic ON posts(topic, created_at, unit, sentiment, risk);
CREATE INDEX source_failures_at ON source_failures(at);
