"""规则: the alert rules (starter rules and the union's rules folder); monitors and admins edit
a rule with validation and dry-run it over the last N days before saving."""

from __future__ import annotations

import streamlit as st

from yuqing.alerts.loader import load_rule_file, starter_rule_files
from yuqing.dashboard import session
from yuqing.dashboard.rule_edit import dry_run, parse_rule_text, save_rule
from yuqing.dashboard.safe_text import escape_markdown
from yuqing.errors import YuqingError
from yuqing.schema import SEVERITY_LABELS

user = session.require_login()
cfg = session.config()
tree = session.org()
rules_dir = cfg.resolve(cfg.alerts.rules_dir)

st.title("预警规则")
st.caption("内置规则随系统提供；自定义规则保存在数据目录的规则文件夹（配置 [alerts] rules_dir），"
           "同名的自定义规则替换内置规则。")
files = [("内置", p) for p in starter_rule_files()]
if rules_dir.is_dir():
    files += [("自定义", p) for p in sorted(rules_dir.glob("*.y*ml"))]
texts: dict[str, str] = {}
for origin, path in files:
    text = path.read_text(encoding="utf-8")
    texts[f"{origin} · {path.name}"] = text
    try:
        rule = load_rule_file(path, origin=path.name)  # messages name the file, never the server's folders
        status = f"✅ {rule.description}（{SEVERITY_LABELS.get(rule.severity, rule.severity)}）"
    except YuqingError as exc:
        status = "❌ " + str(exc)
    with st.expander(escape_markdown(f"{origin} · {path.name} · {status}")):
        st.code(text, language="yaml")

if not user.can_edit:
    st.info("只有监测员和管理员可以编辑规则。")
    st.stop()

st.subheader("编辑规则")
base = st.selectbox("从已有规则开始", list(texts), key="rule_base")
text = st.text_area("规则（YAML）", value=texts.get(base, ""), height=320, key=f"rule_text_{base}")
days = st.number_input("试运行：最近几天的帖子", min_value=1, max_value=90, value=7, key="rule_days")
c1, c2 = st.columns(2)
try:
    rule = parse_rule_text(text)
except YuqingError as exc:
    st.error(str(exc))
    rule = None
if rule is not None:
    st.success(f"格式正确：{rule.name}（{rule.type_name}）")
    if c1.button("试运行（不写入、不发送）", key="rule_dry_run"):
        with st.spinner("试运行中…"):
            checked, matches, issues = dry_run(session.store(), cfg, rule, int(days))
        st.session_state["rule_dry_run_done"] = text
        st.write(f"检查 {checked:,} 条帖子：命中 {matches} 条，将生成 {len(issues)} 个议题。")
        st.dataframe([{"标题": i.title, "严重程度": SEVERITY_LABELS.get(i.severity, i.severity),
                       "单位": tree.name(i.unit), "帖子": i.posts, "建议方法": i.method, "原因": i.reason}
                      for i in issues[:50]], hide_index=True, width="stretch", key="rule_dry_run_table")
    ready = st.session_state.get("rule_dry_run_done") == text
    if c2.button("保存规则", key="rule_save", disabled=not ready, help="先试运行当前内容才能保存"):
        path = save_rule(rules_dir, rule, text)
        session.store().audit(user.username, "rule_saved", rule.name, {"file": str(path)})
        st.success("已保存为自定义规则 " + escape_markdown(path.name) + "，下一轮预警起生效。")
