import random
import re
from datetime import date

from yuqing.demo import textgen
from yuqing.demo.forum_html import discuz_time, pager, posted
from yuqing.demo.weeks import at


def test_fill_replaces_every_slot_and_honours_overrides():
    rng = random.Random(1)
    text = textgen.fill("{who}说{team}欠了{months}个月，打{phone}", rng, {"who": "老王", "team": ["掘进二队"]})
    assert text.startswith("老王说掘进二队欠了") and "{" not in text
    assert re.search(r"1[3-9]\d[ -]?\d{4}[ -]?\d{4}$", text)


def test_perturb_is_seeded_and_keeps_the_message():
    base = "工资到底发不发，给个准话"
    a = [textgen.perturb(base, random.Random(s), mood="angry") for s in range(200)]
    b = [textgen.perturb(base, random.Random(s), mood="angry") for s in range(200)]
    assert a == b
    assert len(set(a)) > 10  # real variety
    assert sum(t == base for t in a) > 50  # but most messages stay as typed
    assert all("准话" in t for t in a)


def test_repost_variant_is_a_small_edit():
    base = "【扩散】东峪矿掘进二队已经三个月没发工资了！请上级领导关注一下我们这些干活的人！"
    rng = random.Random(3)
    variants = {textgen.repost_variant(base, rng) for _ in range(30)}
    assert base not in variants and len(variants) > 5
    assert all("三个月没发工资" in v for v in variants)


def test_discuz_times_unpadded_and_relative():
    now = at(date(2026, 11, 23), 10)
    old = at(date(2026, 9, 3), 14, 38)
    assert discuz_time(old) == "2026-9-3 14:38" and posted(old, now) == "2026-9-3 14:38"
    yesterday = at(date(2026, 11, 22), 9, 12)
    assert posted(yesterday, now) == '<span title="2026-11-22 09:12">昨天&nbsp;09:12</span>'


def test_pager_marks_current_next_and_total():
    html = pager("forum-2-", ".html", 2, 3)
    assert "<strong>2</strong>" in html and 'href="forum-2-3.html" class="nxt"' in html
    assert '<span title="共 3 页">' in html
    assert pager("forum-2-", ".html", 1, 1) == ""
    assert "nxt" not in pager("forum-2-", ".html", 3, 3)
