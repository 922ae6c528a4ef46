"""总览: key figures, trends and shares for the chosen period and unit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from yuqing.dashboard import charts, live, queries, session
from yuqing.dashboard.live import by_severity_then_time
from yuqing.dashboard.safe_text import local_time, share
from yuqing.schema import SEVERITY_LABELS
from yuqing.triage import hidden_issue_ids

user = session.require_login()
cfg = session.config()
tree = session.org()
since, scope, period = session.sidebar_filters(user)
offset = int(since.astimezone(cfg.tz).utcoffset().total_seconds())

st.title("舆情总览")
data = queries.overview(scope, user.sees_pii, since, offset, live=queries.live_key(scope))
c = data["counts"]
cols = st.columns(5)
cols[0].metric(f"帖子（{period}）", f"{c['total']:,}")
cols[1].metric("负面占比", f"{share(c['negative'], c['total']):.1%}")
cols[2].metric("高风险帖子", f"{c['high_risk']:,}")
cols[3].metric("未结议题", data["open_issues"])
cols[4].metric("超期议题", data["overdue_issues"])

st.subheader("声量与情感趋势")
if data["by_day"]:
    st.altair_chart(charts.volume_trend(data["by_day"]), width="stretch")
else:
    st.info("所选时间范围内没有帖子。")

left, right = st.columns(2)
with left:
    st.subheader("各单位负面占比")
    rows = [{**r, "label": tree.name(r["unit"])} for r in data["by_unit"]]
    if rows:
        st.altair_chart(charts.negative_share(rows, "单位", "单位"), width="stretch")
with right:
    st.subheader("各来源负面占比")
    rows = [{**r, "label": charts.kind_label(r["source_kind"])} for r in data["by_kind"]]
    if rows:
        st.altair_chart(charts.negative_share(rows, "来源", "来源"), width="stretch")

st.subheader("话题分布")
if data["topics"]:
    st.altair_chart(charts.topic_bars(data["topics"]), width="stretch")

st.subheader("未结议题（严重的在前，同等严重的新的在前）")
marks = data["issue_event_marks"]
show_handled = st.toggle("显示已标注为已处置/误报/忽略的事项", key="overview_show_handled")
hidden = set() if show_handled else hidden_issue_ids(data["recent_issues"], marks)
recent = [i for i in by_severity_then_time(data["recent_issues"]) if i.id not in hidden][:10]
seen = live.seen_issue_id(session.store(), user.username)
if hidden:
    st.caption(f"已隐藏 {len(hidden)} 个已处置/误报/忽略的事项。")
if recent:
    st.dataframe(pd.DataFrame([{
        "编号": i.id, "新": "新" if seen is not None and i.id > seen else "",
        "严重程度": SEVERITY_LABELS.get(i.severity, i.severity), "标题": i.title,
        "单位": tree.name(i.unit) + ("（本单位参与）" if i.extra.get("involved") else ""),
        "时间": local_time(i.created_at, cfg.tz), "环节": i.step, "帖子": i.post_count,
        "标注": marks[i.event_id].label if i.event_id in marks else "",
    } for i in recent]), hide_index=True, width="stretch", key="overview_alerts")
else:
    st.info("暂无未结议题。")

if user.can_edit:
    failed = queries.failed_emails()
    if failed:
        st.subheader("邮件投递失败")
        st.warning(f"{len(failed)} 封邮件未能投递，已停止重试（管理员已收到报告）：请核对收件人地址和邮件服务器设置。")
        st.dataframe(pd.DataFrame([{
            "编号": r["id"], "主题": r["subject"], "收件人": "、".join(r["recipients"]), "尝试次数": r["attempts"],
            "最后一次错误": r["last_error"],
        } for r in failed]), hide_index=True, width="stretch", key="overview_failed_mail")
