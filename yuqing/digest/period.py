"""Report periods: ISO weeks (``2026-W47``), calendar months (``2026-11``) and years (``2026``) in
local time. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from .errors import DigestError

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """``kind`` is ``"week"``, ``"month"`` or ``"year"``; ``start`` inclusive, ``end`` exclusive (local dates)."""

    kind: str
    label: str
    start: date
    end: date

    @property
    def title(self) -> str:
        if self.kind == "week":
            last = self.end - timedelta(days=1)
            return f"{self.label}（{self.start:%m月%d日}—{last:%m月%d日}）"
        if self.kind == "year":
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.start.month}月"

    @property
    def name(self) -> str:
        """周报 or 月报 — what the document is called."""
        return "舆情周报" if self.kind == "week" else "职工思想动态月报"

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def since(self, tz: tzinfo) -> datetime:
        """The period's first instant, in UTC."""
        return datetime.combine(self.start, time(), tzinfo=tz).astimezone(timezone.utc)

    def until(self, tz: tzinfo) -> datetime:
        """The instant after the period, in UTC."""
        return datetime.combine(self.end, time(), tzinfo=tz).astimezone(timezone.utc)

    def previous(self) -> Period:
        if self.kind == "week":
            return week_of(self.start - timedelta(days=7))
        if self.kind == "year":
            return year_of(self.start.replace(year=self.start.year - 1))
        return month_of(self.start - timedelta(days=1))


def week_of(d: date) -> Period:
    monday = d - timedelta(days=d.weekday())
    y, w, _ = monday.isocalendar()
    return Period("week", f"{y}-W{w:02d}", monday, monday + timedelta(days=7))


def month_of(d: date) -> Period:
    first = d.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return Period("month", f"{first.year}-{first.month:02d}", first, nxt)


def year_of(d: date) -> Period:
    return Period("year", str(d.year), date(d.year, 1, 1), date(d.year + 1, 1, 1))


def parse_week(text: str) -> Period:
    m = _WEEK.match(text.strip())
    if not m:
        raise DigestError(f"周次格式应为 2026-W47，收到 {text!r}")
    try:
        return week_of(date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1))
    except ValueError:
        raise DigestError(f"没有这一周：{text}") from None


def parse_month(text: str) -> Period:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise DigestError(f"月份格式应为 2026-11，收到 {text!r}")
    return month_of(date(int(m.group(1)), int(m.group(2)), 1))


def parse_year(text: str) -> Period:
    m = _YEAR.match(text.strip())
    if not m or not 2000 <= int(m.group(1)) <= 2099:
        raise DigestError(f"年份格式应为 2026，收到 {text!r}")
    return year_of(date(int(m.group(1)), 1, 1))


def last_full_week(now: datetime, tz: tzinfo) -> Period:
    """The last ISO week that ended before ``now`` (in ``tz``)."""
    return week_of(now.astimezone(tz).date()).previous()


def last_full_month(now: datetime, tz: tzinfo) -> Period:
    return month_of(now.astimezone(tz).date()).previous()
