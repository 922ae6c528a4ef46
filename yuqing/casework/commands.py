"""CLI commands of this package (``register(group)`` adds them): ``yuqing issues
list|show|advance`` (the 说事解事 workflow with a record for every step), ``yuqing methods`` (九法),
``yuqing ledger`` (the committee's 工作台账) and ``yuqing scorecard`` (the assessment of every level)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click

from ..context import AppContext, pass_app, summary
from ..errors import YuqingError
from ..schema import IssueKind, IssueStatus


@click.group("issues")
def issues_group():
    """议题（一件实际的事一个议题）及其说事解事流程。"""


def _issue_dict(issue, tree) -> dict:
    d = {k: getattr(issue, k) for k in ("id", "title", "severity", "topic", "unit", "event_id", "rule", "kind",
                                        "summary", "method", "method_reason", "step", "status", "assignee",
                                        "version", "post_count")}
    d["unit_name"] = tree.name(issue.unit)
    for k in ("created_at", "updated_at", "due_at", "closed_at"):
        v = getattr(issue, k)
        d[k] = v.isoformat() if v else None
    return d


@issues_group.command("list")
@click.option("--unit", help="只看这个单位（含下级）的议题。")
@click.option("--status", type=click.Choice(["open", "closed"]), help="open 未结 / closed 已办结。")
@click.option("--json", "as_json", is_flag=True, help="每个议题输出一行 JSON。")
@click.option("--limit", default=200, show_default=True, help="最多列出多少个议题。")
@pass_app
def issues_list(app: AppContext, unit: str | None, status: str | None, as_json: bool, limit: int):
    """列出议题。"""
    from ..schema import SEVERITY_LABELS

    tree = app.tree
    if unit and unit not in tree:
        raise YuqingError(f"没有单位 {unit!r}（见配置文件 [[units]]）")
    units = tree.subtree(unit) if unit else None
    issues = app.store.list_issues(units=units, status=status, limit=limit)
    now = datetime.now(timezone.utc)
    for i in issues:
        if as_json:
            click.echo(json.dumps(_issue_dict(i, tree), ensure_ascii=False))
            continue
        late = " 逾期" if i.status == IssueStatus.OPEN and i.due_at and i.due_at < now else ""
        click.echo(f"#{i.id:<4} [{SEVERITY_LABELS.get(i.severity, i.severity)}] {i.step:<5} {tree.name(i.unit)}  "
                   f"{i.title}（{i.post_count} 条）{late}")
    if not as_json:
        summary(f"共 {len(issues)} 个议题")


def _get(app, issue_id: int):
    issue = app.store.get_issue(issue_id)
    if issue is None:
        raise YuqingError(f"没有议题 #{issue_id}")
    return issue


def reply_for(store, issue, tree, tz, units: set[str] | None = None) -> str:
    """The 回应口径 draft of an issue from its most telling posts and its records (``units``: only
    posts of these units — a cadre's scope — are quoted)."""
    from ..alerts.describe import representative
    from .records import summarise
    from .reply import Said, draft_reply

    found = store.issue_posts(issue.id, limit=200) if units is None else store.scoped_issue_posts(issue.id, units, 200)
    posts = representative(found, 2)
    said = [Said(sp.post.text, str(sp.post.source_kind)) for sp in posts]
    return draft_reply(issue, said, tree.name(issue.unit), summarise(store.issue_history(issue.id)), tz)


@issues_group.command("show")
@click.argument("issue_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（议题、各环节记录、帖子、历史、回应口径）。")
@pass_app
def issues_show(app: AppContext, issue_id: int, as_json: bool):
    """查看一个议题：详情、各环节记录、帖子（个人信息已脱敏）、历史和回应口径草稿。"""
    from ..notify.email import issue_link
    from ..pii import mask_pii
    from ..schema import SEVERITY_LABELS
    from .methods import BY_NAME
    from .model import STEP_HINTS, STEPS
    from .records import describe_fields, summarise

    tree = app.tree
    issue = _get(app, issue_id)
    posts = app.store.issue_posts(issue_id, limit=20)
    history = app.store.issue_history(issue_id)
    worked = summarise(history)
    reply = reply_for(app.store, issue, tree, app.config.tz) if issue.kind == IssueKind.OPINION else ""
    method = BY_NAME.get(issue.method)
    tz = app.config.tz
    if as_json:
        d = _issue_dict(issue, tree)
        d["method_description"] = method.description if method else ""
        d["method_practice"] = list(method.practice) if method else []
        d["records"] = [{"step": r.step, "at": r.at.isoformat(), "actor": r.actor,
                         "fields": {k: mask_pii(v) for k, v in r.fields.items()}, "note": mask_pii(r.note),
                         "round": r.round} for r in worked.records]
        d["reply_draft"] = reply
        d["posts"] = [{"id": sp.post.id, "at": sp.post.created_at.isoformat(), "unit": sp.unit,
                       "text": mask_pii(sp.post.text)} for sp in posts]
        d["history"] = [{"at": h.at.isoformat(), "actor": h.actor, "action": h.action, "step": h.step,
                         "note": mask_pii(h.note)} for h in history]
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    fmt = lambda t: t.astimezone(tz).strftime("%Y-%m-%d %H:%M") if t else "—"  # noqa: E731
    click.echo(f"#{issue.id} {mask_pii(issue.title)}（版本 {issue.version}）")
    click.echo(f"  严重程度 {SEVERITY_LABELS.get(issue.severity, issue.severity)} · 话题 {issue.topic} · "
               f"单位 {tree.path_name(issue.unit)} · 状态 {issue.status} · 环节 {issue.step}")
    click.echo(f"  期限 {fmt(issue.due_at)} · 创建 {fmt(issue.created_at)} · 帖子 {issue.post_count} 条")
    if method:
        click.echo(f"  建议方法 {method.name}：{method.description}")
        click.echo(f"  干部怎么做 {'；'.join(method.practice)}")
    click.echo(f"  理由 {issue.method_reason}")
    click.echo(f"  概况 {mask_pii(issue.summary)}")
    click.echo(f"  链接 {issue_link(app.config.dashboard.base_url, issue.id)}")
    if issue.status == IssueStatus.OPEN and issue.step in STEPS:
        click.echo(f"  下一步 记录「{issue.step}」（{STEP_HINTS[issue.step]}）")
    click.echo("说事解事记录：")
    if not worked.records:
        click.echo("  （还没有记录）")
    for r in worked.records:
        extra = f"（{mask_pii(r.note)}）" if r.note and r.note != describe_fields(r.fields) else ""
        click.echo(f"  {fmt(r.at)} {r.step} {r.actor} {mask_pii(describe_fields(r.fields))}{extra}")
    if reply:
        click.echo("回应口径（草稿，修改后在群里/论坛发布）：")
        for line in reply.splitlines():
            click.echo(f"  {line}")
    click.echo("帖子：")
    for sp in posts:
        click.echo(f"  {fmt(sp.post.created_at)} {tree.name(sp.unit)} {' '.join(mask_pii(sp.post.text).split())[:80]}")
    click.echo("历史：")
    for h in history:
        click.echo(f"  {fmt(h.at)} {h.actor} {h.action} {h.step} {mask_pii(h.note)}")


@issues_group.command("advance")
@click.argument("issue_id", type=int)
@click.option("--step", required=True,
              help="要记录的环节：干部问事/职工说事/集中议事/及时办事/定期评事/督促查事，或 已办结。")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="这一环节的记录，可重复。干部问事 visited=问了谁、在哪里；职工说事 demand=职工的诉求；"
                   "集中议事 decision=办理意见 owner_dept=承办部门 due=YYYY-MM-DD；及时办事 result=办理结果；"
                   "定期评事 satisfaction=满意/基本满意/不满意 feedback=职工意见；督促查事 recheck=督查情况 came_back=是/否；"
                   "已办结 outcome=合理诉求解决/帮扶/办实事/意见建议/思想教育/不属合理诉求 persons=人次 items=条数 reason=理由。")
