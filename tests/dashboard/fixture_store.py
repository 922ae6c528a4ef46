"""A small, fully populated store and config for the dashboard tests (and the browser test).

Units: 集团 G → 一公司 S1 → 一矿 M1 (→ 综采队 M1-ZC) and 二矿 M2. Sources in M1-ZC, M1 and M2
plus one pending chat. ~200 posts with analyses over the last three weeks, two events, three
issues (two in 一矿, one in 二矿), and posts whose text is HTML/script to check escaping.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from yuqing.auth import hash_password
from yuqing.casework.model import Issue
from yuqing.config import load_config
from yuqing.schema import Analysis, Event, Post, Source, SourceKind, Unit, User
from yuqing.storage.sqlite import SqliteStore

from ..pii_spellings import in_context, spellings

#: Phone, ID and card numbers as people write them (40 of them, in 一矿综采队's chat).
PII_SPELLINGS = spellings(9, seed=4)[:40]

PASSWORD = "correct-horse-9"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert('xss')</script>工资呢"
M2_SECRET = "二矿绝密欠薪传闻"
ISSUE_PHONE = "职工反映饭菜太咸，联系人电话 13800001111"
#: One matter in two mines: 一矿's posts say 顶板/支护, 二矿's say 风机房/漏水 — each mine's cadre
#: may see only its own words of it.
MIXED_M1 = ("顶板离层", "锚索")
MIXED_M2 = ("风机房", "漏水")
PHISHING = "工资补发请点 https://pay.evil.example/login 登记 :material/warning: 联系 hr@evil.example"

UNITS = [
    Unit("G", "测试集团工会", "", 1),
    Unit("S1", "一公司工会", "G", 2),
    Unit("M1", "一矿工会", "S1", 3),
    Unit("M1-ZC", "一矿综采队", "M1", 4),
    Unit("M2", "二矿工会", "S1", 3),
]
SOURCES = [
    Source("src-a", "一矿综采队职工群", SourceKind.WECHAT_GROUP, unit="M1-ZC", match=["111@chatroom"]),
    Source("src-f", "一矿论坛", SourceKind.FORUM, unit="M1", url="http://bbs.example/"),
    Source("src-b", "二矿职工群", SourceKind.WECHAT_GROUP, unit="M2", match=["222@chatroom"]),
]
_TEXTS = {
    "wages": ["这个月工资又晚发了", "绩效工资怎么算的没人说清楚", "加班费一直没有到账"],
    "safety": ["井下通风设备老化了", "安全培训走形式", "巷道支护有隐患"],
    "living": ["食堂饭菜太咸了", "澡堂热水不够用", "班车时间改了不方便"],
    "culture": ["周末篮球赛报名了", "职工书屋新到了一批书", "文艺汇演很精彩"],
}


def _config_text(data_dir: Path) -> str:
    h = hash_password(PASSWORD)
    units = "".join(f'[[units]]\ncode = "{u.code}"\nname = "{u.name}"\nparent = "{u.parent}"\nlevel = {u.level}\n\n'
                    for u in UNITS)
    sources = "".join(f'[[sources]]\nid = "{s.id}"\nname = "{s.name}"\nkind = "{s.kind}"\nunit = "{s.unit}"\n\n'
                      for s in SOURCES)
    users = "".join(f'[[users]]\nusername = "{n}"\nrole = "{r}"\nunit = "{u}"\nname = "{nm}"\npassword_hash = "{h}"\n\n'
                    for n, r, u, nm in (("jiance", "monitor", "", "监测员"), ("ganbu1", "cadre", "M1", "一矿干部"),
                                        ("ganbu2", "cadre", "M2", "二矿干部"), ("kan", "viewer", "M1", "只读")))
    return f'data_dir = "{data_dir}"\ntimezone = "Asia/Shanghai"\n\n[dashboard]\nsession_minutes = 30\n\n{units}{sources}{users}'


def build(root: Path, now: datetime | None = None) -> Path:
    """Write ``root/yuqing.toml`` and fill ``root/data/yuqing.db``; returns the config path."""
    now = now or datetime.now(timezone.utc)
    data_dir = root / "data"
    cfg_path = root / "yuqing.toml"
    cfg_path.write_text(_config_text(data_dir), encoding="utf-8")
    cfg = load_config(cfg_path, env={})
    store = SqliteStore(cfg.db_path)
    store.sync_config(cfg.units, cfg.sources)
    store.sync_users(cfg.users)
    store.upsert_source(Source("auto-1", "未知新群", SourceKind.WECHAT_GROUP, status="pending", match=["999@chatroom"]))
    rng = random.Random(6)
    posts, analyses = [], []
    for i in range(200):
        topic = rng.choice(list(_TEXTS))
        src = SOURCES[i % 3]
        text = rng.choice(_TEXTS[topic]) + f"（{i}）"
        if i == 7:
            text = XSS_IMG
        elif i == 10:
            text = XSS_SCRIPT
        elif i == 12:
            text = "电话 13912345678 找我，工资的事"
        elif i == 14:
            text = M2_SECRET
        kind = src.kind
        p = Post(source_id=src.id, source_kind=kind, native_id=str(i), text=text, author=f"职工{i % 9}",
                 created_at=now - timedelta(hours=i * 2.4 + 1), thread_id=f"{src.id}-t{i % 4}")
        posts.append(p)
        neg = topic in ("wages", "safety") and i % 3 != 0
        event = "ev-wages" if topic == "wages" and src.unit.startswith("M1") else (
            "ev-m2" if src.unit == "M2" and topic == "safety" else "")
        analyses.append(Analysis(p.id, "negative" if neg else rng.choice(["neutral", "positive"]),
                                 {"negative": 0.8 if neg else 0.1, "neutral": 0.1, "positive": 0.1 if neg else 0.8},
                                 topic, risk="high" if neg and i % 5 == 0 else ("medium" if neg else "none"),
                                 keywords=[w for w in ("工资", "安全", "食堂", "篮球", "通风") if w in text] or ["其他"],
                                 tokens=_tokens(text), event_id=event, model_version="fixture"))
    store.add_posts([Post(source_id="auto-1", source_kind=SourceKind.WECHAT_GROUP, native_id="u1", text="未分配群的消息",
                          created_at=now - timedelta(hours=3))])
    store.add_posts(posts)
    store.save_analyses(analyses)
    store.upsert_events([
        Event("ev-wages", "一矿工资晚发", ["工资", "晚发"], "wages", "M1", now - timedelta(days=8), now, 30, 20),
        Event("ev-m2", "二矿通风隐患", ["通风", "隐患"], "safety", "M2", now - timedelta(days=5), now, 12, 8),
    ])
    m1_wage = [p.id for p, a in zip(posts, analyses) if a.event_id == "ev-wages"][:5]
    m2_ids = [p.id for p, a in zip(posts, analyses) if a.event_id == "ev-m2"][:5]
    store.create_issue(Issue(title="一矿工资晚发", severity="high", topic="wages", unit="M1", event_id="ev-wages",
                             method="合理诉求维护法", method_reason="涉及工资发放", due_at=now - timedelta(days=1)),
                       m1_wage + [posts[7].id])
    store.create_issue(Issue(title="综采队食堂意见", severity="low", topic="living", unit="M1-ZC", summary=ISSUE_PHONE,
                             due_at=now + timedelta(days=10)), [posts[0].id])
    store.create_issue(Issue(title=M2_SECRET, severity="medium", topic="safety", unit="M2", event_id="ev-m2",
                             due_at=now + timedelta(days=3)), m2_ids + [posts[14].id])
    mixed = []
    for i in range(6):
        src = SOURCES[1] if i % 2 == 0 else SOURCES[2]  # 一矿论坛 (M1) and 二矿职工群 (M2)
        words = MIXED_M1 if src.unit == "M1" else MIXED_M2
        p = Post(source_id=src.id, source_kind=src.kind, native_id=f"mx{i}", author=f"职工{i}",
                 text=f"井下{words[0]}{words[1]}问题一直没解决，安全隐患大（{i}）",
                 created_at=now - timedelta(hours=5 + i), thread_id=f"{src.id}-mx")
        mixed.append((p, Analysis(p.id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05}, "safety",
                                  risk="medium", keywords=list(words), tokens=list(words), event_id="ev-mixed",
                                  model_version="fixture")))
    link = Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id="phish", author="职工X",
                text=PHISHING, created_at=now - timedelta(hours=2))
    store.add_posts([p for p, _ in mixed] + [link])
    store.save_analyses([a for _, a in mixed] + [Analysis(link.id, "neutral", {}, "wages", keywords=["工资"],
                                                          tokens=["工资", "补发"], model_version="fixture")])
    store.upsert_events([Event("ev-mixed", "安全生产：风机房、漏水、顶板离层", ["风机房", "漏水", "顶板离层", "锚索"], "safety", "M1",
                               now - timedelta(hours=11), now - timedelta(hours=5), 6, 6)])
    store.create_issue(Issue(title="一矿工会 · 安全生产：风机房、漏水、顶板离层", severity="high", topic="safety", unit="M1",
                             event_id="ev-mixed", summary="6 条帖子。代表性内容：「井下风机房漏水问题一直没解决」「井下顶板离层锚索问题」",
                             method="合理诉求维护法", method_reason="风机房漏水、顶板离层", due_at=now + timedelta(days=3)),
                       [p.id for p, _ in mixed])
    pii = []
    for i, (digits, spelled) in enumerate(PII_SPELLINGS):
        p = Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id=f"pii{i}", author=f"职工{i}",
                 text="号码 " + in_context(spelled, i), created_at=now - timedelta(hours=1, minutes=i))
        pii.append((p, Analysis(p.id, "neutral", {"negative": 0.1, "neutral": 0.8, "positive": 0.1}, "other",
                                keywords=[digits, "号码"], tokens=["号码", digits], event_id="ev-pii",
                                model_version="fixture")))
    store.add_posts([p for p, _ in pii])
    store.save_analyses([a for _, a in pii])
    store.upsert_events([Event("ev-pii", f"其他：{PII_SPELLINGS[0][1]}、{PII_SPELLINGS[1][1]}",
                               [d for d, _ in PII_SPELLINGS[:6]], "other", "M1-ZC", now - timedelta(hours=2), now,
                               len(pii), 0)])
    store.enqueue_email(dedupe_key="issue:1:new", kind="alert", recipients=["nobody@example.org"],
                        subject="【舆情预警·严重】新议题：一矿工资晚发", body_text="…")
    (bounced,) = store.claim_emails(now + timedelta(minutes=1), "fixture", timedelta(minutes=1))
    store.mark_email_failed(bounced["id"], "550 5.1.1 <nobody@example.org>: No such user", now, permanent=True)
    digests = data_dir / "digests"
    digests.mkdir(parents=True, exist_ok=True)
    (digests / "2026-W47.html").write_text("<html><body><h1>舆情周报 2026-W47</h1></body></html>", encoding="utf-8")
    store.close()
    return cfg_path


def _tokens(text: str) -> list[str]:
    from yuqing.nlp.tokenize import tokenize

    return tokenize(text)


def users_of(cfg_path: Path) -> list[User]:
    return load_config(cfg_path, env={}).users
