from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from yuqing.notify.policy import quiet_until, rollup_due, send_after
from yuqing.notify.recipients import recipients_for
from yuqing.orgtree import OrgTree
from yuqing.schema import Recipient, Unit

SH = ZoneInfo("Asia/Shanghai")


def at(h, m=0, day=2):
    return datetime(2026, 11, day, h, m, tzinfo=SH)


def test_quiet_hours_across_midnight():
    assert quiet_until(at(23), "22:00-07:00", SH) == at(7, day=3)
    assert quiet_until(at(3), "22:00-07:00", SH) == at(7)
    assert quiet_until(at(12), "22:00-07:00", SH) is None
    assert quiet_until(at(13), "12:00-14:00", SH) == at(14)
    assert quiet_until(at(13), "", SH) is None


def test_high_severity_ignores_quiet_hours_and_realert_delays_changes():
    kw = dict(now=at(23), quiet_hours="22:00-07:00", tz=SH, realert=timedelta(hours=4))
    assert send_after(severity="high", change="new", last_email=None, **kw) == at(23)
    assert send_after(severity="medium", change="new", last_email=None, **kw) == at(7, day=3)
    noon = dict(kw, now=at(12))
    assert send_after(severity="high", change="severity", last_email=at(11), **noon) == at(15)
    assert send_after(severity="high", change="severity", last_email=at(6), **noon) == at(12)


def test_rollup_once_a_day_after_its_time():
    assert rollup_due(at(17), "17:30", SH, None) is None
    assert rollup_due(at(18), "17:30", SH, None) == "2026-11-02"
    assert rollup_due(at(18), "17:30", SH, "2026-11-02") is None


def test_recipients_walk_up_the_tree_with_min_severity():
    tree = OrgTree([Unit("G", "集团"), Unit("M1", "一矿", "G"), Unit("M2", "二矿", "G")])
    rs = [Recipient("M1", ["m1@x"]), Recipient("G", ["g@x"], "high"), Recipient("M2", ["m2@x"]),
          Recipient("", ["monitor@x"], "medium")]
    assert recipients_for("M1", "low", rs, tree) == ["m1@x"]
    assert recipients_for("M1", "high", rs, tree) == ["m1@x", "g@x", "monitor@x"]
    assert recipients_for("G", "medium", rs, tree) == ["monitor@x"]
