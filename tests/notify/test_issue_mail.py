"""Which issue changes become e-mails in the outbox (real store, nothing sent)."""

from datetime import datetime, timedelta, timezone

from yuqing.casework.model import Issue
from yuqing.config import Config
from yuqing.notify.issue_mail import queue_issue_email, queue_rollups
from yuqing.orgtree import OrgTree
from yuqing.schema import Recipient

NOON = datetime(2026, 11, 2, 4, 0, tzinfo=timezone.utc)  # 12:00 Shanghai
EVENING = NOON + timedelta(hours=6)  # 18:00, after the 17:30 roll-up
NIGHT = NOON + timedelta(hours=11)  # 23:00, quiet hours


def soon():
    """The outbox stamps rows with the real clock."""
    return datetime.now(timezone.utc) + timedelta(minutes=1)


def setup(store, units):
    store.sync_config(units, [])
    cfg = Config(units=units, recipients=[Recipient("M1", ["m1@example.org"])])
    return cfg, OrgTree(units)


def new_issue(store, severity, title="议题", at=NOON):
    i = Issue(title=title, severity=severity, unit="M1-ZC", topic="wages", method="合理诉求维护法", created_at=at)
    store.create_issue(i)
    return i


def test_low_severity_waits_for_the_daily_rollup(store, units):
    cfg, tree = setup(store, units)
    low = [new_issue(store, "low", f"一般议题{i}") for i in range(3)]
    assert not queue_issue_email(store, cfg, tree, low[0], "new", posts=[], now=NOON)
    assert queue_rollups(store, cfg, tree, NOON) == 0  # before 17:30
    assert queue_rollups(store, cfg, tree, EVENING) == 1
    assert queue_rollups(store, cfg, tree, EVENING + timedelta(hours=1)) == 0  # once a day
    (mail,) = store.due_emails(soon())
    assert mail["kind"] == "rollup" and "3 个一般议题" in mail["subject"]
    assert all(f"一般议题{i}" in mail["body_text"] for i in range(3))
    new_issue(store, "low", "第二天的议题", at=NOON + timedelta(days=1))
    assert queue_rollups(store, cfg, tree, EVENING + timedelta(days=1)) == 1
    body = store.due_emails(soon())[-1]["body_text"]
    assert "第二天的议题" in body and "一般议题0" not in body


def test_one_mail_per_change_and_quiet_hours(store, units):
    cfg, tree = setup(store, units)
    high, medium = new_issue(store, "high"), new_issue(store, "medium")
    assert queue_issue_email(store, cfg, tree, high, "new", posts=[], now=NIGHT)
    assert not queue_issue_email(store, cfg, tree, high, "new", posts=[], now=NIGHT)  # same change: once
    assert queue_issue_email(store, cfg, tree, medium, "new", posts=[], now=NIGHT)
    assert not queue_issue_email(store, cfg, tree, medium, "posts_added", posts=[], now=NIGHT)
    due_now = {m["issue_id"] for m in store.due_emails(NIGHT + timedelta(seconds=1))}
    assert due_now == {high.id}  # the medium one waits for 07:00
    assert {m["issue_id"] for m in store.due_emails(NIGHT + timedelta(hours=8, seconds=1))} == {high.id, medium.id}
