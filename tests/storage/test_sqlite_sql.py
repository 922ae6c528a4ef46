"""The SQLite backend's pure parts, without a database: the SQL its queries are built from
(:mod:`yuqing.storage.sqlite.sql`) and the mapping between values and rows (:mod:`yuqing.storage.sqlite.rows`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.casework.model import HistoryEntry, Issue
from yuqing.query_syntax import fts_match, parse_query
from yuqing.schema import Analysis, Event, PostStatus, Source, SourceKind
from yuqing.storage.base import PostQuery
from yuqing.storage.sqlite import rows as R
from yuqing.storage.sqlite import sql as S

from ..conftest import make_post

T = datetime(2026, 11, 2, 1, 0, 5, tzinfo=timezone.utc)


def test_epoch_seconds_round_trip_and_none():
    assert R.ts(T) == 1793581205 and R.dt(1793581205) == T
    assert R.dt(R.ts(T.astimezone(timezone(timedelta(hours=8))))) == T  # any zone in, UTC out
    assert R.ts(None) is None and R.dt(None) is None


def test_64_bit_hashes_survive_signed_storage():
    for v in (0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1):
        assert -(1 << 63) <= R.to_signed(v) < (1 << 63)
        assert R.from_signed(R.to_signed(v)) == v


def test_in_sorts_its_values_and_leaves_them_out_of_the_text():
    assert S.in_("p.unit", {"M2", "M1", "x'); DROP TABLE posts; --"}) == (
        "p.unit IN (?,?,?)", ["M1", "M2", "x'); DROP TABLE posts; --"])


def _parsed(text: str):
    return parse_query(text, lambda term: [term])


def test_post_where_filters_in_order_and_live_by_default():
    since, until = T, T + timedelta(days=7)
    q = PostQuery(text="工资 -食堂", since=since, until=until, units={"M2", "M1"}, sentiments=["negative"],
                  event_id="e1", analyzed=True, author="张三")
    where, params = S.post_where(q, _parsed(q.text))
    assert where.startswith("p.rowid IN (SELECT rowid FROM posts_grams WHERE posts_grams MATCH ?) AND "
                            "p.rowid NOT IN (SELECT rowid FROM posts_grams WHERE posts_grams MATCH ?) AND p.rowid IN")
    assert where.endswith("p.created_at >= ? AND p.created_at < ? AND p.unit IN (?,?) AND p.sentiment IN (?) AND "
                          "p.event_id = ? AND p.analyzed_at IS NOT NULL AND p." + S.LIVE)
    positive, negative = fts_match(_parsed(q.text))
    assert params == [positive, negative, "张三", "张三", R.ts(since), R.ts(until), "M1", "M2", "negative", "e1"]
    assert S.post_where(PostQuery(include_removed=True)) == ("1", [])
    assert S.post_where(PostQuery(analyzed=False), alias="x")[0] == "x.analyzed_at IS NULL AND x." + S.LIVE


def test_post_where_that_cannot_match_says_so():
    assert S.post_where(PostQuery(units=set())) == ("0", [])
    assert S.post_where(PostQuery(text="   -"), _parsed("   -")) == ("0", [])  # a text with no words left
    assert S.post_where(PostQuery(text="工资"), None) == ("0", [])


def test_post_order_by_time_or_heat():
    assert S.post_order(PostQuery()) == "p.created_at DESC, p.rowid DESC"
    assert S.post_order(PostQuery(newest_first=False), alias="x") == "x.created_at ASC, x.rowid ASC"
    heat = S.post_order(PostQuery(sort="heat"))
    assert heat.startswith("(CASE p.risk WHEN 'none' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 0 END) DESC")


def test_issue_and_event_filters():
    now = T
    where, params = S.issue_where(units={"M1"}, status="open", overdue=True, now=now, since=T - timedelta(days=1))
    assert where == ("i.unit IN (?) AND i.status = ? AND i.status = 'open' AND i.due_at IS NOT NULL AND i.due_at < ? "
                     "AND i.created_at >= ?")
    assert params == ["M1", "open", R.ts(now), R.ts(T - timedelta(days=1))]
    assert S.issue_where(units=None, overdue=False, now=now)[0].startswith("NOT (")
    assert S.issue_where(units=set()) is None and S.events_where(None, set()) is None
    assert S.events_where(T, {"M1"}) == (
        "e.last_at >= ? AND EXISTS (SELECT 1 FROM posts p INDEXED BY posts_unit_event WHERE p.unit IN (?) "
        "AND p.event_id = e.id)", [R.ts(T), "M1"])


def test_migration_statements_split_with_triggers_and_comments():
    sql = """-- a comment
