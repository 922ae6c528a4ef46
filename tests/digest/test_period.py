from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from yuqing.digest.errors import DigestError
from yuqing.digest.period import last_full_month, last_full_week, parse_month, parse_week

TZ = ZoneInfo("Asia/Shanghai")


def test_week_bounds_and_previous():
    w = parse_week("2026-W47")
    assert (w.start, w.end) == (date(2026, 11, 16), date(2026, 11, 23))
    assert w.previous().label == "2026-W46"
    assert parse_week("2026-W01").previous().label == "2025-W52"
    # local midnight in Shanghai is 16:00 UTC the day before
    assert w.since(TZ) == datetime(2026, 11, 15, 16, 0, tzinfo=timezone.utc)


def test_month_bounds_and_previous():
    m = parse_month("2026-01")
    assert (m.start, m.end) == (date(2026, 1, 1), date(2026, 2, 1))
    assert m.previous().label == "2025-12"
    assert len(parse_month("2026-02").days) == 28


def test_last_full_period_uses_local_time():
    # Monday 00:30 in Shanghai is still Sunday in UTC: the last full week is the one that just ended
    now = datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc)
    assert last_full_week(now, TZ).label == "2026-W47"
    assert last_full_week(now, timezone.utc).label == "2026-W46"
    assert last_full_month(now, TZ).label == "2026-10"


@pytest.mark.parametrize("bad", ["2026-47", "W47", "2026-W60"])
def test_bad_week_is_a_readable_error(bad):
    with pytest.raises(DigestError):
        parse_week(bad)


def test_bad_month_is_a_readable_error():
    with pytest.raises(DigestError, match="2026-11"):
        parse_month("2026-13")
