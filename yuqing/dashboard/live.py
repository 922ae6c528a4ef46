"""The dashboard's live parts: the new-alert badge and auto-refresh.

The badge counts the issues raised in the user's scope since they last looked — issue ids only
grow, so "since" is the id of the newest issue they had seen, kept in the store's state per user
(every tab and browser of the user agrees). Opening the issues board (议题) or pressing 「标为已读」
counts as looking. A fragment in the sidebar checks the store every ``[dashboard] refresh_seconds``;
on the overview and the issues board it reloads the whole page each time (``st.rerun``), so a new
alert shows within one interval — the cached queries those pages use are keyed by the newest
issue id and the open count (:func:`signature`), so no cache hides it.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from ..auth import CurrentUser

SEEN_KEY = "dashboard.seen_issue.{username}"
_SIGNATURE = "_live_signature"


def seen_issue_id(store, username: str) -> int | None:
    raw = store.get_state(SEEN_KEY.format(username=username))
    return int(raw) if raw and raw.isdigit() else None


def mark_seen(store, username: str, issue_id: int) -> None:
    """Everything up to ``issue_id`` counts as seen by ``username`` (never moves back)."""
    seen = seen_issue_id(store, username)
    if seen is None or issue_id > seen:
        store.set_state(SEEN_KEY.format(username=username), str(issue_id))


def new_alerts(store, user: CurrentUser) -> tuple[int, int]:
    """(issues in scope raised since the user last looked, the newest issue id in scope). A user who
    never looked starts now: what is already there is not new to them."""
    newest = store.max_issue_id(user.units)
    seen = seen_issue_id(store, user.username)
    if seen is None:
        mark_seen(store, user.username, newest)
        return 0, newest
    return store.count_issues(units=user.units, after_id=seen), newest


def signature(store, units: set[str] | None) -> tuple[int, int]:
    """What changes when an alert is raised or a matter opens or closes: (newest issue id, open issues)
    in ``units`` — the key the overview's and the board's cached queries are keyed by."""
    return store.max_issue_id(units), store.count_issues(units=units, status="open")


def badge_text(count: int) -> str:
    return f"新预警 {count} 条" if count else ""


def page_title(base: str, count: int) -> str:
    """The browser tab's title, with the count of new alerts in front (「(3) 职工网络舆情监测」)."""
    return f"({count}) {base}" if count else base


def sidebar(store, user: CurrentUser, interval: int, *, auto_refresh: bool) -> None:
    """The badge in the sidebar, checked every ``interval`` seconds (0: only when the page runs);
    ``auto_refresh``: reload the whole page at each check (the overview and the issues board)."""

    def body() -> None:
        count, newest = new_alerts(store, user)
        if count:
            st.markdown(f":red-badge[{badge_text(count)}]")
            if st.button("标为已读", key="live_mark_seen", help="把目前的预警都算作已查看"):
                mark_seen(store, user.username, newest)
                st.rerun()
        ticks = st.session_state.get("_live_ticks", 0)
        st.session_state["_live_ticks"] = ticks + 1
        if auto_refresh and interval and ticks:  # a timer tick, not the page's own run: reload the page
            st.rerun()

    st.session_state["_live_ticks"] = 0
    run_every = timedelta(seconds=interval) if interval else None
    st.fragment(body, run_every=run_every)()


_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def by_severity_then_time(issues: list) -> list:
    """The overview's alert list: most severe first, then the newest raised first (then the highest id)."""
    return sorted(issues, key=lambda i: (_SEVERITY_RANK.get(i.severity, 3),
                                         -(i.created_at.timestamp() if i.created_at else 0), -(i.id or 0)))
