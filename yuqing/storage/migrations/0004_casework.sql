-- Casework additions: a grouping key for issues raised from posts without an event
-- (rule + topic + unit + week), so later matches find the same open issue.
ALTER TABLE issues ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
CREATE INDEX issues_group_key ON issues(group_key, status);
