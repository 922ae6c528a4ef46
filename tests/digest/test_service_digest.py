"""`yuqing run`'s loop left running across a week boundary queues one digest, not zero or two."""

from datetime import datetime, timedelta, timezone

from tests.digest.conftest import MON, build_world
from yuqing.digest.schedule import MONTHLY_STATE_KEY, STATE_KEY
from yuqing.service import Service


def test_service_ticks_across_the_week_boundary(tmp_path):
    w = build_world(tmp_path)
    w.config.recipients = [r for r in w.config.recipients if r.unit == "G"]  # one scope: one e-mail per week
    w.store.set_state(STATE_KEY, "2026-W46")
    w.store.set_state(MONTHLY_STATE_KEY, "2026-10")  # October's report went out on 1 November
    clock = {"now": (MON + timedelta(days=6, hours=20)).astimezone(timezone.utc)}  # Sunday 20:00 of W47
    svc = Service(w.config, w.store, now=lambda: clock["now"])
    results = []
    for _ in range(8):  # every two hours until Monday 10:00
        results.append(svc.tick().get("weekly_digest", ""))
        clock["now"] += timedelta(hours=2)
    far = datetime(2100, 1, 1, tzinfo=timezone.utc)  # queued e-mails are due from the real clock's now
    digests = [e for e in w.store.due_emails(far, limit=100) if e["kind"] == "digest"]
    assert [e["dedupe_key"] for e in digests] == ["digest:week:2026-W47:G"]
    assert sum(r.startswith("舆情周报 2026-W47：") for r in results) == 1
    assert not any(r.startswith("出错") for r in results)
    w.store.close()


def test_service_sends_the_monthly_report_once_on_its_day(tmp_path):
    w = build_world(tmp_path)
    w.config.recipients = [r for r in w.config.recipients if r.unit == "G"]
    w.store.set_state(STATE_KEY, "2026-W49")  # keep the weekly digest out of this test
    w.store.set_state(MONTHLY_STATE_KEY, "2026-10")
    local = MON.tzinfo
    clock = {"now": datetime(2026, 11, 30, 22, 0, tzinfo=local).astimezone(timezone.utc)}  # Monday 30 Nov 22:00
    svc = Service(w.config, w.store, now=lambda: clock["now"])
    results = []
    for _ in range(8):  # every two hours until 1 December 12:00
        results.append(svc.tick().get("monthly_report", ""))
        clock["now"] += timedelta(hours=2)
    far = datetime(2100, 1, 1, tzinfo=timezone.utc)
    reports = [e for e in w.store.due_emails(far, limit=100) if e["kind"] == "digest"]
    assert [e["dedupe_key"] for e in reports] == ["digest:month:2026-11:G"]
    assert reports[0]["attachments"][0]["filename"] == "monthly-2026-11-G.pdf"
    assert [r.startswith("职工思想动态月报 2026-11：") for r in results] == [False] * 5 + [True] + [False] * 2
    w.store.close()
