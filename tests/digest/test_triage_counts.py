"""The weekly digest counts the posts and matters triaged in its week, by mark."""

from __future__ import annotations

from datetime import timedelta

from tests.digest.conftest import MON, WEEK
from yuqing.digest.figures import compute_figures
from yuqing.digest.period import parse_week
from yuqing.digest.render import render_html, render_text

NOW = MON + timedelta(days=8)


def test_digest_counts_triaged_posts_and_matters_by_mark(world):
    this = world.in_week(MON)
    a, b, c = this[0].post.id, this[1].post.id, this[2].post.id
    world.store.set_triage("post", a, "watch", "jiance", at=MON + timedelta(hours=1))
    world.store.set_triage("post", a, "handled", "jiance", at=MON + timedelta(hours=2))
    world.store.set_triage("post", b, "false_alarm", "jiance", at=MON + timedelta(days=1))
    world.store.set_triage("post", c, "ignored", "jiance", at=MON - timedelta(days=1))  # the week before
    world.store.set_triage("event", "e_wage", "watch", "jiance", at=MON + timedelta(days=2))
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    assert f.triage == {"post": {"handled": 1, "false_alarm": 1}, "event": {"watch": 1}}
    assert f.triage_text == "帖子 2 条（已处置 1、误报 1），事件 1 个（关注 1）"
    assert "监测标注（已处置、误报、忽略、关注）：帖子 2 条（已处置 1、误报 1），事件 1 个（关注 1）" in render_html(f)
    assert "监测标注：帖子 2 条（已处置 1、误报 1），事件 1 个（关注 1）。" in render_text(f)


def test_a_week_without_triage_says_so(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    assert f.triage == {"post": {}, "event": {}} and "本期没有标注" in render_text(f)
