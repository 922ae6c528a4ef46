"""专题: checking, matching like the keyword rule, the page's figures and the rule made from one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from yuqing import subjects as sj
from yuqing.alerts.loader import load_rule_file
from yuqing.alerts.rules import RuleContext
from yuqing.auth import CurrentUser
from yuqing.dashboard.links import search_link
from yuqing.dashboard.rule_edit import parse_rule_text, save_rule
from yuqing.dashboard.subject_links import subject_search_link
from yuqing.orgtree import OrgTree
from yuqing.schema import Analysis, Post, SourceKind, StoredPost, Subject, Unit

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
UNITS = [Unit("G", "集团", "", 1), Unit("M1", "一矿", "G", 3), Unit("M1-ZC", "综采队", "M1", 4), Unit("M2", "二矿", "G", 3)]
TREE = OrgTree(UNITS)
MONITOR = CurrentUser("jiance", "monitor")
CADRE = CurrentUser("ganbu1", "cadre", unit="M1", scope=frozenset({"M1", "M1-ZC"}))
VIEWER = CurrentUser("kan", "viewer", unit="M1", scope=frozenset({"M1", "M1-ZC"}))
SOURCES = {"src-a", "src-b", "src-f"}


def _sp(i: int, text: str, unit: str = "M1-ZC", source: str = "src-a", hours: float = 1, sentiment="negative",
        event: str = "e1", likes: int = 0) -> StoredPost:
    p = Post(source_id=source, source_kind=SourceKind.WECHAT_GROUP, native_id=str(i), text=text,
             created_at=NOW - timedelta(hours=hours), author=f"职工{i}", likes=likes)
    return StoredPost(p, unit, Analysis(p.id, sentiment, {}, "wages", event_id=event))


@pytest.mark.parametrize("query, problem", [("", "不能为空"), ("工资 AND", "不完整"), ('"拖欠', "引号"),
                                            ("NOT 谣言", "不带 NOT"), ("(工资", "括号")])
def test_bad_keywords_are_refused_naming_the_field(query, problem):
    with pytest.raises(sj.SubjectError, match=f"关键词：.*{problem}"):
        sj.check_subject(Subject(name="x", query=query), MONITOR, TREE, SOURCES)


def test_check_names_units_sources_and_scope():
    with pytest.raises(sj.SubjectError, match="名称"):
        sj.check_subject(Subject(name="  ", query="工资"), MONITOR, TREE, SOURCES)
    with pytest.raises(sj.SubjectError, match="单位：没有单位代码「X」"):
        sj.check_subject(Subject(name="a", query="工资", units=["X"]), MONITOR, TREE, SOURCES)
    with pytest.raises(sj.SubjectError, match="不在您的可见范围内"):
        sj.check_subject(Subject(name="a", query="工资", units=["M2"]), CADRE, TREE, SOURCES)
    with pytest.raises(sj.SubjectError, match="来源"):
        sj.check_subject(Subject(name="a", query="工资", sources=["nope"]), MONITOR, TREE, SOURCES)
    with pytest.raises(sj.SubjectError, match="只读用户"):
        sj.check_subject(Subject(name="a", query="工资"), VIEWER, TREE, SOURCES)
    org = sj.check_subject(Subject(name=" 工资  拖欠 ", query=" 工资 拖欠 "), MONITOR, TREE, SOURCES)
    assert (org.name, org.query, org.unit, org.owner, org.units) == ("工资 拖欠", "工资 拖欠", "", "jiance", [])
    mine = sj.check_subject(Subject(name="a", query="工资"), CADRE, TREE, SOURCES)
    assert (mine.unit, mine.units, mine.owner) == ("M1", ["M1"], "ganbu1")  # a cadre's 专题 is their unit's


def test_who_may_edit_and_make_rules():
    org, m1, m2 = Subject("a", "x", unit=""), Subject("b", "x", unit="M1"), Subject("c", "x", unit="M2")
    assert sj.may_edit(MONITOR, org) and sj.may_edit(MONITOR, m2)
    assert sj.may_edit(CADRE, m1) and not sj.may_edit(CADRE, org) and not sj.may_edit(CADRE, m2)
    assert not sj.may_edit(VIEWER, m1)
    assert sj.may_make_rule(MONITOR) and not sj.may_make_rule(CADRE) and not sj.may_create(VIEWER)


def test_matching_follows_the_expression_units_subtrees_sources_and_scope():
    subject = Subject("工资", '(工资 OR 薪水) AND (拖欠 OR "晚发") NOT 谣言', units=["M1"], sources=[])
    posts = [_sp(1, "这个月工资又拖欠了"), _sp(2, "薪水晚发三天", unit="M1", hours=2), _sp(3, "工资拖欠是谣言"),
             _sp(4, "工资按时发了"), _sp(5, "二矿工资拖欠", unit="M2"), _sp(6, "ＷＡＧＥ 工资 拖欠", hours=3)]
    match = sj.matcher(subject, TREE, None)
    assert [sp.post.native_id for sp in sj.matching(posts + posts[:1], match)] == ["1", "2", "6"]
    scoped = sj.matcher(subject, TREE, {"M1-ZC"})  # a scope inside the 专题's units
    assert [sp.post.native_id for sp in sj.matching(posts, scoped)] == ["1", "6"]
    everywhere = sj.matcher(Subject("工资", "工资 拖欠", sources=["src-b"]), TREE, None)
    assert sj.matching(posts, everywhere) == []
    assert sj.positive_terms(match.node) == ["工资", "薪水", "拖欠", "晚发"]


def test_figures_trend_sentiment_top_posts_events_and_weeks():
    posts = [_sp(1, "a", hours=1, likes=9, event="e1"), _sp(2, "b", hours=30, sentiment="neutral", event="e2"),
             _sp(3, "c", hours=24 * 9, event="e1"), _sp(4, "d", hours=2, event="")]
    fig = sj.figures(posts, TZ, NOW, top=2)
    assert fig.total == 4 and fig.this_week == 3 and fig.last_week == 1
    assert fig.sentiments == {"negative": 3, "neutral": 1}
    assert [d["day"] for d in fig.by_day] == ["2026-11-11", "2026-11-19", "2026-11-20"]
    assert sum(d["total"] for d in fig.by_day) == 4 and fig.by_day[-1]["negative"] == 2
    assert [sp.post.native_id for sp in fig.top_posts] == ["1", "4"]  # most liked, then negative and newest
    assert fig.events == [("e1", 2, 2), ("e2", 1, 0)]


def test_the_rule_made_from_a_subject_passes_the_rule_validation_and_fires_on_the_same_posts(tmp_path):
    subject = Subject("工资拖欠", '工资 AND (拖欠 OR 晚发) NOT 谣言', units=["M1"], sources=["src-a"], id=7)
    text = sj.rule_text(subject, TREE, min_posts=2, window="1d")
    rule = parse_rule_text(text)
    assert rule.name == "zhuanti-7" and rule.type_name == "keyword" and rule.description == "专题「工资拖欠」有新动向"
    assert sorted(rule.filter.unit) == ["M1", "M1-ZC"] and list(rule.filter.source) == ["src-a"]
    path = save_rule(tmp_path, rule, text)
    assert load_rule_file(path).name == "zhuanti-7"  # the file loads like any rule file
    posts = [_sp(1, "工资拖欠三个月"), _sp(2, "工资又晚发了", hours=2), _sp(3, "工资拖欠是谣言", hours=3),
             _sp(4, "工资拖欠", unit="M2"), _sp(5, "工资拖欠", source="src-b")]
    matches = rule.evaluate(posts, RuleContext(history=posts, now=NOW))
    fired = {pid for m in matches for pid in m.post_ids}
    expected = {sp.post.id for sp in sj.matching(posts, sj.matcher(subject, TREE, None))}
    assert fired == expected == {posts[0].post.id, posts[1].post.id}
    with pytest.raises(sj.SubjectError, match="先保存"):
        sj.rule_text(Subject("x", "工资"), TREE)


def test_search_links_carry_the_shared_parameters():
    assert search_link(q="工资 拖欠", unit=["M1", "M2"], source=[], since=None) == "search?q=%E5%B7%A5%E8%B5%84%20%E6%8B%96%E6%AC%A0&unit=M1&unit=M2"
    from datetime import date

    link = subject_search_link(Subject("x", "a OR b", units=["M1"], sources=["src-a"]), date(2026, 11, 1),
                               date(2026, 11, 20))
    assert link == "search?q=a%20OR%20b&unit=M1&source=src-a&since=2026-11-01&until=2026-11-20"
