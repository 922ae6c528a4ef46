"""Writing text into spreadsheet cells so it stays text: no worker's post, title or record becomes a
formula (CSV/Excel injection). Used by every workbook yuqing writes (exports, the 工作台账)."""

from __future__ import annotations

#: What makes a spreadsheet read a cell as a formula or a command.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def put_text_safely(cell, value) -> None:
    """Write ``value`` into an openpyxl cell; text is stored as text (openpyxl would read a leading
    ``=`` as a formula) and text that looks like a formula gets Excel's quote prefix, so Excel keeps
    it text when someone edits the cell or saves the sheet as CSV."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True


def defuse(workbook) -> int:
    """Every text cell of ``workbook`` that openpyxl took for a formula, or that looks like one, made
    text again (see :func:`put_text_safely`); the number of cells changed."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    put_text_safely(cell, cell.value if isinstance(cell.value, str) else str(cell.value))
                    changed += 1
    return changed
