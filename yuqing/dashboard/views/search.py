"""舆情检索: search with filters, paging and sort, an author view and a chat view, a post's detail
and context, corrections. Every filter is in the URL (:mod:`yuqing.dashboard.search_params`), so
each view can be bookmarked and shared; whatever the URL says, the store filters by the viewer's scope."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone

import streamlit as st

from yuqing.dashboard import drill, queries, session
from yuqing.dashboard.post_view import post_card, posts_frame
from yuqing.dashboard.safe_text import escape_markdown, local_time
from yuqing.dashboard.search_params import PAGE_SIZES, SearchFilters
from yuqing.dashboard.triage_view import flash as triage_flash
from yuqing.dashboard.triage_view import history_table as triage_history_table
from yuqing.pii import has_pii, mask_pii
from yuqing.query_syntax import SYNTAX_HELP, parse_query
from yuqing.schema import RISK_LABELS, SENTIMENT_LABELS, SOURCE_KIND_LABELS, TOPICS, TRIAGE_MODES
from yuqing.storage.base import SORTS
from yuqing.triage import mode_label

SORT_LABELS = {"time": "按时间", "heat": "按热度"}
HEAT_HELP = "热度：风险等级高的在前（高 > 中 > 无 > 未分析），同级按负面程度，再按时间（新的在前）。"
CHAT_KINDS = ("wechat_group",)
state = st.session_state

user = session.require_login()
cfg = session.config()
tree = session.org()
link_warnings = session.prefill_search(user)  # a link's parameters fill the filters, once
since, scope, period = session.sidebar_filters(user)

st.title("舆情检索")
for warning in link_warnings:
    st.warning(warning)
link_scope = state.get(session.LINK_SCOPE_KEY)
if link_scope is not None:  # narrowed to the link's units, never widened
    scope = tuple(sorted(set(link_scope["units"]) if scope is None else set(scope) & set(link_scope["units"])))
    if link_scope["note"]:
        st.warning(link_scope["note"])
    if link_scope["label"]:
        st.caption("按链接限定单位：" + escape_markdown(link_scope["label"]))
    st.button("取消链接的单位限定", key="search_link_clear", on_click=session.forget_link_scope)

health = queries.source_health(scope)
source_names = {h["id"]: h["name"] for h in health}
unknown = [s for s in state.get("search_sources", []) if s not in source_names]
if unknown:  # a link's source outside the viewer's scope (or gone) is dropped before the widget sees it
    state["search_sources"] = [s for s in state["search_sources"] if s in source_names]
    st.warning("链接中的来源不存在或不在您的可见范围内，已忽略。")
if state.get("search_chat") and state["search_chat"] not in source_names:
    state["search_chat"] = ""
    state.pop(session.LINK_CHAT_POST_KEY, None)
    st.warning("链接中的会话不存在或不在您的可见范围内，已忽略。")


def _open_author(key: str) -> None:
    """The author view: everything this author said (within scope and period), newest first."""
    for k, v in (("search_text", ""), ("search_topics", []), ("search_sentiments", []), ("search_risks", []),
                 ("search_kinds", []), ("search_sources", []), ("search_event", ""), ("search_chat", "")):
        state[k] = v
    state["search_author"] = key
    state["search_page"] = 1


def _open_chat(source_id: str, post_id: str) -> None:
    """The chat view around a post: the chat's posts in time order, on the page holding that post."""
    state["search_chat"] = source_id
    state[session.LINK_CHAT_POST_KEY] = post_id
    state["search_chat_focus"] = post_id


def _close(key: str) -> None:
    state[key] = ""
    state["search_page"] = 1
    if key == "search_chat":
        state.pop("search_chat_focus", None)


with st.expander("语法说明"):
    st.text(SYNTAX_HELP)
text = st.text_input("关键词", key="search_text", placeholder="例如：工资拖欠 -表扬（语法见上方「语法说明」）")
c1, c2, c3, c4 = st.columns(4)
src = c1.multiselect("来源", list(source_names), format_func=lambda i: source_names[i], key="search_sources",
                     placeholder="全部来源", select_all=False)
topics = c2.multiselect("话题", list(TOPICS), format_func=TOPICS.get, key="search_topics", placeholder="全部话题",
                        select_all=False)
sents = c3.multiselect("情感", list(SENTIMENT_LABELS), format_func=SENTIMENT_LABELS.get, key="search_sentiments",
                       placeholder="全部", select_all=False)
risks = c4.multiselect("风险", list(RISK_LABELS), format_func=RISK_LABELS.get, key="search_risks", placeholder="全部",
                       select_all=False)
d1, d2, d3 = st.columns([2, 3, 3])
kinds = d1.multiselect("来源类型", list(SOURCE_KIND_LABELS), format_func=SOURCE_KIND_LABELS.get, key="search_kinds",
                       placeholder="全部类型", select_all=False)
