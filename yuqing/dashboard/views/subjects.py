"""专题: saved searches the staff follow — keywords (AND/OR/NOT like the alert rules), units and
sources; each with its trend, sentiment share, top posts and events, a link to the search page
with its filters, and an alert rule made from it in one click (monitors and admins)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from yuqing import subjects as sj
from yuqing.dashboard import charts, drill, queries, session
from yuqing.dashboard.post_view import post_card
from yuqing.dashboard.rule_edit import parse_rule_text, save_rule
from yuqing.dashboard.safe_text import escape_markdown, local_time, share
from yuqing.dashboard.subject_links import subject_search_link
from yuqing.dashboard.triage_view import flash as triage_flash
from yuqing.errors import YuqingError
from yuqing.schema import SENTIMENT_LABELS, Subject

user = session.require_login()
cfg = session.config()
tree = session.org()
since, scope, period = session.sidebar_filters(user)
FLASH = "subject_flash"
OPEN = "_subject_open"  # the 专题 to pick on the next run (after saving or deleting one)
NEW = 0

st.title("专题")
st.caption("专题是保存下来的检索：关键词（与预警规则相同的写法：空格或 AND 表示同时出现，OR 表示任一，NOT 表示排除，"
           "\"带引号的短语\"，A NEAR/10 B 表示相距 10 字以内）、单位和来源。只统计您可见范围内的帖子。")
if st.session_state.get(FLASH):
    st.success(st.session_state.pop(FLASH))
triage_flash()

found = queries.subjects(scope)
by_id = {s.id: s for s in found}
options = [s.id for s in found] + ([NEW] if sj.may_create(user) else [])
wanted = st.query_params.get("subject", "")
if wanted.isdigit() and int(wanted) in by_id and "subject_pick" not in st.session_state:
    st.session_state["subject_pick"] = int(wanted)
if not options:
    st.info("还没有专题。")
    st.stop()
if OPEN in st.session_state:
    st.session_state["subject_pick"] = st.session_state.pop(OPEN)
if st.session_state.get("subject_pick") not in options:
    st.session_state.pop("subject_pick", None)
pick = st.selectbox("选择专题", options, key="subject_pick",
                    format_func=lambda i: "＋ 新建专题" if i == NEW else by_id[i].name)
subject = by_id.get(pick)
if subject is not None:
    st.query_params["subject"] = str(subject.id)
elif "subject" in st.query_params:
    del st.query_params["subject"]
sources = {h["id"]: h["name"] for h in queries.source_health(scope)}
visible_units = [c for c in tree.units if user.scope is None or c in user.scope]


def _editor(current: Subject | None) -> None:
    """Create or edit a 专题 (the form), and delete it."""
    key = f"subject_form_{current.id if current else 'new'}_{current.version if current else 0}"
    with st.form(key):
        st.markdown("**" + ("修改专题" if current else "新建专题") + "**")
        name = st.text_input("名称", value=current.name if current else "", key=f"{key}_name", max_chars=sj.NAME_MAX)
        query = st.text_input("关键词", value=current.query if current else "", key=f"{key}_query",
                              placeholder="例如：工资 AND (拖欠 OR 晚发) NOT 谣言")
        units = st.multiselect("单位（含下级单位；不选 = 可见范围内全部）", visible_units,
                               default=[u for u in (current.units if current else []) if u in visible_units],
                               format_func=tree.path_name, key=f"{key}_units", placeholder="全部单位", select_all=False)
        srcs = st.multiselect("来源（不选 = 全部）", list(sources),
                              default=[s for s in (current.sources if current else []) if s in sources],
                              format_func=lambda i: sources[i], key=f"{key}_sources", placeholder="全部来源",
                              select_all=False)
        if st.form_submit_button("保存专题", type="primary", key=f"{key}_save"):
            draft = Subject(name=name, query=query, units=units, sources=srcs,
                            unit=current.unit if current else "", owner=current.owner if current else "",
                            rule=current.rule if current else "", created_at=current.created_at if current else None,
                            version=current.version if current else 1, id=current.id if current else None)
            try:
                checked = sj.check_subject(draft, user, session.org(), sources)
                saved = session.store().save_subject(checked)
            except YuqingError as exc:
                st.error(str(exc))
            else:
                session.store().audit(user.username, "subject_saved", str(saved.id), {"name": saved.name})
                queries.clear()
                st.session_state[FLASH] = f"已保存专题「{saved.name}」"
                st.session_state[OPEN] = saved.id  # chosen in the picker on the next run
                st.rerun()
    if current is not None:
        confirm = st.checkbox("确认删除这个专题", key=f"subject_delete_confirm_{current.id}")
        if st.button("删除专题", key=f"subject_delete_{current.id}", disabled=not confirm):
            session.store().delete_subject(current.id)
            session.store().audit(user.username, "subject_deleted", str(current.id), {"name": current.name})
            st.session_state[FLASH] = f"已删除专题「{current.name}」"
            st.session_state[OPEN] = NEW
            st.rerun()


def _make_rule(current: Subject) -> None:
    """「生成预警规则」: a keyword rule from the 专题, validated by the rules' own loader, saved into the rules folder."""
    st.subheader("预警")
    rules_dir = cfg.resolve(cfg.alerts.rules_dir)
    if current.rule:
        st.caption(f"已由本专题生成预警规则 {current.rule}（在「规则」页查看、试运行或修改）。")
    c1, c2 = st.columns(2)
    min_posts = c1.number_input("同一事件至少几条不同的帖子", min_value=1, max_value=100, value=sj.RULE_MIN_POSTS,
                                key=f"subject_rule_min_{current.id}")
    window = c2.selectbox("时间窗口", ["6h", "1d", "3d", "7d"], index=1, key=f"subject_rule_window_{current.id}",
                          format_func={"6h": "6 小时", "1d": "1 天", "3d": "3 天", "7d": "7 天"}.get)
    if st.button("生成预警规则", key=f"subject_rule_{current.id}",
                 help="按本专题的关键词、单位和来源生成一条关键词预警规则，下一轮预警起生效"):
        try:
            text = sj.rule_text(current, session.org(), min_posts=int(min_posts), window=window)
            rule = parse_rule_text(text, origin=f"专题「{current.name}」")  # the same validation as a rule file
            path = save_rule(rules_dir, rule, text)
            session.store().save_subject(Subject(**{**current.__dict__, "rule": rule.name}))
        except YuqingError as exc:
            st.error(str(exc))
        else:
            session.store().audit(user.username, "rule_saved", rule.name, {"file": path.name, "subject": current.id})
            st.session_state[FLASH] = f"已生成预警规则 {rule.name}：{rule.description}"
            st.rerun()


