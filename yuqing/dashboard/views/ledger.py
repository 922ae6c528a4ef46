"""工作台账: the 说事解事委员会's ledger of the units the user may see, to read and to download as
Excel or PDF (the same files `yuqing ledger` writes)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from yuqing.casework.ledger import COLUMNS
from yuqing.casework.ledger_files import pdf_bytes, xlsx_bytes
from yuqing.dashboard import queries, session
from yuqing.dashboard.links import issue_link
from yuqing.digest.period import month_of

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)

st.title("说事解事委员会工作台账")
today = datetime.now(timezone.utc).astimezone(cfg.tz).date()
recent = [month_of(today)]
while len(recent) < 24:
    recent.append(recent[-1].previous())
months = [p.label for p in recent]
years = [str(today.year - i) for i in range(3)]
c1, c2 = st.columns(2)
kind = c1.radio("期间", ["month", "year"], horizontal=True, key="ledger_kind",
                format_func={"month": "按月", "year": "按年"}.get)
default = queries.default_month()
label = c2.selectbox("月份" if kind == "month" else "年份", months if kind == "month" else years, key=f"ledger_{kind}",
                     index=(months.index(default) if default in months else 0) if kind == "month" else 0)
chosen = st.session_state.get("flt_unit", "全部")
unit = "" if chosen in ("全部", None) else chosen
book = queries.ledger(scope, unit, kind, label)
st.caption(f"{book.title}（{book.period.title}）：共 {len(book.rows)} 件" +
           (f"；本期{book.figures_text}。" if book.figures_text else "。"))
shown = [c for c in COLUMNS if c not in ("序号", "严重程度", "话题", "办结期限", "逾期", "上报次数")]
st.dataframe(pd.DataFrame([{**{c: r[c] for c in shown}, "议题": issue_link(r["编号"]) if str(r["编号"]).isdigit() else ""}
                          for r in book.rows], columns=[*shown, "议题"]), hide_index=True, width="stretch",
             key="ledger_table", column_config={"议题": st.column_config.LinkColumn("议题", display_text="打开议题")})
stem = f"工作台账-{unit or 'ALL'}-{book.period.label}"


STORE = session.store()


def _audit(fmt: str) -> None:
    STORE.audit(user.username, "ledger_downloaded", stem, {"format": fmt, "rows": len(book.rows)})


d1, d2 = st.columns(2)
def _workbook() -> bytes:  # built when clicked (openpyxl costs the page 0.1 s on every run otherwise)
    _audit("xlsx")
    return xlsx_bytes(book)


d1.download_button("下载 Excel 台账", _workbook, file_name=f"{stem}.xlsx", key="ledger_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
if d2.button("生成可打印的 PDF", key="ledger_make_pdf"):
    st.session_state["ledger_pdf"] = (stem, pdf_bytes(book))
if st.session_state.get("ledger_pdf", ("", b""))[0] == stem:
    d2.download_button("下载 PDF 台账", st.session_state["ledger_pdf"][1], file_name=f"{stem}.pdf", key="ledger_pdf_dl",
                       mime="application/pdf", on_click=_audit, args=("pdf",))
