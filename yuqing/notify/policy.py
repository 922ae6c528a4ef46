"""When an alert e-mail may go out: quiet hours, realert window, daily roll-up time. Pure."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from ..errors import ConfigError
from ..schema import Severity

#: Changes that are worth an e-mail; anything else (more posts on an open issue) is not.
MAIL_CHANGES = ("new", "severity", "escalated", "rerouted")


def parse_hhmm(text: str, where: str) -> time:
    try:
        h, m = (int(x) for x in text.strip().split(":"))
        return time(h, m)
    except ValueError:
        raise ConfigError(f"[alerts] {where} = {text!r} 无效：应为 07:30 这样的时刻") from None


def quiet_until(now: datetime, quiet_hours: str, tz: tzinfo) -> datetime | None:
    """The end of the quiet period ``now`` falls in (``"22:00-07:00"``), or None outside it."""
    if not quiet_hours.strip():
        return None
    start_s, _, end_s = quiet_hours.partition("-")
    start, end = parse_hhmm(start_s, "quiet_hours"), parse_hhmm(end_s, "quiet_hours")
    local = now.astimezone(tz)
    t = local.time()
    inside = (start <= t or t < end) if start > end else (start <= t < end)
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if (start > end and t >= start) else local.date()
    return datetime.combine(end_day, end, tzinfo=tz)


def send_after(*, severity: str, change: str, now: datetime, quiet_hours: str, tz: tzinfo,
               last_email: datetime | None, realert: timedelta) -> datetime:
    """When an e-mail about ``change`` may be sent: high severity ignores quiet hours; a change
    other than "new" or "rerouted" (a unit hearing of the matter for the first time) waits until
    ``realert`` has passed since the issue's last e-mail."""
    at = now
    if change not in ("new", "rerouted") and last_email is not None and last_email + realert > at:
        at = last_email + realert
    if severity != Severity.HIGH:
        q = quiet_until(at, quiet_hours, tz)
        if q is not None:
            at = q
    return at


def rollup_due(now: datetime, rollup_time: str, tz: tzinfo, last_day: str | None) -> str | None:
    """The local date (``YYYY-MM-DD``) whose roll-up is due now, or None."""
    local = now.astimezone(tz)
    day = local.date().isoformat()
    if local.time() < parse_hhmm(rollup_time, "daily_rollup_time") or last_day == day:
        return None
    return day
