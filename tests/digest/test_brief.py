"""舆情简报 from a selection: its figures are the store's for exactly that selection, within the
reader's units; user text is escaped; the PDF is a PDF with the Chinese in it."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from yuqing.digest.brief import gather_brief, render_brief_html
from yuqing.orgtree import OrgTree
from yuqing.storage.base import PostQuery

from .conftest import MON, PHONE, TZ, UNITS

TREE = OrgTree(UNITS)
WEEK = dict(since=MON, until=MON + timedelta(days=7))


def brief_of(world, q: PostQuery, show_pii: bool = True):
    return gather_brief(world.store, q, title="舆情简报", scope_name="测试", selection=[("话题", "全部")], tree=TREE,
                        tz=TZ, show_pii=show_pii, source_names={"src-a": "一矿职工群", "src-b": "二矿职工群"})


def test_the_figures_are_the_selections(world):
    rows = world.in_week(MON)
    b = brief_of(world, PostQuery(**WEEK))
    assert b.total == len(rows) and b.negative == sum(r.sentiment == "negative" for r in rows)
    assert b.high_risk == sum(r.risk == "high" for r in rows)
    assert sum(d.total for d in b.days) == b.total
    assert {t.name: t.total for t in b.topics} == {"薪酬待遇": 10, "生活后勤": 8}
    assert all(p.at[:10] >= "2026-11-16" for p in b.posts) and len(b.posts) == 8
    assert b.posts[0].tags.startswith("负面") and "风险" in b.posts[0].tags  # high risk first
    narrow = brief_of(world, PostQuery(**WEEK, topics=("living",)))
    assert narrow.total == 8 and [t.name for t in narrow.topics] == ["生活后勤"]
    assert "讨论最多的话题是「生活后勤」" in narrow.summary


def test_a_unit_scope_sees_only_its_units(world):
    b = brief_of(world, PostQuery(**WEEK, units={"M2"}), show_pii=False)
    assert b.total == 8 and {u.name for u in b.units} == {"二矿工会"}
    html = render_brief_html(b, chart=False)
    assert "一矿" not in html and "工资" not in html


def test_user_text_is_escaped_and_numbers_masked(world):
    html = render_brief_html(brief_of(world, PostQuery(**WEEK), show_pii=False), chart=False)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert PHONE not in html and "139****5678" in html
    assert "<td>话题</td><td>全部</td>" in html


def test_the_pdf_holds_the_brief(world, tmp_path):
    from yuqing.digest.brief import brief_pdf

    b = brief_of(world, PostQuery(**WEEK))
    pdf = brief_pdf(render_brief_html(b))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "舆情简报" in text and "代表性帖子" in text and f"{b.total}" in text
