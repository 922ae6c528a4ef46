"""Excel exports: what the page shows, never a formula, personal data masked unless allowed."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from yuqing.dashboard.export import cell_text, file_name, sheet_title, xlsx_bytes
from yuqing.spreadsheet import defuse

INJECTIONS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
              "\t=1+1", "\r=1+1"]


def cells(data: bytes) -> list[list]:
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_rows_and_header_come_out_as_shown():
    df = pd.DataFrame([{"时间": "2026-11-20 08:00", "单位": "一矿工会", "内容": "食堂饭菜太咸", "帖子": 3}])
    rows = cells(xlsx_bytes({"检索结果": df}, mask=True))
    assert rows == [["时间", "单位", "内容", "帖子"], ["2026-11-20 08:00", "一矿工会", "食堂饭菜太咸", 3]]
    ws = load_workbook(io.BytesIO(xlsx_bytes({"检索结果": df}, mask=True))).active
    assert ws.title == "检索结果" and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D2"


def test_a_note_goes_above_the_header():
    rows = cells(xlsx_bytes({"x": [{"a": 1}]}, mask=False, note="议题清单（导出人：jiance）"))
    assert rows[0][0] == "议题清单（导出人：jiance）" and rows[1] == ["a"] and rows[2] == [1]


def test_nothing_becomes_a_formula():
    df = pd.DataFrame({"内容": INJECTIONS, "作者": INJECTIONS})
    data = xlsx_bytes({"结果": df}, mask=True)
    ws = load_workbook(io.BytesIO(data)).active
    body = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert [c.value for c in body[::2]] == [t.replace("\t", "\t") for t in INJECTIONS]
    assert all(c.data_type == "s" for c in body)
    assert all(c.quotePrefix for c in body)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula element anywhere in the file


def test_the_ledger_workbook_is_defused_too():
    wb = Workbook()
    wb.active.append(["=1+1", "@x", "普通", 5])
    assert defuse(wb) == 2
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    row = [c for c in load_workbook(io.BytesIO(buf.getvalue())).active[1]]
    assert [c.value for c in row] == ["=1+1", "@x", "普通", 5] and row[0].data_type == "s"


def test_personal_data_is_masked_unless_allowed():
    df = pd.DataFrame([{"作者": "13912345678", "内容": "电话 13912345678，身份证 11010519491231002X"}])
    masked = "\n".join(str(v) for r in cells(xlsx_bytes({"r": df}, mask=True)) for v in r)
    shown = "\n".join(str(v) for r in cells(xlsx_bytes({"r": df}, mask=False)) for v in r)
    assert "13912345678" not in masked and "139****5678" in masked and "11010519491231002X" not in masked
    assert "13912345678" in shown


def test_cells_hold_what_xlsx_can_and_numbers_stay_numbers():
    assert cell_text("a\x00b\x1fc", mask=False) == "abc"
    assert cell_text(3, mask=True) == 3 and cell_text(None, mask=True) == "" and cell_text(True, mask=True) == "是"


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    assert sheet_title("考核评价/2026:11*?", taken) == "考核评价_2026_11__"
    assert sheet_title("考核评价/2026:11*?", taken) == "考核评价_2026_11__(2)"
    assert len(sheet_title("很长" * 40, taken)) == 31


@pytest.mark.parametrize("what", ["舆情检索结果", "议题 清单/一矿"])
def test_file_names_say_what_and_when(what):
    from datetime import datetime

    name = file_name(what, datetime(2026, 11, 29, 9, 30))
    assert name.endswith("-20261129-0930.xlsx") and "/" not in name and " " not in name
