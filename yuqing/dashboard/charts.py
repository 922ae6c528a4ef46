"""Altair charts for the pages (Chinese labels; Vega-Lite renders them in the browser)."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from ..schema import SENTIMENT_LABELS, SOURCE_KIND_LABELS, TOPICS, Sentiment, SourceKind

_SENT_COLORS = alt.Scale(domain=["负面", "中性", "正面"], range=["#d62728", "#9e9e9e", "#2ca02c"])


#: A link builder for a chart's rows: the row's filters → the search page's link (:mod:`.links`).
Linker = Callable[..., str] | None
LINK = "链接"


def volume_trend(by_day: list[dict], link: Linker = None) -> alt.Chart:
    """Stacked daily volume by sentiment; ``link(day=…, sentiment=…)`` gives each bar its posts."""
    rows = []
    for d in by_day:
        unanalysed = d["total"] - d["negative"] - d["neutral"] - d["positive"]
        for s in Sentiment:
            rows.append({"日期": d["day"], "情感": SENTIMENT_LABELS[s], "帖子数": d[str(s)],
                         LINK: link(day=d["day"], sentiment=str(s)) if link else ""})
        if unanalysed:
            rows.append({"日期": d["day"], "情感": "未分析", "帖子数": unanalysed,
                         LINK: link(day=d["day"], sentiment="") if link else ""})
    df = pd.DataFrame(rows, columns=["日期", "情感", "帖子数", LINK])
    return alt.Chart(df).mark_bar(cursor="pointer").encode(
        x=alt.X("日期:T", title="日期", axis=alt.Axis(format="%m-%d")),  # no English weekday/month names
        y=alt.Y("帖子数:Q", title="帖子数", stack=True),
        color=alt.Color("情感:N", scale=_SENT_COLORS, title="情感"),
        tooltip=[alt.Tooltip("日期:T", format="%Y-%m-%d"), "情感:N", "帖子数:Q"],
    ).properties(height=260)


def _label_axis(**kw) -> alt.Axis:
    """A category axis whose labels are never cut ("北岭选煤厂机修…"): no length limit, no overlap
    culling; long names wrap at the chart's left edge and show whole in the tooltip too."""
    return alt.Axis(labelOverlap=False, labelLimit=0, **kw)


def negative_share(rows: list[dict], label_col: str, title: str) -> alt.Chart:
    """Horizontal bars of the negative share per group (unit, source kind …); a row's ``link``
    (when present) opens its negative posts."""
    df = pd.DataFrame([{title: r["label"], "负面占比": r["negative"] / r["total"] if r["total"] else 0.0,
                        "负面帖子": r["negative"], "帖子数": r["total"], LINK: r.get("link", "")} for r in rows],
                      columns=[title, "负面占比", "负面帖子", "帖子数", LINK])
    return alt.Chart(df).mark_bar(color="#d62728", cursor="pointer").encode(
        x=alt.X("负面占比:Q", axis=alt.Axis(format="%"), title="负面占比"),
        y=alt.Y(f"{title}:N", sort="-x", title=label_col, axis=_label_axis()),
        tooltip=[f"{title}:N", alt.Tooltip("负面占比:Q", format=".1%"), "负面帖子:Q", "帖子数:Q"],
    ).properties(height=max(160, 36 * len(df)))


def topic_bars(rows: list[dict], value: str = "total", title: str = "帖子数", link: Linker = None) -> alt.Chart:
    """Posts per topic; ``link(topic=…)`` gives each bar its posts."""
    df = pd.DataFrame([{"话题": TOPICS.get(r["topic"], r["topic"]), title: r[value],
                        LINK: link(topic=r["topic"]) if link else ""} for r in rows], columns=["话题", title, LINK])
    return alt.Chart(df).mark_bar(cursor="pointer").encode(
        x=alt.X(f"{title}:Q", title=title), y=alt.Y("话题:N", sort="-x", title="话题", axis=_label_axis()),
        tooltip=["话题:N", f"{title}:Q"],
    ).properties(height=max(160, 36 * len(df)))


