"""Draining the outbox: every e-mail was written there before sending and is marked sent only
once the server accepted it. A server that is down costs retries with backoff, never a message;
a message is never sent twice by yuqing (the row is marked sent right after acceptance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..config import SmtpConfig
from .email import to_message
from .smtp import DeliveryError, SmtpSender

#: Retry delays after the 1st, 2nd … failure; the last one repeats.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    error: str = ""

    def __str__(self) -> str:
        line = f"e-mail: {self.sent} sent, {self.failed} waiting for retry"
        return f"{line} ({self.error})" if self.error else line


def retry_at(attempts_so_far: int, now: datetime) -> datetime:
    return now + BACKOFF[min(attempts_so_far, len(BACKOFF) - 1)]


def message_id(row: dict, sender: str) -> str:
    """Stable per outbox row, so a message that is retried keeps its identity."""
    domain = sender.rsplit("@", 1)[-1] or "localhost"
    return f"<yuqing.{row['id']}.{row['dedupe_key'].replace(':', '.').replace(' ', '')[:60]}@{domain}>"


def drain(store, cfg: SmtpConfig, now: datetime | None = None, limit: int = 200) -> DrainResult:
    """Send the e-mails that are due. When the server cannot be reached every due e-mail gets its
    next retry time and the caller carries on."""
    now = now or datetime.now(timezone.utc)
    due = store.due_emails(now, limit=limit)
    result = DrainResult()
    if not due:
        return result
    try:
        with SmtpSender(cfg) as sender:
            for row in due:
                msg = to_message(sender=cfg.sender, recipients=row["recipients"], subject=row["subject"],
                                 text=row["body_text"], html_body=row["body_html"], message_id=message_id(row, cfg.sender),
                                 attachments=row.get("attachments"))
                try:
                    sender.send(msg)
                except DeliveryError as exc:
                    store.mark_email_failed(row["id"], str(exc), retry_at(row["attempts"], now))
                    result.failed += 1
                    result.error = str(exc)
                    continue
                store.mark_email_sent(row["id"], msg["Message-ID"])
                result.sent += 1
    except DeliveryError as exc:  # could not connect (or the connection dropped): retry them all later
        for row in due[result.sent + result.failed:]:
            store.mark_email_failed(row["id"], str(exc), retry_at(row["attempts"], now))
            result.failed += 1
        result.error = str(exc)
    return result


def drain_outbox(store, config, now: datetime | None = None) -> DrainResult:
    """:func:`drain` with the configured SMTP server."""
    return drain(store, config.smtp, now)
