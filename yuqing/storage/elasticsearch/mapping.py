"""Index names, the posts index template and the mappings of every yuqing index. No IO.

Filters are ``keyword`` fields; times are ``date`` (ISO-8601 UTC); the jieba words a post is
searched by (``search``, written with the post) and its analysis tokens go into ``text`` fields
analysed by whitespace only (the tokenizer already split them, so no IK/smartcn
plugin is needed); the raw post text is kept in ``_source`` but not indexed.
"""

from __future__ import annotations

from datetime import datetime, timezone

KW = {"type": "keyword"}
DATE = {"type": "date"}
INT = {"type": "integer"}
LONG = {"type": "long"}
FLOAT = {"type": "float"}
BOOL = {"type": "boolean"}
STORED = {"type": "keyword", "index": False, "doc_values": False}
RAW_TEXT = {"type": "text", "index": False}
OPAQUE = {"type": "object", "enabled": False}

#: Posts are spread over this many buckets (``bucket`` = hash of the id) so analysis can be leased.
BUCKETS = 64

POST_PROPERTIES: dict = {
    "id": KW, "source_id": KW, "source_kind": KW, "unit": KW, "native_id": KW, "author": KW, "author_id": KW,
    "text": RAW_TEXT, "title": RAW_TEXT, "url": STORED, "thread_id": KW, "parent_id": KW,
    "likes": INT, "replies": INT, "engagement": INT, "created_at": DATE, "imported_at": DATE,
    "content_hash": KW, "pii": OPAQUE, "extra": OPAQUE, "bucket": INT, "seq": LONG,
    # what full-text search matches: the search-mode cut of title and text, written with the post
    "search": {"type": "text", "analyzer": "whitespace", "norms": False},
    # what search matches: the character grams of title and text (yuqing.query_syntax.index_grams),
    # the same tokens SQLite's posts_grams table holds, so a word is found in any order and inside longer words
    "grams": {"type": "text", "analyzer": "whitespace", "norms": False},
    # the analysis (absent until analysed)
    "analyzed_at": DATE, "sentiment": KW, "p_negative": FLOAT, "p_neutral": FLOAT, "p_positive": FLOAT,
    "topic": KW, "topics": KW, "risk": KW, "keywords": KW,
    "tokens": {"type": "text", "analyzer": "whitespace", "norms": False},
    "simhash": STORED, "event_id": KW, "model_version": KW,
    # the issues a post is attached to (kept in step by attach_posts, for the digest's aggregations)
    "issue_ids": LONG,
}

#: Fields added to posts documents after the first release (``ensure_indices`` adds them to the
#: monthly indices made before): a post its source deleted or hid (``status`` absent = live, with
#: why and when), and an edited post's earlier texts (``history``: ``[{"text", "title",
#: "content_hash", "replaced_at"}]``, kept in ``_source`` only).
POST_CHANGE_PROPERTIES: dict = {"status": KW, "status_reason": RAW_TEXT, "status_at": DATE, "edited_at": DATE,
                                "history": OPAQUE}
POST_PROPERTIES.update(POST_CHANGE_PROPERTIES)
#: The post's current triage mark (issue #16; absent = not marked): what "hide what is handled"
#: filters on. Its history is in the ``triage`` index.
POST_TRIAGE_PROPERTIES: dict = {"triage": KW}
POST_PROPERTIES.update(POST_TRIAGE_PROPERTIES)

