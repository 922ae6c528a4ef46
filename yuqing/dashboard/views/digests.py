"""周报: the generated digests (data_dir/digests/*.html, *.pdf) to read and download."""

from __future__ import annotations

import streamlit as st

from yuqing.dashboard import session
from yuqing.dashboard.safe_text import html_to_text

user = session.require_login()
cfg = session.config()

st.title("舆情周报")
folder = cfg.data_dir / "digests"
files = sorted((p for p in folder.glob("*") if p.suffix in (".html", ".pdf")), reverse=True) if folder.is_dir() else []
if user.scope is not None:
    st.info("周报覆盖全集团，只有监测员和管理员可以查看；本单位情况请看「总览」。")
elif not files:
    st.info("还没有生成周报（`yuqing digest` 生成后会出现在这里）。")
else:
    pick = st.selectbox("选择周报", files, format_func=lambda p: p.name, key="digest_pick")
    data = pick.read_bytes()
    mime = "text/html" if pick.suffix == ".html" else "application/pdf"
    st.download_button(f"下载 {pick.name}", data, file_name=pick.name, mime=mime, key="digest_download")
    if pick.suffix == ".html":
        st.text(html_to_text(data.decode("utf-8", errors="replace")))
