"""话题与事件: this week vs last week, emerging terms, word cloud, event timelines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from yuqing.dashboard import charts, drill, queries, session
from yuqing.dashboard.links import search_link
from yuqing.dashboard.post_view import posts_frame
from yuqing.dashboard.safe_text import emerging_terms, escape_markdown
from yuqing.schema import TOPICS

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)
now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
offset = int(now.astimezone(cfg.tz).utcoffset().total_seconds())

st.title("话题与事件")
st.caption("本周 = 最近 7 天；上周 = 再往前 7 天；点击图表或表格中的链接可打开对应的帖子")
wk = queries.week_compare(scope, now, user.sees_pii)
units = list(scope) if scope is not None and set(scope) != (user.units or set()) else []
days = {label: ((now - timedelta(days=back)).astimezone(cfg.tz).date(),
                (now - timedelta(days=back - 7, seconds=1)).astimezone(cfg.tz).date())
        for label, back in (("本周", 7), ("上周", 14))}


def posts(week: str = "本周", **filters) -> str:
    """The search page's link to the posts of ``week`` (local days) with ``filters``."""
    since, until = days[week]
    return search_link(unit=filters.pop("unit", units), since=since, until=until, **filters)


left, right = st.columns(2)
with left:
    st.subheader("热点话题：本周与上周")
    rows = [{"名称": TOPICS.get(r["topic"], r["topic"]), "周": label, "帖子数": r["total"],
             drill.LINK: posts(label, topic=r["topic"])}
            for label, key in (("本周", "topics_this"), ("上周", "topics_last")) for r in wk[key]]
    if rows:
        drill.chart(charts.week_compare_bars(rows), None, key="topics_weeks", what="热点话题本周与上周", user=user,
                    tz=cfg.tz)
    else:
        st.info("最近两周没有已分析的帖子。")
with right:
    st.subheader("新出现的热词")
    rising = emerging_terms(wk["terms_this"], wk["terms_last"])
    if rising:
        drill.table(pd.DataFrame([{"词": r["term"], "本周": r["this"], "上周": r["last"], "增长倍数": r["growth"],
                                   drill.LINK: posts(q=r["term"])} for r in rising]),
                    key="topics_emerging", what="新出现的热词", user=user, tz=cfg.tz)
    else:
        st.info("本周没有明显上升的词。")

st.subheader("本周词云")
if wk["terms_this"]:  # drawn by the browser: a click on a word opens the posts that name it
    top = sorted(wk["terms_this"].items(), key=lambda t: (-t[1], t[0]))[:80]
    drill.chart(charts.term_cloud(dict(top), link=lambda term: posts(q=term)),
                pd.DataFrame([{"词": t, "本周帖子": n, drill.LINK: posts(q=t)} for t, n in top]),
                key="topics_cloud", what="本周词云的词", user=user, tz=cfg.tz, stretch=False)
else:
    st.info("本周没有关键词。")

st.subheader("热点事件")
last = {e["event_id"]: e["posts"] for e in wk["events_last"]}
event_ids = tuple(e["event_id"] for e in wk["events_this"])
known = queries.events(scope, event_ids, user.sees_pii)  # label and keywords from the posts in scope
if not event_ids:
    st.info("本周没有事件。")
else:
    drill.table(pd.DataFrame([{
        "事件": known[e["event_id"]].label if e["event_id"] in known else e["event_id"],
        "单位": tree.name(known[e["event_id"]].unit) if e["event_id"] in known else "",
        "本周帖子": e["posts"], "上周帖子": last.get(e["event_id"], 0), "负面": e["negative"],
        drill.LINK: search_link(event=e["event_id"], unit=units),
    } for e in wk["events_this"]]), key="topics_events", what="热点事件", user=user, tz=cfg.tz,
        label="查看全部帖子")
    pick = st.selectbox("查看事件", event_ids, key="topics_event_pick",
                        format_func=lambda i: known[i].label if i in known else i)
    ev = queries.event_posts(scope, user.sees_pii, pick, offset)
    if pick in known:
        st.markdown("关键词：" + escape_markdown("、".join(known[pick].keywords)))
    if ev["by_day"]:
        drill.chart(charts.volume_trend(ev["by_day"], lambda day, sentiment: search_link(
            event=pick, unit=units, since=day, until=day, sentiment=sentiment)), None, key="topics_event_trend",
            what="事件每日帖子", user=user, tz=cfg.tz)
    drill.table(posts_frame(ev["posts"], tree, cfg.tz), key="topics_event_posts", what="事件的帖子", user=user,
                tz=cfg.tz)
