-- Delivery semantics of the outbox, hashed remember-me sessions, login throttling.

-- A sender claims a row (lease: owner and expiry) before sending it, so two senders never send
-- one row; a row the server refused for good (5xx) or deferred past its give-up time is failed
-- (failed_at) and the admins are told (reported_at).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN give_up_at INTEGER;
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN reported_at INTEGER;
UPDATE outbox SET give_up_at = created_at + 3 * 86400 WHERE give_up_at IS NULL;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox(failed_at) WHERE failed_at IS NOT NULL;

-- Sessions are found by the SHA-256 of their token (the token itself is only in the browser);
-- sessions stored in clear before this migration cannot be kept.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN remember INTEGER NOT NULL DEFAULT 0;

-- Failed logins per account and per client, for growing delays (never a hard lock).
CREATE TABLE login_failures (
    at       INTEGER NOT NULL,
    username TEXT NOT NULL,
    client   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_client ON login_failures(client, at);
-- A browser that logged in to an account before is recognised (its logins are audited with it).
CREATE INDEX audit_actor ON audit_log(actor, action, at);
