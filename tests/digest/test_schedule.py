"""The weekly digest goes out once per week: not before its time, once after it, not again after a
restart, and again the following week."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.digest.conftest import MON, build_world
from yuqing.digest.schedule import (
    MONTHLY_STATE_KEY,
    STATE_KEY,
    due_month,
    due_week,
    send_due_digest,
    send_due_monthly_report,
)

UTC = timezone.utc


def _digests(store) -> list[dict]:
    far = datetime(2100, 1, 1, tzinfo=UTC)
    return [e for e in store.due_emails(far, limit=1000) if e["kind"] == "digest"]


def test_due_week_follows_the_configured_weekday_and_time(world):
    cfg = world.config  # Monday 08:00 Asia/Shanghai
    monday_w48 = MON + timedelta(days=7)
    assert due_week((monday_w48 + timedelta(hours=7, minutes=59)).astimezone(UTC), cfg).label == "2026-W46"
    assert due_week((monday_w48 + timedelta(hours=8)).astimezone(UTC), cfg).label == "2026-W47"
    cfg.digest.weekday, cfg.digest.time = 2, "17:30"
    assert due_week((monday_w48 + timedelta(days=2, hours=17)).astimezone(UTC), cfg).label == "2026-W46"
    assert due_week((monday_w48 + timedelta(days=2, hours=17, minutes=30)).astimezone(UTC), cfg).label == "2026-W47"


def test_sent_once_per_week_across_restarts(tmp_path):
    from yuqing.storage.sqlite import SqliteStore

    w = build_world(tmp_path)
    w.store.set_state(STATE_KEY, "2026-W46")  # last week's went out already
    monday_w48 = MON + timedelta(days=7)
    ticks = [monday_w48 + timedelta(hours=7, minutes=m) for m in range(0, 120, 20)]  # 07:00 … 08:40 local
    results = [send_due_digest(w.store, w.config, now=t.astimezone(UTC)) for t in ticks]
    assert [r is not None for r in results] == [False, False, False, True, False, False]
    sent = _digests(w.store)
    # one e-mail per scope with digest recipients: the group (G) and mine 1 (M1); M2 has digest = false
    assert sorted(e["dedupe_key"] for e in sent) == ["digest:week:2026-W47:G", "digest:week:2026-W47:M1"]
    by_key = {e["dedupe_key"]: e for e in sent}
    assert by_key["digest:week:2026-W47:M1"]["recipients"] == ["m1@example.org"]
    assert by_key["digest:week:2026-W47:G"]["attachments"][0]["filename"] == "weekly-2026-W47-G.pdf"
    w.store.close()

    # the service restarts later that day: nothing new
    again = SqliteStore(tmp_path / "d.db", tokenizer=str.split)
    assert send_due_digest(again, w.config, now=(monday_w48 + timedelta(hours=15)).astimezone(UTC)) is None
    assert len(_digests(again)) == 2
    # the next Monday: the next week's digest, once
    next_monday = monday_w48 + timedelta(days=7, hours=8, minutes=1)
    assert send_due_digest(again, w.config, now=next_monday.astimezone(UTC)) is not None
    assert send_due_digest(again, w.config, now=(next_monday + timedelta(minutes=1)).astimezone(UTC)) is None
    assert sorted(e["dedupe_key"] for e in _digests(again))[-2:] == ["digest:week:2026-W48:G",
                                                                     "digest:week:2026-W48:M1"]
    assert len(_digests(again)) == 4
    again.close()


def test_crash_before_recording_state_does_not_send_twice(world):
    now = (MON + timedelta(days=7, hours=9)).astimezone(UTC)
    assert send_due_digest(world.store, world.config, now=now) is not None
    world.store.set_state(STATE_KEY, "2026-W46")  # as if the state write had been lost
    assert send_due_digest(world.store, world.config, now=now) is not None
    assert len(_digests(world.store)) == 2  # the outbox dedupe key held


def test_bad_schedule_setting_is_a_readable_error(world):
    from yuqing.digest.errors import DigestError

    world.config.digest.time = "8点"
    with pytest.raises(DigestError, match="digest"):
        send_due_digest(world.store, world.config, now=datetime(2026, 11, 24, tzinfo=UTC))


def test_due_month_follows_the_configured_day_and_time(world):
    cfg = world.config  # day 1, 08:00 Asia/Shanghai
    tz = MON.tzinfo
    assert due_month(datetime(2026, 12, 1, 7, 59, tzinfo=tz), cfg).label == "2026-10"
    assert due_month(datetime(2026, 12, 1, 8, 0, tzinfo=tz), cfg).label == "2026-11"
    cfg.digest.monthly_day = 5
    assert due_month(datetime(2026, 12, 4, 23, 0, tzinfo=tz), cfg).label == "2026-10"
    assert due_month(datetime(2026, 12, 5, 8, 0, tzinfo=tz), cfg).label == "2026-11"


def test_monthly_report_once_and_switchable_off(world):
    tz = MON.tzinfo
    world.store.set_state(MONTHLY_STATE_KEY, "2026-10")
    at = datetime(2026, 12, 1, 9, 0, tzinfo=tz).astimezone(UTC)
    assert send_due_monthly_report(world.store, world.config, now=at) == "职工思想动态月报 2026-11：生成 2 份，放入发信队列 2 份"
    assert send_due_monthly_report(world.store, world.config, now=at + timedelta(hours=3)) is None
    keys = sorted(e["dedupe_key"] for e in _digests(world.store))
    assert keys == ["digest:month:2026-11:G", "digest:month:2026-11:M1"]
    world.config.digest.monthly_day = 0
    assert send_due_monthly_report(world.store, world.config, now=datetime(2027, 1, 2, tzinfo=UTC)) is None


def test_bad_monthly_day_is_a_readable_error(world):
    from yuqing.digest.errors import DigestError

    world.config.digest.monthly_day = 31
    with pytest.raises(DigestError, match="monthly_day"):
        send_due_monthly_report(world.store, world.config, now=datetime(2026, 12, 2, tzinfo=UTC))
