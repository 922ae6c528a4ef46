from datetime import datetime, timedelta, timezone

import pytest

from yuqing.casework.model import CLOSED, STEPS, Issue
from yuqing.casework.workflow import advance, due_date, escalate, is_overdue, raise_severity
from yuqing.errors import YuqingError
from yuqing.orgtree import OrgTree
from yuqing.schema import Unit

NOW = datetime(2026, 11, 2, tzinfo=timezone.utc)


def test_steps_then_closed():
    i = Issue(title="t", id=1)
    assert advance(i, STEPS[1], NOW) == "advanced" and i.step == STEPS[1]
    with pytest.raises(YuqingError, match="已经在"):
        advance(i, STEPS[1], NOW)
    with pytest.raises(YuqingError, match="可选"):
        advance(i, "随便", NOW)
    assert advance(i, CLOSED, NOW) == "closed" and i.status == "closed" and i.closed_at == NOW
    with pytest.raises(YuqingError, match="已办结"):
        advance(i, STEPS[0], NOW)


def test_severity_only_rises_and_tightens_deadline():
    i = Issue(title="t", severity="low", due_at=due_date("low", NOW))
    assert not raise_severity(i, "low", NOW)
    assert raise_severity(i, "high", NOW) and i.due_at == NOW + timedelta(days=3)
    assert not raise_severity(i, "medium", NOW) and i.severity == "high"


def test_overdue_escalates_up_and_renews_deadline():
    tree = OrgTree([Unit("G", "集团"), Unit("M1", "一矿", "G")])
    i = Issue(title="t", severity="medium", unit="M1", due_at=NOW - timedelta(hours=1))
    assert is_overdue(i, NOW)
    assert escalate(i, tree, NOW) == "M1" and i.unit == "G" and not is_overdue(i, NOW)
    i.due_at = NOW - timedelta(hours=1)
    assert escalate(i, tree, NOW) is None and i.unit == "G" and i.extra["escalations"] == 2
