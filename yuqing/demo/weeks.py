"""The demo calendar: eight ISO weeks ending on a Sunday, and realistic message times."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import YuqingError

TZ = ZoneInfo("Asia/Shanghai")
WEEKS = 8

#: Relative chat activity per local hour: shift changes at 7–9, lunch, evenings; quiet small hours.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 5, 12, 12, 7, 6, 7, 11, 10, 5, 5, 6, 7, 11, 12, 12, 11, 7, 3)


def default_end(today: date) -> date:
    """The last Sunday strictly before ``today``."""
    return today - timedelta(days=today.weekday() + 1)


def check_end(end: date) -> date:
    if end.weekday() != 6:
        raise YuqingError(f"演示数据的结束日期必须是星期日：{end.isoformat()} 是星期{end.isoweekday()}")
    return end


def week_starts(end: date) -> list[date]:
    """The Mondays of the eight weeks ending on ``end`` (index 0 = week 1)."""
    first = end - timedelta(days=7 * WEEKS - 1)
    return [first + timedelta(days=7 * i) for i in range(WEEKS)]


def iso_week(d: date) -> str:
    """``"2026-W46"`` for any day of that ISO week."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def week_number(d: date, end: date) -> int:
    """1…8 for a day inside the demo period, else 0."""
    first = end - timedelta(days=7 * WEEKS - 1)
    if not first <= d <= end:
        return 0
    return (d - first).days // 7 + 1


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=TZ)


def random_time(rng: random.Random, day: date, hours: tuple[int, ...] = HOUR_WEIGHTS) -> datetime:
    """A local time on ``day`` drawn from the hourly activity profile."""
    hour = rng.choices(range(24), weights=hours)[0]
    return at(day, hour, rng.randrange(60), rng.randrange(60))


def burst(rng: random.Random, start: datetime, n: int, *, max_gap_s: int = 300) -> list[datetime]:
    """``n`` times after ``start``, seconds to minutes apart (a conversation)."""
    out, t = [], start
    for _ in range(n):
        out.append(t)
        t = t + timedelta(seconds=rng.randint(8, max_gap_s))
    return out
