"""Post tables and a post's detail, rendered safely: post text as plain text (``st.text``: no HTML,
no markdown, no links, no icons), names inside escaped and neutralized markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..orgtree import OrgTree
from ..schema import RISK_LABELS, SENTIMENT_LABELS, TOPICS, StoredPost
from .charts import kind_label
from .safe_text import escape_markdown, highlight_html, local_time
from .triage_view import badge as triage_badge
from .triage_view import control as triage_control


def posts_frame(posts: list[StoredPost], tree: OrgTree, tz) -> pd.DataFrame:
    """A table of posts; st.dataframe shows every cell as text."""
    rows = []
    for sp in posts:
        a = sp.analysis
        rows.append({
            "时间": local_time(sp.post.created_at, tz), "单位": tree.name(sp.unit), "来源": kind_label(str(sp.post.source_kind)),
            "作者": sp.post.author, "内容": sp.post.text,
            "情感": SENTIMENT_LABELS.get(a.sentiment, "") if a else "未分析",
            "话题": TOPICS.get(a.topic, a.topic) if a else "", "风险": RISK_LABELS.get(a.risk, "") if a else "",
        })
    return pd.DataFrame(rows, columns=["时间", "单位", "来源", "作者", "内容", "情感", "话题", "风险"])


def post_card(sp: StoredPost, tree: OrgTree, tz, terms: list[str] = (), *, highlight: bool = False, mark=None,
              user=None, key: str = "") -> None:
    """One post: author and time as escaped markdown, title and text as plain text, and which of
    the searched words it holds. ``highlight``: title and text with the searched words marked, as
    escaped HTML (:func:`~.render.highlight_html`: still only the post's characters, no markup of its own).
    ``mark`` (the post's :class:`~yuqing.schema.TriageMark`, from ``queries.triage_marks("post", ids)``)
    shows as a badge — 关注 highlighted; with ``user`` and a ``key`` unique on the page, a 「标注」
    control lets a user who may triage the post's unit mark it."""
    a = sp.analysis
    tags = " · ".join(x for x in (
        tree.name(sp.unit), kind_label(str(sp.post.source_kind)), local_time(sp.post.created_at, tz),
        SENTIMENT_LABELS.get(a.sentiment, "") if a else "未分析", TOPICS.get(a.topic, "") if a else "",
        f"风险{RISK_LABELS.get(a.risk, '')}" if a else "") if x)
    with st.container(border=True):
        head = f"**{escape_markdown(sp.post.author or '匿名')}** · {escape_markdown(tags)}"
        shown_mark = triage_badge(mark)
        st.markdown(head + (" · " + shown_mark if shown_mark else ""))
        hits_any = highlight and any(t.strip() for t in terms)
        if sp.post.title:
            st.html(highlight_html(sp.post.title, terms)) if hits_any else st.text(sp.post.title)
        st.html(highlight_html(sp.post.text, terms)) if hits_any else st.text(sp.post.text)
        hits = [t for t in dict.fromkeys(terms) if t.strip() and t.lower() in (sp.post.title + sp.post.text).lower()]
        if hits:
            st.caption("命中：" + escape_markdown("、".join(hits)))
        if user is not None and key:
            from .session import store

            triage_control(store(), user, "post", sp.post.id, sp.unit, mark, f"{key}_{sp.post.id}")
