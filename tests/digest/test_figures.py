from collections import Counter
from datetime import timedelta, timezone

import pytest

from tests.digest.conftest import MON, PHONE, WEEK
from yuqing.casework.model import CLOSED
from yuqing.digest.analysis import ATTENTION_MARGIN_POINTS, ATTENTION_MIN_POSTS, written_analysis
from yuqing.digest.errors import DigestError
from yuqing.digest.figures import EMERGING_MIN_POSTS, compute_figures
from yuqing.digest.period import parse_month, parse_week
from yuqing.schema import TOPICS

NOW = MON + timedelta(days=8)


def test_headlines_match_the_stored_posts(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    this, prev = world.in_week(MON), world.in_week(MON - timedelta(days=7))
    assert f.headline("posts").value == len(this)
    assert f.headline("posts").previous == len(prev)
    neg = sum(r.sentiment == "negative" for r in this)
    assert f.headline("negative").value == neg
    assert f.headline("negative_share").value == pytest.approx(100 * neg / len(this))
    assert f.headline("high_risk").value == sum(r.risk == "high" for r in this)
    assert sum(d.total for d in f.days) == len(this)
    assert [d.day for d in f.days][0] == "2026-11-16" and len(f.days) == 7


def test_topics_units_and_events_match(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    this = world.in_week(MON)
    by_topic = Counter(r.topic for r in this)
    assert {t.code: t.total for t in f.topics} == dict(by_topic)
    assert f.topics[0].label == TOPICS[by_topic.most_common(1)[0][0]]
    assert {u.code: u.total for u in f.units} == dict(Counter(r.unit for r in this))
    top = f.hot_issues[0]
    assert top.issue.id == world.issues["wage"] and top.issue.step == "集中议事" and top.issue.overdue
    assert top.posts == sum(r.event_id == "e_wage" for r in this)
    assert top.negative == sum(r.event_id == "e_wage" and r.sentiment == "negative" for r in this)
    assert f"issue={world.issues['wage']}" in top.issue.link
    assert len(top.daily) == 7 and sum(top.daily) == top.posts and top.daily[1] == top.posts  # all on Tuesday
    assert [h.issue.id for h in f.hot_issues] == [world.issues["wage"], world.issues["canteen"]]
    # events an issue covers are counted with the issue; the rest are listed as events
    assert [(e.id, e.posts, e.is_new) for e in f.events] == [("e_bus", sum(r.event_id == "e_bus" for r in this), True)]
    for u in f.units:
        assert sum(u.daily_negative) == u.negative == sum(r.sentiment == "negative" for r in this if r.unit == u.code)
    assert f"issue={world.issues['wage']}" in top.issue.link


def test_samples_are_masked_and_linked(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    texts = [p.text for t in f.topics for p in t.samples]
    assert any("139****5678" in t for t in texts)
    assert not any(PHONE in t for t in texts)
    assert all(PHONE not in i.title for i in f.issues.raised)
    ids = {r.post.id for r in world.rows}
    assert all(p.id in ids and p.id in p.link for t in f.topics for p in t.samples)


def test_issue_section(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    iss = f.issues
    assert {i.id for i in iss.raised} == {world.issues["wage"], world.issues["canteen"]}
    assert [i.id for i in iss.resolved] == [world.issues["canteen"]]
    assert {i.id for i in iss.overdue} == {world.issues["wage"], world.issues["old"]}
    steps = {s: ids for s, _, ids in iss.steps}
    assert steps[CLOSED] == [world.issues["canteen"]] and world.issues["wage"] in steps["集中议事"]
    assert iss.methods[0][:2] == ("合理诉求维护法", 2)
    assert f.headline("raised").value == 2 and f.headline("overdue").previous == 1


def test_emerging_terms_are_new_this_period(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), now=NOW)
    now_terms = Counter(k for r in world.in_week(MON) for k in r.keywords)
    before = {k for r in world.rows if r.post.created_at < MON for k in r.keywords}
    expected = {t: n for t, n in now_terms.items() if n >= EMERGING_MIN_POSTS and t not in before}
    assert {t.term: t.posts for t in f.emerging_terms} == expected
    assert "欠薪" in expected and "食堂" not in expected  # the fixture has both kinds


def test_unit_scope_limits_everything(world):
    f = compute_figures(world.store, world.config, parse_week(WEEK), unit="M2", now=NOW)
    this = [r for r in world.in_week(MON) if r.unit == "M2"]
    assert f.headline("posts").value == len(this)
    assert [h.issue.id for h in f.hot_issues] == [world.issues["canteen"]]
    assert {i.id for i in f.issues.raised} == {world.issues["canteen"]}
    assert f.scope_name == "二矿工会"
    with pytest.raises(DigestError, match="X9"):
        compute_figures(world.store, world.config, parse_week(WEEK), unit="X9", now=NOW)


def test_monthly_analysis_is_driven_by_the_figures(world):
    f = compute_figures(world.store, world.config, parse_month("2026-11"), now=NOW)
    text = "\n".join(s.text for s in written_analysis(f))
    assert f"职工发帖 {len(world.rows)} 条" in text
    assert f"议题 #{world.issues['wage']}「一矿欠薪（联系人 139****5678）」" in text and "集中议事" in text
    assert "二矿班车晚点" in text  # the event no issue covers yet
    rows = world.rows
    overall = 100 * sum(r.sentiment == "negative" for r in rows) / len(rows)
    expected = set()
    for unit in {r.unit for r in rows}:
        mine = [r for r in rows if r.unit == unit]
        if len(mine) >= ATTENTION_MIN_POSTS and 100 * sum(r.sentiment == "negative" for r in mine) / len(mine) \
                >= overall + ATTENTION_MARGIN_POINTS:
            expected.add(unit)
    named = {u.code for u in f.units if f"{u.name}（负面" in text}
    assert named == expected


def test_units_far_above_the_whole_are_named(world):
    f = compute_figures(world.store, world.config, parse_month("2026-11"), now=NOW)
    m1 = next(u for u in f.units if u.code == "M1")
    m1.negative = m1.total  # every post of mine 1 negative: far above the whole
    text = "\n".join(s.text for s in written_analysis(f))
    assert f"一矿工会（负面 {m1.total}/{m1.total} 条" in text and "二矿工会（负面" not in text


def test_overdue_is_judged_now_for_a_period_not_over(world):
    from yuqing.casework.model import Issue

    due = (NOW + timedelta(days=3)).astimezone(timezone.utc)  # after now, before the month ends
    late = world.store.create_issue(Issue(title="二矿澡堂", unit="M2", created_at=NOW - timedelta(days=1), due_at=due))
    month = compute_figures(world.store, world.config, parse_month("2026-11"), now=NOW)
    assert late in {i.id for i in month.issues.raised} and late not in {i.id for i in month.issues.overdue}
    after = compute_figures(world.store, world.config, parse_month("2026-11"), now=NOW + timedelta(days=30))
    assert late in {i.id for i in after.issues.overdue}


def test_unassigned_posts_are_not_a_unit_needing_attention(world):
    f = compute_figures(world.store, world.config, parse_month("2026-11"), now=NOW)
    f.units[0].code, f.units[0].name, f.units[0].negative = "", "未分配", f.units[0].total
    assert "未分配（负面" not in "\n".join(s.text for s in written_analysis(f))


def test_the_monthly_report_gives_the_committee_figures_in_the_article_s_form(world):
    from yuqing.digest.render import render_html, render_text

    store = world.store
    canteen = store.get_issue(world.issues["canteen"])
    rated = (MON + timedelta(days=4, hours=20)).astimezone(timezone.utc)
    store.update_issue(canteen, actor="ganbu2", action="recorded", step="定期评事", at=rated,
                       data={"fields": {"satisfaction": "满意"}})
    store.update_issue(canteen, actor="ganbu2", action="closed", step=CLOSED, at=canteen.closed_at,
                       data={"fields": {"outcome": "办实事"}})
    month = compute_figures(store, world.config, parse_month("2026-11"), now=NOW)
    cw = month.casework
    assert cw.figures_text == ("开展职工思想教育 0 人次，解决职工群众合理诉求 0 件次，帮扶困难职工 0 人次，"
                               "为职工办实事 1 件次，收集职工意见建议 0 条")
    assert (cw.total.unit, cw.total.closed, cw.total.satisfaction_rate) == ("G", 1, 1.0)
    assert [u.unit for u in cw.units] == ["G", "S1", "M1", "M2"]  # units with matters, the tree's order
    text = "\n".join(s.text for s in written_analysis(month))
    assert "本月说事解事委员会开展职工思想教育 0 人次，解决职工群众合理诉求 0 件次" in text
    assert "为职工办实事 1 件次" in text and "职工评议满意率 100%" in text
    html = render_html(month)
    assert "说事解事委员会工作情况与考核评价" in html and "各级说事解事委员会开展职工思想教育 0 人次" in html
    assert "为职工办实事 1 件次" in render_text(month)
    assert compute_figures(store, world.config, parse_week(WEEK), now=NOW).casework is None
    scoped = compute_figures(store, world.config, parse_month("2026-11"), unit="M1", now=NOW).casework
    assert scoped.total.unit == "M1" and [u.unit for u in scoped.units] == ["M1"]
