"""议题: the issues board and one issue's page (deep link ``?issue=ID``)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from yuqing.casework.commands import reply_for
from yuqing.casework.methods import BY_NAME
from yuqing.casework.model import CLOSED, STEP_HINTS, STEPS
from yuqing.casework.records import STEP_FIELDS, describe_fields, summarise
from yuqing.dashboard import drill, issue_actions, queries, session
from yuqing.dashboard.links import issue_link, search_link
from yuqing.dashboard.post_view import posts_frame
from yuqing.dashboard.safe_text import escape_markdown, local_time
from yuqing.dashboard.triage_view import badge as triage_badge
from yuqing.dashboard.triage_view import control as triage_control
from yuqing.dashboard.triage_view import flash as triage_flash
from yuqing.dashboard.triage_view import history_table as triage_history_table
from yuqing.errors import YuqingError
from yuqing.pii import mask_pii
from yuqing.schema import SEVERITY_LABELS, TOPICS, IssueKind, IssueStatus

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)
ACTIONS = {"opened": "立项", "posts_added": "新增帖子", "severity_up": "升级", "advanced": "推进", "recorded": "记录",
           "assigned": "指派", "commented": "意见", "escalated": "上报", "closed": "办结", "emailed": "邮件"}
FLASH_KEY = "issue_flash"


def _issue_id() -> int | None:
    raw = st.query_params.get("issue", "")
    return int(raw) if raw.isdigit() else None


def board() -> None:
    st.title("议题看板")
    c1, c2, c3, c4 = st.columns(4)
    status = c1.selectbox("状态", ["open", "closed", "all"], key="issues_status",
                          format_func={"open": "未结", "closed": "已办结", "all": "全部"}.get)
    severity = c2.selectbox("严重程度", ["", "high", "medium", "low"], key="issues_severity",
                            format_func=lambda s: SEVERITY_LABELS.get(s, "全部"))
    step = c3.selectbox("环节", ["", *STEPS], key="issues_step", format_func=lambda s: s or "全部")
    overdue = c4.checkbox("只看超期", key="issues_overdue")
    rows = queries.issues(scope, user.sees_pii, None if status == "all" else status, severity or None, step or None,
                          True if overdue else None, live=queries.live_key(scope))
    now = datetime.now(timezone.utc)
    table = pd.DataFrame([{
        "编号": i.id, "标题": i.title, "单位": tree.name(i.unit), "严重程度": SEVERITY_LABELS.get(i.severity, i.severity),
        "话题": TOPICS.get(i.topic, i.topic), "环节": i.step, "负责人": i.assignee,
        "期限": local_time(i.due_at, cfg.tz, "%m-%d"), "超期": "是" if i.status == IssueStatus.OPEN and i.due_at and i.due_at < now else "",
        "帖子": i.post_count, "议题": issue_link(i.id), drill.LINK: search_link(event=i.event_id) if i.event_id else "",
    } for i in rows], columns=["编号", "标题", "单位", "严重程度", "话题", "环节", "负责人", "期限", "超期", "帖子", "议题",
                               drill.LINK])
    st.caption(f"共 {len(rows)} 个议题")
    drill.table(table, key="issues_table", what="议题清单", user=user,
                tz=cfg.tz, label="查看事件帖子",
                column_config={"议题": st.column_config.LinkColumn("议题", display_text="打开议题")})
    if rows:
        pick = st.selectbox("打开议题", [i.id for i in rows], key="issues_pick",
                            format_func=lambda n: f"#{n} " + next(i.title for i in rows if i.id == n))
        if st.button("打开", key="issues_open"):
            st.query_params["issue"] = str(pick)
            st.rerun()


def _field_input(step: str, spec, key_prefix: str):
    """One record field as a widget; returns its value as text."""
    key = f"{key_prefix}_{step}_{spec.key}"
    label = spec.label + ("" if spec.required or step == CLOSED else "（可选）")
    if spec.kind == "choice":
        options = ([""] if not spec.required or step == CLOSED else []) + list(spec.choices)
        return st.selectbox(label, options, key=key, help=spec.help or None,
                            format_func=lambda v: v or "（不填）")
    if spec.kind == "date":
        picked = st.date_input(label, value=None, key=key, help=spec.help or None, format="YYYY-MM-DD")
        return picked.isoformat() if picked else ""
    if spec.kind == "count":
        n = st.number_input(label, min_value=0, step=1, value=0, key=key, help=spec.help or None)
        return str(int(n)) if n else ""
    if spec.key in ("visited", "demand", "decision", "result", "feedback", "recheck", "reply", "reason"):
        return st.text_area(label, key=key, help=spec.help or None, height=80)
    return st.text_input(label, key=key, help=spec.help or None)


PEOPLE = {u.username: u.name or u.username for u in cfg.users}


def _records_table(summary) -> pd.DataFrame:
    rows = [{"环节": r.step + (f"（第 {r.round + 1} 轮）" if r.round else ""), "时间": local_time(r.at, cfg.tz),
             "记录人": PEOPLE.get(r.actor, r.actor), "内容": describe_fields(r.fields) if user.sees_pii else mask_pii(describe_fields(r.fields))}
            for r in summary.records]
    return pd.DataFrame(rows, columns=["环节", "时间", "记录人", "内容"])


def _work(issue, seen: int, summary) -> None:
    """The forms a cadre works the matter with: the current step's record, closing, assigning."""
    store = session.store()
    st.subheader("办理")
    try:
        if issue.step in STEPS:
            with st.form("issue_record"):
                st.markdown(f"**记录「{issue.step}」**：{STEP_HINTS[issue.step]}")
                values = {f.key: _field_input(issue.step, f, "rec") for f in STEP_FIELDS[issue.step]}
                note = st.text_input("补充说明（可选）", key="issue_record_note")
                if st.form_submit_button(f"记录「{issue.step}」", key="issue_record_submit", type="primary"):
                    change = issue_actions.record(store, user, issue, issue.step, values, note, seen, cfg.tz)
                    queries.clear()
                    st.session_state[FLASH_KEY] = change.summary
                    st.rerun()
        missing = summary.missing_for_close()
        with st.form("issue_close"):
            st.markdown("**办结**（需要本轮的办理结果和满意或基本满意的职工评议，并给出办结分类）")
            if missing:
                st.caption("还缺：" + "、".join(missing))
            values = {f.key: _field_input(CLOSED, f, "close") for f in STEP_FIELDS[CLOSED]}
            note = st.text_input("办结说明（可选）", key="issue_close_note")
            if st.form_submit_button("办结", key="issue_close_submit"):
                change = issue_actions.record(store, user, issue, CLOSED, values, note, seen, cfg.tz)
                queries.clear()
                st.session_state[FLASH_KEY] = change.summary
                st.rerun()
        c1, c2 = st.columns(2)
        assignee = c1.text_input("指派给", value=issue.assignee, key="issue_assignee")
        if c1.button("保存指派", key="issue_assign"):
            issue_actions.assign(store, user, issue, assignee, "", seen)
            queries.clear()
            st.rerun()
        comment = c2.text_input("意见", key="issue_note")
        if c2.button("添加意见", key="issue_comment"):
            issue_actions.comment(store, user, issue, comment, seen)
            queries.clear()
            st.rerun()
    except YuqingError as exc:
        st.error(str(exc))