if subject is None:
    _editor(None)
    st.stop()

now = datetime.now(timezone.utc)
st.header(escape_markdown(subject.name))
st.caption("关键词：" + escape_markdown(subject.query) + "；单位：" +
           escape_markdown("、".join(tree.name(u) for u in subject.units) or "全部") + "；来源：" +
           escape_markdown("、".join(sources.get(s, s) for s in subject.sources) or "全部"))
view = queries.subject_view(scope, user.sees_pii, subject.id, subject.version, since, now.replace(second=0, microsecond=0))
if view is None:
    st.error("该专题已被删除。")
    st.stop()
_, fig, event_names = view
link = subject_search_link(subject, since.astimezone(cfg.tz).date(), now.astimezone(cfg.tz).date())
st.link_button("在舆情检索中查看这些帖子", link)
cols = st.columns(4)
cols[0].metric(f"帖子（{period}）", f"{fig.total:,}")
cols[1].metric("近 7 天", fig.this_week, delta=fig.this_week - fig.last_week, delta_color="inverse")
negative = fig.sentiments.get("negative", 0)
cols[2].metric("负面占比", f"{share(negative, sum(fig.sentiments.values())):.1%}")
cols[3].metric("涉及事件", len(fig.events))
if fig.truncated:
    st.caption(f"关键词命中的帖子较多，只统计了每个关键词最新的 {queries.SUBJECT_CANDIDATES:,} 条。")

st.subheader("趋势")
if fig.by_day:
    drill.chart(charts.volume_trend(fig.by_day, lambda day, sentiment: subject_search_link(
        subject, day, day, sentiment=sentiment)), None, key="subject_trend", what="专题趋势", user=user, tz=cfg.tz)
else:
    st.info("所选时间范围内没有符合本专题的帖子。")
left, right = st.columns(2)
with left:
    st.subheader("情感分布")
    total = sum(fig.sentiments.values())
    st.dataframe(pd.DataFrame([{"情感": label, "帖子": fig.sentiments.get(str(key), 0),
                                "占比": f"{share(fig.sentiments.get(str(key), 0), total):.1%}"}
                               for key, label in SENTIMENT_LABELS.items()], columns=["情感", "帖子", "占比"]),
                 hide_index=True, width="stretch", key="subject_sentiments")
with right:
    st.subheader("相关事件")
    if fig.events:
        st.dataframe(pd.DataFrame([{"事件": event_names.get(e, e), "帖子": n, "负面": neg}
                                   for e, n, neg in fig.events[:10]], columns=["事件", "帖子", "负面"]),
                     hide_index=True, width="stretch", key="subject_events")
    else:
        st.info("没有相关事件。")

st.subheader("热门帖子")
marks = queries.triage_marks("post", [sp.post.id for sp in fig.top_posts])
for sp in fig.top_posts:
    post_card(sp, tree, cfg.tz, fig.terms, mark=marks.get(sp.post.id), user=user, key="subject_card")
st.caption(f"专题更新于 {local_time(subject.updated_at, cfg.tz)}")

if sj.may_make_rule(user):
    _make_rule(subject)
if sj.may_edit(user, subject):
    with st.expander("修改或删除专题"):
        _editor(subject)
