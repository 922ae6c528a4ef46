"""The search page's URL query parameters: parsed into :class:`SearchFilters` and written back. Pure.

The names are the shared contract of the dashboard's links (drill-down links, 专题 pages, digests,
bookmarks): ``q`` query text; ``unit`` a unit code, that unit only (may repeat); ``source`` a source id
(may repeat); ``topic``; ``sentiment`` (positive|neutral|negative); ``risk`` (``1`` = only risky posts:
high or medium); ``event`` an event id; ``author`` an author (their id, or their name where the source
gives none); ``chat`` the source id of a chat (the chat view); ``since``, ``until`` local dates
YYYY-MM-DD, both inclusive; ``sort`` time|heat; ``page`` 1-based; ``triage`` hide|all|only-open (default
hide: posts marked 已处置/误报/忽略 are hidden).

Also read, for the links written before this contract: ``scope`` (a unit and everything under it),
``source_kind``, ``risk`` as a level (high|medium|none), ``post`` (open that post; in the chat view, the
post the view is centred on) and ``size`` (page size 20|50|100).

Whatever a link carries, the page filters inside the viewer's scope: this module only reads values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..schema import TOPICS, TRIAGE_MODES, Risk, Sentiment, SourceKind
from ..storage.base import SORTS

#: The contract's names (see the module docstring), then the older links' extras.
CONTRACT_PARAMS = ("q", "unit", "source", "topic", "sentiment", "risk", "event", "author", "chat", "since", "until",
                   "sort", "page", "triage")
EXTRA_PARAMS = ("scope", "source_kind", "post", "size")
PARAMS = CONTRACT_PARAMS + EXTRA_PARAMS

TRIAGE = TRIAGE_MODES
PAGE_SIZES = (20, 50, 100)
#: The risk levels ``risk=1`` stands for.
RISKY = ("high", "medium")
MAX_PAGE = 10_000
_MAX_VALUE = 200
_DATE = re.compile(r"20\d\d-\d\d-\d\d")


@dataclass(frozen=True)
class SearchFilters:
    """What a search URL asks for, every value checked (``warnings``: Chinese, one per value ignored).
    Dates are local and inclusive. Unit codes and source ids are checked by the page (against the
    organisation and the viewer's sources)."""

    q: str = ""
    units: tuple[str, ...] = ()
    scope: str = ""
    sources: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    event: str = ""
    author: str = ""
    chat: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = "time"
    page: int = 1
    size: int = PAGE_SIZES[0]
    triage: str = "hide"
    post: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def risky(self) -> bool:
        """Only risky posts (``risk=1``)."""
        return set(self.risks) == set(RISKY)


def _shown(value: str) -> str:
    """A value quoted in a warning: short (the page shows warnings as plain text)."""
    return value[:40]


def _values(params: Mapping, name: str) -> list[str]:
    raw = params.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    return [v.strip() for v in raw if isinstance(v, str) and v.strip()]


def _iso_day(raw: str) -> date | None:
    if not _DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_search_params(params: Mapping) -> SearchFilters:
    """The filters of a search URL. ``params`` maps a name to its values (a list, as
    ``st.query_params.get_all`` gives them, or one string); names not listed in :data:`PARAMS` are
    someone else's (``issue=``) and pass silently."""
    warnings: list[str] = []

    def one(name: str) -> str:
        values = _values(params, name)
        if len(values) > 1:
            warnings.append(f"链接参数 {name} 出现多次，只采用第一个。")
        if values and len(values[0]) > _MAX_VALUE:
            warnings.append(f"链接参数 {name} 过长，已忽略。")
            return ""
        return values[0] if values else ""

    def many(name: str) -> tuple[str, ...]:
        out = []
        for v in _values(params, name):
            if len(v) > _MAX_VALUE:
                warnings.append(f"链接参数 {name} 过长，已忽略。")
            else:
                out.append(v)
        return tuple(dict.fromkeys(out))

    def choices(name: str, allowed, label: str) -> tuple[str, ...]:
        out = []
        for v in _values(params, name):
            if v in allowed:
                out.append(v)
            else:
                warnings.append(f"未知的{label}「{_shown(v)}」，已忽略。")
        return tuple(dict.fromkeys(out))

    def day(name: str) -> date | None:
        raw = one(name)
        found = _iso_day(raw)
        if raw and found is None:
            warnings.append(f"链接中的日期「{_shown(raw)}」格式不对（应为 2026-11-09），已忽略。")
        return found

    def pick(name: str, allowed: tuple, default, label: str):
        raw = one(name)
        if raw and raw not in allowed:
            warnings.append(f"未知的{label}「{_shown(raw)}」，已忽略。")
            return default
        return raw or default

    def number(name: str, default: int, allowed=None, top: int = MAX_PAGE) -> int:
        raw = one(name)
        if not raw:
            return default
        if not raw.isdigit() or not 1 <= int(raw) <= top or (allowed and int(raw) not in allowed):
            warnings.append(f"链接参数 {name}「{_shown(raw)}」无效，已忽略。")
            return default
        return int(raw)

    since, until = day("since"), day("until")
    if since is not None and until is not None and until < since:
        warnings.append("链接中的截止日期早于起始日期，已忽略日期。")
        since = until = None
    risks: list[str] = []
    for v in _values(params, "risk"):
        if v == "1":
            risks.extend(RISKY)
        elif v in {str(r) for r in Risk}:
            risks.append(v)
        else:
            warnings.append(f"未知的风险等级「{_shown(v)}」，已忽略。")
    return SearchFilters(
        q=one("q"), units=many("unit"), scope=one("scope"), sources=many("source"),
        source_kinds=choices("source_kind", {str(k) for k in SourceKind}, "来源类型"),
        topics=choices("topic", set(TOPICS), "话题"),
        sentiments=choices("sentiment", {str(s) for s in Sentiment}, "情感"),
        risks=tuple(dict.fromkeys(risks)), event=one("event"), author=one("author"), chat=one("chat"),
        since=since, until=until, sort=pick("sort", SORTS, "time", "排序方式"), page=number("page", 1),
        size=number("size", PAGE_SIZES[0], PAGE_SIZES, max(PAGE_SIZES)),
        triage=pick("triage", TRIAGE, "hide", "处置筛选"), post=one("post"), warnings=tuple(warnings))


def to_params(f: SearchFilters) -> dict[str, list[str]]:
    """The URL parameters of ``f`` (defaults left out), the inverse of :func:`parse_search_params`."""
    out: dict[str, list[str]] = {}

    def put(name: str, values) -> None:
        values = [str(v) for v in values if str(v)]
        if values:
            out[name] = values

    put("q", [f.q])
    put("unit", f.units)
    put("scope", [f.scope])
    put("source", f.sources)
    put("source_kind", f.source_kinds)
    put("topic", f.topics)
    put("sentiment", f.sentiments)
    put("risk", ["1"] if f.risky else f.risks)
    put("event", [f.event])
    put("author", [f.author])
    put("chat", [f.chat])
    put("since", [f.since.isoformat()] if f.since else [])
    put("until", [f.until.isoformat()] if f.until else [])
    put("sort", [f.sort] if f.sort != "time" else [])
    put("page", [f.page] if f.page > 1 else [])
    put("size", [f.size] if f.size != PAGE_SIZES[0] else [])
    put("triage", [f.triage] if f.triage != "hide" else [])
    put("post", [f.post])
    return out
