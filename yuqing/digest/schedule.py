"""The weekly digest on a schedule: ``yuqing run`` calls :func:`send_due_digest` every tick.

A week's digest is due once ``now`` (compared in config.tz) has passed the configured weekday and
time after that week (``[digest] weekday``, ``time``; default Monday 08:00 for the week that ended
on Sunday). It is built and queued exactly once per week, even across restarts: the last week
sent is kept in the store's state, and the outbox refuses a second e-mail with the same dedupe key
(covering a crash between queueing and recording the state). Only the latest due week is sent; a
digest missed while the service was down for longer is not sent late.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ..config import Config
from .build import build_digest, digest_recipients, digest_scopes, enqueue_digest
from .errors import DigestError
from .period import Period, week_of

STATE_KEY = "digest:weekly:last_sent"


def send_time(period: Period, config: Config) -> datetime:
    """When the digest of ``period`` (a week) is due, as an aware local datetime."""
    try:
        hh, mm = (int(x) for x in config.digest.time.split(":"))
        at = time(hh, mm)
    except ValueError:
        raise DigestError(f"[digest] time: {config.digest.time!r}（应为 08:00 这样的时间）") from None
    if not 0 <= config.digest.weekday <= 6:
        raise DigestError(f"[digest] weekday: {config.digest.weekday}（应为 0=周一 … 6=周日）")
    day = period.end + timedelta(days=config.digest.weekday)
    return datetime.combine(day, at, tzinfo=config.tz)


def due_week(now: datetime, config: Config) -> Period:
    """The latest week whose send time is not after ``now``."""
    week = week_of(now.astimezone(config.tz).date()).previous()
    while send_time(week, config) > now:
        week = week.previous()
    return week


def send_due_digest(store, config: Config, now: datetime) -> str | None:
    """Build and queue the due week's digest(s) once; a one-line summary, or None when nothing was due."""
    week = due_week(now, config)
    last = store.get_state(STATE_KEY)
    if last is not None and last >= week.label:
        return None
    queued, scopes = 0, digest_scopes(config) or [""]
    for unit in scopes:
        built = build_digest(store, config, week, unit=unit, now=now)
        recipients = digest_recipients(config, unit)
        if recipients and enqueue_digest(store, built, recipients):
            queued += 1
    store.set_state(STATE_KEY, week.label)
    return f"digest {week.label}: {len(scopes)} built, {queued} queued"
