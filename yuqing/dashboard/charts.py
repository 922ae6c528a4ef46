"""The pages' charts as Vega-Lite specs (plain dicts: Chinese labels, the data inlined; the browser
draws them). Pure.

Specs are written as dicts rather than built with Altair: Altair validates every channel against the
Vega-Lite schema while a chart is built and again when it is serialised — on the overview that was
most of the page's time on every run. Every row of a chart's data may carry ``链接``, the search
page's link to the posts behind that mark (:mod:`.links`); :func:`yuqing.dashboard.drill.chart`
makes a click on the mark follow it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..schema import SENTIMENT_LABELS, SOURCE_KIND_LABELS, TOPICS, Sentiment, SourceKind

#: A link builder for a chart's rows: the row's filters → the search page's link (:mod:`.links`).
Linker = Callable[..., str] | None
LINK = "链接"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_SENT_COLORS = {"domain": ["负面", "中性", "正面", "未分析"], "range": ["#d62728", "#9e9e9e", "#2ca02c", "#c7c7c7"]}


def _spec(rows: list[dict], mark: dict, encoding: dict, height: int) -> dict:
    return {"$schema": SCHEMA, "data": {"values": rows}, "mark": {"cursor": "pointer", **mark},
            "encoding": encoding, "height": height}


def _label_axis() -> dict:
    """A category axis whose labels are never cut ("北岭选煤厂机修…"): no length limit, no overlap
    culling (the full name is in the tooltip too)."""
    return {"labelOverlap": False, "labelLimit": 0}


def volume_trend(by_day: list[dict], link: Linker = None) -> dict:
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
    return _spec(rows, {"type": "bar"}, {
        "x": {"field": "日期", "type": "temporal", "title": "日期", "axis": {"format": "%m-%d"}},  # no English names
        "y": {"field": "帖子数", "type": "quantitative", "title": "帖子数", "stack": True},
        "color": {"field": "情感", "type": "nominal", "title": "情感", "scale": _SENT_COLORS},
        "tooltip": [{"field": "日期", "type": "temporal", "format": "%Y-%m-%d"}, {"field": "情感", "type": "nominal"},
                    {"field": "帖子数", "type": "quantitative"}],
    }, 260)


def negative_share(rows: list[dict], label_col: str, title: str) -> dict:
    """Horizontal bars of the negative share per group (unit, source kind …); a row's ``link``
    (when present) opens its negative posts."""
    data = [{title: r["label"], "负面占比": r["negative"] / r["total"] if r["total"] else 0.0,
             "负面帖子": r["negative"], "帖子数": r["total"], LINK: r.get("link", "")} for r in rows]
    return _spec(data, {"type": "bar", "color": "#d62728"}, {
        "x": {"field": "负面占比", "type": "quantitative", "title": "负面占比", "axis": {"format": "%"}},
        "y": {"field": title, "type": "nominal", "sort": "-x", "title": label_col, "axis": _label_axis()},
        "tooltip": [{"field": title, "type": "nominal"}, {"field": "负面占比", "type": "quantitative", "format": ".1%"},
                    {"field": "负面帖子", "type": "quantitative"}, {"field": "帖子数", "type": "quantitative"}],
    }, max(160, 36 * len(data)))


def topic_bars(rows: list[dict], value: str = "total", title: str = "帖子数", link: Linker = None) -> dict:
    """Posts per topic; ``link(topic=…)`` gives each bar its posts."""
    data = [{"话题": TOPICS.get(r["topic"], r["topic"]), title: r[value], LINK: link(topic=r["topic"]) if link else ""}
            for r in rows]
    return _spec(data, {"type": "bar"}, {
        "x": {"field": title, "type": "quantitative", "title": title},
        "y": {"field": "话题", "type": "nominal", "sort": "-x", "title": "话题", "axis": _label_axis()},
        "tooltip": [{"field": "话题", "type": "nominal"}, {"field": title, "type": "quantitative"}],
    }, max(160, 36 * len(data)))


def week_compare_bars(rows: list[dict]) -> dict:
    """Grouped bars: this week vs last week per label (a row's ``链接`` opens its posts)."""
    data = [{"名称": r["名称"], "周": r["周"], "帖子数": r["帖子数"], LINK: r.get(LINK) or ""} for r in rows]
    return _spec(data, {"type": "bar"}, {
        "x": {"field": "帖子数", "type": "quantitative", "title": "帖子数"},
        "y": {"field": "名称", "type": "nominal", "title": "", "axis": _label_axis()},
        "yOffset": {"field": "周", "type": "nominal"},
        "color": {"field": "周", "type": "nominal", "title": "", "scale": {"domain": ["本周", "上周"],
                                                                       "range": ["#1f77b4", "#aec7e8"]}},
        "tooltip": [{"field": "名称", "type": "nominal"}, {"field": "周", "type": "nominal"},
                    {"field": "帖子数", "type": "quantitative"}],
    }, max(140, 40 * len({r["名称"] for r in data})))


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


def term_cloud(counts: dict[str, int], link: Linker = None, width: int = 760) -> dict:
    """The week's words as a tag cloud drawn by the browser (nothing to render on the server); a
    click on a word opens the posts that name it (``link(term=…)``)."""
    rows = cloud_layout(counts, width)
    palette = ["#1f4e79", "#8b1a1a", "#2e7d32", "#6a1b9a", "#b26a00", "#00695c"]
    data = [{**r, "色": palette[i % len(palette)], LINK: link(term=r["词"]) if link else ""} for i, r in enumerate(rows)]
    height = int(max((r["y"] + r["size"] for r in rows), default=60)) + 10
    spec = _spec(data, {"type": "text", "baseline": "middle", "align": "center", "fontWeight": "bold"}, {
        "x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [0, width]}},
        "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [0, height], "reverse": True}},
        "text": {"field": "词", "type": "nominal"},
        "size": {"field": "size", "type": "quantitative", "scale": None, "legend": None},
        "color": {"field": "色", "type": "nominal", "scale": None},
        "tooltip": [{"field": "词", "type": "nominal"}, {"field": "帖子数", "type": "quantitative", "title": "本周帖子"}],
    }, height)
    spec["width"] = width
    spec["view"] = {"stroke": None}
    return spec