#: The small indices (one shard each) and their fields.
INDEX_PROPERTIES: dict[str, dict] = {
    "units": {"code": KW, "name": KW, "parent": KW, "level": INT},
    "sources": {"id": KW, "name": KW, "kind": KW, "unit": KW, "match": KW, "url": STORED, "status": KW,
                "options": OPAQUE, "configured": BOOL},
    "events": {"id": KW, "label": KW, "keywords": KW, "topic": KW, "unit": KW, "first_at": DATE, "last_at": DATE,
               "size": INT, "negative": INT, "signature": STORED},
    "files": {"content_hash": KW, "path": KW, "size": LONG, "fmt": KW, "posts": INT, "duplicates": INT,
              "quarantined": INT, "skipped": INT, "imported_at": DATE},
    "quarantine": {"origin": KW, "position": KW, "reason": RAW_TEXT, "raw": RAW_TEXT, "seq": LONG,
                   "source_id": KW, "at": DATE},
    "failures": {"source_id": KW, "at": DATE, "url": STORED, "error": RAW_TEXT},
    "state": {"key": KW, "value": STORED},
    "labels": {"post_id": KW, "field": KW, "value": KW, "actor": KW, "at": DATE, "seq": LONG},
    "issues": {"id": LONG, "event_id": KW, "group_key": KW, "rule": KW, "kind": KW, "title": RAW_TEXT,
               "summary": RAW_TEXT, "severity": KW, "severity_rank": INT, "topic": KW, "unit": KW, "method": KW,
               "method_reason": RAW_TEXT, "step": KW, "status": KW, "closed": BOOL, "assignee": KW,
               "created_at": DATE, "updated_at": DATE, "due_at": DATE, "closed_at": DATE, "version": LONG,
               "extra": OPAQUE},
    "issue-posts": {"issue_id": LONG, "post_id": KW, "rule": KW, "added_at": DATE},
    "history": {"issue_id": LONG, "at": DATE, "seq": LONG, "actor": KW, "action": KW, "step": KW,
                "note": RAW_TEXT, "data": OPAQUE},
    "outbox": {"id": LONG, "dedupe_key": KW, "kind": KW, "issue_id": LONG, "recipients": KW, "subject": RAW_TEXT,
               "body_text": RAW_TEXT, "body_html": RAW_TEXT, "attachments": OPAQUE, "created_at": DATE,
               "send_after": DATE, "next_attempt_at": DATE, "sent_at": DATE, "message_id": KW, "attempts": INT,
               "last_error": RAW_TEXT, "claimed_by": KW, "claimed_until": DATE, "give_up_at": DATE,
               "failed_at": DATE, "reported_at": DATE},
    "audit": {"at": DATE, "seq": LONG, "actor": KW, "action": KW, "target": KW, "detail": OPAQUE},
    "counters": {"n": LONG},
    "leases": {"name": KW, "holder": KW, "expires_at": DATE, "acquired_at": DATE},
    "users": {"username": KW, "name": KW, "role": KW, "unit": KW, "email": KW, "password_hash": STORED,
              "disabled": BOOL, "created_at": DATE},
    "sessions": {"token": KW, "username": KW, "created_at": DATE, "expires_at": DATE, "remember": BOOL},
    "login-failures": {"at": DATE, "username": KW, "client": KW},
    # triage (issue #16): every change (``triage``) and the current mark per post/event (``triage-state``,
    # id "<kind>:<target>")
    "triage": {"kind": KW, "target": KW, "unit": KW, "mark": KW, "actor": KW, "note": RAW_TEXT, "at": DATE,
               "seq": LONG},
    "triage-state": {"kind": KW, "target": KW, "unit": KW, "mark": KW, "actor": KW, "note": RAW_TEXT, "at": DATE},
    # 专题 (saved searches)
    "subjects": {"id": LONG, "name": KW, "query": RAW_TEXT, "units": KW, "sources": KW, "unit": KW, "owner": KW,
                 "rule": KW, "created_at": DATE, "updated_at": DATE, "version": LONG},
}


class Names:
    """Every index name derives from the configured prefix (``[es] index_prefix``)."""

    def __init__(self, prefix: str = "yuqing"):
        self.prefix = prefix

    @property
    def posts_alias(self) -> str:
        return f"{self.prefix}-posts"

    @property
    def posts_pattern(self) -> str:
        return f"{self.prefix}-posts-*"

    @property
    def template(self) -> str:
        return f"{self.prefix}-posts"

    def posts_index(self, when: datetime) -> str:
        """The monthly index a post created at ``when`` belongs to (UTC month)."""
        return f"{self.prefix}-posts-{when.astimezone(timezone.utc):%Y.%m}"

    def index(self, name: str) -> str:
        if name not in INDEX_PROPERTIES:
            raise KeyError(name)
        return f"{self.prefix}-{name}"

    def all_small(self) -> list[str]:
        return [self.index(n) for n in INDEX_PROPERTIES]


def mappings(properties: dict) -> dict:
    """A strict mapping: a document with an unknown field is rejected (and quarantined), not guessed."""
    return {"dynamic": "strict", "properties": properties}


def posts_template(names: Names, *, shards: int = 1, replicas: int = 1, refresh_interval: str = "1s") -> dict:
    """The body of ``PUT _index_template/<prefix>-posts``: every monthly posts index gets the
    mapping, the settings and the alias."""
    return {
        "index_patterns": [names.posts_pattern],
        "priority": 200,
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas,
                         "refresh_interval": refresh_interval},
            "mappings": mappings(POST_PROPERTIES),
            "aliases": {names.posts_alias: {}},
        },
        "_meta": {"managed_by": "yuqing"},
    }


def small_index_body(name: str, *, replicas: int = 1) -> dict:
    """``settings`` and ``mappings`` of one small index."""
    return {"settings": {"number_of_shards": 1, "number_of_replicas": replicas},
            "mappings": mappings(INDEX_PROPERTIES[name])}


def month_of_index(names: Names, index: str) -> tuple[int, int] | None:
    """``(year, month)`` of a monthly posts index name, or None for any other name."""
    head = f"{names.prefix}-posts-"
    if not index.startswith(head):
        return None
    try:
        y, m = index[len(head):].split(".")
        return int(y), int(m)
    except ValueError:
        return None


def indices_past_retention(names: Names, indices: list[str], now: datetime, keep_months: int) -> list[str]:
    """Monthly posts indices entirely older than the last ``keep_months`` months (to delete whole)."""
    now = now.astimezone(timezone.utc)
    current = now.year * 12 + now.month - 1
    out = []
    for ix in indices:
        ym = month_of_index(names, ix)
        if ym and current - (ym[0] * 12 + ym[1] - 1) >= keep_months:
            out.append(ix)
    return sorted(out)
