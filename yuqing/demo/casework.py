"""The demo's 说事解事 story: the committees work the matters the alerts raised, step by step, with a
record for every step, on the posts' own timeline — as if yuqing had been running live through the
eight weeks.

- the canteen prices go through 民主恳谈 to 办实事, the cold night-shift meals are fixed, the sick worker
  is helped — all six steps, closed and rated;
- the wage arrears (the week-7 story) are asked about, heard and discussed at once; in week 8 one month's
  pay arrives, the workers are not satisfied (定期评事 不满意) and the matter goes back to 集中议事,
  which promises the rest by the month's end — still being done when the eight weeks end;
- one matter is answered late and then left lying: its deadline passes, it is escalated to the mine's
  union (the alert engine's own escalation, with its e-mail), which finishes it late;
- any other matter is worked up to 集中议事, with a deadline still ahead.

Record times are the matter's raise time plus the script's hours (never later than ``now``). The
story runs once per store (a state key), so running the demo again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from ..casework.model import CLOSED, DEADLINE_DAYS, Issue
from ..casework.workflow import record_step
from ..orgtree import OrgTree
from ..schema import IssueKind, IssueStatus, severity_rank
from .org import USERS

STATE = "demo.casework"


@dataclass
class Step:
    hours: float  # after the matter was raised
    step: str
    fields: dict[str, str]


@dataclass
class Story:
    """What happened to the matters, for the demo's summary line."""

    closed: list[int] = field(default_factory=list)
    reworked: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    in_progress: list[int] = field(default_factory=list)
    records: int = 0
    months: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (f"说事解事：{self.records} 条记录；办结 {len(self.closed)} 件，评议不满意退回重办 {len(self.reworked)} 件，"
                f"逾期上报 {len(self.escalated)} 件，办理中 {len(self.in_progress)} 件")


def _day(issue: Issue, days: float, tz) -> str:
    return (issue.created_at + timedelta(days=days)).astimezone(tz).date().isoformat()


def _hours(issue: Issue, day: date, hour: int, tz) -> float:
    """Hours from the matter's raise to ``hour`` o'clock (local) on ``day``."""
    at = datetime.combine(day, time(hour), tzinfo=tz)
    return (at - issue.created_at).total_seconds() / 3600


