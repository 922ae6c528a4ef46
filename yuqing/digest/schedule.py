"""The weekly digest and the monthly report on a schedule: ``yuqing run`` calls
:func:`send_due_digest` and :func:`send_due_monthly_report` every tick.

A week's digest is due once ``now`` (compared in config.tz) has passed the configured weekday and
time after that week (``[digest] weekday``, ``time``; default Monday 08:00 for the week that ended
on Sunday). A month's report is due at the same time of day on ``[digest] monthly_day`` of the
next month (default the 1st; 0 turns the monthly report off). Each is built and queued exactly once
per period, even across restarts: the last period sent is kept in the store's state, and the outbox
refuses a second e-mail with the same dedupe key (covering a crash between queueing and recording
the state). Only the latest due period is sent; one missed while the service was down for longer
is not sent late.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from ..config import Config
from .build import build_digest, digest_recipients, digest_scopes, enqueue_digest
from .errors import DigestError
from .period import Period, month_of, week_of

if TYPE_CHECKING:
    from ..storage.protocols import ReportStore

STATE_KEY = "digest:weekly:last_sent"
MONTHLY_STATE_KEY = "digest:monthly:last_sent"


def _time_of_day(config: Config) -> time:
    try:
        hh, mm = (int(x) for x in config.digest.time.split(":"))
        return time(hh, mm)
    except ValueError:
        raise DigestError(f"[digest] time: {config.digest.time!r}（应为 08:00 这样的时间）") from None


def send_time(period: Period, config: Config) -> datetime:
    """When the digest of ``period`` (a week or a month) is due, as an aware local datetime."""
    at = _time_of_day(config)
    if period.kind == "week":
        if not 0 <= config.digest.weekday <= 6:
            raise DigestError(f"[digest] weekday: {config.digest.weekday}（应为 0=周一 … 6=周日）")
        day = period.end + timedelta(days=config.digest.weekday)
    else:
        if not 1 <= config.digest.monthly_day <= 28:
            raise DigestError(f"[digest] monthly_day: {config.digest.monthly_day}（应为 1 … 28，0 表示不发月报）")
        day = period.end + timedelta(days=config.digest.monthly_day - 1)
    return datetime.combine(day, at, tzinfo=config.tz)


def _due(current: Period, now: datetime, config: Config) -> Period:
    period = current.previous()
    while send_time(period, config) > now:
        period = period.previous()
    return period


def due_week(now: datetime, config: Config) -> Period:
    """The latest week whose send time is not after ``now``."""
    return _due(week_of(now.astimezone(config.tz).date()), now, config)


def due_month(now: datetime, config: Config) -> Period:
    """The latest month whose report's send time is not after ``now``."""
    return _due(month_of(now.astimezone(config.tz).date()), now, config)


def _send_once(store, config: Config, now: datetime, period: Period, state_key: str) -> str | None:
    last = store.get_state(state_key)
    if last is not None and last >= period.label:
        return None
    queued, scopes = 0, digest_scopes(config) or [""]
    for unit in scopes:
        built = build_digest(store, config, period, unit=unit, now=now)
        recipients = digest_recipients(config, unit)
        if recipients and enqueue_digest(store, built, recipients):
            queued += 1
    store.set_state(state_key, period.label)
    return f"{period.name} {period.label}：生成 {len(scopes)} 份，放入发信队列 {queued} 份"


def send_due_digest(store: ReportStore, config: Config, now: datetime) -> str | None:
    """Build and queue the due week's digest(s) once; a one-line summary, or None when nothing was due."""
    return _send_once(store, config, now, due_week(now, config), STATE_KEY)


def send_due_monthly_report(store: ReportStore, config: Config, now: datetime) -> str | None:
    """Build and queue the due month's report(s) once (``monthly_day = 0``: never)."""
    if config.digest.monthly_day == 0:
        return None
    return _send_once(store, config, now, due_month(now, config), MONTHLY_STATE_KEY)
