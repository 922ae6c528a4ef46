"""Sending one message over SMTP (plain, STARTTLS or SSL). The password comes from
``YUQING_SMTP_PASSWORD`` (``SmtpConfig.password``)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from ..config import SmtpConfig
from ..errors import YuqingError


class DeliveryError(YuqingError):
    """The mail server could not be reached or refused the message (it stays in the outbox)."""


class SmtpSender:
    """One SMTP session for a batch of messages: ``with SmtpSender(cfg) as s: s.send(msg)``."""

    def __init__(self, cfg: SmtpConfig):
        self.cfg = cfg
        self.conn: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpSender":
        cfg = self.cfg
        try:
            if cfg.security == "ssl":
                self.conn = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                             context=ssl.create_default_context())
            else:
                self.conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
                if cfg.security == "starttls":
                    self.conn.starttls(context=ssl.create_default_context())
            if cfg.username:
                self.conn.login(cfg.username, cfg.password)
        except (OSError, smtplib.SMTPException) as exc:
            self._quit()
            raise DeliveryError(f"邮件服务器 {cfg.host}:{cfg.port} 连接失败：{exc}") from None
        return self

    def send(self, msg: EmailMessage) -> None:
        """Hand one message to the server; returns only once the server accepted it."""
        assert self.conn is not None
        try:
            refused = self.conn.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"邮件服务器拒收全部收件人：{', '.join(exc.recipients)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"邮件发送失败：{exc}") from None
        if refused:
            raise DeliveryError(f"邮件服务器拒收部分收件人：{', '.join(refused)}")

    def _quit(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None

    def __exit__(self, *exc) -> None:
        self._quit()
