from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from yuqing.casework.model import CLOSED, STEPS, HistoryEntry, Issue
from yuqing.casework.records import parse_sets, summarise, validate_fields
from yuqing.casework.workflow import due_date, escalate, is_overdue, raise_severity, record_step
from yuqing.errors import YuqingError
from yuqing.orgtree import OrgTree
from yuqing.schema import Unit

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
TZ = ZoneInfo("Asia/Shanghai")
FULL = {
    "干部问事": {"visited": "掘进二队班前会，问了王队长和三名职工"},
    "职工说事": {"demand": "九月份的绩效工资要在月底前发到卡上"},
    "集中议事": {"decision": "请财务科核实拨付", "owner_dept": "财务科", "due": "2026-11-06"},
    "及时办事": {"result": "绩效工资已于11月5日补发"},
    "定期评事": {"satisfaction": "满意", "feedback": "钱到了"},
    "督促查事": {"recheck": "十二月回访，按时发放", "came_back": "否"},
}


class Run:
    """An issue and its history as the store would keep them (history lines appended)."""

    def __init__(self, **kw):
        self.issue = Issue(title="欠薪", id=7, severity="high", due_at=due_date("high", NOW), **kw)
        self.history: list[HistoryEntry] = []
        self.t = NOW

    def record(self, step, fields=None, **kw):
        self.t += timedelta(hours=5)
        change = record_step(self.issue, step, fields or {}, self.history, self.t, TZ, **kw)
        self.history.append(HistoryEntry(7, self.t, "cadre", change.action, change.step, change.note, change.data))
        return change


def test_six_steps_with_their_records_then_closing():
    run = Run()
    for step in STEPS:
        assert run.issue.step == step
        change = run.record(step, FULL[step])
        assert change.action == "recorded" and change.data["fields"] == FULL[step]
    assert run.issue.step == "督促查事" and run.issue.status == "open"
    assert run.issue.due_at == datetime(2026, 11, 6, 23, 59, 59, tzinfo=TZ)
    change = run.record(CLOSED, {"outcome": "合理诉求解决"})
    assert change.action == "closed" and run.issue.status == "closed" and run.issue.closed_at == run.t
    s = summarise(run.history)
    assert [r.step for r in s.records] == [*STEPS, CLOSED]
    assert s.first_response_at == NOW + timedelta(hours=5)
    assert s.classification == {"outcome": "合理诉求解决"}
    with pytest.raises(YuqingError, match="已办结"):
        run.record("督促查事", FULL["督促查事"])


def test_closing_without_result_and_satisfaction_says_what_is_missing_in_one_line():
    run = Run()
    run.record("干部问事", FULL["干部问事"])
    with pytest.raises(YuqingError) as e:
        run.record(CLOSED, {"outcome": "办实事"})
    msg = str(e.value)
    assert "\n" not in msg and "result" in msg and "satisfaction" in msg and "outcome" not in msg
    assert run.issue.status == "open" and run.issue.step == "职工说事"


def test_closing_needs_the_classification_with_its_counts():
    run = Run()
    for step in STEPS[:5]:
        run.record(step, FULL[step])
    with pytest.raises(YuqingError, match="办结分类（outcome"):
        run.record(CLOSED)
    with pytest.raises(YuqingError, match="人次"):
        run.record(CLOSED, {"outcome": "帮扶"})
    with pytest.raises(YuqingError, match="理由"):
        run.record(CLOSED, {"outcome": "不属合理诉求"})
    with pytest.raises(YuqingError, match="只能是"):
        run.record(CLOSED, {"outcome": "其他"})
    run.record(CLOSED, {"outcome": "帮扶", "persons": "3"})
    assert summarise(run.history).classification == {"outcome": "帮扶", "persons": "3"}


def test_classification_given_with_the_result_is_enough_to_close():
    run = Run()
    for step in STEPS[:3]:
        run.record(step, FULL[step])
    run.record("及时办事", {"result": "组织恳谈会，讲清政策", "outcome": "思想教育", "persons": "40"})
    run.record("定期评事", {"satisfaction": "基本满意"})
    assert run.record(CLOSED).data["fields"] == {"outcome": "思想教育", "persons": "40"}


