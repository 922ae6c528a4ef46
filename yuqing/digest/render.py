"""Figures → one self-contained HTML document (charts inlined as data: URIs, CSS inline, no
external requests) and its plain-text summary for the e-mail body. Jinja2 with autoescaping:
every piece of user text (posts, titles, unit and source names) is escaped."""

from __future__ import annotations

import base64
from functools import lru_cache

from . import plots
from .analysis import Sentence, written_analysis
from .links import issue_url
from .model import Figures

NUMERALS = "一二三四五六七八九十"
#: Lines in a trend chart (top events, units with most negative posts).
TREND_LINES = 5


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("yuqing.digest", "."), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def chart_uris(f: Figures) -> dict[str, str]:
    """Every chart of the digest as a data: URI ('' for a chart with nothing to show)."""
    word = "本周" if f.period.kind == "week" else "本月"
    steps = [(s, c) for s, c, _ in f.issues.steps]
    days = [d.day for d in f.days]
    top_events = [(f"#{h.issue.id} {h.issue.title}", h.daily) for h in f.hot_issues[:TREND_LINES]]
    worst_units = sorted(f.units, key=lambda u: -u.negative)[:TREND_LINES]
    return {
        "event_trend": data_uri(plots.trend_chart(days, top_events, "主要议题每日帖子数")) if top_events else "",
        "unit_trend": data_uri(plots.trend_chart(days, [(u.name, u.daily_negative) for u in worst_units],
                                                  "负面帖子最多的单位：每日负面帖子数")) if worst_units else "",
        "volume": data_uri(plots.volume_chart(f.days, f"{word}每日发帖（蓝）与负面帖子（红）")),
        "topics": data_uri(plots.topic_chart(f.topics, "热点话题帖子数：本期与上期")) if f.topics else "",
        "units": data_uri(plots.unit_chart(f.units, "各单位负面占比：本期与上期")) if f.units else "",
        "steps": data_uri(plots.count_chart(steps, "议题所处的说事解事步骤")) if any(c for _, c in steps) else "",
        "methods": data_uri(plots.count_chart([(m, c) for m, c, _ in f.issues.methods], "工作方法（九法）使用次数",
                                               color="#7a5195")) if f.issues.methods else "",
    }


def analysis_for(f: Figures) -> list[Sentence]:
    """The written analysis: the monthly report has one, the weekly digest does not."""
    return written_analysis(f) if f.period.kind == "month" else []


def render_html(f: Figures, tz_name: str = "Asia/Shanghai") -> str:
    analysis = analysis_for(f)
    first = 2 if analysis else 1
    numbers = NUMERALS[first:first + 7]
    return _env().get_template("digest.html").render(
        f=f, analysis=analysis, charts=chart_uris(f), n=numbers, tz=tz_name,
        issue_link=lambda i: issue_url(f.base_url, i))


def render_text(f: Figures) -> str:
    """A plain-text summary for the e-mail body (the full digest is the HTML/PDF)."""
    lines = [f"{f.scope_name} {f.period.name} {f.period.title}", ""]
    for h in f.headlines:
        lines.append(f"{h.label}：{h.value_text}{'' if h.suffix == '%' else ' ' + h.suffix}（{h.change_text}）")
    if f.hot_issues:
        lines += ["", "负面帖子最多的议题："]
        for h in f.hot_issues[:3]:
            overdue = "，已逾期" if h.issue.overdue else ""
            lines.append(f"- #{h.issue.id} {h.issue.title}：本期 {h.posts} 条，负面 {h.negative} 条；"
                         f"{h.issue.step}{overdue} {h.issue.link}")
    lines += ["", f"监测标注：{f.triage_text}。"]
    if f.casework is not None:
        lines += ["", f"说事解事委员会：{f.casework.figures_text}。"]
    for s in analysis_for(f):
        lines.append(s.text)
    lines += ["", f"全文见附件 PDF；本期全部帖子：{f.all_posts_link}"]
    return "\n".join(lines)