@click.option("--note", default="", help="补充说明（记入历史）。")
@click.option("--actor", default="", help="谁做的（默认当前系统用户）。")
@click.option("--expect-version", type=int, default=None,
              help="你看到的议题版本（issues show 显示）；议题已被他人更新时拒绝。")
@pass_app
def issues_advance(app: AppContext, issue_id: int, step: str, sets: tuple[str, ...], note: str, actor: str,
                   expect_version: int | None):
    """记录议题的一个说事解事环节（谁、何时、这一环节的内容），议题随之进入下一环节。

    环节按顺序进行。办结（--step 已办结）需要已记录办理结果（及时办事）和职工评议（定期评事：满意或基本满意），
    并给事项归类；评议不满意则退回集中议事。"""
    import getpass

    from ..errors import ConflictError
    from .records import parse_sets
    from .workflow import record_step

    issue = _get(app, issue_id)
    if expect_version is not None and issue.version != expect_version:
        raise ConflictError.stale_issue(issue_id, f"（当前版本 {issue.version}）")
    fields = parse_sets(sets)
    change = record_step(issue, step.strip(), fields, app.store.issue_history(issue_id), datetime.now(timezone.utc),
                         app.config.tz, note.strip())
    who = actor or getpass.getuser()
    app.store.update_issue(issue, actor=who, action=change.action, note=change.note, data=change.data,
                           step=change.step)
    click.echo(f"{change.summary}（{who}，版本 {issue.version}）")


@click.command("methods")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每种方法的 name、description、practice。")
@click.option("--eval", "run_eval", is_flag=True,
              help="在标注好的事项上评估方法建议的准确率（默认用自带的两套：开发集和留出集）。")
