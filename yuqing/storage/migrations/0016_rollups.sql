-- Rollups for the dashboard's all-units views on large stores: live posts counted per UTC hour by
-- unit, source kind and topic (with their sentiment and high-risk counts), and events and keywords
-- per UTC day. Kept by triggers, so every path that writes posts (import, analysis, relabelling, a
-- source moved to another unit, removals) keeps them exact in the same transaction; a period is
-- read as its whole hours (days) from here and its partial edges from the posts themselves.

CREATE TABLE post_hours (
    dim       TEXT NOT NULL,     -- unit | kind | topic
    hour      INTEGER NOT NULL,  -- created_at / 3600 (UTC)
    value     TEXT NOT NULL,     -- the unit code, source kind or topic ('' = none)
    total     INTEGER NOT NULL,
    negative  INTEGER NOT NULL,
    neutral   INTEGER NOT NULL,
    positive  INTEGER NOT NULL,
    high_risk INTEGER NOT NULL,
    PRIMARY KEY (dim, hour, value)
) WITHOUT ROWID;

CREATE TABLE event_days (
    day      INTEGER NOT NULL,   -- created_at / 86400 (UTC)
    event_id TEXT NOT NULL,
    posts    INTEGER NOT NULL,
    negative INTEGER NOT NULL,
    PRIMARY KEY (day, event_id)
) WITHOUT ROWID;

-- an event's posts in time order (its activity in a period, its last post)
DROP INDEX IF EXISTS posts_event;
CREATE INDEX posts_event_time ON posts(event_id, created_at) WHERE event_id IS NOT NULL;

CREATE TABLE term_days (
    day  INTEGER NOT NULL,       -- created_at / 86400 (UTC)
    term TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (day, term)
) WITHOUT ROWID;

-- One trigger per rollup and change, each firing only when what it counts changed. New posts are
-- counted into post_hours by SqliteStore.add_posts, one upsert per (hour, unit/kind) of its batch
-- (a new post has no analysis yet: it only adds to the totals), in the insert's transaction; posts
-- is written by no other INSERT.

