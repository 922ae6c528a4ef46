"""`yuqing migrate`: what is copied (checked against the strict mappings without a cluster), and
the full copy against a live cluster when YUQING_ES_URL is set."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from elasticsearch import Elasticsearch

from yuqing.casework.model import Issue
from yuqing.schema import Analysis, Event, ImportedFile, QuarantineRecord, Subject, User
from yuqing.storage import PostQuery
from yuqing.storage.copy_to_es import TABLES, migrate_to_es, post_batch, table_actions
from yuqing.storage.elasticsearch.mapping import INDEX_PROPERTIES, POST_PROPERTIES
from yuqing.storage.elasticsearch.store import ElasticsearchStore
from yuqing.storage.sqlite import SqliteStore

from ..conftest import make_post

NO_CLUSTER = "YUQING_ES_URL not set: no Elasticsearch cluster configured"


@pytest.fixture
def src(tmp_path, units, sources):
    s = SqliteStore(tmp_path / "src.db")
    s.sync_config(units, sources)
    posts = [make_post(i, source="src-a" if i % 2 else "src-b") for i in range(25)]
    s.add_posts(posts)
    s.save_analyses([Analysis(p.id, "negative", {"negative": 0.8}, "wages", keywords=["工资"], tokens=["工资"],
                              simhash=(1 << 64) - 3, event_id="e1") for p in posts[:10]])
    s.upsert_events([Event("e1", "欠薪", ["工资"], "wages", "M1-ZC", posts[0].created_at, posts[9].created_at, 10)])
    iid = s.create_issue(Issue(title="欠薪", severity="high", unit="M1-ZC", event_id="e1",
                               due_at=datetime.now(timezone.utc) + timedelta(days=3)), [p.id for p in posts[:3]])
    issue = s.get_issue(iid)
    issue.step = "职工说事"
    s.update_issue(issue, actor="li", action="advanced")
    s.enqueue_email(dedupe_key="alert:1", kind="alert", recipients=["a@x"], subject="预警", body_text="b", issue_id=iid)
    s.add_label(posts[0].id, "sentiment", "neutral", "li")
    s.add_quarantine([QuarantineRecord("x.csv", "第 3 行", "时间无法解析")])
    s.record_file(ImportedFile("h1", "x.csv", 100, posts=25))
    s.record_source_failure("src-b", "http://x", "timeout")
    s.set_state("alerts:cursor", "7")
    s.audit("li", "login", "li")
    s.sync_users([User("li", "cadre", unit="M1", password_hash="h")])
    s.set_triage("post", posts[1].id, "watch", "li")
    s.set_triage("post", posts[1].id, "handled", "li", note="已回复")
    s.set_triage("event", "e1", "watch", "li")
    s.save_subject(Subject(name="欠薪", query="工资 拖欠", units=["M1"], owner="li"))
    yield s
    s.close()


def _offline_dst() -> ElasticsearchStore:
    return ElasticsearchStore(Elasticsearch("http://127.0.0.1:9"), prefix="yq", setup=False)


def test_every_table_copied_row_for_row_and_fits_the_strict_mappings(src):
    actions = list(table_actions(src, _offline_dst()))
    per_index: dict[str, int] = {}
    for name, a in actions:
        per_index[name] = per_index.get(name, 0) + 1
        assert a.index == f"yq-{name}"
        assert set(a.doc) <= set(INDEX_PROPERTIES[name]), (name, set(a.doc) - set(INDEX_PROPERTIES[name]))
    for name, table in TABLES.items():
        assert per_index.get(name, 0) == src.q1(f"SELECT COUNT(*) FROM {table}")[0], name
    issue = next(a.doc for n, a in actions if n == "issues")
    assert issue["version"] == 2 and issue["step"] == "职工说事"
    assert len({(a.index, a.id) for _, a in actions}) == len(actions)  # fixed ids: re-running replaces


def test_posts_in_rowid_batches_with_their_analysis(src):
    dst = _offline_dst()
    first, cursor = post_batch(src, dst, 0, 10)
    rest, end = post_batch(src, dst, cursor, 100)
    assert len(first) == 10 and len(rest) == 15 and post_batch(src, dst, end, 100) == ([], end)
    assert [a.doc["seq"] for a in first + rest] == list(range(1, 26))  # the alert cursor (a rowid) stays valid
    doc = first[0].doc
    assert set(doc) <= set(POST_PROPERTIES)
    assert doc["sentiment"] == "negative" and doc["tokens"] == "工资" and doc["simhash"] == str((1 << 64) - 3)
    assert [a.doc.get("issue_ids") for a in first[:4]] == [[1], [1], [1], None]  # the issue's posts know it
    assert "analyzed_at" not in rest[-1].doc and rest[-1].doc["unit"] in ("M1-ZC", "M2")
    assert first[0].index.startswith("yq-posts-2026.")
    assert first[1].doc["triage"] == "handled" and "triage" not in first[0].doc  # the current mark, searchable


@pytest.mark.skipif(not os.environ.get("YUQING_ES_URL"), reason=NO_CLUSTER)
def test_migrate_to_a_live_cluster_is_idempotent_and_verified(src):
    from yuqing.config import EsConfig

    dst = ElasticsearchStore.open(EsConfig(url=os.environ["YUQING_ES_URL"],
                                           index_prefix=f"yuqing-test-{uuid.uuid4().hex[:10]}"), replicas=0)
    try:
        report = migrate_to_es(src, dst, batch=7)
        assert report.posts == 25 and report.counts["posts"] == (25, 25)
        assert migrate_to_es(src, dst).posts == 0  # resumed past the end: nothing to copy again
        dst.refresh = "wait_for"
        assert dst.count_posts(PostQuery(text="工资")) == 10
        issue = dst.get_issue(1)
        assert issue.version == 2 and issue.post_count == 3
        assert dst.create_issue(Issue(title="新")) == 2  # the id counter continues after SQLite's
        assert dst.get_state("alerts:cursor") == "7"
    finally:
        dst.drop_all()
        dst.close()