def wage_script(issue: Issue, unit: str, quote: str, tz, end: date, now: datetime) -> list[Step]:
    """Weeks 6–8 of the story: asked and heard at once, the committee meets; in week 8 one month's pay
    arrives (the posts say so), the workers are not satisfied with half, the committee meets again and
    the rest is promised by the month's end — still being done when the eight weeks end."""
    w8 = end - timedelta(days=6)
    month_end = (end.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    second_due = max(month_end, (now + timedelta(days=7)).astimezone(tz).date())
    return [
        Step(3, "干部问事", {"visited": f"到{unit}班前会，问了队长和当班的六名职工，核实工资未按时发放的情况"}),
        Step(26, "职工说事", {"demand": f"「{quote}」——拖欠的工资尽快发到卡上，以后按时发"}),
        Step(50, "集中议事", {"decision": "请矿劳资科、财务科核实拖欠金额，向公司申请拨款，先补发一个月；工会派人跟踪",
                            "owner_dept": "矿劳资科、财务科", "due": (w8 + timedelta(days=1)).isoformat()}),
        Step(_hours(issue, w8, 10, tz), "及时办事", {"result": "补发了一个月的工资，余下的财务科说月底前发"}),
        Step(_hours(issue, w8 + timedelta(days=1), 16, tz), "定期评事",
             {"satisfaction": "不满意", "feedback": "只发了一个月的，剩下的没有准日子，大家不放心"}),
        Step(_hours(issue, w8 + timedelta(days=2), 15, tz), "集中议事",
             {"decision": "矿长办公会研究：剩下的工资分两次补齐，月底前发清；今后每月 15 日前发放，发放情况在群里公布",
              "owner_dept": "矿劳资科、财务科", "due": second_due.isoformat()}),
    ]


def canteen_script(issue: Issue, unit: str, quote: str, tz) -> list[Step]:
    return [
        Step(4, "干部问事", {"visited": f"到{unit}职工食堂和综采队，问了就餐职工和食堂管理员"}),
        Step(28, "职工说事", {"demand": f"「{quote}」——饭菜价格回落，分量给足"}),
        Step(52, "集中议事", {"decision": "召开民主恳谈会，职工代表与后勤科、食堂承包方面对面商谈：主要菜品恢复原价，每月公示成本",
                            "owner_dept": "矿后勤科", "due": _day(issue, 14, tz)}),
        Step(5 * 24, "及时办事", {"result": "主要菜品价格恢复到涨价前，食堂门口公示菜价和成本，职工代表每月参与一次检查",
                                 "outcome": "办实事"}),
        Step(6 * 24, "定期评事", {"satisfaction": "满意", "feedback": "价格下来了，分量也够"}),
        Step(13 * 24, "督促查事", {"recheck": "一周后职工代表抽查食堂，价格和分量保持", "came_back": "否"}),
        Step(13 * 24 + 1, CLOSED, {}),
    ]


def assistance_script(issue: Issue, unit: str, quote: str, tz) -> list[Step]:
    return [
        Step(5, "干部问事", {"visited": f"到{unit}和职工家中走访，了解住院治疗和家庭困难情况"}),
        Step(24, "职工说事", {"demand": f"「{quote}」——住院费用压力大，希望工会帮一把"}),
        Step(48, "集中议事", {"decision": "按帮扶职工“九项机制”纳入困难职工帮扶，申请大病救助，车间工会组织探望",
                            "owner_dept": "选煤厂工会", "due": _day(issue, 15, tz)}),
        Step(5 * 24, "及时办事", {"result": "大病救助金已发放，工会和车间同事到医院探望慰问", "outcome": "帮扶", "persons": "2"}),
        Step(13 * 24, "定期评事", {"satisfaction": "满意", "feedback": "出院了，感谢工会和工友们"}),
        Step(14 * 24, "督促查事", {"recheck": "出院后回访，已恢复上班，纳入困难职工档案跟踪", "came_back": "否"}),
        Step(14 * 24 + 1, CLOSED, {}),
    ]


def night_meal_script(issue: Issue, unit: str, quote: str, tz) -> list[Step]:
    return [
        Step(5, "干部问事", {"visited": f"夜班时到{unit}井下送餐点，问了当班职工和送餐员"}),
        Step(26, "职工说事", {"demand": f"「{quote}」——夜班的饭送到井下要是热的"}),
        Step(50, "集中议事", {"decision": "列入食堂整改清单：更换保温送餐箱，送餐时间提前到十一点半，职工代表监督",
                            "owner_dept": "矿后勤科", "due": _day(issue, 14, tz), "method": "合理诉求维护法"}),
        Step(6 * 24, "及时办事", {"result": "保温送餐箱已全部换新，夜班饭送到井下还冒热气", "outcome": "办实事"}),
        Step(8 * 24, "定期评事", {"satisfaction": "满意", "feedback": "饭是热的了"}),
        Step(13 * 24, "督促查事", {"recheck": "职工代表连续一周夜班抽查，饭菜送到时都是热的", "came_back": "否"}),
        Step(13 * 24 + 1, CLOSED, {}),
    ]


def late_script_before(issue: Issue, unit: str, quote: str, tz) -> list[Step]:
    """Answered late, then left lying until the deadline passes."""
    return [
        Step(3 * 24, "干部问事", {"visited": f"到{unit}了解职工反映的情况"}),
        Step(4 * 24, "职工说事", {"demand": f"「{quote}」——讲清楚要交哪些单据，尽快办"}),
    ]


def late_script_after(issue: Issue, unit: str, quote: str, tz, escalated_at: datetime) -> list[Step]:
    """The mine's union takes over after the escalation (hours counted from the raise, as every script)."""
    base = (escalated_at - issue.created_at).total_seconds() / 3600
    return [
        Step(base + 20, "集中议事", {"decision": "矿工会牵头，请保险代办员到队里集中讲解理赔流程和单据要求，现场帮职工补齐单据",
                                   "owner_dept": f"{unit}保险代办点", "method": "释疑解惑聚力法",
                                   "due": (escalated_at + timedelta(days=5)).astimezone(tz).date().isoformat()}),
        Step(base + 3 * 24, "及时办事", {"result": "在班前会集中讲解职工互助保险理赔政策，35 名职工参加，现场补齐 8 人的理赔单据",
                                        "outcome": "思想教育", "persons": "35"}),
        Step(base + 4 * 24, "定期评事", {"satisfaction": "基本满意", "feedback": "讲清楚了，就是来得晚了"}),
        Step(base + 10 * 24, "督促查事", {"recheck": "回访确认 8 份理赔已到账", "came_back": "否"}),
        Step(base + 10 * 24 + 1, CLOSED, {}),
    ]


def progress_script(issue: Issue, unit: str, quote: str, tz, now: datetime) -> list[Step]:
    due = max((issue.created_at + timedelta(days=9)), now + timedelta(days=7)).astimezone(tz).date().isoformat()
    return [
        Step(6, "干部问事", {"visited": f"到{unit}了解情况，问了反映问题的职工"}),
        Step(30, "职工说事", {"demand": f"「{quote}」"}),
        Step(54, "集中议事", {"decision": "委员会研究，交承办部门核实办理", "owner_dept": "有关科室", "due": due}),
    ]


def _cadre(unit: str, tree: OrgTree) -> str:
    """The demo cadre of the unit or the nearest unit above it (else the monitor)."""
    chain = [unit, *tree.ancestors(unit)]
    for code in chain:
        for u in USERS:
            if u.role == "cadre" and u.unit == code:
                return u.username
    return next(u.username for u in USERS if u.role == "monitor")


def _quote(store, issue: Issue) -> str:
    from ..alerts.describe import representative, snippet

    posts = representative(store.issue_posts(issue.id, limit=300), 1)
    return snippet(posts[0].post.text, 40) if posts else issue.title


class _Runner:
    def __init__(self, store, config, tree: OrgTree, now: datetime, story: Story):
        self.store, self.config, self.tree, self.now, self.story = store, config, tree, now, story

    def play(self, issue: Issue, steps: list[Step], *, reset_due: bool = False) -> tuple[Issue, bool]:
        """Record the steps in turn; False when the story would run past ``now`` (the rest is left)."""
        tz = self.config.tz
        for n, s in enumerate(steps):
            at = issue.created_at + timedelta(hours=s.hours)
            if at > self.now - timedelta(minutes=5):
                return issue, False
            issue = self.store.get_issue(issue.id)
            if reset_due and n == 0:  # the deadline a live run would have given it when raised
                issue.due_at = issue.created_at + timedelta(days=DEADLINE_DAYS.get(issue.severity, 15))
            change = record_step(issue, s.step, s.fields, self.store.issue_history(issue.id), at, tz)
            actor = _cadre(issue.unit, self.tree)
            self.store.update_issue(issue, actor=actor, action=change.action, note=change.note, data=change.data,
                                    at=at, step=change.step)
            self.story.records += 1
            self.story.months.add(at.astimezone(tz).strftime("%Y-%m"))
            if change.data.get("reopened"):
                self.story.reworked.append(issue.id)
            if change.action == "closed":
                self.story.closed.append(issue.id)
        return issue, True


def work_matters(store, config, tree: OrgTree, end: date, now: datetime | None = None) -> Story | None:
    """Play the story over the open opinion matters (once per store; None when already played);
    ``end`` is the last day of the demo's eight weeks."""
    from ..alerts.engine import RunResult, escalate_one

    if store.get_state(STATE):
        return None
    now = now or datetime.now(timezone.utc)
    story = Story()
    run = _Runner(store, config, tree, now, story)
    tz = config.tz
    matters = sorted((i for i in store.list_issues(status=IssueStatus.OPEN, limit=1000) if i.kind == IssueKind.OPINION),
                     key=lambda i: (i.created_at, i.id))
    left = list(matters)

    def take(pred) -> Issue | None:
        for i in sorted(left, key=lambda i: (-severity_rank(i.severity), -i.post_count)):
            if pred(i):
                left.remove(i)
                return i
        return None

    def says(issue: Issue, *words: str) -> bool:
        text = issue.title + " " + " ".join(sp.post.text for sp in store.issue_posts(issue.id, limit=50))
        return all(w in text for w in words)

    plan: list[tuple[Issue, object]] = []
    for pred, script in ((lambda i: i.topic == "wages", wage_script),
                         (lambda i: i.topic == "living", canteen_script),
                         (lambda i: says(i, "夜班", "饭"), night_meal_script),
                         (lambda i: i.topic == "assistance" or says(i, "送温暖"), assistance_script)):
        if (chosen := take(pred)) is not None:
            plan.append((chosen, script))
    late = min(left, key=lambda i: i.created_at, default=None)
    if late is not None:
        left.remove(late)
    for issue, script in plan:
        unit = tree.name(issue.unit)
        steps = script(issue, unit, _quote(store, issue), tz, end, now) if script is wage_script else \
            script(issue, unit, _quote(store, issue), tz)
        issue, _ = run.play(issue, steps)
        if issue.status == IssueStatus.OPEN:
            story.in_progress.append(issue.id)
    if late is not None:
        unit, quote = tree.name(late.unit), _quote(store, late)
        late, _ = run.play(late, late_script_before(late, unit, quote, tz), reset_due=True)
        late = store.get_issue(late.id)
        when = late.due_at + timedelta(hours=1)
        if late.status == IssueStatus.OPEN and when < now - timedelta(days=1):
            late = escalate_one(store, config, tree, late, when, RunResult())
            story.escalated.append(late.id)
            late, done = run.play(late, late_script_after(late, tree.name(late.unit), quote, tz, when))
            if not done:
                story.in_progress.append(late.id)
        else:
            story.in_progress.append(late.id)
    for issue in left:
        issue, _ = run.play(issue, progress_script(issue, tree.name(issue.unit), _quote(store, issue), tz, now))
        story.in_progress.append(issue.id)
    store.set_state(STATE, now.isoformat())
    return story
