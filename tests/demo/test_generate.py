import hashlib
import re
from datetime import date, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from yuqing.config import load_config
from yuqing.demo.generate import generate_demo
from yuqing.demo.weeks import TZ, check_end, default_end, week_number
from yuqing.errors import YuqingError

from .conftest import END
from .readers import all_texts

WAGE_WORDS = re.compile("工资|欠薪|发钱|血汗钱|讨薪|补发")
HIGH_RISK_WORDS = re.compile("堵门|横幅|上访|曝光")
PHONE = re.compile(r"1[3-9]\d[ -]?\d{4}[ -]?\d{4}")


def test_default_end_is_last_sunday_strictly_before_today():
    assert default_end(date(2026, 11, 24)) == date(2026, 11, 22)
    assert default_end(date(2026, 11, 22)) == date(2026, 11, 15)  # a Sunday: the one before
    assert default_end(date(2026, 11, 23)) == date(2026, 11, 22)


def test_end_must_be_a_sunday():
    with pytest.raises(YuqingError, match="星期日"):
        check_end(date(2026, 11, 20))


def test_manifest_weeks(demo):
    assert demo.week7 == "2026-W46"
    assert demo.weeks[-1] == "2026-W47" and len(demo.weeks) == 8
    assert demo.wage_unit == "S1-M2-JJ2"


def test_config_loads_with_units_sources_users(demo):
    cfg = load_config(demo.config_path, env={})
    codes = {u.code for u in cfg.units}
    assert {"G", "S1", "S2", "S1-M2", "S1-M2-JJ2"} <= codes
    assert demo.wage_unit in codes and demo.canteen_unit in codes
    third = [u for u in cfg.units if u.level == 3]
    assert len(third) == 4
    for mine in third:
        assert 2 <= sum(1 for u in cfg.units if u.parent == mine.code) <= 4
    kinds = [s.kind for s in cfg.sources]
    assert 10 <= kinds.count("wechat_group") <= 14
    assert kinds.count("wechat_article") == 2
    forum = next(s for s in cfg.sources if s.kind == "forum")
    assert forum.url == "" and forum.options == {"engine": "discuz"}
    matched = {m for s in cfg.sources for m in s.match}
    assert demo.pending_chat["chat_id"] not in matched and demo.pending_chat["name"] not in matched
    roles = [u.role for u in cfg.users]
    assert roles.count("admin") == 1 and roles.count("monitor") == 1 and roles.count("viewer") == 1
    assert {u.unit for u in cfg.users if u.role == "cadre"} == {u.code for u in third}
    assert all(u.email.endswith("@example.org") for u in cfg.users)
    assert PasswordHasher().verify(cfg.users[1].password_hash, "yuqing-demo")
    assert cfg.smtp.port == 8025 and cfg.smtp.security == "plain"
    top = [r for r in cfg.recipients if r.unit == "G"]
    assert top and top[0].digest and top[0].min_severity == "high"
    assert cfg.data_dir == demo.config_path.parent / "data"


def test_every_listed_file_exists(demo):
    assert len(demo.memotrace_csvs) >= 6 and len(demo.pywxdump_jsons) >= 3
    for p in [demo.config_path, demo.articles_json, *demo.memotrace_csvs, *demo.pywxdump_jsons, *demo.gbk_pages]:
        assert p.is_file(), p
    for p in demo.pywxdump_jsons:
        assert (p.parent / "users.json").is_file()
    for rel in demo.file_counts:
        if not rel.startswith("forum/"):
            assert (demo.out_dir / rel).is_file(), rel
    assert (demo.out_dir / "demo_manifest.json").is_file()


def test_post_counts_per_kind_and_week_match_the_manifest(demo):
    texts = all_texts(demo)
    assert {k: len(v) for k, v in texts.items()} == demo.posts_by_kind
    assert sum(len(v) for v in texts.values()) == demo.total_posts >= 3000
    per_week = [0] * 8
    for items in texts.values():
        for when, _ in items:
            per_week[week_number(when.date(), END) - 1] += 1
    expected = [sum(weeks[i] for weeks in demo.story_posts.values()) for i in range(8)]
    assert per_week == expected
    assert all(t and "{" not in t for items in texts.values() for _, t in items)


def test_story_lines_shape(demo):
    wages = demo.story_posts["wages"]
    assert wages[6] >= 150 and wages[6] > 3 * (wages[4] + wages[5]) and 0 < wages[7] < wages[6]
    assert sum(wages[:4]) == 0 and wages[4] > 0
    canteen = demo.story_posts["canteen"]
    assert 100 <= canteen[2] + canteen[3] <= 180 and canteen[4] < canteen[3]
    assert all(n > 0 for n in demo.story_posts["skills"])
    chatter = sum(demo.story_posts["chatter"])
    assert chatter > sum(sum(v) for k, v in demo.story_posts.items() if k != "chatter")


def test_wage_spike_is_in_the_files(demo):
    """Independent of the generator's bookkeeping: count wage words in the files by week."""
    texts = all_texts(demo)
    by_week = [0] * 8
    for items in texts.values():
        for when, text in items:
            if WAGE_WORDS.search(text):
                by_week[week_number(when.date(), END) - 1] += 1
    assert by_week[6] > 3 * (by_week[4] + by_week[5])
    week7 = [(k, t) for k, items in texts.items() for w, t in items if week_number(w.date(), END) == 7]
    assert any(WAGE_WORDS.search(t) for k, t in week7 if k == "forum")
    assert any(WAGE_WORDS.search(t) for k, t in week7 if k == "wechat_comment")
    assert sum(1 for _, t in week7 if HIGH_RISK_WORDS.search(t)) >= 5
    assert sum(1 for _, t in week7 if PHONE.search(t)) >= 3
    assert demo.wage_week7["high_risk"] >= 5 and demo.wage_week7["repost"] >= 10


def test_wage_posts_in_at_least_three_groups_in_week_7(demo):
    from .readers import memotrace_texts, pywxdump_texts

    groups = 0
    for p in demo.memotrace_csvs + demo.pywxdump_jsons:
        read = memotrace_texts if p.suffix == ".csv" else pywxdump_texts
        if any(week_number(w.date(), END) == 7 and WAGE_WORDS.search(t) for w, t in read(p)):
            groups += 1
    assert groups >= 3


def _digest(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != "demo_manifest.json":
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_deterministic_for_seed_and_end(demo, tmp_path):
    again = generate_demo(tmp_path / "again", end=END, seed=7)
    assert _digest(again.out_dir) == _digest(demo.out_dir)
    assert again.story_posts == demo.story_posts


def test_messages_fall_in_the_eight_weeks(demo):
    first = datetime.combine(END - timedelta(days=55), datetime.min.time(), TZ)
    last = datetime.combine(END + timedelta(days=1), datetime.min.time(), TZ)
    for items in all_texts(demo).values():
        assert all(first <= w < last for w, _ in items)


def test_another_seed_and_end_keep_everything_inside_the_period(tmp_path):
    m = generate_demo(tmp_path, end=date(2026, 3, 1), seed=3)
    assert sum(sum(w) for w in m.story_posts.values()) == m.total_posts >= 3000
    assert m.week7 == "2026-W08"