def _note(h, shown) -> str:
    """A history line's note as this user may read it: the opening summary quotes the matter's posts,
    so a unit scope reads the summary of its own posts (``shown``); personal data masked."""
    note = shown.summary if h.action == "opened" and user.scope is not None else h.note
    return note if user.sees_pii else mask_pii(note)


def _matter_triage(issue) -> None:
    """The matter's (event's) triage mark, the control to change it and its history."""
    store = session.store()
    event = store.get_event(issue.event_id)
    if event is None:
        return
    triage_flash()
    mark = queries.triage_marks("event", [event.id]).get(event.id)
    shown = triage_badge(mark)
    st.markdown("**事项标注：** " + (shown or "未标注"))
    triage_control(store, user, "event", event.id, event.unit, mark, f"issue_{issue.id}")
    history = store.triage_history("event", event.id)
    if history:
        with st.expander(f"标注记录（{len(history)} 次）"):
            st.dataframe(triage_history_table(history, PEOPLE, cfg.tz), hide_index=True, width="stretch",
                         key="issue_triage_history")


def detail(issue_id: int) -> None:
    if st.button("← 返回看板", key="issue_back"):
        del st.query_params["issue"]
        st.rerun()
    issue = queries.issue(scope, issue_id)
    involved = issue is None  # led by another unit: shown read only, with this unit's own posts
    if involved:
        issue = queries.involved_issue(scope, user.sees_pii, issue_id)
    if issue is None:
        st.error(f"议题 #{issue_id} 不存在或不在您的权限范围内。")
        return
    # the version this tab showed last time: what the user is acting on when they click now
    seen_key = f"issue_seen_version_{issue.id}"
    seen = st.session_state.get(seen_key, issue.version)
    if st.session_state.get(FLASH_KEY):
        st.success(st.session_state.pop(FLASH_KEY))
    st.title(f"议题 #{issue.id}")
    shown = queries.issue_view(scope, user.sees_pii, issue)  # title and summary from the posts in scope, masked
    if involved:
        st.info("此事由其他单位牵头办理，本单位有相关帖子：下面只显示本单位范围内的帖子。")
    st.markdown("### " + escape_markdown(shown.title))
    c = st.columns(4)
    c[0].metric("单位", tree.name(issue.unit))
    c[1].metric("严重程度", SEVERITY_LABELS.get(issue.severity, issue.severity))
    c[2].metric("当前环节", issue.step)
    c[3].metric("期限", local_time(issue.due_at, cfg.tz, "%Y-%m-%d"))
    st.progress((STEPS.index(issue.step) + 1) / (len(STEPS) + 1) if issue.step in STEPS else 1.0)
    if shown.summary:
        st.text(shown.summary)
    method = BY_NAME.get(issue.method)
    if method:
        st.markdown("**建议方法：** " + escape_markdown(method.name))
        if shown.method_reason:
            st.caption(escape_markdown(shown.method_reason))
        with st.expander(f"{method.name}：文章原文与干部怎么做"):
            st.text(method.description)
            st.text("干部怎么做：" + "；".join(method.practice))
    if issue.assignee:
        st.markdown("**负责人：** " + escape_markdown(issue.assignee))
    if issue.event_id and not involved:
        _matter_triage(issue)
    if involved:  # the lead unit's records, reply and history are its own: only this unit's posts
        st.subheader("相关帖子（本单位）")
        drill.table(posts_frame(queries.issue_posts(scope, user.sees_pii, issue.id), tree, cfg.tz), key="issue_posts",
                    what=f"议题{issue.id}的帖子", user=user, tz=cfg.tz)
        return
    summary = summarise(session.store().issue_history(issue.id))
    st.subheader("说事解事记录")
    if summary.records:
        st.dataframe(_records_table(summary), hide_index=True, width="stretch", key="issue_records")
    else:
        st.caption("还没有记录：从「干部问事」开始，每一步都要记下做了什么。")
    if issue.kind == IssueKind.OPINION:
        st.subheader("回应口径（草稿）")
        st.caption("依据帖子和办理记录起草，修改后到群里、论坛发布；发布的内容可填在「干部问事」记录的回应一栏。")
        draft = reply_for(session.store(), issue, tree, cfg.tz, user.units)  # quoting only posts in scope
        st.text_area("回应口径", value=draft if user.sees_pii else mask_pii(draft), height=160,
                     key=f"issue_reply_{issue.id}_{issue.version}", label_visibility="collapsed")

    if user.can_work_issues and issue.status == IssueStatus.OPEN:
        _work(issue, seen, summary)
    st.session_state[seen_key] = issue.version

    st.subheader("相关帖子")
    drill.table(posts_frame(queries.issue_posts(scope, user.sees_pii, issue.id), tree, cfg.tz), key="issue_posts",
                what=f"议题{issue.id}的帖子", user=user, tz=cfg.tz)
    st.subheader("办理历史")
    hist = session.store().issue_history(issue.id)
    st.dataframe(pd.DataFrame([{"时间": local_time(h.at, cfg.tz), "人员": h.actor, "动作": ACTIONS.get(h.action, h.action),
                                "环节": h.step, "说明": _note(h, shown)} for h in hist],
                              columns=["时间", "人员", "动作", "环节", "说明"]),
                 hide_index=True, width="stretch", key="issue_history")


issue_id = _issue_id()
if issue_id is None:
    board()
else:
    detail(issue_id)
