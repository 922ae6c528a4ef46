"""Elasticsearch bodies for triage and 专题 (no cluster needed), and the mapping fields they use."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from yuqing.errors import StorageError
from yuqing.storage.base import PostQuery
from yuqing.storage.elasticsearch import queries as Q
from yuqing.storage.elasticsearch.mapping import INDEX_PROPERTIES, POST_PROPERTIES

T = datetime(2026, 11, 2, 1, tzinfo=timezone.utc)


def test_triage_modes_filter_on_the_posts_triage_field():
    assert Q.post_filter(PostQuery(triage="all")) == {"bool": {"filter": [Q.LIVE]}}
    hide = Q.post_filter(PostQuery(triage="hide"))["bool"]["filter"]
    assert {"bool": {"must_not": [{"terms": {"triage": ["handled", "false_alarm", "ignored"]}}]}} in hide
    only_open = Q.post_filter(PostQuery(triage="only-open"))["bool"]["filter"]
    assert {"bool": {"must_not": [{"exists": {"field": "triage"}}]}} in only_open
    with pytest.raises(StorageError):
        Q.post_filter(PostQuery(triage="everything"))
    assert POST_PROPERTIES["triage"] == {"type": "keyword"}
    assert {"triage", "triage-state", "subjects"} <= set(INDEX_PROPERTIES)


def test_triage_counts_take_each_targets_last_line():
    lines = [{"kind": "post", "target": "a", "mark": "watch"}, {"kind": "post", "target": "a", "mark": "handled"},
             {"kind": "post", "target": "b", "mark": "ignored"}, {"kind": "post", "target": "b", "mark": ""},
             {"kind": "event", "target": "a", "mark": "watch"}, {"kind": "post", "target": "c", "mark": "handled"}]
    assert Q.last_marks(lines) == {"post": {"handled": 2}, "event": {"watch": 1}}
    f = Q.triage_counts_filter(T, T + timedelta(days=7), {"M2", "M1"})["bool"]["filter"]
    assert f[0] == {"terms": {"unit": ["M1", "M2"]}} and f[1]["range"]["at"]["gte"].startswith("2026-11-02T01:00")
    assert Q.triage_counts_filter(T, T, set()) == Q.MATCH_NONE


def test_subjects_scope_and_issues_after_an_id():
    assert Q.subjects_filter(None) == {"match_all": {}}
    scoped = Q.subjects_filter({"M1"})["bool"]
    assert scoped["should"] == [{"term": {"unit": ""}}, {"terms": {"unit": ["M1"]}}] and scoped["minimum_should_match"] == 1
    assert Q.subjects_filter(set())["bool"]["should"] == [{"term": {"unit": ""}}]
    assert {"range": {"id": {"gt": 12}}} in Q.issue_filter(after_id=12)["bool"]["filter"]


def test_subject_documents_fit_the_strict_mapping_and_read_back():
    from yuqing.schema import Subject
    from yuqing.storage.elasticsearch.triage import subject_doc, subject_of

    s = Subject(name="工资拖欠", query="工资 AND 拖欠", units=["M1"], sources=["src-a"], unit="M1", owner="ganbu1",
                rule="zhuanti-3", created_at=T, updated_at=T + timedelta(hours=1), version=2, id=3)
    doc = subject_doc(s)
    assert set(doc) <= set(INDEX_PROPERTIES["subjects"])
    assert subject_of(doc) == s
