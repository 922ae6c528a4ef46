"""Composing alert and roll-up e-mails (plain text + HTML, Chinese). Pure: no sending here.

Every piece of worker text is PII-masked (:func:`yuqing.pii.mask_pii`) and HTML-escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from ..casework.model import METHODS, Issue
from ..orgtree import OrgTree
from ..pii import mask_pii
from ..schema import SENTIMENT_LABELS, SEVERITY_LABELS, SOURCE_KIND_LABELS, TOPICS, StoredPost

CHANGE_LABELS = {"new": "新议题", "severity": "严重程度升级", "escalated": "逾期上报", "rerouted": "转交责任单位",
                 "rollup": "每日汇总"}


@dataclass
class Composed:
    subject: str
    text: str
    html: str


def issue_link(base_url: str, issue_id: int | None) -> str:
    return f"{base_url.rstrip('/')}/?issue={issue_id}"


def _post_line(sp: StoredPost, tz) -> tuple[str, str, str]:
    """(when, where, masked text) of one post."""
    when = sp.post.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if tz else sp.post.created_at.isoformat()
    where = SOURCE_KIND_LABELS.get(sp.post.source_kind, str(sp.post.source_kind))
    if sp.analysis:
        where += f" · {SENTIMENT_LABELS[sp.analysis.sentiment]}"
    text = mask_pii(" ".join(sp.post.text.split()))
    if len(text) > 200:
        text = text[:199] + "…"
    return when, where, text


def compose_issue_email(issue: Issue, posts: list[StoredPost], tree: OrgTree, *, base_url: str, change: str,
                        tz=None, note: str = "") -> Composed:
    """The e-mail about one issue: what changed, summary, top posts (masked), method, link."""
    sev = SEVERITY_LABELS.get(issue.severity, issue.severity)
    label = CHANGE_LABELS.get(change, change)
    subject = f"【舆情预警·{sev}】{label}：{mask_pii(issue.title)}"
    link = issue_link(base_url, issue.id)
    unit = tree.path_name(issue.unit) if issue.unit else "未分配"
    due = issue.due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if issue.due_at and tz else (
        issue.due_at.isoformat() if issue.due_at else "—")
    facts = [("议题", f"#{issue.id} {mask_pii(issue.title)}"), ("严重程度", sev),
             ("话题", TOPICS.get(issue.topic, issue.topic)), ("责任单位", unit),
             ("当前环节", issue.step), ("办理期限", due), ("相关帖子", f"{issue.post_count} 条")]
    lines = [f"{label}（{sev}）", ""]
    if note:
        lines += [note, ""]
    lines += [f"{k}：{v}" for k, v in facts]
    lines += ["", "概况：", mask_pii(issue.summary), "", "代表性帖子（已隐去个人信息）："]
    rows = [_post_line(sp, tz) for sp in posts]
    lines += [f"- {w}［{s}］{t}" for w, s, t in rows] or ["（无）"]
    if issue.method:
        lines += ["", f"建议方法：{issue.method} —— {METHODS.get(issue.method, '')}", f"理由：{issue.method_reason}"]
    lines += ["", f"在系统中查看与办理：{link}", "", "（本邮件由 yuqing 舆情监测系统自动发送）"]
    e = html.escape
    fact_rows = "".join(f"<tr><th align='left'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    post_items = "".join(f"<li><small>{e(w)} ［{e(s)}］</small><br>{e(t)}</li>" for w, s, t in rows) or "<li>（无）</li>"
    method = (f"<h3>建议方法：{e(issue.method)}</h3><p>{e(METHODS.get(issue.method, ''))}</p>"
              f"<p>理由：{e(issue.method_reason)}</p>") if issue.method else ""
    body = (f"<html><body><h2>{e(label)}（{e(sev)}）</h2>"
            + (f"<p>{e(note)}</p>" if note else "")
            + f"<table>{fact_rows}</table><h3>概况</h3><p>{e(mask_pii(issue.summary))}</p>"
            f"<h3>代表性帖子（已隐去个人信息）</h3><ul>{post_items}</ul>{method}"
            f"<p><a href=\"{e(link, quote=True)}\">在系统中查看与办理</a></p>"
            "<p><small>本邮件由 yuqing 舆情监测系统自动发送</small></p></body></html>")
    return Composed(subject=subject, text="\n".join(lines), html=body)


def compose_rollup(issues: list[Issue], tree: OrgTree, *, base_url: str, day: str) -> Composed:
    """One e-mail listing the day's low-severity issues."""
    subject = f"【舆情预警·每日汇总】{day}：{len(issues)} 个一般议题"
    lines = [f"{day} 新增一般议题 {len(issues)} 个：", ""]
    items = []
    for i in issues:
        link = issue_link(base_url, i.id)
        title = mask_pii(i.title)
        lines.append(f"- #{i.id} {title}（{tree.name(i.unit)}，{i.post_count} 条，建议：{i.method}）{link}")
        items.append(f"<li><a href=\"{html.escape(link, quote=True)}\">#{i.id} {html.escape(title)}</a>"
                     f"（{html.escape(tree.name(i.unit))}，{i.post_count} 条，建议：{html.escape(i.method)}）</li>")
    lines += ["", "（本邮件由 yuqing 舆情监测系统自动发送）"]
    body = f"<html><body><h2>{html.escape(subject)}</h2><ul>{''.join(items)}</ul></body></html>"
    return Composed(subject=subject, text="\n".join(lines), html=body)


def to_message(*, sender: str, recipients: list[str], subject: str, text: str, html_body: str,
               message_id: str, attachments: list[dict] | None = None) -> EmailMessage:
    """A MIME message: multipart/alternative (plain + HTML), UTF-8, the subject RFC 2047-encoded;
    ``attachments`` (``{"filename", "path", "mime"}``, e.g. a digest's PDF) are read from disk now.
    An attachment whose file is gone is left out and said so in the text part."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    missing = [a["filename"] for a in attachments or () if not Path(a["path"]).is_file()]
    if missing:
        text += "\n\n（附件已不存在，未随信发送：" + "、".join(missing) + "）"
    msg.set_content(text, charset="utf-8")
    if html_body:
        msg.add_alternative(html_body, subtype="html", charset="utf-8")
    for a in attachments or ():
        path = Path(a["path"])
        if not path.is_file():
            continue
        maintype, _, subtype = a.get("mime", "application/octet-stream").partition("/")
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype or "octet-stream",
                           filename=a["filename"])
    return msg
