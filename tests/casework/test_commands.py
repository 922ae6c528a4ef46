"""`yuqing issues advance|show`, `yuqing methods` through the real CLI on a real config and store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from yuqing.cli import main

from ..alerts.test_commands import setup

RUN = [
    ("干部问事", ["visited=一矿掘进队班前会，问了王队长和三名职工"]),
    ("职工说事", ["demand=九月份工资月底前发到卡上"]),
    ("集中议事", ["decision=请财务科核实拨付", "owner_dept=财务科", "due=2099-01-31"]),
    ("及时办事", ["result=工资已补发"]),
    ("定期评事", ["satisfaction=满意", "feedback=钱到了"]),
    ("督促查事", ["recheck=次月回访按时发放", "came_back=否"]),
]


@pytest.fixture
def raised(tmp_path, sink):
    runner, base = setup(tmp_path, sink.port)
    assert runner.invoke(main, [*base, "alerts", "run", "--no-send"]).exit_code == 0
    (line,) = runner.invoke(main, [*base, "issues", "list", "--json"]).output.splitlines()
    return runner, base, json.loads(line)["id"]


def advance(runner, base, iid, step, sets=(), *extra):
    args = [*base, "issues", "advance", str(iid), "--step", step, "--actor", "zhang", *extra]
    for s in sets:
        args += ["--set", s]
    return runner.invoke(main, args)


def test_closing_without_result_and_satisfaction_exits_non_zero_with_one_line(raised):
    runner, base, iid = raised
    r = advance(runner, base, iid, "已办结", ["outcome=合理诉求解决"])
    assert r.exit_code != 0
    (line,) = r.output.strip().splitlines()
    assert line.startswith("错误：") and "result" in line and "satisfaction" in line


def test_a_full_run_through_the_six_steps_closes_with_every_record_kept(raised):
    runner, base, iid = raised
    for step, sets in RUN:
        r = advance(runner, base, iid, step, sets)
        assert r.exit_code == 0, r.output
        assert f"「{step}」已记录" in r.output
    r = advance(runner, base, iid, "已办结", ["outcome=合理诉求解决"])
    assert r.exit_code == 0 and "已办结（合理诉求解决）" in r.output
    shown = json.loads(runner.invoke(main, [*base, "issues", "show", str(iid), "--json"]).output)
    assert shown["status"] == "closed" and shown["step"] == "已办结"
    assert [r["step"] for r in shown["records"]] == [s for s, _ in RUN] + ["已办结"]
    assert all(r["actor"] == "zhang" and r["at"] for r in shown["records"])
    assert shown["records"][2]["fields"] == {"decision": "请财务科核实拨付", "owner_dept": "财务科", "due": "2099-01-31"}
    assert shown["due_at"].startswith("2099-01-31")
    text = runner.invoke(main, [*base, "issues", "show", str(iid)]).output
    assert "说事解事记录：" in text and "职工的诉求（职工自己的话）：九月份工资月底前发到卡上" in text
    again = advance(runner, base, iid, "督促查事", ["recheck=x", "came_back=否"])
    assert again.exit_code != 0 and "已办结" in again.output


def test_not_satisfied_reopens_at_discussion(raised):
    runner, base, iid = raised
    for step, sets in RUN[:4]:
        assert advance(runner, base, iid, step, sets).exit_code == 0
    r = advance(runner, base, iid, "定期评事", ["satisfaction=不满意", "feedback=只发了一半"])
    assert r.exit_code == 0 and "退回「集中议事」" in r.output
    shown = json.loads(runner.invoke(main, [*base, "issues", "show", str(iid), "--json"]).output)
    assert shown["step"] == "集中议事" and shown["status"] == "open"


def test_a_stale_version_or_a_skipped_step_is_refused(raised):
    runner, base, iid = raised
    seen = json.loads(runner.invoke(main, [*base, "issues", "show", str(iid), "--json"]).output)["version"]
    assert advance(runner, base, iid, *RUN[0], "--expect-version", str(seen)).exit_code == 0
    stale = advance(runner, base, iid, *RUN[1], "--expect-version", str(seen))
    assert stale.exit_code != 0 and "已被他人更新，请刷新" in stale.output
    skip = advance(runner, base, iid, *RUN[2])
    assert skip.exit_code != 0 and "现在应记录「职工说事」" in skip.output
    bad = advance(runner, base, iid, "开会")
    assert bad.exit_code != 0 and "可选" in bad.output
    unknown = advance(runner, base, iid, "职工说事", ["wish=x"])
    assert unknown.exit_code != 0 and "没有字段 wish" in unknown.output


def test_methods_json_names_exactly_the_nine():
    r = CliRunner().invoke(main, ["methods", "--json"])
    assert r.exit_code == 0
    got = json.loads(r.output)
    assert [m["name"] for m in got] == ["合理诉求维护法", "家访谈心知情法", "民主恳谈沟通法", "释疑解惑聚力法", "工作激情点燃法",
                                        "文娱活动减压法", "精准帮扶暖心法", "典型培育带动法", "网络舆情沟通法"]
    assert all(m["description"] and m["practice"] for m in got)
    text = CliRunner().invoke(main, ["methods"]).output
    assert "9. 网络舆情沟通法" in text and "九必访、五看清、四了解、十必谈" in text


def _full_run(runner, base, iid, outcome=("outcome=合理诉求解决",)):
    for step, sets in RUN:
        assert advance(runner, base, iid, step, sets).exit_code == 0
    assert advance(runner, base, iid, "已办结", list(outcome)).exit_code == 0


def test_the_ledger_xlsx_opens_with_openpyxl_and_holds_the_matters_records(raised, tmp_path):
    from openpyxl import load_workbook

    runner, base, iid = raised
    _full_run(runner, base, iid)
    out = tmp_path / "台账.xlsx"
    r = runner.invoke(main, [*base, "ledger", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "1 件（办结 1 件），7 条记录" in r.output and out.stat().st_mode & 0o077 == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["工作台账", "记录明细", "统计"]
    ws = wb["工作台账"]
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]]))
    assert row["编号"] == iid and row["单位"].endswith("一矿工会") and row["来源"] == "一矿职工群"
    assert "zhang：一矿掘进队班前会，问了王队长和三名职工" in row["干部问事"]
    assert row["职工说事"].endswith("zhang：九月份工资月底前发到卡上")
    assert "请财务科核实拨付；承办：财务科；期限：2099-01-31" in row["集中议事"]
    assert "工资已补发" in row["及时办事"] and "满意；意见：钱到了" in row["定期评事"]
    assert "反弹：否" in row["督促查事"]
    assert (row["办结分类"], row["职工评议"], row["状态"], row["工作方法"]) == ("合理诉求解决", "满意", "已办结", "合理诉求维护法")
    assert ws.max_row == 4
    steps = [c.value for c in wb["记录明细"]["C"]][1:]
    assert steps == [s for s, _ in RUN] + ["已办结"]
    assert "问了谁、在哪里：一矿掘进队班前会" in wb["记录明细"]["G2"].value
    figures = {r[0].value: r[1].value for r in wb["统计"].iter_rows(min_row=2)}
    assert figures["解决职工群众合理诉求"] == 1 and figures["职工评议满意率"] == "100%"


def test_the_ledger_pdf_is_printable_and_other_suffixes_are_refused(raised, tmp_path):
    from pypdf import PdfReader

    runner, base, iid = raised
    _full_run(runner, base, iid)
    pdf = tmp_path / "ledger.pdf"
    r = runner.invoke(main, [*base, "ledger", "--out", str(pdf), "--year", "2026"])
    assert r.exit_code == 0, r.output
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "说事解事委员会工作台账" in text and "工资已补发" in text
    bad = runner.invoke(main, [*base, "ledger", "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code != 0 and ".xlsx 或 .pdf" in bad.output
    both = runner.invoke(main, [*base, "ledger", "--month", "2026-11", "--year", "2026"])
    assert both.exit_code != 0


def test_scorecard_json_has_every_unit_rolled_up(raised):
    runner, base, iid = raised
    _full_run(runner, base, iid)
    r = runner.invoke(main, [*base, "scorecard", "--json"])
    assert r.exit_code == 0, r.output
    rows = {row["unit"]: row for row in json.loads(r.output)}
    assert set(rows) == {"G", "M1"}
    m1 = rows["M1"]
    assert (m1["closed"], m1["satisfaction_rate"], m1["closed_on_time_rate"], m1["demands_resolved"]) == (1, 1.0, 1.0, 1)
    assert rows["G"]["closed"] == 1 and m1["rank"] == 1 and m1["month"]
    text = runner.invoke(main, [*base, "scorecard"]).output
    assert "考核评价" in text and "解决职工群众合理诉求 1 件次" in text
