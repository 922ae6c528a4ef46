"""舆情检索: full-text search with filters, a post's detail and context, corrections."""

from __future__ import annotations

import streamlit as st

from yuqing.dashboard import queries, session
from yuqing.dashboard.post_view import post_card, posts_frame
from yuqing.dashboard.render import escape_markdown, local_time
from yuqing.nlp.tokenize import tokenize_query
from yuqing.schema import RISK_LABELS, SENTIMENT_LABELS, TOPICS

user = session.require_login()
cfg = session.config()
tree = session.org()
since, scope, period = session.sidebar_filters(user)

st.title("舆情检索")
text = st.text_input("关键词", key="search_text", placeholder="例如：工资 晚发")
c1, c2, c3, c4 = st.columns(4)
health = queries.source_health(scope)
source_names = {h["id"]: h["name"] for h in health}
src = c1.multiselect("来源", list(source_names), format_func=lambda i: source_names[i], key="search_sources", placeholder="全部来源")
topics = c2.multiselect("话题", list(TOPICS), format_func=TOPICS.get, key="search_topics", placeholder="全部话题")
sents = c3.multiselect("情感", list(SENTIMENT_LABELS), format_func=SENTIMENT_LABELS.get, key="search_sentiments", placeholder="全部")
risks = c4.multiselect("风险", list(RISK_LABELS), format_func=RISK_LABELS.get, key="search_risks", placeholder="全部")

total, posts = queries.search(scope, user.sees_pii, text.strip(), since, tuple(src), tuple(topics),
                              tuple(str(s) for s in sents), tuple(str(r) for r in risks))
st.caption(f"{period}共 {total:,} 条匹配，显示最新 {len(posts)} 条")
terms = tokenize_query(text) if text.strip() else []

tab_cards, tab_table = st.tabs(["结果", "表格"])
with tab_cards:
    for sp in posts[:20]:
        post_card(sp, tree, cfg.tz, terms)
with tab_table:
    st.dataframe(posts_frame(posts, tree, cfg.tz), hide_index=True, width="stretch", key="search_table")

if posts:
    st.subheader("帖子详情")
    labels = {sp.post.id: f"{local_time(sp.post.created_at, cfg.tz)} {sp.post.author}：{sp.post.text[:30]}" for sp in posts}
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
