"""规则: the alert rules (starter rules and the configured rules folder), read-only for now."""

from __future__ import annotations

import streamlit as st

from yuqing.alerts.loader import load_rule_file, starter_rule_files
from yuqing.dashboard import session
from yuqing.errors import YuqingError

user = session.require_login()
cfg = session.config()

st.title("预警规则")
st.caption("规则以 YAML 文件保存；当前页面只读。编辑请修改规则文件夹中的文件：" + str(cfg.resolve(cfg.alerts.rules_dir)))
rules_dir = cfg.resolve(cfg.alerts.rules_dir)
files = [("内置", p) for p in starter_rule_files()]
if rules_dir.is_dir():
    files += [("自定义", p) for p in sorted(rules_dir.glob("*.y*ml"))]
if not files:
    st.info("没有规则文件。")
for origin, path in files:
    try:
        load_rule_file(path)
        status = "✅ 有效"
    except YuqingError as exc:
        status = "❌ " + str(exc)
    with st.expander(f"{origin} · {path.name} · {status}"):
        st.code(path.read_text(encoding="utf-8"), language="yaml")