CREATE TRIGGER posts_hours_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT d.dim, OLD.created_at / 3600,
           CASE d.dim WHEN 'unit' THEN OLD.unit WHEN 'kind' THEN OLD.source_kind ELSE COALESCE(OLD.topic, '') END,
           -1, -(OLD.sentiment IS 'negative'),
           -(OLD.sentiment IS 'neutral'), -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    FROM (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
END;

CREATE TRIGGER posts_hours_update AFTER UPDATE OF created_at, unit, source_kind, topic, sentiment, risk ON posts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.unit IS NOT NEW.unit OR OLD.source_kind IS NOT NEW.source_kind OR OLD.topic IS NOT NEW.topic OR OLD.sentiment IS NOT NEW.sentiment OR OLD.risk IS NOT NEW.risk
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT d.dim, OLD.created_at / 3600,
           CASE d.dim WHEN 'unit' THEN OLD.unit WHEN 'kind' THEN OLD.source_kind ELSE COALESCE(OLD.topic, '') END,
           -1, -(OLD.sentiment IS 'negative'),
           -(OLD.sentiment IS 'neutral'), -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    FROM (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT d.dim, NEW.created_at / 3600,
           CASE d.dim WHEN 'unit' THEN NEW.unit WHEN 'kind' THEN NEW.source_kind ELSE COALESCE(NEW.topic, '') END,
           1, (NEW.sentiment IS 'negative'),
           (NEW.sentiment IS 'neutral'), (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    FROM (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = NEW.rowid)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
END;

CREATE TRIGGER post_removals_hours_insert AFTER INSERT ON post_removals
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT d.dim, p.created_at / 3600,
           CASE d.dim WHEN 'unit' THEN p.unit WHEN 'kind' THEN p.source_kind ELSE COALESCE(p.topic, '') END,
           -1, -(p.sentiment IS 'negative'),
           -(p.sentiment IS 'neutral'), -(p.sentiment IS 'positive'), -(p.risk IS 'high')
    FROM posts p, (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
    WHERE p.rowid = NEW.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
END;

CREATE TRIGGER post_removals_hours_delete AFTER DELETE ON post_removals
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT d.dim, p.created_at / 3600,
           CASE d.dim WHEN 'unit' THEN p.unit WHEN 'kind' THEN p.source_kind ELSE COALESCE(p.topic, '') END,
           1, (p.sentiment IS 'negative'),
           (p.sentiment IS 'neutral'), (p.sentiment IS 'positive'), (p.risk IS 'high')
    FROM posts p, (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
    WHERE p.rowid = OLD.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
END;

CREATE TRIGGER posts_events_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT OLD.created_at / 86400, OLD.event_id, -1, -(OLD.sentiment IS 'negative')
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid) AND OLD.event_id IS NOT NULL AND OLD.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
END;

CREATE TRIGGER posts_events_update AFTER UPDATE OF created_at, event_id, sentiment ON posts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.event_id IS NOT NEW.event_id OR OLD.sentiment IS NOT NEW.sentiment
BEGIN
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT OLD.created_at / 86400, OLD.event_id, -1, -(OLD.sentiment IS 'negative')
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid) AND OLD.event_id IS NOT NULL AND OLD.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT NEW.created_at / 86400, NEW.event_id, 1, (NEW.sentiment IS 'negative')
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = NEW.rowid) AND NEW.event_id IS NOT NULL AND NEW.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
END;

CREATE TRIGGER post_removals_events_insert AFTER INSERT ON post_removals
BEGIN
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT p.created_at / 86400, p.event_id, -1, -(p.sentiment IS 'negative') FROM posts p
    WHERE p.rowid = NEW.post_rowid AND p.event_id IS NOT NULL AND p.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
END;

CREATE TRIGGER post_removals_events_delete AFTER DELETE ON post_removals
BEGIN
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT p.created_at / 86400, p.event_id, 1, (p.sentiment IS 'negative') FROM posts p
    WHERE p.rowid = OLD.post_rowid AND p.event_id IS NOT NULL AND p.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
END;

CREATE TRIGGER posts_terms_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO term_days(day, term, n)
    SELECT OLD.created_at / 86400, j.value, -1 FROM json_each(OLD.keywords) j
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid) AND OLD.keywords IS NOT NULL AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER posts_terms_update AFTER UPDATE OF created_at, keywords ON posts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.keywords IS NOT NEW.keywords
BEGIN
    INSERT INTO term_days(day, term, n)
    SELECT OLD.created_at / 86400, j.value, -1 FROM json_each(OLD.keywords) j
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = OLD.rowid) AND OLD.keywords IS NOT NULL AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
    INSERT INTO term_days(day, term, n)
    SELECT NEW.created_at / 86400, j.value, 1 FROM json_each(NEW.keywords) j
    WHERE NOT EXISTS (SELECT 1 FROM post_removals r WHERE r.post_rowid = NEW.rowid) AND NEW.keywords IS NOT NULL AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER post_removals_terms_insert AFTER INSERT ON post_removals
BEGIN
    INSERT INTO term_days(day, term, n)
    SELECT p.created_at / 86400, j.value, -1 FROM posts p, json_each(p.keywords) j
    WHERE p.rowid = NEW.post_rowid AND p.keywords IS NOT NULL AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER post_removals_terms_delete AFTER DELETE ON post_removals
BEGIN
    INSERT INTO term_days(day, term, n)
    SELECT p.created_at / 86400, j.value, 1 FROM posts p, json_each(p.keywords) j
    WHERE p.rowid = OLD.post_rowid AND p.keywords IS NOT NULL AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

-- what is stored already
INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
SELECT d.dim, p.created_at / 3600 AS h,
       CASE d.dim WHEN 'unit' THEN p.unit WHEN 'kind' THEN p.source_kind ELSE COALESCE(p.topic, '') END AS v,
       COUNT(*), SUM(p.sentiment IS 'negative'), SUM(p.sentiment IS 'neutral'), SUM(p.sentiment IS 'positive'),
       SUM(p.risk IS 'high')
FROM posts p, (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic') d
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals)
GROUP BY d.dim, h, v;

INSERT INTO event_days(day, event_id, posts, negative)
SELECT p.created_at / 86400 AS d, p.event_id, COUNT(*), SUM(p.sentiment IS 'negative') FROM posts p
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals) AND p.event_id IS NOT NULL AND p.event_id != ''
GROUP BY d, p.event_id;

INSERT INTO term_days(day, term, n)
SELECT p.created_at / 86400 AS d, j.value AS t, COUNT(*) FROM posts p, json_each(p.keywords) j
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals) AND p.keywords IS NOT NULL AND typeof(j.value) = 'text'
GROUP BY d, t;