def week_compare_bars(rows: list[dict]) -> alt.Chart:
    """Grouped bars: this week vs last week per label (a row's ``链接`` opens its posts)."""
    df = pd.DataFrame(rows, columns=["名称", "周", "帖子数", LINK])
    df[LINK] = df[LINK].fillna("")
    return alt.Chart(df).mark_bar(cursor="pointer").encode(
        x=alt.X("帖子数:Q", title="帖子数"), y=alt.Y("名称:N", title="", axis=_label_axis()), yOffset="周:N",
        color=alt.Color("周:N", title="", scale=alt.Scale(domain=["本周", "上周"], range=["#1f77b4", "#aec7e8"])),
        tooltip=["名称:N", "周:N", "帖子数:Q"],
    ).properties(height=max(140, 40 * df["名称"].nunique()))


def kind_label(kind: str) -> str:
    try:
        return SOURCE_KIND_LABELS[SourceKind(kind)]
    except ValueError:
        return kind


def _text_width(term: str, size: float) -> float:
    """Rough width in pixels of ``term`` at font ``size``: a CJK character is square, others half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in term)


def cloud_layout(counts: dict[str, int], width: int = 760, *, max_words: int = 80, smallest: int = 13,
                 largest: int = 44, gap: int = 14) -> list[dict]:
    """A tag cloud's layout: the ``max_words`` most frequent terms, font size by frequency (square
    root, so one huge term does not shrink the rest to nothing), laid out in centred lines of at most
    ``width`` pixels, largest first. ``[{"词", "帖子数", "x", "y", "size"}]`` (x: a term's centre). Pure."""
    top = sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:max_words]
    if not top:
        return []
    hi, lo = top[0][1] ** 0.5, top[-1][1] ** 0.5
    lines: list[list[dict]] = [[]]
    used = 0.0
    for term, n in top:
        size = smallest if hi == lo else smallest + (largest - smallest) * (n ** 0.5 - lo) / (hi - lo)
        w = _text_width(term, size)
        if lines[-1] and used + gap + w > width:
            lines.append([])
            used = 0.0
        lines[-1].append({"词": term, "帖子数": n, "size": round(size, 1), "w": w})
        used += (gap if len(lines[-1]) > 1 else 0) + w
    out: list[dict] = []
    y = 0.0
    for line in lines:
        height = max(t["size"] for t in line) * 1.35
        total = sum(t["w"] for t in line) + gap * (len(line) - 1)
        x = (width - total) / 2
        for t in line:
            out.append({"词": t["词"], "帖子数": t["帖子数"], "size": t["size"], "x": round(x + t["w"] / 2, 1),
                        "y": round(y + height / 2, 1)})
            x += t["w"] + gap
        y += height
    return out


def term_cloud(counts: dict[str, int], link: Linker = None, width: int = 760) -> alt.Chart:
    """The week's words as a tag cloud drawn by the browser (nothing to render on the server); a
    click on a word opens the posts that name it (``link(term=…)``)."""
    rows = cloud_layout(counts, width)
    palette = ["#1f4e79", "#8b1a1a", "#2e7d32", "#6a1b9a", "#b26a00", "#00695c"]
    df = pd.DataFrame([{**r, "色": palette[i % len(palette)], LINK: link(term=r["词"]) if link else ""}
                       for i, r in enumerate(rows)], columns=["词", "帖子数", "size", "x", "y", "色", LINK])
    height = int(max((r["y"] + r["size"] for r in rows), default=60)) + 10
    return alt.Chart(df).mark_text(baseline="middle", align="center", cursor="pointer", fontWeight="bold").encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, width])),
        y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[0, height], reverse=True)),
        text="词:N", size=alt.Size("size:Q", scale=None, legend=None), color=alt.Color("色:N", scale=None),
        tooltip=["词:N", alt.Tooltip("帖子数:Q", title="本周帖子")],
    ).properties(height=height)
