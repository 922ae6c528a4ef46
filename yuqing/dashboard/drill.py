"""Drill-down and export on the pages: a chart whose bars open the posts behind them, its data as a
table with a link per row, and an Excel download next to every chart and list.

A click on a bar (Altair point selection, ``on_select``) opens the search page with the bar's
filters in the URL (:func:`yuqing.dashboard.links.search_link`); the same links sit in the chart's
data table (``LinkColumn``: open in a new tab, copy, bookmark). Downloads are built only when
clicked (``st.download_button`` with a callable), masked for users who may not see personal data
(:mod:`.export`), and recorded in the audit log.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from . import export, links

#: The column of a chart's rows holding each row's link (carried in the chart's data too).
LINK = "链接"
_PENDING = "_drill_pending"  # the link a click asked for, followed on the next run
SEARCH_PAGE = str(Path(__file__).parent / "views" / "search.py")
ISSUES_PAGE = str(Path(__file__).parent / "views" / "issues.py")


def _clicked(key: str) -> None:
    """on_select callback: remember the clicked bar's link; :func:`follow` opens it."""
    state = st.session_state.get(key)
    picked = []
    try:
        for rows in (state or {}).get("selection", {}).values():
            picked += [r.get(LINK) for r in rows if isinstance(r, dict) and r.get(LINK)]
    except AttributeError:
        picked = []
    if picked:
        st.session_state[_PENDING] = picked[0]


def follow() -> None:
    """Open the page a click on a chart asked for (called where a page draws its charts)."""
    target = st.session_state.pop(_PENDING, None)
    if not target:
        return
    path, _, _ = target.partition("?")
    page = ISSUES_PAGE if path == links.ISSUES_PATH else SEARCH_PAGE
    st.switch_page(page, query_params=links.link_params(target))


def link_column(label: str = "查看帖子") -> st.column_config.LinkColumn:
    return st.column_config.LinkColumn(LINK, display_text=label, help="打开与这一行对应的帖子（可复制、收藏、分享）")


def chart(spec: dict, rows: pd.DataFrame | None, *, key: str, what: str, user, tz, label: str = "查看帖子",
          stretch: bool = True) -> None:
    """The Vega-Lite ``spec`` (:mod:`.charts`) with a click on a mark opening the mark's ``链接`` (a
    column of its data), then the data as a table with those links and an Excel download (``rows``:
    the table to show instead of the chart's data)."""
    follow()
    spec = {**spec, "params": [*spec.get("params", []), {
        "name": "pick", "select": {"type": "point", "fields": [LINK], "on": "click", "clear": "dblclick"}}]}
    st.vega_lite_chart(spec, width="stretch" if stretch else "content", key=key, on_select=lambda: _clicked(key),
                       selection_mode="pick")
    st.caption("点击图中的条形或词语可打开对应的帖子；下面的数据表每行也有链接。")
    if rows is None:
        rows = pd.DataFrame(spec["data"]["values"])
    table(rows, key=f"{key}_data", what=what, user=user, tz=tz, label=label, expander="图表数据与帖子链接")


def table(rows: pd.DataFrame, *, key: str, what: str, user, tz, label: str = "查看帖子", expander: str = "",
          column_config: dict | None = None) -> None:
    """A table with a link column (when ``rows`` has ``链接``) and its Excel download."""
    config = {LINK: link_column(label)} if LINK in rows.columns else {}
    config.update(column_config or {})
    if expander:
        with st.expander(expander):
            st.dataframe(rows, hide_index=True, width="stretch", key=key, column_config=config)
    else:
        st.dataframe(rows, hide_index=True, width="stretch", key=key, column_config=config)
    links_only = [c for c, spec in config.items() if c in rows.columns and isinstance(spec, dict)
                  and (spec.get("type_config") or {}).get("type") == "link"]
    xlsx_button(rows.drop(columns=links_only), key=f"{key}_xlsx", what=what, user=user, tz=tz)


def xlsx_button(rows: pd.DataFrame | dict, *, key: str, what: str, user, tz, label: str = "下载 Excel",
                note: str = "") -> None:
    """A download button building the workbook of ``rows`` (one table, or sheet name → table) when
    clicked: link columns left out, personal data masked unless ``user`` may see it, the download
    audited."""
    from .session import store

    sheets = rows if isinstance(rows, dict) else {what: rows}
    sheets = {name: (t.drop(columns=[LINK]) if hasattr(t, "columns") and LINK in t.columns else t)
              for name, t in sheets.items()}
    now = datetime.now(tz)
    name = export.file_name(what, now)
    s = store()
    count = sum(len(t) for t in sheets.values())

    def build() -> bytes:
        data = export.xlsx_bytes(sheets, mask=not user.sees_pii,
                                 note=note or f"{what}（导出人：{user.username}，{now:%Y-%m-%d %H:%M}）")
        s.audit(user.username, "exported", what, {"format": "xlsx", "rows": count})
        return data

    st.download_button(label, build, file_name=name, mime=export.XLSX_MIME, key=key, on_click="ignore",
                       help="导出为 Excel；个人信息按您的权限脱敏")


def brief_buttons(query, selection: list[tuple[str, str]], *, key: str, user, tz, tree, title: str = "舆情简报") -> None:
    """Two download buttons for the 舆情简报 of ``query`` (already limited to the user's scope):
    HTML and PDF, each built when clicked; ``selection`` says in words what the filters are."""
    from ..digest.brief import brief_pdf, gather_brief, render_brief_html
    from .session import store

    s = store()
    now = datetime.now(tz)
    scope_name = "全部单位" if query.units is None else "、".join(sorted({tree.name(u) for u in query.units})[:6]) + (
        " 等" if len(query.units) > 6 else "")

    def html() -> str:
        names = {src.id: src.name for src in s.list_sources()}
        brief = gather_brief(s, query, title=title, scope_name=scope_name, selection=selection, tree=tree, tz=tz,
                             show_pii=user.sees_pii, source_names=names)
        return render_brief_html(brief)

    def as_html() -> bytes:
        s.audit(user.username, "brief_downloaded", title, {"format": "html", "selection": dict(selection)})
        return html().encode("utf-8")

    def as_pdf() -> bytes:
        s.audit(user.username, "brief_downloaded", title, {"format": "pdf", "selection": dict(selection)})
        return brief_pdf(html())

    stem = export.file_name(title, now, "").rstrip(".")
    c1, c2 = st.columns(2)
    c1.download_button("下载舆情简报（HTML）", as_html, file_name=f"{stem}.html", mime="text/html", key=f"{key}_html",
                       on_click="ignore", help="按当前筛选条件生成：概况、趋势、话题、单位、事件和代表性帖子")
    c2.download_button("下载舆情简报（PDF）", as_pdf, file_name=f"{stem}.pdf", mime="application/pdf", key=f"{key}_pdf",
                       on_click="ignore", help="生成 PDF 需要几秒钟")
