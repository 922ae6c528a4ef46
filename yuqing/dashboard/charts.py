"""Altair charts for the pages (Chinese labels; Vega-Lite renders them in the browser)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..schema import SENTIMENT_LABELS, SOURCE_KIND_LABELS, TOPICS, Sentiment, SourceKind

_SENT_COLORS = alt.Scale(domain=["负面", "中性", "正面"], range=["#d62728", "#9e9e9e", "#2ca02c"])


def volume_trend(by_day: list[dict]) -> alt.Chart:
    """Stacked daily volume by sentiment."""
    rows = []
    for d in by_day:
        unanalysed = d["total"] - d["negative"] - d["neutral"] - d["positive"]
        for s in Sentiment:
            rows.append({"日期": d["day"], "情感": SENTIMENT_LABELS[s], "帖子数": d[str(s)]})
        if unanalysed:
            rows.append({"日期": d["day"], "情感": "未分析", "帖子数": unanalysed})
    df = pd.DataFrame(rows, columns=["日期", "情感", "帖子数"])
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("日期:T", title="日期", axis=alt.Axis(format="%m-%d")),  # no English weekday/month names
        y=alt.Y("帖子数:Q", title="帖子数", stack=True),
        color=alt.Color("情感:N", scale=_SENT_COLORS, title="情感"),
        tooltip=[alt.Tooltip("日期:T", format="%Y-%m-%d"), "情感:N", "帖子数:Q"],
    ).properties(height=260)


def negative_share(rows: list[dict], label_col: str, title: str) -> alt.Chart:
    """Horizontal bars of the negative share per group (unit, source kind …)."""
    df = pd.DataFrame([{title: r["label"], "负面占比": r["negative"] / r["total"] if r["total"] else 0.0,
                        "帖子数": r["total"]} for r in rows], columns=[title, "负面占比", "帖子数"])
    return alt.Chart(df).mark_bar(color="#d62728").encode(
        x=alt.X("负面占比:Q", axis=alt.Axis(format="%"), title="负面占比"),
        y=alt.Y(f"{title}:N", sort="-x", title=label_col, axis=alt.Axis(labelOverlap=False)), tooltip=[f"{title}:N", alt.Tooltip("负面占比:Q", format=".1%"), "帖子数:Q"],
    ).properties(height=max(160, 36 * len(df)))


def topic_bars(rows: list[dict], value: str = "total", title: str = "帖子数") -> alt.Chart:
    df = pd.DataFrame([{"话题": TOPICS.get(r["topic"], r["topic"]), title: r[value]} for r in rows],
                      columns=["话题", title])
    return alt.Chart(df).mark_bar().encode(
        x=alt.X(f"{title}:Q", title=title), y=alt.Y("话题:N", sort="-x", title="话题", axis=alt.Axis(labelOverlap=False)), tooltip=["话题:N", f"{title}:Q"],
    ).properties(height=max(160, 36 * len(df)))


def week_compare_bars(rows: list[dict]) -> alt.Chart:
    """Grouped bars: this week vs last week per label."""
    df = pd.DataFrame(rows, columns=["名称", "周", "帖子数"])
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("帖子数:Q", title="帖子数"), y=alt.Y("名称:N", title=""), yOffset="周:N",
        color=alt.Color("周:N", title="", scale=alt.Scale(domain=["本周", "上周"], range=["#1f77b4", "#aec7e8"])),
        tooltip=["名称:N", "周:N", "帖子数:Q"],
    ).properties(height=max(140, 40 * df["名称"].nunique()))


def kind_label(kind: str) -> str:
    try:
        return SOURCE_KIND_LABELS[SourceKind(kind)]
    except ValueError:
        return kind
