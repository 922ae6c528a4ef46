"""Property-style: every spelling of a phone, ID or bank-card number (tests/pii_spellings.py) fed
through every output path — the masking itself, issue titles and summaries, alert e-mails (text,
HTML and subject, paragraph breaks included), the daily roll-up, the weekly digest (HTML and text),
`yuqing search`, the 工作台账 (Excel and printable), the dashboard's Excel exports (result lists, matter lists,
chart data) and the 舆情简报 (HTML and PDF text) — comes out unreadable. The dashboard's cards are checked in
tests/dashboard/test_pii_cards.py."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from yuqing.alerts.describe import describe
from yuqing.casework.model import Issue
from yuqing.notify.email import compose_issue_email, compose_rollup
from yuqing.orgtree import OrgTree
from yuqing.pii import find_pii, mask_pii, readable_numbers
from yuqing.schema import Analysis, Post, SourceKind, StoredPost, Unit

from .pii_spellings import NAMED, in_context, spellings

SPELLINGS = spellings()
DIGITS = [d for d, _ in SPELLINGS]
TREE = OrgTree([Unit("G", "集团工会", "", 1), Unit("M1", "一矿工会", "G", 3)])


def shown_html(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def post(i: int, text: str) -> StoredPost:
    from datetime import datetime, timezone

    p = Post(source_id="s", source_kind=SourceKind.WECHAT_GROUP, native_id=str(i), text=text,
             created_at=datetime(2026, 11, 17, 1, i % 60, tzinfo=timezone.utc), author=f"职工{i}")
    a = Analysis(p.id, "negative", {"negative": 0.9, "neutral": 0.05, "positive": 0.05}, "wages", risk="high",
                 keywords=["工资"])
    return StoredPost(post=p, unit="M1", analysis=a)


def test_the_named_spellings_are_found_and_every_generated_one_is_masked():
    for _digits, spelled in NAMED:
        assert find_pii(spelled), spelled
    readable = [(d, s) for i, (d, s) in enumerate(SPELLINGS) if readable_numbers(mask_pii(in_context(s, i)), [d])]
    assert readable == [] and len(SPELLINGS) >= 6 + 4 * 42


@pytest.mark.parametrize("chunk", range(0, len(SPELLINGS), 25))
def test_issue_titles_summaries_and_emails_show_none(chunk):
    batch = SPELLINGS[chunk:chunk + 25]
    posts = [post(i, in_context(s, i)) for i, (_, s) in enumerate(batch, chunk)]
    digits = [d for d, _ in batch]
    for sp in posts:  # one post at a time, so each is quoted in the summary and the e-mail
        d = describe([sp], TREE, rule_severity="high", reasons=["测试"])
        issue = Issue(title=f"{d.title}（{sp.post.text}）", summary=d.summary, severity="high", unit="M1",
                      topic="wages", id=7, method="合理诉求维护法", method_reason=d.method_reason)
        mail = compose_issue_email(issue, [sp], TREE, base_url="http://x", change="new")
        for out in (d.title, d.summary, mail.subject, mail.text, shown_html(mail.html)):
            assert readable_numbers(out, digits) == [], out
    roll = compose_rollup([Issue(title=sp.post.text, id=i, unit="M1", post_count=1) for i, sp in enumerate(posts)],
                          TREE, base_url="http://x", day="2026-11-17")
    for out in (roll.subject, roll.text, shown_html(roll.html)):
        assert readable_numbers(out, digits) == []


def test_paragraph_breaks_never_shift_the_mask_in_an_email():
    """The e-mail collapses whitespace: the mask is computed on what it shows."""
    text = "第一段\n\n\n\n第二段\n\n\n\n\n\n电话 13812345678，身份证 11010519491231002X"
    mail = compose_issue_email(Issue(title="t", id=1, unit="M1"), [post(1, text)], TREE, base_url="http://x",
                               change="new")
    assert "138****5678" in mail.text and "110105********002X" in mail.text
    assert readable_numbers(mail.text, ["13812345678", "11010519491231002X"]) == []


def test_the_digest_shows_none(tmp_path):
    from tests.digest.conftest import MON, build_world
    from yuqing.digest.figures import compute_figures
    from yuqing.digest.period import parse_week
    from yuqing.digest.render import render_html, render_text
    from yuqing.schema import Event

    w = build_world(tmp_path)
    posts = []
    for i, (_, s) in enumerate(SPELLINGS):
        p = Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id=f"pii{i}", text=in_context(s, i),
                 created_at=MON + timedelta(days=2, minutes=i), author=f"职工{i}", likes=100)  # quoted first
        posts.append(p)
    w.store.add_posts(posts)
    w.store.save_analyses(Analysis(p.id, "negative", {"negative": 0.95}, "wages", risk="high", keywords=["工资"],
                                   tokens=["工资"], event_id=f"e_pii{i % 8}") for i, p in enumerate(posts))
    w.store.upsert_events(Event(f"e_pii{k}", f"薪酬待遇：{SPELLINGS[k][1]}", [SPELLINGS[k][1]], "wages", "M1",
                                first_at=MON + timedelta(days=2), last_at=MON + timedelta(days=2, hours=3), size=20,
                                negative=20) for k in range(8))
    for k in range(8, 14):
        w.store.create_issue(Issue(title=f"一矿 · {SPELLINGS[k][1]}", severity="high", unit="M1", topic="wages",
                                   created_at=MON + timedelta(days=2)), [posts[k].id])
    f = compute_figures(w.store, w.config, parse_week("2026-W47"), now=MON + timedelta(days=8))
    out = shown_html(render_html(f)) + "\n" + render_text(f)
    assert out.count("****") >= 8  # the spellings are there, masked: quoted posts, event labels, issue titles
    assert readable_numbers(out, DIGITS) == []
    w.store.close()


def test_yuqing_search_shows_none(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from yuqing.cli import main
    from yuqing.storage.sqlite import SqliteStore

    monkeypatch.setenv("YUQING_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("YUQING_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    with SqliteStore(tmp_path / "yuqing.db") as store:
        store.add_posts(Post(source_id="s", source_kind=SourceKind.WECHAT_GROUP, native_id=str(i),
                             text="号码 " + in_context(s, i), created_at=post(i, "").post.created_at)
                        for i, (_, s) in enumerate(SPELLINGS))
    r = CliRunner().invoke(main, ["search", "号码", "--limit", "500"])
    assert r.exit_code == 0 and "共" in r.output
    assert readable_numbers(r.output, DIGITS) == []
    r = CliRunner().invoke(main, ["search", "号码", "--limit", "500", "--json"])
    assert readable_numbers(r.output, DIGITS) == []


def test_the_ledger_shows_none(tmp_path, sink):
    """The 工作台账: the records cadres type (whom they visited, the workers' demand …) hold phone
    and ID numbers as people write them; the workbook and the printable ledger show none of them."""
    import json

    from openpyxl import load_workbook

    from yuqing.casework.ledger_files import ledger_html
    from yuqing.cli import main
    from yuqing.config import load_config

    from .alerts.test_commands import setup

    runner, base = setup(tmp_path, sink.port)
    assert runner.invoke(main, [*base, "alerts", "run", "--no-send"]).exit_code == 0
    (line,) = runner.invoke(main, [*base, "issues", "list", "--json"]).output.splitlines()
    iid = json.loads(line)["id"]
    batch = SPELLINGS[:30]
    visited = "问了：" + "；".join(in_context(s, i) for i, (_, s) in enumerate(batch[:15]))
    demand = "；".join(in_context(s, i) for i, (_, s) in enumerate(batch[15:], 15))
    for step, sets in (("干部问事", [f"visited={visited}"]), ("职工说事", [f"demand={demand}"])):
        r = runner.invoke(main, [*base, "issues", "advance", str(iid), "--step", step, "--actor", "zhang",
                                 *[a for s in sets for a in ("--set", s)]])
        assert r.exit_code == 0, r.output
    out = tmp_path / "台账.xlsx"
    assert runner.invoke(main, [*base, "ledger", "--out", str(out)]).exit_code == 0
    cells = "\n".join(str(c.value) for ws in load_workbook(out) for row in ws.iter_rows() for c in row
                      if c.value is not None)
    digits = [d for d, _ in batch]
    assert "****" in cells and readable_numbers(cells, digits) == []
    from yuqing.casework.ledger_files import ledger_of
    from yuqing.digest.period import month_of
    from yuqing.storage.sqlite import SqliteStore

    cfg = load_config(base[1], env={})
    with SqliteStore(cfg.db_path) as store:
        issue = store.get_issue(iid)
        ledger = ledger_of(store, cfg, month_of(issue.created_at.astimezone(cfg.tz).date()))
    assert readable_numbers(shown_html(ledger_html(ledger)), digits) == []


def test_the_dashboards_excel_exports_show_none():
    """A result list, a matter list and a chart's data exported by a cadre (masked) hold no number,
    whatever column it is in; a monitor's export keeps them."""
    import io
    from zoneinfo import ZoneInfo

    import pandas as pd
    from openpyxl import load_workbook

    from yuqing.dashboard.export import xlsx_bytes
    from yuqing.dashboard.post_view import posts_frame

    posts = [post(i, in_context(s, i)) for i, (_, s) in enumerate(SPELLINGS)]
    for i, sp in enumerate(posts[:40]):  # an author named by a number
        sp.post.author = SPELLINGS[i][1]
    results = posts_frame(posts, TREE, ZoneInfo("Asia/Shanghai"))
    matters = pd.DataFrame([{"编号": i, "标题": f"一矿 · {s}", "负责人": s} for i, (_, s) in enumerate(SPELLINGS)])
    chart = pd.DataFrame([{"词": s, "本周帖子": 3} for _, s in SPELLINGS])

    def shown(mask: bool) -> str:
        data = xlsx_bytes({"检索结果": results, "议题清单": matters, "图表数据": chart}, mask=mask, note="导出")
        return "\n".join(str(c.value) for ws in load_workbook(io.BytesIO(data)) for row in ws.iter_rows()
                         for c in row if c.value is not None)

    assert shown(True).count("****") >= len(SPELLINGS) and readable_numbers(shown(True), DIGITS) == []
    assert readable_numbers(shown(False), DIGITS)


def test_the_brief_shows_none(tmp_path):
    """The 舆情简报 a cadre downloads: quoted posts, authors, event labels — HTML and PDF text."""
    import subprocess

    from tests.digest.conftest import MON, build_world
    from yuqing.digest.brief import brief_pdf, gather_brief, render_brief_html
    from yuqing.schema import Event
    from yuqing.storage.base import PostQuery

    w = build_world(tmp_path)
    posts = []
    for i, (_, s) in enumerate(SPELLINGS):
        posts.append(Post(source_id="src-a", source_kind=SourceKind.WECHAT_GROUP, native_id=f"pii{i}",
                          text=in_context(s, i), created_at=MON + timedelta(days=2, minutes=i), author=s, likes=100))
    w.store.add_posts(posts)
    w.store.save_analyses(Analysis(p.id, "negative", {"negative": 0.99}, "wages", risk="high", keywords=["工资"],
                                   tokens=["工资"], event_id=f"e_pii{i % 8}") for i, p in enumerate(posts))
    w.store.upsert_events(Event(f"e_pii{k}", f"薪酬待遇：{SPELLINGS[k][1]}", [SPELLINGS[k][1]], "wages", "M1",
                                first_at=MON, last_at=MON + timedelta(days=3), size=20, negative=20) for k in range(8))
    q = PostQuery(since=MON, until=MON + timedelta(days=7))
    brief = gather_brief(w.store, q, title="舆情简报", scope_name="一矿", selection=[("关键词", "工资")],
                         tree=TREE, tz=w.config.tz, show_pii=False)
    html_text = render_brief_html(brief, chart=False)
    out = shown_html(html_text)
    assert out.count("****") >= 8 and readable_numbers(out, DIGITS) == []
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(brief_pdf(html_text))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "舆情简报" in text and readable_numbers(text, DIGITS) == []
    w.store.close()
