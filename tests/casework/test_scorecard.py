"""The assessment of the four levels, computed from matters and their step records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.casework.model import HistoryEntry, Issue
from yuqing.casework.scorecard import compute_scorecard, unit_at
from yuqing.orgtree import OrgTree
from yuqing.schema import Unit

TREE = OrgTree([Unit("G", "集团工会", "", 1), Unit("S1", "一公司工会", "G", 2), Unit("M1", "一矿工会", "S1", 3),
                Unit("M1-A", "一矿综采队", "M1", 4), Unit("M1-B", "一矿掘进队", "M1", 4), Unit("M2", "二矿工会", "S1", 3)])
SINCE = datetime(2026, 10, 31, 16, tzinfo=timezone.utc)  # 2026-11-01 00:00 Asia/Shanghai
UNTIL = datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
NOW = datetime(2026, 12, 5, tzinfo=timezone.utc)
T = SINCE + timedelta(days=2)


def h(iid, hours, action, step="", **data):
    return HistoryEntry(iid, T + timedelta(hours=hours), "x", action, step, "", data)


def rec(iid, hours, step, **fields):
    return h(iid, hours, "recorded", step, fields=fields)


def close(iid, hours, **fields):
    return h(iid, hours, "closed", "已办结", fields=fields)


def matter(iid, unit, *, created=0.0, closed=None, due=72.0, kind="opinion"):
    return Issue(title=f"m{iid}", id=iid, unit=unit, kind=kind, created_at=T + timedelta(hours=created),
                 due_at=T + timedelta(hours=due), status="closed" if closed is not None else "open",
                 closed_at=None if closed is None else T + timedelta(hours=closed), step="已办结" if closed else "干部问事")


def build():
    issues = [
        matter(1, "M1-A", closed=60),  # on time, 满意, 合理诉求解决
        matter(2, "M1-A", closed=100),  # late (due 72), 不满意 then 基本满意, 帮扶 3 人次
        matter(3, "M1", created=0, due=24),  # escalated from M1-B to M1 for being overdue, still open and overdue
        matter(4, "M2", closed=30),  # 意见建议 5 条
        matter(5, "M2", created=-24 * 40, closed=10, due=500),  # raised last month, closed this month: 思想教育 40 人次
        matter(6, "M1-B", created=24 * 30, due=24 * 30 + 72),  # raised after the month: not counted
        matter(7, "M1-A", kind="source_health"),  # not a matter of the committee
    ]
    hist = {
        1: [h(1, 0, "opened", unit="M1-A"), rec(1, 2, "干部问事", visited="v"), rec(1, 20, "定期评事", satisfaction="满意"),
            close(1, 60, outcome="合理诉求解决")],
        2: [h(2, 0, "opened", unit="M1-A"), rec(2, 10, "干部问事", visited="v"),
            h(2, 40, "recorded", "定期评事", fields={"satisfaction": "不满意", "feedback": "f"}, reopened=True),
            rec(2, 90, "定期评事", satisfaction="基本满意"), close(2, 100, outcome="帮扶", persons="3")],
        3: [h(3, 0, "opened", unit="M1-B"), h(3, 30, "escalated", **{"from": "M1-B", "to": "M1", "overdue": True})],
        4: [h(4, 0, "opened", unit="M2"), rec(4, 4, "干部问事", visited="v"), close(4, 30, outcome="意见建议", items="5")],
        5: [h(5, -24 * 40, "opened", unit="M2"), close(5, 10, outcome="思想教育", persons="40")],
        6: [h(6, 24 * 30, "opened", unit="M1-B")],
    }
    return {r.unit: r for r in compute_scorecard(TREE, issues, hist, SINCE, UNTIL, NOW)}


def test_each_unit_counts_its_own_events():
    rows = build()
    a = rows["M1-A"]
    assert (a.issues, a.closed, a.closed_on_time_rate) == (2, 2, 0.5)
    assert a.median_first_response_hours == 6.0  # 2 h and 10 h
    assert (a.ratings, a.satisfied) == (3, 2) and round(a.satisfaction_rate, 3) == 0.667
    assert (a.demands_resolved, a.assisted_persons) == (1, 3)
    assert a.overdue == 1  # matter 2 was open past its deadline (72 h → closed at 100 h)
    b = rows["M1-B"]
    assert (b.issues, b.escalated, b.overdue) == (1, 1, 1)  # matter 3 was raised and escalated here
    assert b.median_first_response_hours == (NOW - T).total_seconds() / 3600  # never answered: hours waited
    assert rows["M1"].overdue == 2  # matters 2 and 3 below, each once (3 also overdue at M1 after escalation)
    m2 = rows["M2"]
    assert (m2.issues, m2.closed, m2.suggestions_collected, m2.education_persons) == (1, 2, 5, 40)
    assert m2.closed_on_time_rate == 1.0 and m2.satisfaction_rate is None


def test_rows_roll_up_the_tree_and_the_root_holds_the_article_figures():
    rows = build()
    g = rows["G"]
    assert (g.issues, g.closed, g.escalated) == (4, 4, 1)
    assert g.figures_text() == ("开展职工思想教育 40 人次，解决职工群众合理诉求 1 件次，帮扶困难职工 3 人次，"
                                "为职工办实事 0 件次，收集职工意见建议 5 条")
    assert g.to_dict()["closed_on_time_rate"] == 0.75 and g.to_dict()["unit"] == "G"
    assert set(g.to_dict()) >= {"unit", "issues", "closed", "closed_on_time_rate", "median_first_response_hours",
                                "satisfaction_rate", "escalated", "overdue", "education_persons", "demands_resolved",
                                "assisted_persons", "practical_deeds", "suggestions_collected"}


def test_ranking_within_a_level_over_units_with_matters():
    rows = build()
    assert rows["M2"].rank == 1 and rows["M1"].rank == 2  # level 3
    assert rows["M1-A"].rank is not None and rows["M1-B"].rank is not None
    assert rows["M1-A"].score > rows["M1-B"].score
    idle = compute_scorecard(TREE, [], {}, SINCE, UNTIL, NOW)
    assert all(r.rank is None and r.score is None for r in idle)
    assert [r.unit for r in idle] == ["G", "S1", "M1", "M1-A", "M1-B", "M2"]


def test_the_unit_responsible_follows_escalations():
    issue = matter(3, "M1")
    hist = [h(3, 0, "opened", unit="M1-B"), h(3, 30, "escalated", **{"from": "M1-B", "to": "M1", "overdue": True})]
    assert unit_at(issue, hist, T + timedelta(hours=29)) == "M1-B"
    assert unit_at(issue, hist, T + timedelta(hours=31)) == "M1"
    assert unit_at(issue, [], T) == "M1"