@click.option("--corpus", "corpus", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              help="与 --eval 一起用：另用这个 CSV（matter,method,source_kind,text）评估。")
@pass_app
def methods(app: AppContext, as_json: bool, run_eval: bool, corpus: tuple[Path, ...]):
    """九法：按原文列出九种工作方法及干部怎么做；--eval 评估方法建议的准确率。"""
    from .methods import NINE_METHODS

    if not run_eval:
        if as_json:
            click.echo(json.dumps([m.to_dict() for m in NINE_METHODS], ensure_ascii=False, indent=2))
            return
        for n, m in enumerate(NINE_METHODS, start=1):
            click.echo(f"{n}. {m.name}")
            click.echo(f"   {m.description}")
            click.echo(f"   干部怎么做：{'；'.join(m.practice)}")
        return
    from ..nlp.analyzer import Analyzer
    from ..nlp.evaluate import format_report
    from .evaluate import BUNDLED, bundled_corpus, evaluate, read_matters

    sets = [(p.name, p) for p in corpus] or [(name, bundled_corpus(name)) for name in BUNDLED]
    analyzer = Analyzer(app.config.models_dir)
    out = {}
    for name, path in sets:
        matters = read_matters(path)
        out[name] = evaluate(matters, analyzer)
        if not as_json:
            click.echo(format_report(out[name]["metrics"], f"方法建议在 {name}（{path.name}，"
                                                            f"{len(matters)} 件事项）上的评估"))
            for e in out[name]["errors"]:
                click.echo(f"  {e['matter']}: {e['label']} → {e['suggested']}  {e['first_post']}")
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))


def _period(app, tree, month: str | None, year: str | None = None):
    from ..digest.period import parse_month, parse_year
    from .ledger_files import default_month

    if month and year:
        raise YuqingError("--month 和 --year 只能选一个")
    if year:
        return parse_year(year)
    return parse_month(month) if month else default_month(app.store, tree, app.config.tz)


@click.command("ledger")
@click.option("--unit", default="", metavar="CODE", help="只要这个单位（含下级）的台账；默认全部单位。")
@click.option("--month", metavar="YYYY-MM", help="哪个月（默认本月；本月还没有任何事项时为上月）。")
@click.option("--year", metavar="YYYY", help="整年的台账。")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="写到这个文件：.xlsx 为 Excel 工作簿，.pdf 为可打印的台账（默认写 Excel 到 data_dir/ledgers/）。")
@pass_app
def ledger(app: AppContext, unit: str, month: str | None, year: str | None, out: Path | None):
    """说事解事委员会的工作台账：每件事一行，含各环节记录，输出 Excel 或 PDF。"""
    from .ledger_files import ledger_of, write_ledger

    tree = app.tree
    period = _period(app, tree, month, year)
    book = ledger_of(app.store, app.config, period, unit=unit)
    if out is None:
        out = app.config.data_dir / "ledgers" / f"ledger-{unit or 'ALL'}-{period.label}.xlsx"
    write_ledger(book, out)
    closed = sum(1 for r in book.rows if r["状态"] == "已办结")
    summary(f"{book.title}（{period.title}）：{len(book.rows)} 件（办结 {closed} 件），{len(book.records)} 条记录 → {out}")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(values, widths) -> str:
    """A table line: the first column padded on the right, the others on the left (CJK is two wide)."""
    out = []
    for i, (v, w) in enumerate(zip(values, widths)):
        text = str(v)
        pad = " " * max(0, w - _width(text))
        out.append(text + pad if i == 0 else pad + text)
    return "".join(out)


@click.command("scorecard")
@click.option("--month", metavar="YYYY-MM", help="哪个月（默认本月；本月还没有任何事项时为上月）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每个单位一个对象（含下级单位的合计）。")
@pass_app
def scorecard(app: AppContext, month: str | None, as_json: bool):
    """四级单位某月的考核评价：逐级汇总下级单位，并在同一层级内排名。"""
    from .ledger_files import scorecard_of

    tree = app.tree
    period = _period(app, tree, month)
    rows = scorecard_of(app.store, app.config, period)
    if as_json:
        click.echo(json.dumps([{"month": period.label, **r.to_dict()} for r in rows], ensure_ascii=False, indent=2))
        return
    pct = lambda v: "—" if v is None else f"{100 * v:.0f}%"  # noqa: E731
    hours = lambda v: "—" if v is None else f"{v:.1f}"  # noqa: E731
    click.echo(f"{period.title} 考核评价（每个单位含下级单位；排名在同一层级内）")
    widths = (30, 6, 6, 12, 16, 8, 6, 6, 8, 6)
    head = ("单位", "立项", "办结", "按期办结率", "首次响应(小时)", "满意率", "上报", "逾期", "得分", "排名")
    click.echo(_columns(head, widths))
    for r in rows:
        click.echo(_columns(("  " * (r.level - 1) + r.name, r.issues, r.closed, pct(r.closed_on_time_rate),
                             hours(r.median_first_response_hours), pct(r.satisfaction_rate), r.escalated, r.overdue,
                             "" if r.score is None else f"{r.score:.1f}", r.rank or ""), widths))
    if rows:
        click.echo(f"{period.title}，{rows[0].name}：{rows[0].figures_text()}。")


def register(group: click.Group) -> None:
    for cmd in (issues_group, methods, ledger, scorecard):
        group.add_command(cmd)
