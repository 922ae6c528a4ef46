"""`yuqing run`'s loop left running across a week boundary queues one digest, not zero or two."""

from datetime import datetime, timedelta, timezone

from tests.digest.conftest import MON, build_world
from yuqing.digest.schedule import STATE_KEY
from yuqing.service import Service


def test_service_ticks_across_the_week_boundary(tmp_path):
    w = build_world(tmp_path)
    w.config.recipients = [r for r in w.config.recipients if r.unit == "G"]  # one scope: one e-mail per week
    w.store.set_state(STATE_KEY, "2026-W46")
    clock = {"now": (MON + timedelta(days=6, hours=20)).astimezone(timezone.utc)}  # Sunday 20:00 of W47
    svc = Service(w.config, w.store, now=lambda: clock["now"])
    results = []
    for _ in range(8):  # every two hours until Monday 10:00
        results.append(svc.tick().get("weekly_digest", ""))
        clock["now"] += timedelta(hours=2)
    far = datetime(2100, 1, 1, tzinfo=timezone.utc)  # queued e-mails are due from the real clock's now
    digests = [e for e in w.store.due_emails(far, limit=100) if e["kind"] == "digest"]
    assert [e["dedupe_key"] for e in digests] == ["digest:week:2026-W47:G"]
    assert sum(r.startswith("digest 2026-W47") for r in results) == 1
    assert not any(r.startswith("error") for r in results)
    w.store.close()
