"""舆情简报: a short report on whatever posts a selection holds (the dashboard's filters: period,
units, sources, topic, sentiment, risk, event, words) — headline counts, the daily trend, topics,
units, events and the posts that say most — as self-contained HTML and as PDF, like the digest.

:func:`gather_brief` reads the store (the selection is a :class:`~yuqing.storage.base.PostQuery`
already limited to the reader's scope); :func:`render_brief_html` is pure (Jinja2 with autoescaping,
every piece of user text escaped); personal data is masked unless the reader may see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache

from ..pii import mask_pii
from ..schema import RISK_LABELS, SENTIMENT_LABELS, TOPICS
from ..storage.base import PostQuery
from .model import DayRow

#: Posts quoted in a brief.
QUOTED = 8
#: Rows in the topic, unit and event tables.
TOP = 10


@dataclass
class BriefRow:
    name: str
    total: int
    negative: int

    @property
    def share(self) -> str:
        return f"{self.negative / self.total:.0%}" if self.total else "—"


@dataclass
class BriefPost:
    at: str
    unit: str
    source: str
    author: str
    text: str
    tags: str


@dataclass
class Brief:
    title: str
    scope_name: str
    #: The selection in words: [(筛选项, 取值)].
    selection: list[tuple[str, str]]
    generated_at: str
    total: int = 0
    negative: int = 0
    high_risk: int = 0
    days: list[DayRow] = field(default_factory=list)
    topics: list[BriefRow] = field(default_factory=list)
    units: list[BriefRow] = field(default_factory=list)
    events: list[BriefRow] = field(default_factory=list)
    posts: list[BriefPost] = field(default_factory=list)

    @property
    def negative_share(self) -> str:
        return f"{self.negative / self.total:.1%}" if self.total else "—"

    @property
    def summary(self) -> str:
        """One sentence a reader takes away."""
        if not self.total:
            return "所选范围内没有帖子。"
        parts = [f"所选范围内共有帖子 {self.total:,} 条，其中负面 {self.negative:,} 条（{self.negative_share}），"
                 f"高风险 {self.high_risk:,} 条"]
        if self.topics:
            t = self.topics[0]
            parts.append(f"讨论最多的话题是「{t.name}」（{t.total:,} 条）")
        if self.units:
            worst = max(self.units, key=lambda u: (u.negative, u.total))
            if worst.negative:
                parts.append(f"负面帖子最多的单位是{worst.name}（{worst.negative:,} 条）")
        return "；".join(parts) + "。"


def gather_brief(store, q: PostQuery, *, title: str, scope_name: str, selection: list[tuple[str, str]], tree,
                 tz, show_pii: bool, source_names: dict[str, str] | None = None, utc_offset: int | None = None,
                 now: datetime | None = None) -> Brief:
    """The brief of the posts ``q`` selects (``q.units`` is the reader's scope)."""
    now = now or datetime.now(timezone.utc)
    offset = utc_offset if utc_offset is not None else int(now.astimezone(tz).utcoffset().total_seconds())
    shown = (lambda s: s) if show_pii else mask_pii
    b = store.breakdown(q)
    c = b["counts"]
    brief = Brief(title=title, scope_name=scope_name, selection=selection,
                  generated_at=now.astimezone(tz).strftime("%Y-%m-%d %H:%M"), total=c["total"],
                  negative=c["negative"], high_risk=c["high_risk"])
    brief.days = [DayRow(d["day"], d["total"], d["negative"], "") for d in store.volume_by_day(q, offset)]
    brief.topics = [BriefRow(TOPICS.get(r["topic"], r["topic"]), r["total"], r["negative"]) for r in b["topics"]][:TOP]
    brief.units = [BriefRow(tree.name(r["unit"]) if r["unit"] else "未分配", r["total"], r["negative"])
                   for r in b["by_unit"]][:TOP]
    for e in store.event_activity(q, limit=TOP):
        event = store.get_event(e["event_id"])
        label = event.label if event else e["event_id"]
        if q.units is not None and event is not None:  # a label quotes posts: only from the reader's scope
            from ..scoped import event_view

            eq = PostQuery(units=q.units, event_id=event.id, limit=200)
            label = event_view(event, store.query_posts(eq), store.count_posts(eq)).label
        brief.events.append(BriefRow(shown(label), e["posts"], e["negative"]))
    names = source_names or {}
    for sp in store.representative_posts(replace(q, limit=QUOTED)):
        a = sp.analysis
        tags = "、".join(x for x in (SENTIMENT_LABELS.get(a.sentiment, "") if a else "未分析",
                                    TOPICS.get(a.topic, "") if a else "",
                                    f"风险{RISK_LABELS.get(a.risk, '')}" if a and a.risk != "none" else "") if x)
        brief.posts.append(BriefPost(at=sp.post.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                                     unit=tree.name(sp.unit) if sp.unit else "未分配",
                                     source=names.get(sp.post.source_id, ""), author=shown(sp.post.author or "匿名"),
                                     text=shown((sp.post.title + "\n" if sp.post.title else "") + sp.post.text),
                                     tags=tags))
    return brief


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("yuqing.digest", "."), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_brief_html(brief: Brief, *, chart: bool = True) -> str:
    """The brief as one self-contained HTML document (the trend chart inlined as a data: URI)."""
    from . import plots
    from .render import data_uri

    uri = data_uri(plots.volume_chart(brief.days, "每日发帖（蓝）与负面帖子（红）")) if chart and brief.days else ""
    return _env().get_template("brief.html").render(b=brief, chart=uri)


def brief_pdf(html: str) -> bytes:
    from .pdf import html_to_pdf

    return html_to_pdf(html)
