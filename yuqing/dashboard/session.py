"""Config, store and the logged-in user for the dashboard's Streamlit scripts.

The config path comes from ``$YUQING_CONFIG`` (set by ``yuqing dashboard``). The login token
lives in ``st.session_state`` and is checked against the sessions table on every run, so a
session expires after ``[dashboard] session_minutes`` even with the browser tab open.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import streamlit as st

from ..auth import CurrentUser, login, resume
from ..config import Config, load_config
from ..errors import YuqingError
from ..orgtree import OrgTree

TOKEN_KEY = "auth_token"

PERIODS = {"近7天": 7, "近30天": 30, "近90天": 90, "近一年": 365}


@st.cache_resource
def _config(path: str) -> Config:
    return load_config(path or None)


def config() -> Config:
    return _config(os.environ.get("YUQING_CONFIG", ""))


@st.cache_resource
def _store(db_path: str):
    """One store per database file (``db_path`` is the cache key); config users synced in."""
    from ..storage import open_store

    cfg = config()
    store = open_store(cfg)
    store.sync_users(cfg.users)
    return store


def store():
    """The shared store (one per process; SqliteStore serialises threads itself)."""
    cfg = config()
    return _store(str(cfg.db_path))


def org() -> OrgTree:
    return OrgTree(config().units)


def current_user() -> CurrentUser | None:
    return resume(store(), st.session_state.get(TOKEN_KEY, ""))


def require_login() -> CurrentUser:
    """The logged-in user; otherwise render the login form and stop the script."""
    user = current_user()
    if user is not None:
        return user
    if st.session_state.get(TOKEN_KEY):
        st.session_state.pop(TOKEN_KEY)
        st.warning("登录已过期，请重新登录。")
    st.title("工会职工网络舆情监测")
    with st.form("login_form"):
        username = st.text_input("用户名", key="login_username")
        password = st.text_input("密码", type="password", key="login_password")
        submitted = st.form_submit_button("登录")
    if submitted:
        try:
            token, user = login(store(), username, password, config().dashboard.session_minutes)
        except YuqingError as exc:
            st.error(str(exc))
        else:
            st.session_state[TOKEN_KEY] = token
            st.rerun()
    st.stop()


def logout(user: CurrentUser) -> None:
    token = st.session_state.pop(TOKEN_KEY, "")
    if token:
        store().end_session(token)
        store().audit(user.username, "logout")
    st.cache_data.clear()


def scope_key(units: set[str] | None) -> tuple[str, ...] | None:
    """A hashable cache key for a unit scope."""
    return None if units is None else tuple(sorted(units))


def sidebar_filters(user: CurrentUser) -> tuple[datetime, tuple[str, ...] | None, str]:
    """Period and unit chosen in the sidebar: (since, units scope key, period label).

    The unit list offers only units inside the user's scope; choosing one narrows the scope
    to its subtree (the store still filters by it).
    """
    tree = org()
    visible = [c for c in tree.units if user.scope is None or c in user.scope]
    with st.sidebar:
        period = st.selectbox("时间范围", list(PERIODS), index=1, key="flt_period")
        options = ["全部"] + visible if user.scope is None else visible
        default = 0 if user.scope is None else (options.index(user.unit) if user.unit in options else 0)
        unit = st.selectbox("单位", options, index=default, key="flt_unit",
                            format_func=lambda c: "全部单位" if c == "全部" else tree.path_name(c))
    since = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(days=PERIODS[period])
    if unit == "全部":
        units = user.units
    else:
        units = tree.subtree(unit) if user.scope is None else tree.subtree(unit) & set(user.scope)
    return since, scope_key(units), period
