"""Config, store and the logged-in user for the dashboard's Streamlit scripts.

The config path comes from ``$YUQING_CONFIG`` (set by ``yuqing dashboard``). A login gives the
browser a session token in a cookie (``yuqing_session``; with 「记住我」 it lasts
``[dashboard] remember_days``, else until the browser closes), so a reload, a new tab or an
e-mail's link finds the user logged in; the store keeps only the token's hash, with its expiry,
and checks it on every run. Logging out revokes the token and forgets everything the tab held.
Failed logins slow down the client and the account (:func:`yuqing.auth.wait_seconds`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import streamlit as st

from ..auth import CurrentUser, login, resume
from ..auth import logout as end_login
from ..config import Config, load_config
from ..errors import YuqingError
from ..orgtree import OrgTree
from ..schema import Risk, Sentiment, SourceKind
from .safe_text import escape_markdown
from .search_params import PARAMS, SearchFilters, parse_search_params, to_params

TOKEN_KEY = "auth_token"
#: The browser cookie holding the session token.
COOKIE = "yuqing_session"
_COOKIE_WRITE = "_auth_cookie_write"  # what to do to the cookie on the next run: ("set", token, max_age) | ("clear",)
_VIEWER = "_auth_viewer"  # (scope or None, unit) of the logged-in user: what org() may name

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


class ScopedTree(OrgTree):
    """The organisation as a scoped user may see it: units outside their scope and not above their
    own unit are named 「其他单位」 (the matters of a mine are not another mine's business)."""

    def __init__(self, units, visible: set[str]):
        super().__init__(units)
        self.visible = visible

    def name(self, code: str) -> str:
        if code and code in self.units and code not in self.visible:
            return "其他单位"
        return super().name(code)


def org() -> OrgTree:
    """The organisation tree, with names scoped to the logged-in user (see :class:`ScopedTree`)."""
    units = config().units
    viewer = st.session_state.get(_VIEWER)
    if not viewer or viewer[0] is None:
        return OrgTree(units)
    scope, unit = viewer
    full = OrgTree(units)
    return ScopedTree(units, set(scope) | set(full.ancestors(unit)) | ({unit} if unit else set()))


def _browser_token() -> str:
    """The session token the browser sent with this page (reload, new tab, e-mail link)."""
    try:
        value = st.context.cookies.get(COOKIE, "")
    except Exception:  # noqa: BLE001 - no browser request (tests, bare runs)
        return ""
    return value if isinstance(value, str) else ""


def client_address() -> str:
    """The address the browser connects from, for login throttling ("" when unknown)."""
    try:
        value = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser request (tests, bare runs): no address to throttle by
        return ""
    return value if isinstance(value, str) else ""


def current_user() -> CurrentUser | None:
    token = st.session_state.get(TOKEN_KEY, "")
    if token:
        return resume(store(), token)
    cookie = _browser_token()
    if cookie and cookie != st.session_state.get("_auth_revoked"):
        user = resume(store(), cookie)
        if user is not None:
            st.session_state[TOKEN_KEY] = cookie
            return user
    return None


def _cookie_script(op: tuple) -> str:
    secure = ""
    try:
        url = st.context.url
        secure = "; Secure" if isinstance(url, str) and url.startswith("https://") else ""
    except Exception:  # noqa: BLE001 - no browser request (tests, bare runs): a cookie without Secure
        pass
    if op[0] == "set":
        _, token, max_age = op
        value = f"{COOKIE}={token}; Path=/; SameSite=Lax{secure}" + (f"; Max-Age={max_age}" if max_age else "")
    else:
        value = f"{COOKIE}=; Path=/; SameSite=Lax{secure}; Max-Age=0"
    return f"<script>document.cookie = {json.dumps(value)};</script>"


def _write_cookie() -> None:
    """Set or clear the session cookie in the browser (a login or logout of the previous run)."""
    op = st.session_state.pop(_COOKIE_WRITE, None)
    if op:
        with st.sidebar:
            st.html(_cookie_script(op), unsafe_allow_javascript=True, width="content")


def require_login() -> CurrentUser:
    """The logged-in user; otherwise render the login form and stop the script."""
    user = current_user()
    if user is not None:
        st.session_state[_VIEWER] = (None if user.scope is None else tuple(sorted(user.scope)), user.unit)
        _write_cookie()
        return user
    if st.session_state.get(TOKEN_KEY):
        st.session_state.pop(TOKEN_KEY)
        st.warning("登录已过期，请重新登录。")
    _write_cookie()
    st.title("工会职工网络舆情监测")
    days = config().dashboard.remember_days
    with st.form("login_form"):
        username = st.text_input("用户名", key="login_username")
        password = st.text_input("密码", type="password", key="login_password")
        remember = st.checkbox(f"记住我（本浏览器 {days} 天内免登录）", key="login_remember") if days else False
        submitted = st.form_submit_button("登录")
    if submitted:
        try:
            token, user = login(store(), username, password, config().dashboard.session_minutes,
                                client=client_address(), remember_days=days if remember else 0)
        except YuqingError as exc:
            st.error(str(exc))
        else:
            st.session_state.clear()  # nothing a previous user chose in this tab survives
            st.session_state[TOKEN_KEY] = token
            st.session_state[_COOKIE_WRITE] = ("set", token, days * 86400 if remember else 0)
            st.rerun()
    st.stop()


def logout(user: CurrentUser) -> None:
    """Revoke the session, forget everything this tab held and clear the browser's cookie."""
    token = st.session_state.get(TOKEN_KEY, "")
    end_login(store(), token, user.username)
    st.session_state.clear()
    st.session_state["_auth_revoked"] = token
    st.session_state[_COOKIE_WRITE] = ("clear",)
    st.query_params.clear()


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
        period = st.selectbox("时间范围", list(PERIODS), index=1, key="flt_period", on_change=forget_link_dates)
        options = ["全部"] + visible if user.scope is None else visible
        default = 0 if user.scope is None else (options.index(user.unit) if user.unit in options else 0)
        unit = st.selectbox("单位", options, index=default, key="flt_unit",
                            format_func=lambda c: "全部单位" if c == "全部" else tree.path_name(c),
                            on_change=forget_link_scope)
    since = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(days=PERIODS[period])
    if unit == "全部":
        units = user.units
    else:
        units = tree.subtree(unit) if user.scope is None else tree.subtree(unit) & set(user.scope)
    return since, scope_key(units), period


# --- search links: /search?q=…&unit=…&since=… fill the search page's filters --------------------
#: The query parameters a search link may carry (:mod:`yuqing.dashboard.search_params`).
LINK_PARAMS = PARAMS
#: The search page's widget keys a link fills in.
SEARCH_KEYS = {"q": "search_text", "topic": "search_topics", "sentiment": "search_sentiments",
               "risk": "search_risks", "source_kind": "search_kinds", "event": "search_event",
               "dates": "search_dates", "post": "search_pick", "source": "search_sources",
               "author": "search_author", "chat": "search_chat", "sort": "search_sort", "page": "search_page",
               "size": "search_size", "triage": "search_triage"}
LINK_APPLIED_KEY = "search_link_applied"  # the link (its parameters) last applied in this session
LINK_SCOPE_KEY = "search_link_scope"  # the units a link narrows the search to, until the user changes the unit
LINK_POST_KEY = "search_link_post"  # the post a link opens
LINK_CHAT_POST_KEY = "search_chat_anchor"  # the post a chat view opened from a link is centred on


def link_units(f: SearchFilters, tree: OrgTree, user_scope: frozenset[str] | None) -> tuple[set[str] | None, str]:
    """The units a link narrows the search to (``unit``: those units only; ``scope``: a unit's
    subtree; both: the units within the subtree), intersected with what the user may see, and a note
    (Chinese) when the link asks for more than that. ``None`` = the link names no unit. Pure."""
    if not f.units and not f.scope:
        return None, ""
    wanted = set(f.units) if f.units else tree.subtree(f.scope)
    if f.units and f.scope:
        wanted &= tree.subtree(f.scope)
    allowed = wanted if user_scope is None else wanted & user_scope
    if allowed == wanted:
        return allowed, "" if allowed else "链接中的单位与范围互不包含，没有可显示的帖子。"
    if not allowed:
        return allowed, "链接指向的单位不在您的可见范围内，不显示其任何帖子。"
    return allowed, "链接的单位范围超出您的可见范围，只显示其中您可见的单位。"


def link_dates(f: SearchFilters, today: date) -> tuple[date, date] | tuple[()]:
    """The search page's date range (both ends inclusive) for a link; () when it has none."""
    if f.since is None and f.until is None:
        return ()
    if f.since is None:  # only an end: from a year before it
        return f.until - timedelta(days=365), f.until
    return f.since, f.until or max(today, f.since)


def link_key(params: Mapping[str, list[str]]) -> str:
    """What identifies a set of search parameters (a link already applied is not applied again)."""
    return repr(sorted((k, list(v)) for k, v in params.items() if k in LINK_PARAMS and v))


def _known_units(f: SearchFilters, tree: OrgTree) -> tuple[SearchFilters, list[str]]:
    """``f`` without the unit codes the organisation does not have, and a warning for each."""
    warnings = []
    units = tuple(u for u in f.units if u in tree)
    for u in f.units:
        if u not in tree:
            warnings.append(f"链接中的单位代码「{escape_markdown(u[:40])}」不存在，已忽略。")
    scope = f.scope
    if scope and scope not in tree:
        warnings.append(f"链接中的单位代码「{escape_markdown(scope[:40])}」不存在，已忽略。")
        scope = ""
    return replace(f, units=units, scope=scope), warnings


def prefill_search(user: CurrentUser) -> list[str]:
    """Apply the page's query parameters to the search widgets once per link; the warnings to show.

    Runs before the widgets are drawn. The same link is not applied again on later reruns, so
    whatever the user changes afterwards wins (the page writes its filters back into the URL, see
    :func:`remember_search`); a visit without parameters forgets the link."""
    params = {k: st.query_params.get_all(k) for k in LINK_PARAMS if k in st.query_params}
    applied = link_key(params)
    if st.session_state.get(LINK_APPLIED_KEY) == applied:
        return []
    st.session_state[LINK_APPLIED_KEY] = applied
    st.session_state.pop(LINK_SCOPE_KEY, None)
    st.session_state.pop(LINK_POST_KEY, None)
    st.session_state.pop(LINK_CHAT_POST_KEY, None)
    state = st.session_state
    if not params:
        for key in ("search_author", "search_chat"):
            state.pop(key, None)
        return []
    tree = org()
    f = parse_search_params(params)
    f, unit_warnings = _known_units(f, tree)
    warnings = [escape_markdown(w) for w in f.warnings] + unit_warnings
    today = datetime.now(config().tz).date()
    state[SEARCH_KEYS["q"]] = f.q
    state[SEARCH_KEYS["topic"]] = list(f.topics)
    state[SEARCH_KEYS["sentiment"]] = [Sentiment(s) for s in f.sentiments]
    state[SEARCH_KEYS["risk"]] = [Risk(r) for r in f.risks]
    state[SEARCH_KEYS["source_kind"]] = [SourceKind(k) for k in f.source_kinds]
    state[SEARCH_KEYS["source"]] = list(f.sources)
    state[SEARCH_KEYS["event"]] = f.event
    state[SEARCH_KEYS["dates"]] = link_dates(f, today)
    state[SEARCH_KEYS["author"]] = f.author
    state[SEARCH_KEYS["chat"]] = f.chat
    state[SEARCH_KEYS["sort"]] = f.sort
    state[SEARCH_KEYS["page"]] = f.page
    state[SEARCH_KEYS["size"]] = f.size
    state[SEARCH_KEYS["triage"]] = f.triage
    state["search_sig"] = None  # the link's page stands (a change of filters afterwards goes to page 1)
    units, note = link_units(f, tree, user.scope)
    if units is not None:
        code = f.units[0] if len(f.units) == 1 else f.scope
        if code and (user.scope is None or code in user.scope):
            state["flt_unit"] = code
        label = "、".join(tree.path_name(u) for u in f.units) + "（不含下级单位）" if f.units else tree.path_name(f.scope)
        state[LINK_SCOPE_KEY] = {"units": tuple(sorted(units)), "note": note, "label": label if units else "",
                                 "units_param": f.units, "scope_param": f.scope}
    if f.post:
        if f.chat:
            state[LINK_CHAT_POST_KEY] = f.post
        else:
            state[LINK_POST_KEY] = f.post
            state[SEARCH_KEYS["post"]] = f.post
    return warnings


def remember_search(f: SearchFilters) -> None:
    """Write the page's filters into the URL (so the view can be bookmarked and shared), marked as
    applied: the next run does not apply them again over what the user changes."""
    params = to_params(f)
    if link_key(params) == link_key({k: st.query_params.get_all(k) for k in LINK_PARAMS if k in st.query_params}):
        return
    st.query_params.from_dict(params)
    st.session_state[LINK_APPLIED_KEY] = link_key(params)


def forget_link_scope() -> None:
    """The user chose a unit or period themselves: the link's narrowing no longer applies."""
    st.session_state.pop(LINK_SCOPE_KEY, None)


def forget_link_dates() -> None:
    st.session_state[SEARCH_KEYS["dates"]] = ()
