"""The triage control (已处置 / 误报 / 忽略 / 关注) shown on post cards and on a matter's page, and
the write behind it: checked by role and scope (:mod:`yuqing.triage`), stored with its history,
audited. Mark names are ours; notes are user text and shown as plain text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..auth import CurrentUser
from ..schema import TRIAGE_MARKS, TriageMark
from ..triage import check_triage, describe, may_triage
from .safe_text import escape_markdown, local_time

FLASH_KEY = "triage_flash"
#: Badge colour per mark: 关注 stands out, the handled ones are grey.
COLOURS = {"watch": "orange", "handled": "green", "false_alarm": "gray", "ignored": "gray"}


def apply(store, user: CurrentUser, kind: str, target: str, unit: str, mark: str, note: str = "") -> TriageMark:
    """Check and store one triage change, and audit it. :class:`~yuqing.errors.AccessDenied` when not allowed."""
    note = check_triage(user, unit, mark, note)
    done = store.set_triage(kind, target, mark, user.username, note=note)
    store.audit(user.username, "triage", f"{kind}:{target}", {"mark": mark, "note": note})
    return done


def badge(mark: TriageMark | None) -> str:
    """Markdown of a mark's badge ("" when unmarked); the note is escaped user text."""
    if mark is None or not mark.mark:
        return ""
    text = f":{COLOURS.get(mark.mark, 'gray')}-badge[{mark.label}]"
    return text + (" " + escape_markdown(mark.note) if mark.note else "")


def control(store, user: CurrentUser, kind: str, target: str, unit: str, current: TriageMark | None,
            key: str) -> None:
    """A 「标注」 popover with the four marks (and 「取消标注」 when marked), an optional note and a save
    button; nothing for a user who may not triage ``unit``."""
    if not may_triage(user, unit):
        return
    options = list(TRIAGE_MARKS) + ([""] if current is not None and current.mark else [])
    with st.popover("标注" if current is None or not current.mark else f"标注：{current.label}"):
        with st.form(f"triage_form_{key}", border=False):
            index = options.index(current.mark) if current is not None and current.mark in options else 0
            mark = st.radio("标注为", options, index=index, horizontal=True, key=f"triage_mark_{key}",
                            format_func=lambda m: TRIAGE_MARKS.get(m, "取消标注"))
            note = st.text_input("说明（可选）", key=f"triage_note_{key}", max_chars=500)
            if st.form_submit_button("保存标注", key=f"triage_save_{key}"):
                done = apply(store, user, kind, target, unit, mark, note)
                from . import queries

                queries.clear()
                st.session_state[FLASH_KEY] = (f"已标注为「{done.label}」" if done.mark else "已取消标注")
                st.rerun()


def flash() -> None:
    """The confirmation of the last triage change of this tab, once."""
    message = st.session_state.pop(FLASH_KEY, "")
    if message:
        st.success(message)


def history_table(history: list[TriageMark], people: dict[str, str], tz) -> pd.DataFrame:
    return pd.DataFrame([{"时间": local_time(h.at, tz), "人员": people.get(h.actor, h.actor),
                          "标注": h.label if h.mark else "取消标注", "说明": h.note} for h in history],
                        columns=["时间", "人员", "标注", "说明"])


__all__ = ["apply", "badge", "control", "describe", "flash", "history_table"]
