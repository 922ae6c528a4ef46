"""回应口径: a reply for the cadre to edit and post where the workers talk (网络舆情沟通法). Pure.

Grounded in the matter only: it quotes what the workers wrote (personal data masked), names the unit
and the matter's number, and says what the records show has been done — nothing else is promised. The
one thing yuqing cannot know, who to contact, is left as 【联系人】 for the cadre to fill in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from ..pii import mask_pii
from ..schema import IssueStatus
from .model import CLOSED, Issue
from .records import RecordSummary

QUOTE_CHARS = 36
WHERE = {"wechat_group": "群里", "forum": "论坛上", "wechat_comment": "留言区", "wechat_article": "公众号文章下"}


@dataclass(frozen=True)
class Said:
    """A post the reply answers: its text and where it was said (a source kind)."""

    text: str
    source_kind: str = "wechat_group"


def _quote(text: str) -> str:
    s = " ".join(mask_pii(text).split())
    return s if len(s) <= QUOTE_CHARS else s[: QUOTE_CHARS - 1] + "…"


def _progress(summary: RecordSummary, tz: tzinfo) -> list[str]:
    day = lambda r: f"{r.at.astimezone(tz).month}月{r.at.astimezone(tz).day}日"  # noqa: E731
    out = []
    asked = summary.latest("干部问事")
    if asked:
        out.append(f"{day(asked)}工会干部已当面了解情况")
    heard = summary.latest("职工说事")
    if heard:
        out.append(f"{day(heard)}听取了大家的诉求")
    decided = summary.latest("集中议事", current_round_only=True)
    if decided:
        f = decided.fields
        due = date.fromisoformat(f["due"]) if f.get("due") else None
        out.append(f"说事解事委员会已集中研究，由{f.get('owner_dept', '')}负责办理"
                   + (f"，{due.month}月{due.day}日前办结" if due else ""))
    done = summary.latest("及时办事", current_round_only=True)
    if done:
        out.append(f"办理结果：{done.fields.get('result', '')}")
    return out


def draft_reply(issue: Issue, said: Sequence[Said], unit_name: str, summary: RecordSummary, tz: tzinfo) -> str:
    """The draft reply for ``issue``; ``said`` are its representative posts, most telling first."""
    where = WHERE.get(Counter(s.source_kind for s in said).most_common(1)[0][0], "群里") if said else "群里"
    quotes = [f"「{_quote(s.text)}」" for s in said[:2] if s.text.strip()]
    what = "、".join(quotes) or "的问题"
    lines = [f"各位工友：大家在{where}反映的{what}{'等问题' if quotes else ''}，{unit_name}已经看到，"
             f"已登记为说事解事事项（第 {issue.id} 号）。"]
    progress = _progress(summary, tz)
    if issue.status == IssueStatus.CLOSED or issue.step == CLOSED:
        lines.append("目前进展：" + "；".join(progress) + "。此事已办结，大家如有不同意见，欢迎继续反映。" if progress
                     else "此事已办结，大家如有不同意见，欢迎继续反映。")
    elif progress:
        lines.append("目前进展：" + "；".join(progress) + "。后续进展会在这里及时告诉大家。")
    else:
        lines.append("工会干部将尽快到班组当面了解情况，核实后按规定办理，进展会在这里及时告诉大家。")
    lines.append(f"有具体情况的工友，可以私信【联系人】，或到{unit_name}说事解事委员会当面反映。")
    if issue.method == "网络舆情沟通法":
        lines.append("请大家以正式通知为准，不转发未经核实的消息。")
    return "\n".join(lines)
