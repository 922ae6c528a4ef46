"""总览: key figures, trends and shares for the chosen period and unit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from yuqing.dashboard import charts, drill, live, queries, session
from yuqing.dashboard.links import issue_link, search_link
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
first_day = since.astimezone(cfg.tz).date()
# the sidebar's unit narrows the view: links carry its units (a user's whole scope goes without saying)
units = list(scope) if scope is not None and set(scope) != (user.units or set()) else []


def posts(**filters) -> str:
    """The search page's link to this view's posts with ``filters``."""
    return search_link(unit=filters.pop("unit", units), since=filters.pop("since", first_day), **filters)

c = data["counts"]
cols = st.columns(5)
cols[0].metric(f"帖子（{period}）", f"{c['total']:,}")
cols[1].metric("负面占比", f"{share(c['negative'], c['total']):.1%}")
cols[2].metric("高风险帖子", f"{c['high_risk']:,}")
cols[3].metric("未结议题", data["open_issues"])
cols[4].metric("超期议题", data["overdue_issues"])

st.subheader("声量与情感趋势")
if data["by_day"]:
    drill.chart(charts.volume_trend(data["by_day"], lambda day, sentiment: posts(since=day, until=day,
                                                                                  sentiment=sentiment)),
                None, key="overview_volume", what="声量与情感趋势", user=user, tz=cfg.tz)
else:
    st.info("所选时间范围内没有帖子。")

left, right = st.columns(2)
with left:
    st.subheader("各单位负面占比")
    rows = [{**r, "label": tree.name(r["unit"]) if r["unit"] else "未分配",
             "link": posts(unit=[r["unit"]], sentiment="negative") if r["unit"] else ""} for r in data["by_unit"]]
    if rows:
        drill.chart(charts.negative_share(rows, "单位", "单位"), None, key="overview_units", what="各单位负面占比",
                    user=user, tz=cfg.tz, label="查看负面帖子")
with right:
    st.subheader("各来源负面占比")
    by_kind: dict[str, list[str]] = {}
    for h in queries.source_health(scope):
        by_kind.setdefault(h["kind"], []).append(h["id"])
    rows = [{**r, "label": charts.kind_label(r["source_kind"]),
             "link": posts(source=sorted(by_kind.get(r["source_kind"], [])), sentiment="negative")
             if by_kind.get(r["source_kind"]) else ""} for r in data["by_kind"]]
    if rows:
        drill.chart(charts.negative_share(rows, "来源", "来源"), None, key="overview_kinds", what="各来源负面占比",
                    user=user, tz=cfg.tz, label="查看负面帖子")

st.subheader("话题分布")
if data["topics"]:
    drill.chart(charts.topic_bars(data["topics"], link=lambda topic: posts(topic=topic)), None,
                key="overview_topics", what="话题分布", user=user, tz=cfg.tz)

st.subheader("未结议题（严重的在前，同等严重的新的在前）")
marks = data["issue_event_marks"]
show_handled = st.toggle("显示已标注为已处置/误报/忽略的事项", key="overview_show_handled")
hidden = set() if show_handled else hidden_issue_ids(data["recent_issues"], marks)
recent = [i for i in by_severity_then_time(data["recent_issues"]) if i.id not in hidden][:10]
seen = live.seen_issue_id(session.store(), user.username)
if hidden:
    st.caption(f"已隐藏 {len(hidden)} 个已处置/误报/忽略的事项。")
if recent:
    drill.table(pd.DataFrame([{
        "编号": i.id, "新": "新" if seen is not None and i.id > seen else "",
        "严重程度": SEVERITY_LABELS.get(i.severity, i.severity), "标题": i.title,
        "单位": tree.name(i.unit) + ("（本单位参与）" if i.extra.get("involved") else ""),
        "时间": local_time(i.created_at, cfg.tz), "环节": i.step, "帖子": i.post_count,
        "标注": marks[i.event_id].label if i.event_id in marks else "",
        "议题": issue_link(i.id), drill.LINK: search_link(event=i.event_id) if i.event_id else "",
    } for i in recent]), key="overview_alerts", what="未结议题", user=user, tz=cfg.tz,
        column_config={"议题": st.column_config.LinkColumn("议题", display_text="打开议题")})
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

st.subheader("舆情简报")
st.caption("按侧栏选择的时间范围和单位生成一份简报（概况、趋势、话题、单位、事件和代表性帖子），可下载为 HTML 或 PDF；"
           "更细的筛选请在「舆情检索」中生成。")
chosen = st.session_state.get("flt_unit", "全部")
drill.brief_buttons(queries.post_query(scope, since), [
    ("时间范围", f"{period}（{first_day:%Y-%m-%d} 起）"),
    ("单位", "全部单位" if chosen in ("全部", None) else tree.path_name(chosen) + "（含下级）")],
    key="overview_brief", user=user, tz=cfg.tz, tree=tree)
