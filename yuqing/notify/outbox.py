"""Draining the outbox, with the delivery semantics of a mail queue.

- Every e-mail is written to the outbox before it is sent (an alert in the same transaction as its
  issue), and marked sent only once the server accepted it.
- A sender **claims** an e-mail (a lease with its name and an expiry) before sending it, so two
  senders draining one outbox never send the same e-mail; a sender that dies leaves a lease that
  expires, and the e-mail is tried again.
- Network trouble and 4xx replies are retried with growing delays until the e-mail's give-up time
  (``[smtp] give_up_hours``, default 3 days); a 5xx reply gives it up at once. A given-up e-mail
  is counted (``yuqing stats``), listed (dashboard, ``yuqing doctor``) and reported to the admins.
- Connecting and each whole message have deadlines (:mod:`.smtp`).

The guarantee is **at least once**, not exactly once: if yuqing dies after the server's 250 reply
and before marking the e-mail sent, it is sent again. Every e-mail keeps one stable Message-ID
across attempts, so receiving systems (and people) can tell a repeat.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..config import SmtpConfig
from ..schema import Role
from .email import to_message
from .smtp import DeliveryError, Refused, SmtpSender

if TYPE_CHECKING:
    from ..storage.protocols import MailStore

#: Retry delays after the 1st, 2nd … failure; the last one repeats.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
#: A claim outlives the attempt it covers by this much.
LEASE_MARGIN = timedelta(seconds=60)
REPORT_KIND = "delivery_report"


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0  # waiting for a retry
    given_up: int = 0
    error: str = ""

    def __str__(self) -> str:
        line = f"邮件：已发送 {self.sent} 封，等待重试 {self.failed} 封"
        if self.given_up:
            line += f"，放弃 {self.given_up} 封"
        return f"{line}（{self.error}）" if self.error else line


def retry_at(attempts_so_far: int, now: datetime) -> datetime:
    return now + BACKOFF[min(attempts_so_far, len(BACKOFF) - 1)]


def message_id(row: dict, sender: str) -> str:
    """Stable per outbox row, so a message that is retried (or re-sent after a crash) keeps its identity."""
    domain = sender.rsplit("@", 1)[-1] or "localhost"
    return f"<yuqing.{row['id']}.{row['dedupe_key'].replace(':', '.').replace(' ', '')[:60]}@{domain}>"


def sender_name() -> str:
    """This sender's name on its claims: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def lease_for(cfg: SmtpConfig) -> timedelta:
    """How long a claim lasts: longer than one attempt can (connect and send deadlines) take."""
    return timedelta(seconds=cfg.connect_timeout + cfg.send_timeout) + LEASE_MARGIN


def _message(row: dict, cfg: SmtpConfig):
    return to_message(sender=cfg.sender, recipients=row["recipients"], subject=row["subject"], text=row["body_text"],
                      html_body=row["body_html"], message_id=message_id(row, cfg.sender),
                      attachments=row.get("attachments"))


def drain(store: MailStore, cfg: SmtpConfig, now: datetime | None = None, limit: int = 200, owner: str = "") -> DrainResult:
    """Send the e-mails that are due, claiming each before sending it. When the server cannot be
    reached, every due e-mail gets its next retry time and the caller carries on."""
    now = now or datetime.now(timezone.utc)
    owner = owner or sender_name()
    lease = lease_for(cfg)
    result = DrainResult()
    sender: SmtpSender | None = None
    try:
        for _ in range(limit):
            claimed = store.claim_emails(now, owner, lease, limit=1)
            if not claimed:
                break
            row = claimed[0]
            if sender is None:
                try:
                    sender = SmtpSender(cfg).__enter__()
                except DeliveryError as exc:  # the server is unreachable: every due e-mail waits
                    result.error = str(exc)
                    _failed(store, row, exc, now, owner, result)
                    for other in store.claim_emails(now, owner, lease, limit=limit):
                        _failed(store, other, exc, now, owner, result)
                    break
            try:
                msg = _message(row, cfg)
                refused = sender.send(msg)
            except DeliveryError as exc:
                result.error = str(exc)
                _failed(store, row, exc, now, owner, result)
                if exc.connection_lost:
                    sender._close()
                    sender = None
                continue
            store.mark_email_sent(row["id"], msg["Message-ID"], owner)
            result.sent += 1
            if refused:
                _partly_refused(store, row, refused, now, result)
    finally:
        if sender is not None:
            sender.__exit__(None, None, None)
    return result


