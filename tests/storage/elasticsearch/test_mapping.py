from __future__ import annotations

from datetime import datetime, timezone

from yuqing.casework.model import Issue
from yuqing.schema import Analysis, Event
from yuqing.storage.elasticsearch import documents as D
from yuqing.storage.elasticsearch.mapping import (
    INDEX_PROPERTIES,
    POST_PROPERTIES,
    Names,
    indices_past_retention,
    posts_template,
    small_index_body,
)

from ...conftest import make_post

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)


def test_template_covers_monthly_indices_with_alias_and_strict_mapping():
    n = Names("yq")
    t = posts_template(n, shards=3, replicas=1)
    assert t["index_patterns"] == ["yq-posts-*"]
    assert t["template"]["aliases"] == {"yq-posts": {}}
    assert t["template"]["settings"]["number_of_shards"] == 3
    m = t["template"]["mappings"]
    assert m["dynamic"] == "strict"
    assert m["properties"]["tokens"] == {"type": "text", "analyzer": "whitespace", "norms": False}
    assert m["properties"]["search"] == {"type": "text", "analyzer": "whitespace", "norms": False}
    assert m["properties"]["text"]["index"] is False  # kept, not indexed: search goes through the words
    assert n.posts_index(datetime(2026, 1, 31, 20, tzinfo=timezone.utc)) == "yq-posts-2026.01"


def test_filter_fields_are_keywords_and_times_dates():
    for f in ("source_id", "source_kind", "unit", "topic", "sentiment", "risk", "event_id", "thread_id", "keywords"):
        assert POST_PROPERTIES[f]["type"] == "keyword", f
    for f in ("created_at", "imported_at", "analyzed_at"):
        assert POST_PROPERTIES[f]["type"] == "date"
    assert small_index_body("issues")["settings"]["number_of_shards"] == 1


def test_every_document_field_is_mapped():
    p = make_post(1, "三个月没发工资", likes=2)
    doc = D.post_doc(p, "M1", NOW, 7)
    doc.update(D.analysis_doc(Analysis(p.id, "negative", {"negative": 0.9}, "wages", tokens=["工资"]), NOW))
    assert set(doc) <= set(POST_PROPERTIES), set(doc) - set(POST_PROPERTIES)
    # what search matches: the same character grams SQLite's grams table holds
    assert POST_PROPERTIES["grams"] == {"type": "text", "analyzer": "whitespace", "norms": False}
    assert doc["grams"] == "三个 个月 月没 没发 发工 工资 资"
    assert D.edit_script(make_post(1, "涨价"), NOW, ["涨价"])["params"]["doc"]["grams"] == "涨价 价"
    issue = Issue(title="欠薪", severity="high", id=3, created_at=NOW)
    assert set(D.issue_doc(issue)) <= set(INDEX_PROPERTIES["issues"])
    assert set(D.event_doc(Event("e1", "食堂"))) <= set(INDEX_PROPERTIES["events"])


def test_documents_round_trip():
    p = make_post(2, "食堂太咸", pii=[{"kind": "phone", "start": 0, "end": 3}], extra={"chat": "一矿"})
    a = Analysis(p.id, "negative", {"negative": 0.8, "neutral": 0.1, "positive": 0.1}, "living", tokens=["食堂", "太咸"],
                 simhash=(1 << 64) - 5, keywords=["食堂"])
    sp = D.stored_post({**D.post_doc(p, "M1", NOW, 1), **D.analysis_doc(a, NOW)})
    assert sp.post == p and sp.unit == "M1" and sp.imported_at == NOW
    assert sp.analysis.simhash == (1 << 64) - 5 and sp.analysis.tokens == ["食堂", "太咸"]
    issue = Issue(title="t", severity="medium", status="closed", id=9, created_at=NOW, extra={"k": 1})
    d = D.issue_doc(issue)
    assert d["severity_rank"] == 1 and d["closed"] is True
    assert D.issue_of(d, 4) == Issue(title="t", severity="medium", status="closed", id=9, created_at=NOW,
                                     extra={"k": 1}, post_count=4)


def test_buckets_stable_and_spread():
    ids = [make_post(i).id for i in range(2000)]
    buckets = [D.bucket_of(i) for i in ids]
    assert buckets == [D.bucket_of(i) for i in ids]
    assert len(set(buckets)) == 64


def test_retention_drops_whole_old_months_only():
    n = Names("yuqing")
    ix = ["yuqing-posts-2025.10", "yuqing-posts-2025.11", "yuqing-posts-2025.12", "yuqing-posts-2026.11",
          "yuqing-issues", "other-posts-2020.01"]
    assert indices_past_retention(n, ix, NOW, keep_months=12) == ["yuqing-posts-2025.10", "yuqing-posts-2025.11"]


def test_post_changes_are_mapped_and_round_trip():
    p = make_post(3, "夜班补贴改了")
    doc = {**D.post_doc(p, "M1", NOW, 1), **D.status_doc("hidden", "被管理员或版主屏蔽", NOW),
           "history": [{"text": "夜班补贴", "title": "", "content_hash": "h", "replaced_at": D.iso(NOW)}],
           "edited_at": D.iso(NOW)}
    assert set(doc) <= set(POST_PROPERTIES), set(doc) - set(POST_PROPERTIES)
    assert POST_PROPERTIES["status"]["type"] == "keyword" and POST_PROPERTIES["history"]["enabled"] is False
    sp = D.stored_post(doc)
    assert (sp.status, sp.status_reason) == ("hidden", "被管理员或版主屏蔽")
    assert D.stored_post(D.post_doc(p, "M1", NOW, 1)).status == "live"  # written before statuses existed
    assert D.status_doc("live", "", NOW) == {"status": None, "status_reason": None, "status_at": None}
    (rev,) = D.history_of_post(doc)
    assert (rev.text, rev.content_hash, rev.replaced_at) == ("夜班补贴", "h", NOW)


def test_edit_script_keeps_the_old_text_and_forgets_the_analysis():
    p = make_post(4, "改过的话", extra={"edited": {"by": "老张"}})
    script = D.edit_script(p, NOW)
    params = script["params"]
    assert params["doc"]["text"] == "改过的话" and params["doc"]["content_hash"] == p.content_hash
    assert params["doc"]["extra"] == {"edited": {"by": "老张"}} and params["at"] == D.iso(NOW)
    assert {"analyzed_at", "sentiment", "tokens", "event_id"} <= set(params["clear"])
    assert set(params["doc"]) <= set(POST_PROPERTIES)
    src = script["source"]
    assert "ctx.op = 'noop'" in src and "history.add" in src and "ctx._source.remove(f)" in src
