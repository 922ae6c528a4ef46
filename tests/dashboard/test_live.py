"""The new-alert badge's bookkeeping and the overview's alert order (a real SQLite store)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from yuqing.auth import CurrentUser
from yuqing.casework.model import Issue
from yuqing.dashboard import live
from yuqing.storage.sqlite import SqliteStore

T = datetime(2026, 11, 2, tzinfo=timezone.utc)


def test_the_badge_counts_issues_raised_in_scope_since_the_user_last_looked(tmp_path, units, sources):
    store = SqliteStore(tmp_path / "live.db")
    store.sync_config(units, sources)
    monitor, cadre = CurrentUser("jiance", "monitor"), CurrentUser("ganbu1", "cadre", "M1", scope=frozenset({"M1"}))
    store.create_issue(Issue(title="旧的", unit="M1"))
    assert live.new_alerts(store, monitor) == (0, 1)  # first look: what is there is not new
    assert live.new_alerts(store, cadre) == (0, 1)
    store.create_issue(Issue(title="二矿", unit="M2", created_at=T - timedelta(days=9)))  # dated on its posts' time
    newest = store.create_issue(Issue(title="一矿新", unit="M1"))
    assert live.new_alerts(store, monitor) == (2, newest)
    assert live.new_alerts(store, cadre) == (1, newest)  # 二矿's is not theirs
    live.mark_seen(store, "jiance", newest)
    live.mark_seen(store, "jiance", 1)  # never moves back
    assert live.new_alerts(store, monitor) == (0, newest) and live.new_alerts(store, cadre)[0] == 1
    assert live.signature(store, {"M1"}) == (newest, 2)
    assert live.badge_text(3) == "新预警 3 条" and live.badge_text(0) == ""
    assert live.page_title("职工网络舆情监测", 2) == "(2) 职工网络舆情监测"
    store.close()


def test_overview_alerts_most_severe_first_then_newest():
    rows = [SimpleNamespace(id=1, severity="low", created_at=T), SimpleNamespace(id=2, severity="high", created_at=T),
            SimpleNamespace(id=3, severity="high", created_at=T + timedelta(hours=1)),
            SimpleNamespace(id=4, severity="medium", created_at=T + timedelta(days=1)),
            SimpleNamespace(id=5, severity="high", created_at=T)]
    assert [i.id for i in live.by_severity_then_time(rows)] == [3, 5, 2, 4, 1]
