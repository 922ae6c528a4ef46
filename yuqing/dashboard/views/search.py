"""舆情检索: full-text search with filters, a post's detail and context, corrections."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import streamlit as st

from yuqing.dashboard import queries, session
from yuqing.dashboard.post_view import post_card, posts_frame
from yuqing.dashboard.safe_text import escape_markdown, local_time
from yuqing.nlp.tokenize import tokenize_query
from yuqing.schema import RISK_LABELS, SENTIMENT_LABELS, SOURCE_KIND_LABELS, TOPICS

user = session.require_login()
cfg = session.config()
tree = session.org()
link_warnings = session.prefill_search(user)  # a digest's evidence link fills the filters, once
since, scope, period = session.sidebar_filters(user)

st.title("舆情检索")
for warning in link_warnings:
    st.warning(warning)
link_scope = st.session_state.get(session.LINK_SCOPE_KEY)
if link_scope is not None:  # narrowed to the link's units, never widened
    scope = tuple(sorted(set(link_scope["units"]) if scope is None else set(scope) & set(link_scope["units"])))
    if link_scope["note"]:
        st.warning(link_scope["note"])
    if link_scope["label"]:
        st.caption("按链接限定单位：" + escape_markdown(link_scope["label"]))
    st.button("取消链接的单位限定", key="search_link_clear", on_click=session.forget_link_scope)

text = st.text_input("关键词", key="search_text", placeholder="例如：工资 晚发")
c1, c2, c3, c4 = st.columns(4)
health = queries.source_health(scope)
source_names = {h["id"]: h["name"] for h in health}
src = c1.multiselect("来源", list(source_names), format_func=lambda i: source_names[i], key="search_sources", placeholder="全部来源")
topics = c2.multiselect("话题", list(TOPICS), format_func=TOPICS.get, key="search_topics", placeholder="全部话题")
sents = c3.multiselect("情感", list(SENTIMENT_LABELS), format_func=SENTIMENT_LABELS.get, key="search_sentiments", placeholder="全部")
risks = c4.multiselect("风险", list(RISK_LABELS), format_func=RISK_LABELS.get, key="search_risks", placeholder="全部")
d1, d2, d3 = st.columns([2, 3, 3])
kinds = d1.multiselect("来源类型", list(SOURCE_KIND_LABELS), format_func=SOURCE_KIND_LABELS.get, key="search_kinds",
                       placeholder="全部类型")
dates = d3.date_input("日期范围", value=(), min_value=date(2000, 1, 1), max_value=date(2099, 12, 31), key="search_dates",
                      format="YYYY-MM-DD", help="留空则按侧栏的时间范围")
until = None
if len(dates) == 2:  # local dates, the last one included
    since = datetime.combine(dates[0], time(), tzinfo=cfg.tz).astimezone(timezone.utc)
    until = datetime.combine(dates[1] + timedelta(days=1), time(), tzinfo=cfg.tz).astimezone(timezone.utc)
    period = f"{dates[0]:%Y-%m-%d} 至 {dates[1]:%Y-%m-%d} "
event_names = queries.event_choices(scope, user.sees_pii, since, st.session_state.get("search_event", ""))
if st.session_state.get("search_event", "") not in ("", *event_names):
    st.session_state["search_event"] = ""
    st.warning("链接中的事件不存在或不在您的可见范围内，已忽略。")
event = d2.selectbox("事件", ["", *event_names], format_func=lambda e: event_names.get(e, "全部事件"),
                     key="search_event")

total, posts = queries.search(scope, user.sees_pii, text.strip(), since, tuple(src), tuple(topics),
                              tuple(str(s) for s in sents), tuple(str(r) for r in risks), until=until,
                              source_kinds=tuple(str(k) for k in kinds), event_id=event)
st.caption(f"{period}共 {total:,} 条匹配，显示最新 {len(posts)} 条")
terms = tokenize_query(text) if text.strip() else []
link_post = st.session_state.get(session.LINK_POST_KEY, "")
linked = queries.post_detail(scope, user.sees_pii, link_post) if link_post else None
if link_post and linked is None:
    st.error("链接中的帖子不存在或不在您的权限范围内。")
elif linked is not None:
    st.info("已打开链接中的帖子，见下方「帖子详情」。")

tab_cards, tab_table = st.tabs(["结果", "表格"])
with tab_cards:
    for sp in posts[:20]:
        post_card(sp, tree, cfg.tz, terms)
with tab_table:
    st.dataframe(posts_frame(posts, tree, cfg.tz), hide_index=True, width="stretch", key="search_table")

choices = ([linked["post"]] if linked else []) + posts
if choices:
    st.subheader("帖子详情")
    labels = {sp.post.id: f"{local_time(sp.post.created_at, cfg.tz)} {sp.post.author}：{sp.post.text[:30]}"
              for sp in choices}
    if st.session_state.get("search_pick") not in (None, *labels):
        del st.session_state["search_pick"]
    pick = st.selectbox("选择帖子", list(labels), format_func=labels.get, key="search_pick")
    detail = queries.post_detail(scope, user.sees_pii, pick)
    if detail is None:
        st.error("该帖子不存在或不在您的权限范围内。")
    else:
        sp = detail["post"]
        post_card(sp, tree, cfg.tz, terms)
        if detail["event"]:
            st.markdown("所属事件：" + escape_markdown(detail["event"].label))
        if detail["context"]:
            st.markdown("**上下文（同一会话/主题）**")
            st.dataframe(posts_frame(detail["context"], tree, cfg.tz), hide_index=True, width="stretch",
                         key="search_context")
        for lab in detail["labels"]:
            st.caption(f"{local_time(lab['at'], cfg.tz)} {lab['actor']} 将{lab['field']}更正为 {lab['value']}")
        if user.can_edit and sp.analysis:
            a = sp.analysis
            with st.form("label_form"):
                st.markdown("**更正分析结果**")
                f1, f2, f3 = st.columns(3)
                new_s = f1.selectbox("情感", list(SENTIMENT_LABELS), index=list(SENTIMENT_LABELS).index(a.sentiment),
                                     format_func=SENTIMENT_LABELS.get, key="label_sentiment")
                new_t = f2.selectbox("话题", list(TOPICS), index=list(TOPICS).index(a.topic), format_func=TOPICS.get,
                                     key="label_topic")
                new_r = f3.selectbox("风险", list(RISK_LABELS), index=list(RISK_LABELS).index(a.risk),
                                     format_func=RISK_LABELS.get, key="label_risk")
                if st.form_submit_button("保存更正"):
                    store = session.store()
                    changed = {f: str(v) for f, v, old in (("sentiment", new_s, a.sentiment), ("topic", new_t, a.topic),
                                                           ("risk", new_r, a.risk)) if str(v) != str(old)}
                    for field, value in changed.items():
                        store.add_label(sp.post.id, field, value, user.username)
                    if changed:
                        store.audit(user.username, "label", sp.post.id, changed)
                        queries.clear()
                        st.success("已保存更正，将用于模型训练。")
                    else:
                        st.info("没有改动。")