dates = d3.date_input("日期范围", value=(), min_value=date(2000, 1, 1), max_value=date(2099, 12, 31), key="search_dates",
                      format="YYYY-MM-DD", help="留空则按侧栏的时间范围")
until = None
dated = len(dates) == 2
if dated:  # local dates, the last one included
    since = datetime.combine(dates[0], time(), tzinfo=cfg.tz).astimezone(timezone.utc)
    until = datetime.combine(dates[1] + timedelta(days=1), time(), tzinfo=cfg.tz).astimezone(timezone.utc)
    period = f"{dates[0]:%Y-%m-%d} 至 {dates[1]:%Y-%m-%d} "
event_names = queries.event_choices(scope, user.sees_pii, since, state.get("search_event", ""))
if state.get("search_event", "") not in ("", *event_names):
    state["search_event"] = ""
    st.warning("链接中的事件不存在或不在您的可见范围内，已忽略。")
event = d2.selectbox("事件", ["", *event_names], format_func=lambda e: event_names.get(e, "全部事件"),
                     key="search_event")
o1, o2, o3 = st.columns([3, 2, 3])
if state.get("search_triage") not in TRIAGE_MODES:
    state["search_triage"] = "hide"
triage = o3.selectbox("已标注的帖子", list(TRIAGE_MODES), format_func=mode_label, key="search_triage",
                      help="默认隐藏已标注为已处置、误报、忽略的帖子；标注为关注的帖子突出显示")
if state.get("search_sort") not in SORTS:
    state["search_sort"] = "time"
sort = o1.radio("排序", list(SORTS), format_func=SORT_LABELS.get, key="search_sort", horizontal=True, help=HEAT_HELP)
if state.get("search_size") not in PAGE_SIZES:
    state["search_size"] = PAGE_SIZES[0]
size = o2.selectbox("每页条数", list(PAGE_SIZES), key="search_size")

author = state.get("search_author", "") or ""
chat = state.get("search_chat", "") or ""
parsed = parse_query(text, queries.query_cutter()) if text.strip() else None
terms = list(parsed.terms) if parsed else []

# the chat view ignores the other filters (a chat read in order); a change of filters goes to page 1
sig = repr((text, src, topics, [str(s) for s in sents], [str(r) for r in risks], [str(k) for k in kinds], event,
            dates, scope, since if dated else period, author, chat, sort, size, triage))
if state.get("search_sig") not in (None, sig):
    state["search_page"] = 1
state["search_sig"] = sig
anchor = state.pop(session.LINK_CHAT_POST_KEY, None)
if chat and anchor:
    position = queries.chat_position(scope, chat, anchor, since if dated else None, until)
    if position is None:
        st.warning("链接中的帖子不在该会话中或不在您的可见范围内。")
        state.pop("search_chat_focus", None)
    else:
        state["search_chat_focus"] = anchor
        state["search_page"] = position // size + 1
page = max(1, int(state.get("search_page", 1) or 1))

if chat:
    st.info(f"会话视图：{source_names[chat]}（该会话在您可见范围内的全部发言，按时间先后；其他筛选条件不适用）")
    st.button("退出会话视图", key="search_chat_close", on_click=_close, args=("search_chat",))

    def run(p: int):
        return queries.search(scope, user.sees_pii, "", since if dated else None, (chat,), (), (), (), size,
                              until=until, sort="time", offset=(p - 1) * size, newest_first=False,
                              triage="all")
else:
    if author:
        st.info("作者视图：只看这位作者在您可见范围内的发言。")
        st.button("退出作者视图", key="search_author_close", on_click=_close, args=("search_author",))

    def run(p: int):
        return queries.search(scope, user.sees_pii, text.strip(), since, tuple(src), tuple(topics),
                              tuple(str(s) for s in sents), tuple(str(r) for r in risks), size, until=until,
                              source_kinds=tuple(str(k) for k in kinds), event_id=event, author=author, sort=sort,
                              offset=(p - 1) * size, triage=triage)

total, posts = run(page)
pages = max(1, math.ceil(total / size))
if page > pages:  # past the end (fewer matches than when the link was made): the last page
    page = pages
    total, posts = run(page)
state["search_page"] = page
if author and posts:
    name = posts[0].post.author or "匿名"
    st.caption("作者：" + escape_markdown(name if user.sees_pii else mask_pii(name)))
shown_from = (page - 1) * size + 1 if posts else 0
st.caption(f"{'' if chat else period}共 {total:,} 条匹配，第 {page}/{pages} 页（第 {shown_from:,}–"
           f"{shown_from + len(posts) - 1 if posts else 0:,} 条）")