def _failed(store, row: dict, exc: DeliveryError, now: datetime, owner: str, result: DrainResult) -> None:
    given_up = store.mark_email_failed(row["id"], str(exc), retry_at(row["attempts"], now), permanent=exc.permanent,
                                       owner=owner)
    if given_up:
        result.given_up += 1
    else:
        result.failed += 1


def _partly_refused(store, row: dict, refused: Refused, now: datetime, result: DrainResult) -> None:
    """The server took the message for some recipients and refused others: those get an e-mail of
    their own, tried again as usual (a recipient refused for good is refused again at once, and that
    e-mail is given up and reported)."""
    give_up = datetime.fromtimestamp(row["give_up_at"], tz=timezone.utc) if row.get("give_up_at") else None
    who = sorted({**refused.transient, **refused.permanent})
    store.enqueue_email(dedupe_key=f"{row['dedupe_key']}|to:{','.join(who)}", kind=row["kind"], recipients=who,
                        subject=row["subject"], body_text=row["body_text"], body_html=row["body_html"],
                        issue_id=row.get("issue_id"), attachments=row.get("attachments"),
                        send_after=now + BACKOFF[0], give_up_at=give_up)
    result.error = "部分收件人被拒收：" + "；".join(f"{r}（{m}）" for r, m in {**refused.transient,
                                                                     **refused.permanent}.items())


def admin_addresses(config) -> list[str]:
    """Who hears about given-up e-mails: the admins' addresses, else the monitoring staff's."""
    for role in (Role.ADMIN, Role.MONITOR):
        found = [u.email for u in config.users if u.role == role and u.email]
        if found:
            return list(dict.fromkeys(found))
    return []


def report_failures(store: MailStore, config, now: datetime | None = None) -> int:
    """One e-mail to the admins listing the e-mails given up since the last report (a report that
    itself fails is listed in stats and the doctor, never reported again). Returns e-mails reported."""
    now = now or datetime.now(timezone.utc)
    failed = [r for r in store.failed_emails(unreported=True, limit=500) if r["kind"] != REPORT_KIND]
    if not failed:
        return 0
    for r in failed:
        store.audit("yuqing-mail", "email_given_up", str(r["id"]),
                    {"subject": r["subject"], "recipients": r["recipients"], "error": r["last_error"],
                     "attempts": r["attempts"]})
    to = admin_addresses(config)
    if to:
        lines = [f"以下 {len(failed)} 封邮件未能投递，yuqing 已停止重试：", ""]
        for r in failed:
            lines += [f"- #{r['id']}「{r['subject']}」→ {', '.join(r['recipients'])}",
                      f"  尝试 {r['attempts']} 次；最后一次错误：{r['last_error']}"]
        lines += ["", "请核对收件人地址和邮件服务器设置；需要时请直接联系收件人。",
                  "（也可在仪表盘「数据源」页或 `yuqing doctor` 中查看。）", "", "（本邮件由 yuqing 舆情监测系统自动发送）"]
        import html

        items = "".join(f"<li>#{r['id']}「{html.escape(r['subject'])}」→ {html.escape(', '.join(r['recipients']))}"
                        f"<br><small>尝试 {r['attempts']} 次；{html.escape(r['last_error'])}</small></li>"
                        for r in failed)
        store.enqueue_email(dedupe_key=f"{REPORT_KIND}:{','.join(str(r['id']) for r in failed)}", kind=REPORT_KIND,
                            recipients=to, subject=f"【yuqing】{len(failed)} 封邮件投递失败",
                            body_text="\n".join(lines),
                            body_html=f"<html><body><p>以下 {len(failed)} 封邮件未能投递，yuqing 已停止重试：</p>"
                                      f"<ul>{items}</ul><p>请核对收件人地址和邮件服务器设置。</p></body></html>",
                            send_after=now)
    store.mark_emails_reported(r["id"] for r in failed)
    return len(failed)


def drain_outbox(store: MailStore, config, now: datetime | None = None) -> DrainResult:
    """:func:`drain` with the configured SMTP server; e-mails given up are reported to the admins
    (the report goes out on the next drain)."""
    result = drain(store, config.smtp, now)
    report_failures(store, config, now)
    return result
