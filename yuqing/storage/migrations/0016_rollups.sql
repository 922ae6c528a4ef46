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

CREATE TRIGGER posts_rollup_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', NEW.created_at / 3600, NEW.unit, 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', NEW.created_at / 3600, NEW.source_kind, 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', NEW.created_at / 3600, COALESCE(NEW.topic, ''), 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT NEW.created_at / 86400, NEW.event_id, 1, (NEW.sentiment IS 'negative')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals) AND NEW.event_id IS NOT NULL AND NEW.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT NEW.created_at / 86400, j.value, 1 FROM json_each(COALESCE(NEW.keywords, '[]')) j
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals) AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER posts_rollup_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', OLD.created_at / 3600, OLD.unit, -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', OLD.created_at / 3600, OLD.source_kind, -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', OLD.created_at / 3600, COALESCE(OLD.topic, ''), -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT OLD.created_at / 86400, OLD.event_id, -1, -(OLD.sentiment IS 'negative')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals) AND OLD.event_id IS NOT NULL AND OLD.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT OLD.created_at / 86400, j.value, -1 FROM json_each(COALESCE(OLD.keywords, '[]')) j
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals) AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER posts_rollup_update AFTER UPDATE OF created_at, unit, source_kind, topic, sentiment, risk, event_id, keywords
ON posts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.unit IS NOT NEW.unit OR OLD.source_kind IS NOT NEW.source_kind
  OR OLD.topic IS NOT NEW.topic OR OLD.sentiment IS NOT NEW.sentiment OR OLD.risk IS NOT NEW.risk
  OR OLD.event_id IS NOT NEW.event_id OR OLD.keywords IS NOT NEW.keywords
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', OLD.created_at / 3600, OLD.unit, -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', OLD.created_at / 3600, OLD.source_kind, -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', OLD.created_at / 3600, COALESCE(OLD.topic, ''), -1, -(OLD.sentiment IS 'negative'), -(OLD.sentiment IS 'neutral'),
           -(OLD.sentiment IS 'positive'), -(OLD.risk IS 'high')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT OLD.created_at / 86400, OLD.event_id, -1, -(OLD.sentiment IS 'negative')
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals) AND OLD.event_id IS NOT NULL AND OLD.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT OLD.created_at / 86400, j.value, -1 FROM json_each(COALESCE(OLD.keywords, '[]')) j
    WHERE OLD.rowid NOT IN (SELECT post_rowid FROM post_removals) AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', NEW.created_at / 3600, NEW.unit, 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', NEW.created_at / 3600, NEW.source_kind, 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', NEW.created_at / 3600, COALESCE(NEW.topic, ''), 1, (NEW.sentiment IS 'negative'), (NEW.sentiment IS 'neutral'),
           (NEW.sentiment IS 'positive'), (NEW.risk IS 'high')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals)
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT NEW.created_at / 86400, NEW.event_id, 1, (NEW.sentiment IS 'negative')
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals) AND NEW.event_id IS NOT NULL AND NEW.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT NEW.created_at / 86400, j.value, 1 FROM json_each(COALESCE(NEW.keywords, '[]')) j
    WHERE NEW.rowid NOT IN (SELECT post_rowid FROM post_removals) AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER post_removals_rollup_insert AFTER INSERT ON post_removals
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', p.created_at / 3600, p.unit, -1, -(p.sentiment IS 'negative'), -(p.sentiment IS 'neutral'),
           -(p.sentiment IS 'positive'), -(p.risk IS 'high') FROM posts p
    WHERE p.rowid = NEW.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', p.created_at / 3600, p.source_kind, -1, -(p.sentiment IS 'negative'), -(p.sentiment IS 'neutral'),
           -(p.sentiment IS 'positive'), -(p.risk IS 'high') FROM posts p
    WHERE p.rowid = NEW.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', p.created_at / 3600, COALESCE(p.topic, ''), -1, -(p.sentiment IS 'negative'), -(p.sentiment IS 'neutral'),
           -(p.sentiment IS 'positive'), -(p.risk IS 'high') FROM posts p
    WHERE p.rowid = NEW.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT p.created_at / 86400, p.event_id, -1, -(p.sentiment IS 'negative') FROM posts p
    WHERE p.rowid = NEW.post_rowid AND p.event_id IS NOT NULL AND p.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT p.created_at / 86400, j.value, -1 FROM posts p, json_each(COALESCE(p.keywords, '[]')) j
    WHERE p.rowid = NEW.post_rowid AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER post_removals_rollup_delete AFTER DELETE ON post_removals
