"""The dashboard's entry file (`streamlit run yuqing/dashboard/app.py`, or `yuqing dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from yuqing.dashboard import session
from yuqing.errors import YuqingError
from yuqing.files import private_umask
from yuqing.schema import ROLE_LABELS

private_umask()  # uploads, digests and the database hold workers' personal data
PAGES = Path(__file__).parent / "views"

ISSUES: st.Page
pages = [
    st.Page(str(PAGES / "overview.py"), title="总览", url_path="overview", default=True),
    st.Page(str(PAGES / "search.py"), title="舆情检索", url_path="search"),
    st.Page(str(PAGES / "topics.py"), title="话题与事件", url_path="topics"),
    ISSUES := st.Page(str(PAGES / "issues.py"), title="议题", url_path="issues"),
    st.Page(str(PAGES / "ledger.py"), title="工作台账", url_path="ledger"),
    st.Page(str(PAGES / "scorecard.py"), title="考核评价", url_path="scorecard"),
    st.Page(str(PAGES / "rules.py"), title="规则", url_path="rules"),
    st.Page(str(PAGES / "sources.py"), title="数据源", url_path="sources"),
    st.Page(str(PAGES / "digests.py"), title="周报", url_path="digests"),
]
page = st.navigation(pages)
try:
    session.store()
except YuqingError as exc:  # a bad config or an unusable database: say so, no traceback
    st.error(f"仪表盘无法打开数据：{exc}")
    st.stop()
st.set_page_config(page_title="职工网络舆情监测", layout="wide")
user = session.require_login()
# Alert e-mails and digests link to `/?issue=ID`: open that issue on the issues page.
if page is not ISSUES and st.query_params.get("issue"):
    st.switch_page(ISSUES, query_params={"issue": st.query_params["issue"]})
with st.sidebar:
    st.caption(f"当前用户：{user.name or user.username}（{ROLE_LABELS.get(user.role, user.role)}）")
    if user.scope is not None:
        st.caption("可见范围：" + session.org().path_name(user.unit))
    if st.button("退出登录", key="logout"):
        session.logout(user)
        st.rerun()
try:
    page.run()
except YuqingError as exc:
    st.error(str(exc))
