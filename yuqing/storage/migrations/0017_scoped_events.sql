-- A unit scope's events, largest first, without reading the scope's posts: events walked by size,
-- each kept when a post of the scope names it (one probe of posts_unit_event per event), stopping
-- at the page's limit.
CREATE INDEX events_size ON events(size DESC, last_at DESC);
CREATE INDEX posts_unit_event ON posts(unit, event_id) WHERE event_id IS NOT NULL;