def test_not_satisfied_sends_the_matter_back_and_needs_a_new_result_and_verdict():
    run = Run()
    for step in STEPS[:4]:
        run.record(step, FULL[step])
    with pytest.raises(YuqingError, match="feedback"):
        run.record("定期评事", {"satisfaction": "不满意"})
    change = run.record("定期评事", {"satisfaction": "不满意", "feedback": "只发了一半"})
    assert run.issue.step == "集中议事" and change.data["reopened"] and change.data["round"] == 1
    assert "退回「集中议事」" in change.summary
    with pytest.raises(YuqingError, match="办理结果"):
        run.record(CLOSED, {"outcome": "合理诉求解决"})
    run.record("集中议事", {**FULL["集中议事"], "due": "2026-11-20"})
    run.record("及时办事", {"result": "余下一半11月15日发放"})
    with pytest.raises(YuqingError, match="职工评议"):
        run.record(CLOSED, {"outcome": "合理诉求解决"})
    run.record("定期评事", {"satisfaction": "满意"})
    run.record(CLOSED, {"outcome": "合理诉求解决"})
    s = summarise(run.history)
    assert [r.fields["satisfaction"] for r in s.ratings] == ["不满意", "满意"] and s.round == 1


def test_a_problem_that_came_back_goes_back_to_discussion():
    run = Run()
    for step in STEPS[:5]:
        run.record(step, FULL[step])
    run.record("督促查事", {"recheck": "回访发现又拖欠", "came_back": "是"})
    assert run.issue.step == "集中议事"
    with pytest.raises(YuqingError, match="还不能办结"):
        run.record(CLOSED, {"outcome": "合理诉求解决"})


def test_steps_are_recorded_in_order_and_fields_are_checked():
    run = Run()
    with pytest.raises(YuqingError, match="现在应记录「干部问事」"):
        run.record("集中议事", FULL["集中议事"])
    with pytest.raises(YuqingError, match="还缺：问了谁"):
        run.record("干部问事", {})
    with pytest.raises(YuqingError, match="没有字段 color"):
        run.record("干部问事", {"visited": "x", "color": "红"})
    with pytest.raises(YuqingError, match="可选"):
        run.record("随便", {})
    run.record("干部问事", FULL["干部问事"])
    run.record("职工说事", FULL["职工说事"])
    with pytest.raises(YuqingError, match="日期"):
        run.record("集中议事", {**FULL["集中议事"], "due": "下周"})
    with pytest.raises(YuqingError, match="已经过去"):
        run.record("集中议事", {**FULL["集中议事"], "due": "2026-10-01"})
    assert run.issue.step == "集中议事" and len(run.history) == 2


def test_parse_sets_and_normalised_values():
    assert parse_sets(["visited=班前会 王队长", "due=2026-11-6"]) == {"visited": "班前会 王队长", "due": "2026-11-6"}
    with pytest.raises(YuqingError, match="KEY=VALUE"):
        parse_sets(["visited"])
    with pytest.raises(YuqingError, match="两次"):
        parse_sets(["a=1", "a=2"])
    assert validate_fields("集中议事", {"decision": "d", "owner_dept": "o", "due": "2026-11-6"})["due"] == "2026-11-06"
    assert validate_fields("督促查事", {"recheck": "r", "came_back": "no"})["came_back"] == "否"
    assert validate_fields("干部问事", {"visited": " v ", "reply": "  "}) == {"visited": "v"}


def test_severity_only_rises_and_tightens_deadline():
    i = Issue(title="t", severity="low", due_at=due_date("low", NOW))
    assert not raise_severity(i, "low", NOW)
    assert raise_severity(i, "high", NOW) and i.due_at == NOW + timedelta(days=3)
    assert not raise_severity(i, "medium", NOW) and i.severity == "high"


def test_overdue_escalates_up_and_renews_deadline():
    tree = OrgTree([Unit("G", "集团"), Unit("M1", "一矿", "G")])
    i = Issue(title="t", severity="medium", unit="M1", due_at=NOW - timedelta(hours=1))
    assert is_overdue(i, NOW)
    assert escalate(i, tree, NOW) == "M1" and i.unit == "G" and not is_overdue(i, NOW)
    i.due_at = NOW - timedelta(hours=1)
    assert escalate(i, tree, NOW) is None and i.unit == "G" and i.extra["escalations"] == 2


def test_the_committee_may_choose_another_of_the_nine_methods():
    run = Run(method="精准帮扶暖心法", method_reason="帖子里说到「住院」")
    run.record("干部问事", FULL["干部问事"])
    run.record("职工说事", FULL["职工说事"])
    with pytest.raises(YuqingError, match="只能是"):
        run.record("集中议事", {**FULL["集中议事"], "method": "随便什么法"})
    change = run.record("集中议事", {**FULL["集中议事"], "method": "释疑解惑聚力法"})
    assert run.issue.method == "释疑解惑聚力法" and "系统建议的是精准帮扶暖心法" in run.issue.method_reason
    assert change.data["method"] == {"from": "精准帮扶暖心法", "to": "释疑解惑聚力法"}
