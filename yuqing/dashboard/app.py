"""The dashboard's entry file (`streamlit run yuqing/dashboard/app.py`, or `yuqing dashboard`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from yuqing.dashboard import live, session
from yuqing.errors import YuqingError
from yuqing.files import private_umask
from yuqing.schema import ROLE_LABELS

private_umask()  # uploads, digests and the database hold workers' personal data
PAGES = Path(__file__).parent / "views"

ISSUES: st.Page
OVERVIEW: st.Page


def _old_overview_url() -> None:
    """``/overview`` (the overview's address before it became the home page, in bookmarks and old
    e-mails) opens the overview instead of Streamlit's English "Page not found"."""
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


pages = [
    # the home page ("/"); its url_path must differ from the old address routed below
    OVERVIEW := st.Page(str(PAGES / "overview.py"), title="总览", url_path="home", default=True),
    st.Page(str(PAGES / "search.py"), title="舆情检索", url_path="search"),
    st.Page(str(PAGES / "topics.py"), title="话题与事件", url_path="topics"),
    st.Page(str(PAGES / "subjects.py"), title="专题", url_path="subjects"),
    ISSUES := st.Page(str(PAGES / "issues.py"), title="议题", url_path="issues"),
    st.Page(str(PAGES / "ledger.py"), title="工作台账", url_path="ledger"),
    st.Page(str(PAGES / "scorecard.py"), title="考核评价", url_path="scorecard"),
    st.Page(str(PAGES / "rules.py"), title="规则", url_path="rules"),
    st.Page(str(PAGES / "sources.py"), title="数据源", url_path="sources"),
    st.Page(str(PAGES / "digests.py"), title="周报", url_path="digests"),
    st.Page(_old_overview_url, title="总览", url_path="overview", visibility="hidden"),
]
page = st.navigation(pages)
try:
    session.store()
except YuqingError as exc:  # a bad config or an unusable database: say so, no traceback
    st.error(f"仪表盘无法打开数据：{exc}")
    st.stop()
st.set_page_config(page_title="职工网络舆情监测", layout="wide")
user = session.require_login()
if page is ISSUES and not st.query_params.get("issue"):  # looking at the issues board: seen them all
    live.mark_seen(session.store(), user.username, session.store().max_issue_id(user.units))
new_alerts, _newest = live.new_alerts(session.store(), user)
if new_alerts:  # the tab's title carries the count of new alerts
    st.set_page_config(page_title=live.page_title("职工网络舆情监测", new_alerts), layout="wide")
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
    # the new-alert badge, checked every [dashboard] refresh_seconds; the overview and the issues
    # board (not one issue's page, where someone may be typing a record) reload themselves as often
    live.sidebar(session.store(), user, session.config().dashboard.refresh_seconds,
                 auto_refresh=page is OVERVIEW or (page is ISSUES and not st.query_params.get("issue")))
try:
    page.run()
except YuqingError as exc:
    st.error(str(exc))
