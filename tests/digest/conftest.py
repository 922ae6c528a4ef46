"""A small known world for the digest: two mines, two weeks of analysed posts, an event and issues.

``DigestWorld.posts`` keeps what was stored, so tests compute the expected figures themselves
from the fixture's own records instead of hard-coding results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from yuqing.casework.model import Issue
from yuqing.config import Config, DashboardConfig
from yuqing.schema import Analysis, Event, Post, Recipient, Source, SourceKind, Unit

TZ = ZoneInfo("Asia/Shanghai")
WEEK = "2026-W47"  # Mon 2026-11-16 … Sun 2026-11-22
MON = datetime(2026, 11, 16, tzinfo=TZ)
PHONE = "13912345678"

UNITS = [Unit("G", "测试集团工会", "", 1), Unit("S1", "一公司工会", "G", 2),
         Unit("M1", "一矿工会", "S1", 3), Unit("M2", "二矿工会", "S1", 3)]
SOURCES = [Source("src-a", "一矿职工群", SourceKind.WECHAT_GROUP, unit="M1"),
           Source("src-b", "二矿职工群", SourceKind.WECHAT_GROUP, unit="M2")]


@dataclass
class Row:
    """One stored post and its analysis, as the fixture made them."""

    post: Post
    unit: str
    sentiment: str
    topic: str
    risk: str
    keywords: list[str]
    event_id: str = ""


@dataclass
class DigestWorld:
    config: Config
    store: object
    rows: list[Row] = field(default_factory=list)
    issues: dict[str, int] = field(default_factory=dict)

    def in_week(self, monday: datetime) -> list[Row]:
        return [r for r in self.rows if monday <= r.post.created_at < monday + timedelta(days=7)]


def _add(world: DigestWorld, i: int, when: datetime, source: str, text: str, sentiment: str, topic: str,
         risk: str = "none", keywords=(), event_id: str = "") -> None:
    unit = next(s.unit for s in SOURCES if s.id == source)
    post = Post(source_id=source, source_kind=SourceKind.WECHAT_GROUP, native_id=str(i), text=text,
                created_at=when, author=f"职工{i}", likes=i % 5)
    world.rows.append(Row(post, unit, sentiment, topic, risk, list(keywords), event_id))


def build_world(tmp_path) -> DigestWorld:
    from yuqing.storage.sqlite import SqliteStore

    cfg = Config(data_dir=tmp_path / "data", units=list(UNITS), sources=list(SOURCES),
                 dashboard=DashboardConfig(base_url="http://dash.example:8501"),
                 recipients=[Recipient(unit="G", emails=["lingdao@example.org"], digest=True),
                             Recipient(unit="M1", emails=["m1@example.org"], digest=True),
                             Recipient(unit="M2", emails=["m2@example.org"], digest=False)])
    store = SqliteStore(tmp_path / "d.db", tokenizer=lambda s: s.split())
    store.sync_config(cfg.units, cfg.sources)
    w = DigestWorld(cfg, store)
    prev = MON - timedelta(days=7)
    n = 0
    # this week: a wage-arrears wave at mine 1, canteen talk at mine 2
    for k in range(10):
        n += 1
        neg = k < 6
        _add(w, n, MON + timedelta(days=1, hours=9 + k), "src-a",
             f"工资又拖欠了第{k}次，联系我 {PHONE}" if k == 0 else f"这个月工资还没发，欠薪第{k}天",
             "negative" if neg else "neutral", "wages", "high" if k < 2 else "none", ["欠薪", "工资"], "e_wage")
    for k in range(4):
        n += 1
        _add(w, n, MON + timedelta(days=3, hours=11, minutes=k), "src-b", f"食堂饭菜涨价了{k}",
             "negative" if k == 0 else "positive", "living", keywords=["食堂"], event_id="e_canteen")
    for k in range(3):
        n += 1
        _add(w, n, MON + timedelta(days=5, hours=8, minutes=k), "src-b", f"井口班车又晚点了{k}", "negative", "living",
             keywords=["班车"], event_id="e_bus")
    n += 1
    _add(w, n, MON + timedelta(days=4, hours=20), "src-b", "<script>alert('x')</script>食堂", "negative", "living",
         "high", keywords=["食堂"])
    # previous week
    for k in range(3):
        n += 1
        _add(w, n, prev + timedelta(days=2, hours=10 + k), "src-a", f"工资条看不懂{k}",
             "negative" if k == 0 else "neutral", "wages", keywords=["工资"])
    for k in range(2):
        n += 1
        _add(w, n, prev + timedelta(days=5, hours=12 + k), "src-b", f"食堂不错{k}", "positive", "living",
             keywords=["食堂"])
    store.add_posts(r.post for r in w.rows)
    store.save_analyses(
        Analysis(r.post.id, r.sentiment, {"negative": 0.9 if r.sentiment == "negative" else 0.1}, r.topic,
                 risk=r.risk, keywords=r.keywords, tokens=list(r.keywords), event_id=r.event_id) for r in w.rows)
    wage_posts = [r.post.id for r in w.rows if r.event_id == "e_wage"]
    canteen_posts = [r.post.id for r in w.rows if r.event_id == "e_canteen"]
    store.upsert_events([Event("e_bus", "二矿班车晚点", ["班车"], "living", "M2", first_at=MON + timedelta(days=5, hours=8),
                               last_at=MON + timedelta(days=5, hours=9), size=3, negative=3),
                         Event("e_canteen", "二矿食堂涨价", ["食堂"], "living", "M2",
                               first_at=MON + timedelta(days=3, hours=11), last_at=MON + timedelta(days=3, hours=12),
                               size=4, negative=1)])
    store.upsert_events([Event("e_wage", "一矿工资拖欠", ["欠薪"], "wages", "M1", first_at=MON + timedelta(days=1, hours=9),
                               last_at=MON + timedelta(days=1, hours=18), size=10, negative=6)])
    utc = timezone.utc
    w.issues["wage"] = store.create_issue(Issue(
        title=f"一矿欠薪（联系人 {PHONE}）", severity="high", topic="wages", unit="M1", event_id="e_wage",
        step="集中议事", method="合理诉求维护法", created_at=(MON + timedelta(days=1, hours=12)).astimezone(utc),
        due_at=(MON + timedelta(days=4, hours=12)).astimezone(utc)), wage_posts)
    w.issues["canteen"] = store.create_issue(Issue(
        title="二矿食堂涨价", severity="low", topic="living", unit="M2", method="民主恳谈沟通法", status="closed",
        step="督促查事", created_at=(MON + timedelta(days=3, hours=12)).astimezone(utc),
        due_at=(MON + timedelta(days=18)).astimezone(utc), closed_at=(MON + timedelta(days=5)).astimezone(utc)), canteen_posts)
    w.issues["old"] = store.create_issue(Issue(
        title="二矿班车", severity="medium", topic="living", unit="M2", method="合理诉求维护法",
        created_at=(prev - timedelta(days=5)).astimezone(utc), due_at=(prev + timedelta(days=2)).astimezone(utc)))
    w.issues["health"] = store.create_issue(Issue(
        title="数据源停更", kind="source_health", unit="M1", created_at=(MON + timedelta(days=2)).astimezone(utc)))
    return w


@pytest.fixture
def world(tmp_path):
    w = build_world(tmp_path)
    yield w
    w.store.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The W47 digest of the whole organisation, built once per test module."""
    from yuqing.digest.build import build_digest
    from yuqing.digest.period import parse_week

    w = build_world(tmp_path_factory.mktemp("built"))
    b = build_digest(w.store, w.config, parse_week(WEEK), now=MON + timedelta(days=8))
    yield w, b
    w.store.close()