CREATE TABLE a (x INTEGER);

CREATE TRIGGER t AFTER INSERT ON a BEGIN
  UPDATE a SET x = x + 1; -- inside
END;
INSERT INTO a VALUES (1);"""
    parts = S.split_statements(sql)
    assert len(parts) == 3 and parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")


def test_a_post_row_reads_back_as_the_post_with_its_analysis_and_status():
    p = make_post(1, "三个月工资没发了")
    a = Analysis(post_id=p.id, sentiment="negative", sentiment_scores={"negative": 0.8, "neutral": 0.1, "positive": 0.1},
                 topic="wages", risk="high", keywords=["工资"], tokens=["三个月", "工资"], simhash=(1 << 64) - 5,
                 event_id="e1", model_version="m1")
    values = R.post_values(p, "M1", 1000)
    columns = ("id source_id source_kind unit native_id author author_id text title url thread_id parent_id likes "
               "replies created_at imported_at content_hash pii extra").split()
    row = dict(zip(columns, values))
    analysis = dict(zip("sentiment p_negative p_neutral p_positive topic topics risk keywords tokens simhash event_id "
                        "model_version analyzed_at".split(), R.analysis_values(a, 2000)))
    sp = R.stored_post({**row, **analysis, "removed_status": "deleted", "removed_reason": "论坛上已删除"})
    assert sp.post == p and sp.unit == "M1" and sp.imported_at == R.dt(1000)
    assert sp.analysis == a and sp.analysis.simhash == (1 << 64) - 5
    assert (sp.status, sp.status_reason) == (PostStatus.DELETED, "论坛上已删除")
    plain = R.stored_post({**row, **dict.fromkeys(analysis, None)})
    assert plain.analysis is None and plain.status == "live"


def test_sources_events_and_issues_round_trip():
    src = Source("s1", "一矿职工群", SourceKind.WECHAT_GROUP, unit="M1", match=["1@chatroom"], options={"a": "甲"})
    cols = "id name kind unit match url status options configured created_at".split()
    assert R.source(dict(zip(cols, R.source_values(src, True, 5)))) == src
    ev = Event("e1", "食堂涨价", ["食堂"], "living", "M1", T, T + timedelta(hours=1), 3, 2, (1 << 64) - 1)
    cols = "id label keywords topic unit first_at last_at size negative signature".split()
    assert R.event(dict(zip(cols, R.event_values(ev)))) == ev
    issue = Issue(title="欠薪", severity="high", unit="M1", created_at=T, updated_at=T, due_at=T + timedelta(days=3),
                  extra={"rules": ["wage"]}, id=7)
    row = {"id": 7, **dict(zip(R.ISSUE_COLUMNS, R.issue_values(issue)))}
    assert R.issue(row) == issue and R.issue({**row, "post_count": 4}).post_count == 4
    h = R.history_entry({"issue_id": 7, "at": R.ts(T), "actor": "a", "action": "recorded", "step": "干部问事",
                         "note": "", "data": '{"fields": {"visited": "是"}}'})
    assert h == HistoryEntry(7, T, "a", "recorded", "干部问事", "", {"fields": {"visited": "是"}})