with st.expander("导出与舆情简报"):  # the current selection: its posts as Excel, its 舆情简报 as HTML/PDF
    drill.xlsx_button(posts_frame(posts, tree, cfg.tz), key="search_xlsx", what="舆情检索结果", user=user, tz=cfg.tz,
                      label=f"下载本页结果（Excel，{len(posts)} 条）")
    drill.brief_buttons(queries.post_query(scope, since, until, text=text.strip(), source_ids=tuple(src),
                                           topics=tuple(topics), sentiments=tuple(str(x) for x in sents),
                                           risks=tuple(str(r) for r in risks), source_kinds=tuple(str(k) for k in kinds),
                                           event_id=event, author=author, triage=triage), [
        ("关键词", text.strip() or "（无）"), ("时间", period.strip()),
        ("来源", "、".join(source_names.get(i, i) for i in src) or "全部"),
        ("话题", "、".join(TOPICS.get(t, t) for t in topics) or "全部"),
        ("情感", "、".join(SENTIMENT_LABELS.get(x, str(x)) for x in sents) or "全部"),
        ("风险", "、".join(RISK_LABELS.get(r, str(r)) for r in risks) or "全部"),
        ("来源类型", "、".join(SOURCE_KIND_LABELS.get(k, str(k)) for k in kinds) or "全部"),
        ("事件", event_names.get(event, event) if event else "全部")],
        key="search_brief", user=user, tz=cfg.tz, tree=tree)
link_post = state.get(session.LINK_POST_KEY, "")
linked = queries.post_detail(scope, user.sees_pii, link_post) if link_post else None
if link_post and linked is None:
    st.error("链接中的帖子不存在或不在您的权限范围内。")
elif linked is not None:
    st.info("已打开链接中的帖子，见下方「帖子详情」。")

focus = state.get("search_chat_focus", "")
triage_flash()
marks = queries.triage_marks("post", [sp.post.id for sp in posts] + ([linked["post"].post.id] if linked else []))
tab_cards, tab_table = st.tabs(["结果", "表格"])
with tab_cards:
    for sp in posts:
        if chat and sp.post.id == focus:
            st.caption("▼ 链接指向的帖子")
        post_card(sp, tree, cfg.tz, terms, highlight=True, mark=marks.get(sp.post.id), user=user,
                  key="search_card")
        key = sp.post.author_id or sp.post.author
        b1, b2, _ = st.columns([2, 2, 6])
        if key and not chat and key != author and (user.sees_pii or not has_pii(key)):
            b1.button("该作者的全部发言", key=f"search_by_author_{sp.post.id}", on_click=_open_author, args=(key,))
        if str(sp.post.source_kind) in CHAT_KINDS and not chat:
            b2.button("会话上下文", key=f"search_chat_of_{sp.post.id}", on_click=_open_chat,
                      args=(sp.post.source_id, sp.post.id))
with tab_table:
    st.dataframe(posts_frame(posts, tree, cfg.tz), hide_index=True, width="stretch", key="search_table")
if pages > 1:
    st.number_input(f"页码（共 {pages} 页）", min_value=1, max_value=pages, step=1, key="search_page")

# the URL says what the page shows: bookmark it, share it, open it from a chart
units_param = tuple(link_scope.get("units_param", ())) if link_scope else ()
scope_param = link_scope.get("scope_param", "") if link_scope else ""
if not link_scope and state.get("flt_unit") not in (None, "全部"):
    scope_param = state["flt_unit"]
session.remember_search(SearchFilters(
    q=text.strip(), units=units_param, scope=scope_param, sources=tuple(src), source_kinds=tuple(str(k) for k in kinds),
    topics=tuple(topics), sentiments=tuple(str(s) for s in sents), risks=tuple(str(r) for r in risks), event=event,
    author=author, chat=chat, since=dates[0] if dated else None, until=dates[1] if dated else None, sort=sort,
    page=page, size=size, triage=triage, post=focus if chat else link_post))

choices = ([linked["post"]] if linked else []) + posts
if choices:
    st.subheader("帖子详情")
    labels = {sp.post.id: f"{local_time(sp.post.created_at, cfg.tz)} {sp.post.author}：{sp.post.text[:30]}"
              for sp in choices}
    if state.get("search_pick") not in (None, *labels):
        del state["search_pick"]
    pick = st.selectbox("选择帖子", list(labels), format_func=labels.get, key="search_pick")
    detail = queries.post_detail(scope, user.sees_pii, pick)
    if detail is None:
        st.error("该帖子不存在或不在您的权限范围内。")
    else:
        sp = detail["post"]
        post_card(sp, tree, cfg.tz, terms, mark=queries.triage_marks("post", [sp.post.id]).get(sp.post.id),
                  user=user, key="search_detail")
        history = session.store().triage_history("post", sp.post.id)
        if history:
            with st.expander(f"标注记录（{len(history)} 次）"):
                st.dataframe(triage_history_table(history, {u.username: u.name or u.username for u in cfg.users},
                                                  cfg.tz), hide_index=True, width="stretch", key="search_triage_history")
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
