"""考核评价: the assessment of every unit the user may see for a month — each row over the unit and
those below it — ranked within each level, and the month's figures in the article's own form."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from yuqing.dashboard import drill, queries, session
from yuqing.dashboard.links import search_link
from yuqing.digest.period import month_of, parse_month

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)
LEVELS = {1: "集团公司", 2: "二级公司", 3: "三级单位", 4: "区科"}

st.title("考核评价")
today = datetime.now(timezone.utc).astimezone(cfg.tz).date()
recent = [month_of(today)]
while len(recent) < 24:
    recent.append(recent[-1].previous())
months = [p.label for p in recent]
default = queries.default_month()
label = st.selectbox("月份", months, index=months.index(default) if default in months else 0, key="score_month",
                     format_func=lambda m: f"{m[:4]}年{int(m[5:])}月")
rows = queries.scorecard(scope, label)


def pct(v) -> str:
    return "—" if v is None else f"{100 * v:.0f}%"


if not rows:
    st.info("没有可显示的单位。")
    st.stop()
top = rows[0]
st.markdown(f"**{label[:4]}年{int(label[5:])}月，{top.name}（含下级）说事解事委员会{top.figures_text()}。**")
st.caption("每个单位含其下级单位；一件事计入当时负责的单位（逾期上报的计入上报前的单位）。得分 = 40×按期办结率 + "
           "40×满意率 + 20×响应（24 小时内满分，72 小时以上为零）− 5×（逾期事项 + 上报次数），没有数据的指标按一半计；"
           "排名在同一层级内，只排本月有事项的单位。")


period = parse_month(label)
first_day = period.since(cfg.tz).date()
last_day = (period.until(cfg.tz) - timedelta(seconds=1)).astimezone(cfg.tz).date()


def unit_posts(code: str) -> str:
    """The month's posts of ``code`` and the units below it (as far as this user may see)."""
    units = tree.subtree(code) if scope is None else tree.subtree(code) & set(scope)
    return search_link(unit=sorted(units), since=first_day, until=last_day) if units else ""


def frame(items) -> pd.DataFrame:
    return pd.DataFrame([{
        "排名": r.rank or "", "单位": "　" * (r.level - 1) + r.name, "得分": "—" if r.score is None else f"{r.score:.1f}",
        "立项": r.issues, "办结": r.closed, "按期办结率": pct(r.closed_on_time_rate),
        "首次响应（小时）": "—" if r.median_first_response_hours is None else f"{r.median_first_response_hours:.1f}",
        "满意率": pct(r.satisfaction_rate), "评议次数": r.ratings, "上报": r.escalated, "逾期": r.overdue,
        "思想教育（人次）": r.education_persons, "合理诉求（件次）": r.demands_resolved, "帮扶（人次）": r.assisted_persons,
        "办实事（件次）": r.practical_deeds, "意见建议（条）": r.suggestions_collected, drill.LINK: unit_posts(r.unit),
    } for r in items])


for level in sorted({r.level for r in rows}):
    ranked = sorted((r for r in rows if r.level == level and r.rank), key=lambda r: r.rank)
    if ranked:
        st.subheader(f"{LEVELS.get(level, f'第 {level} 级')}排名")
        drill.table(frame(ranked), key=f"score_rank_{level}", what=f"考核评价-{label}-{LEVELS.get(level, level)}",
                    user=user, tz=cfg.tz, label="本月帖子")
st.subheader("全部单位")
drill.table(frame(rows).drop(columns=["排名"]), key="score_all", what=f"考核评价-{label}-全部单位", user=user, tz=cfg.tz,
            label="本月帖子")
