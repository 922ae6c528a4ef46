"""Excel (.xlsx) exports of what a page shows: a result list, a matter list, a chart's data. Pure:
tables in, workbook bytes out (openpyxl in memory).

Two guarantees hold for every cell, whoever calls this:

- **No formulas.** A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
  return) is stored as a string with Excel's quote prefix, so neither openpyxl nor Excel nor a CSV
  saved from it turns a worker's post into a formula (CSV/Excel injection).
- **Personal data masked** (:func:`yuqing.pii.mask_pii`) on every text cell unless the user may see
  it (``mask=False``: monitors and admins) — the same rule as the page, applied again on the way out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from ..pii import mask_pii
from ..spreadsheet import FORMULA_START, is_formula_like, put_text_safely

__all__ = ["FORMULA_START", "XLSX_MIME", "cell_text", "file_name", "is_formula_like", "xlsx_bytes"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML (and so .xlsx) cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def cell_text(value, *, mask: bool) -> object:
    """A value as it goes into a cell: numbers stay numbers, text is masked (``mask``) and cleaned of
    characters an .xlsx file cannot hold, anything else becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = _ILLEGAL.sub("", str(value))
    return mask_pii(text) if mask else text


def _rows(table) -> tuple[list[str], list[Sequence]]:
    """Columns and rows of a DataFrame or a list of dicts."""
    if hasattr(table, "columns") and hasattr(table, "itertuples"):
        return [str(c) for c in table.columns], [tuple(r) for r in table.itertuples(index=False, name=None)]
    rows = list(table)
    columns: list[str] = []
    for r in rows:
        columns += [c for c in r if c not in columns]
    return columns, [tuple(r.get(c) for c in columns) for r in rows]


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique worksheet name (31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    title, n = base[:31], 2
    while title in taken:
        suffix = f"({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def xlsx_bytes(sheets: Mapping[str, object], *, mask: bool, note: str = "") -> bytes:
    """A workbook with one sheet per ``sheets`` item (name → DataFrame or list of dicts): a header
    row (bold, frozen, filterable) and the rows; ``note`` (what was exported, when, which filters)
    goes in a first row above the header when given."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F6")
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, table in (sheets.items() or {"数据": []}.items()):
        ws = wb.create_sheet(sheet_title(name, taken))
        columns, rows = _rows(table)
        top = 1
        if note:
            ws.cell(row=1, column=1, value=cell_text(note, mask=mask)).font = Font(italic=True, color="666666")
            top = 2
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(row=top, column=c)
            put_text_safely(cell, cell_text(col, mask=mask))
            cell.font, cell.fill = bold, head_fill
        widths = [min(max(len(str(col)) * 2, 6), 60) for col in columns]
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                shown = cell_text(value, mask=mask)
                put_text_safely(cell, shown)
                if isinstance(shown, str):
                    widths[c - 1] = min(max(widths[c - 1], _width(shown)), 60)
                    if len(shown) > 40:
                        cell.alignment = wrap
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w + 2
        if columns:
            ws.freeze_panes = ws.cell(row=top + 1, column=1)
            ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{top + max(len(rows), 1)}"
    if not wb.worksheets:
        wb.create_sheet("数据")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width(text: str) -> int:
    """Display width in characters (a CJK character is two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.split("\n")[0][:60])


def file_name(what: str, now: datetime, ext: str = "xlsx") -> str:
    """``舆情检索结果-20261129-0930.xlsx``: what was exported and when (local time)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", what).strip("_") or "导出"
    return f"{safe}-{now:%Y%m%d-%H%M}.{ext}"
