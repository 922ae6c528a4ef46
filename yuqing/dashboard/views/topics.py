"""话题与事件: this week vs last week, emerging terms, word cloud, event timelines."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from yuqing.dashboard import charts, queries, session
from yuqing.dashboard.post_view import posts_frame
from yuqing.dashboard.safe_text import emerging_terms, escape_markdown
from yuqing.dashboard.wordcloud_image import word_cloud
from yuqing.errors import YuqingError
from yuqing.schema import TOPICS

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)
now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
offset = int(now.astimezone(cfg.tz).utcoffset().total_seconds())

st.title("话题与事件")
st.caption("本周 = 最近 7 天；上周 = 再往前 7 天")
wk = queries.week_compare(scope, now, user.sees_pii)

left, right = st.columns(2)
with left:
    st.subheader("热点话题：本周与上周")
    rows = [{"名称": TOPICS.get(r["topic"], r["topic"]), "周": label, "帖子数": r["total"]}
            for label, key in (("本周", "topics_this"), ("上周", "topics_last")) for r in wk[key]]
    if rows:
        st.altair_chart(charts.week_compare_bars(rows), width="stretch")
    else:
        st.info("最近两周没有已分析的帖子。")
with right:
    st.subheader("新出现的热词")
    rising = emerging_terms(wk["terms_this"], wk["terms_last"])
    if rising:
        st.dataframe([{"词": r["term"], "本周": r["this"], "上周": r["last"], "增长倍数": r["growth"]} for r in rising],
                     hide_index=True, width="stretch", key="topics_emerging")
    else:
        st.info("本周没有明显上升的词。")

st.subheader("本周词云")
if wk["terms_this"]:
    try:
        st.image(word_cloud(wk["terms_this"]), width="stretch")
    except YuqingError as exc:
        st.error(str(exc))
else:
    st.info("本周没有关键词。")

st.subheader("热点事件")
last = {e["event_id"]: e["posts"] for e in wk["events_last"]}
event_ids = tuple(e["event_id"] for e in wk["events_this"])
known = queries.events(scope, event_ids, user.sees_pii)  # label and keywords from the posts in scope
if not event_ids:
    st.info("本周没有事件。")
else:
    st.dataframe([{
        "事件": known[e["event_id"]].label if e["event_id"] in known else e["event_id"],
        "单位": tree.name(known[e["event_id"]].unit) if e["event_id"] in known else "",
        "本周帖子": e["posts"], "上周帖子": last.get(e["event_id"], 0), "负面": e["negative"],
    } for e in wk["events_this"]], hide_index=True, width="stretch", key="topics_events")
    pick = st.selectbox("查看事件", event_ids, key="topics_event_pick",
                        format_func=lambda i: known[i].label if i in known else i)
    ev = queries.event_posts(scope, user.sees_pii, pick, offset)
    if pick in known:
        st.markdown("关键词：" + escape_markdown("、".join(known[pick].keywords)))
    if ev["by_day"]:
        st.altair_chart(charts.volume_trend(ev["by_day"]), width="stretch")
    st.dataframe(posts_frame(ev["posts"], tree, cfg.tz), hide_index=True, width="stretch",
                 key="topics_event_posts")
