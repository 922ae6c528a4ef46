"""议题: the issues board and one issue's page (deep link ``?issue=ID``)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from yuqing.casework.model import CLOSED, METHODS, STEP_HINTS, STEPS
from yuqing.dashboard import issue_actions, queries, session
from yuqing.dashboard.post_view import posts_frame
from yuqing.dashboard.render import escape_markdown, local_time
from yuqing.errors import YuqingError
from yuqing.pii import mask_pii
from yuqing.schema import SEVERITY_LABELS, TOPICS

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)
ACTIONS = {"opened": "立项", "posts_added": "新增帖子", "severity_up": "升级", "advanced": "推进", "assigned": "指派",
           "commented": "意见", "escalated": "上报", "closed": "办结", "emailed": "邮件"}


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
                          True if overdue else None)
    now = datetime.now(timezone.utc)
    table = pd.DataFrame([{
        "编号": i.id, "标题": i.title, "单位": tree.name(i.unit), "严重程度": SEVERITY_LABELS.get(i.severity, i.severity),
        "话题": TOPICS.get(i.topic, i.topic), "环节": i.step, "负责人": i.assignee,
        "期限": local_time(i.due_at, cfg.tz, "%m-%d"), "超期": "是" if i.status == "open" and i.due_at and i.due_at < now else "",
        "帖子": i.post_count,
    } for i in rows], columns=["编号", "标题", "单位", "严重程度", "话题", "环节", "负责人", "期限", "超期", "帖子"])
    st.caption(f"共 {len(rows)} 个议题")
    st.dataframe(table, hide_index=True, width="stretch", key="issues_table")
    if rows:
        pick = st.selectbox("打开议题", [i.id for i in rows], key="issues_pick",
                            format_func=lambda n: f"#{n} " + next(i.title for i in rows if i.id == n))
        if st.button("打开", key="issues_open"):
            st.query_params["issue"] = str(pick)
            st.rerun()


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
    if issue.step in STEP_HINTS:
        st.caption(f"本环节：{STEP_HINTS[issue.step]}")
    if shown.summary:
        st.text(shown.summary)
    if issue.method:
        st.markdown("**建议方法：** " + escape_markdown(issue.method))
        st.caption(escape_markdown(shown.method_reason or METHODS.get(issue.method, "")))
    if issue.assignee:
        st.markdown("**负责人：** " + escape_markdown(issue.assignee))

    if user.can_work_issues and issue.step != CLOSED and not involved:
        st.subheader("办理")
        store = session.store()
        note = st.text_area("办理说明 / 意见", key="issue_note")
        b1, b2, b3 = st.columns(3)
        nxt = issue_actions.next_step(issue.step)
        assignee = b2.text_input("指派给", value=issue.assignee, key="issue_assignee")
        try:
            if b1.button(f"推进到「{nxt}」", key="issue_advance", type="primary"):
                issue_actions.advance(store, user, issue, note)
                queries.clear()
                st.success(f"已推进到「{nxt}」")
                st.rerun()
            if b2.button("保存指派", key="issue_assign"):
                issue_actions.assign(store, user, issue, assignee, note)
                queries.clear()
                st.rerun()
            if b3.button("添加意见", key="issue_comment"):
                issue_actions.comment(store, user, issue, note)
                queries.clear()
                st.rerun()
        except YuqingError as exc:
            st.error(str(exc))

    st.subheader("相关帖子")
    st.dataframe(posts_frame(queries.issue_posts(scope, user.sees_pii, issue.id), tree, cfg.tz), hide_index=True,
                 width="stretch", key="issue_posts")
    if involved:
        return  # the lead unit's records are its own
    st.subheader("办理记录")
    hist = session.store().issue_history(issue.id)
    st.dataframe(pd.DataFrame([{"时间": local_time(h.at, cfg.tz), "人员": h.actor, "动作": ACTIONS.get(h.action, h.action),
                                "环节": h.step, "说明": h.note if user.sees_pii else mask_pii(h.note)} for h in hist],
                              columns=["时间", "人员", "动作", "环节", "说明"]),
                 hide_index=True, width="stretch", key="issue_history")


issue_id = _issue_id()
if issue_id is None:
    board()
else:
    detail(issue_id)