BEGIN
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'unit', p.created_at / 3600, p.unit, 1, (p.sentiment IS 'negative'), (p.sentiment IS 'neutral'),
           (p.sentiment IS 'positive'), (p.risk IS 'high') FROM posts p
    WHERE p.rowid = OLD.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'kind', p.created_at / 3600, p.source_kind, 1, (p.sentiment IS 'negative'), (p.sentiment IS 'neutral'),
           (p.sentiment IS 'positive'), (p.risk IS 'high') FROM posts p
    WHERE p.rowid = OLD.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
    SELECT 'topic', p.created_at / 3600, COALESCE(p.topic, ''), 1, (p.sentiment IS 'negative'), (p.sentiment IS 'neutral'),
           (p.sentiment IS 'positive'), (p.risk IS 'high') FROM posts p
    WHERE p.rowid = OLD.post_rowid
    ON CONFLICT(dim, hour, value) DO UPDATE SET total = total + excluded.total, negative = negative + excluded.negative,
        neutral = neutral + excluded.neutral, positive = positive + excluded.positive, high_risk = high_risk + excluded.high_risk;
    INSERT INTO event_days(day, event_id, posts, negative)
    SELECT p.created_at / 86400, p.event_id, 1, (p.sentiment IS 'negative') FROM posts p
    WHERE p.rowid = OLD.post_rowid AND p.event_id IS NOT NULL AND p.event_id != ''
    ON CONFLICT(day, event_id) DO UPDATE SET posts = posts + excluded.posts, negative = negative + excluded.negative;
    INSERT INTO term_days(day, term, n)
    SELECT p.created_at / 86400, j.value, 1 FROM posts p, json_each(COALESCE(p.keywords, '[]')) j
    WHERE p.rowid = OLD.post_rowid AND typeof(j.value) = 'text'
    ON CONFLICT(day, term) DO UPDATE SET n = n + excluded.n;
END;

-- what is stored already
INSERT INTO post_hours(dim, hour, value, total, negative, neutral, positive, high_risk)
SELECT d.dim, p.created_at / 3600 AS h,
       CASE d.dim WHEN 'unit' THEN p.unit WHEN 'kind' THEN p.source_kind ELSE COALESCE(p.topic, '') END AS v,
       COUNT(*), SUM(p.sentiment IS 'negative'), SUM(p.sentiment IS 'neutral'), SUM(p.sentiment IS 'positive'),
       SUM(p.risk IS 'high')
FROM posts p, (SELECT 'unit' AS dim UNION ALL SELECT 'kind' UNION ALL SELECT 'topic' ) d
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals)
GROUP BY d.dim, h, v;

INSERT INTO event_days(day, event_id, posts, negative)
SELECT p.created_at / 86400 AS d, p.event_id, COUNT(*), SUM(p.sentiment IS 'negative') FROM posts p
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals) AND p.event_id IS NOT NULL AND p.event_id != ''
GROUP BY d, p.event_id;

INSERT INTO term_days(day, term, n)
SELECT p.created_at / 86400 AS d, j.value AS t, COUNT(*) FROM posts p, json_each(COALESCE(p.keywords, '[]')) j
WHERE p.rowid NOT IN (SELECT post_rowid FROM post_removals) AND typeof(j.value) = 'text'
GROUP BY d, t;
