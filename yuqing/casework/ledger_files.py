"""The 工作台账 and the 考核 figures read from the store, and the ledger written as files: an Excel
workbook (openpyxl) and a printable PDF (HTML → WeasyPrint, as the digests). The IO side of
:mod:`.ledger` and :mod:`.scorecard`."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..digest.period import Period, month_of
from ..errors import YuqingError
from ..orgtree import OrgTree
from ..schema import IssueKind
from ..spreadsheet import defuse
from .ledger import COLUMNS, RECORD_COLUMNS, Ledger, build_ledger
from .scorecard import FIGURE_WORDS, FIGURES, UnitScore, compute_scorecard

if TYPE_CHECKING:
    from ..storage.protocols import ReportStore

#: Column widths in the Excel sheet (characters); the step columns are wide, they hold the records.
WIDTHS = {"序号": 5, "编号": 6, "单位": 22, "来源": 20, "发现时间": 16, "事项": 30, "严重程度": 8, "话题": 9,
          "工作方法": 14, "办结时间": 16, "办结分类": 14, "职工评议": 9, "状态": 14, "办结期限": 11, "逾期": 5,
          "上报次数": 8}
STEP_WIDTH = 36


@dataclass
class Casework:
    """The matters of a scope alive in a period, with their histories and sources."""

    tree: OrgTree
    period: Period
    unit: str
    issues: list
    histories: dict
    now: datetime


def scope_units(tree: OrgTree, unit: str, allowed: set[str] | None = None) -> set[str] | None:
    """The unit codes of ``unit``'s subtree (None = all), within ``allowed`` (a user's scope)."""
    if unit and unit not in tree:
        raise YuqingError(f"没有单位代码 {unit!r}（见配置文件 [[units]]）")
    units = tree.subtree(unit) if unit else None
    if allowed is not None:
        units = (units if units is not None else set(tree.units)) & allowed
    return units


def gather(store: ReportStore, tree: OrgTree, period: Period, tz, *, unit: str = "", allowed: set[str] | None = None,
           now: datetime | None = None) -> Casework:
    now = now or datetime.now(timezone.utc)
    units = scope_units(tree, unit, allowed)
    issues = store.digest_issues(period.since(tz), period.until(tz), units) if units is None or units else []
    return Casework(tree, period, unit, issues, store.issue_histories([i.id for i in issues]), now)


def default_month(store: ReportStore, tree: OrgTree, tz, now: datetime | None = None) -> Period:
    """The current month; the previous one when nothing happened in this one yet (no matter raised,
    no record, closure or escalation) — early in a month, the month that just ended is what there is."""
    now = now or datetime.now(timezone.utc)
    current = month_of(now.astimezone(tz).date())
    since = current.since(tz)
    cw = gather(store, tree, current, tz, now=now)
    for issue in cw.issues:
        if issue.kind == IssueKind.OPINION and (issue.created_at >= since or any(
                h.at >= since and h.action not in ("emailed",) for h in cw.histories.get(issue.id, []))):
            return current
    return current.previous()


def ledger_of(store: ReportStore, config, period: Period, *, unit: str = "", allowed: set[str] | None = None,
              now: datetime | None = None) -> Ledger:
    from ..alerts.engine import org_tree

    tree = org_tree(store, config)
    cw = gather(store, tree, period, config.tz, unit=unit, allowed=allowed, now=now)
    names = {s.id: s.name for s in store.list_sources()}
    sources = {}
    if allowed is not None:  # a scoped user: each matter as their own posts show it (title, sources)
        from ..scoped import issue_view

        cw.issues = [issue_view(i, store.scoped_issue_posts(i.id, allowed, limit=2000), tree, tz=config.tz)
                     for i in cw.issues]
    for issue in cw.issues:
        seen: dict[str, int] = {}
        posts = store.issue_posts(issue.id, limit=500) if allowed is None else \
            store.scoped_issue_posts(issue.id, allowed, limit=500)
        for sp in posts:
            name = names.get(sp.post.source_id, sp.post.source_id)
            seen[name] = seen.get(name, 0) + 1
        sources[issue.id] = sorted(seen, key=lambda n: -seen[n])
    people = {u.username: (u.name.split()[-1] if u.name.strip() else u.username) for u in config.users}
    return build_ledger(tree, cw.issues, cw.histories, sources, period, unit=unit, tz=config.tz, now=cw.now,
                        people=people)


def scorecard_of(store: ReportStore, config, period: Period, *, allowed: set[str] | None = None,
                 now: datetime | None = None) -> list[UnitScore]:
    """Every unit's assessment for ``period`` (the rows of units outside ``allowed`` left out; a
    row covers the whole subtree, so a cadre sees their own unit and those below)."""
    from ..alerts.engine import org_tree

    tree = org_tree(store, config)
    cw = gather(store, tree, period, config.tz, now=now)
    rows = compute_scorecard(tree, cw.issues, cw.histories, period.since(config.tz), period.until(config.tz), cw.now)
    return [r for r in rows if allowed is None or r.unit in allowed]


# --- files ----------------------------------------------------------------------------------
def xlsx_bytes(ledger: Ledger) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "工作台账"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="EEF1F6")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([f"{ledger.title}（{ledger.period.title}）"])
    ws.append([f"统计期：{ledger.period.title}　生成时间：{ledger.generated_at}　共 {len(ledger.rows)} 件"
               + (f"　本期{ledger.figures_text}" if ledger.figures_text else "")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(COLUMNS))
    for c in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row=3, column=c)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), head_fill, border, wrap
    for row in ledger.rows:
        ws.append([row[c] for c in COLUMNS])
        for c in range(1, len(COLUMNS) + 1):
            cell = ws.cell(row=ws.max_row, column=c)
            cell.alignment, cell.border = wrap, border
    for i, col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(col, STEP_WIDTH)
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(COLUMNS))}{max(3, ws.max_row)}"
    ws.page_setup.orientation = "landscape"

    detail = wb.create_sheet("记录明细")
    detail.append(list(RECORD_COLUMNS))
    for c in range(1, len(RECORD_COLUMNS) + 1):
        detail.cell(row=1, column=c).font = Font(bold=True)
    for rec in ledger.records:
        detail.append([rec[c] for c in RECORD_COLUMNS])
        for c in range(1, len(RECORD_COLUMNS) + 1):
            detail.cell(row=detail.max_row, column=c).alignment = wrap
    for i, width in enumerate((6, 22, 10, 6, 16, 12, 60, 30), start=1):
        detail.column_dimensions[get_column_letter(i)].width = width
    detail.freeze_panes = "A2"

    totals = wb.create_sheet("统计")
    totals.append(["项目", "数量", "单位"])
    t = ledger.totals
    for key in FIGURES:
        words, unit = FIGURE_WORDS[key]
        totals.append([words, getattr(t, key) if t else 0, unit])
    for label, value in (("本期立项议题", t.issues if t else 0), ("本期办结", t.closed if t else 0),
                         ("按期办结率", _pct(t.closed_on_time_rate) if t else ""),
                         ("职工评议满意率", _pct(t.satisfaction_rate) if t else ""),
                         ("逾期上报", t.escalated if t else 0), ("经核实不属合理诉求", t.not_reasonable if t else 0)):
        totals.append([label, value, ""])
    totals.column_dimensions["A"].width = 24
    defuse(wb)  # a record that starts with "=" (or + - @) stays text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100 * v:.0f}%"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("yuqing.casework", "."), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def ledger_html(ledger: Ledger) -> str:
    from .model import STEPS

    return _env().get_template("ledger.html").render(ledger=ledger, steps=STEPS)


def pdf_bytes(ledger: Ledger) -> bytes:
    from ..digest.pdf import html_to_pdf

    return html_to_pdf(ledger_html(ledger))


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by its owner only (a ledger holds workers' matters)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


def write_ledger(ledger: Ledger, path: Path) -> Path:
    """``.xlsx`` → the workbook, ``.pdf`` → the printable ledger."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_private(path, xlsx_bytes(ledger))
    elif suffix == ".pdf":
        write_private(path, pdf_bytes(ledger))
    else:
        raise YuqingError(f"台账只能写成 .xlsx 或 .pdf：{path.name}")
    return path
