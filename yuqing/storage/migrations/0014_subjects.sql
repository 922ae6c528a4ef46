-- 专题 (issue #16): saved searches with a keyword expression (the alert rules' AND/OR/NOT), units and
-- sources. ``unit`` is whose 专题 it is: '' for the whole organisation (monitors, admins), else the
-- cadre's unit (seen and edited within that unit's scope).

CREATE TABLE subjects (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    units      TEXT NOT NULL DEFAULT '[]',   -- JSON list of unit codes (each with its subtree)
    sources    TEXT NOT NULL DEFAULT '[]',   -- JSON list of source ids
    unit       TEXT NOT NULL DEFAULT '',
    owner      TEXT NOT NULL DEFAULT '',
    rule       TEXT NOT NULL DEFAULT '',     -- the alert rule made from it, if any
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subjects_unit ON subjects(unit);
