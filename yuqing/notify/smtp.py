"""Sending one message over SMTP (plain, STARTTLS or SSL). The password comes from
``YUQING_SMTP_PASSWORD`` (``SmtpConfig.password``).

Every attempt is bounded: connecting, the server's greeting, TLS and login together by
``[smtp] connect_timeout``, handing over one whole message by ``[smtp] send_timeout`` (a server
that trickles its replies a byte at a time never trips the per-read ``timeout``; a watchdog cuts
the connection at the deadline). A refusal is classified: 5xx is permanent (the message is given
up at once), 4xx and network trouble are transient (tried again later).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from ..config import SmtpConfig
from ..errors import YuqingError


class DeliveryError(YuqingError):
    """The mail server could not be reached or refused the message.

    ``permanent``: the server refused it for good (a 5xx reply) — sending it again cannot help.
    ``connection_lost``: the connection is unusable now (reconnect before the next message)."""

    def __init__(self, message: str, *, permanent: bool = False, code: int | None = None,
                 connection_lost: bool = False):
        super().__init__(message)
        self.permanent, self.code, self.connection_lost = permanent, code, connection_lost


@dataclass
class Refused:
    """Recipients the server refused while accepting the message for the others."""

    permanent: dict[str, str] = field(default_factory=dict)  # address → the server's reply
    transient: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.permanent or self.transient)


def _reply(code: int, msg) -> str:
    text = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
    return f"{code} {' '.join(text.split())}"[:300]


class _Watchdog:
    """Shuts a socket down when a deadline passes, so a blocked read or write returns at once."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self._timer: threading.Timer | None = None
        self.fired = ""
        self._lock = threading.Lock()

    def arm(self, seconds: float, what: str) -> None:
        self.disarm()
        self.fired = ""
        self._timer = threading.Timer(seconds, self._cut, args=(what,))
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _cut(self, what: str) -> None:
        with self._lock:
            self.fired = what
            if self.sock is not None:
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Watched(smtplib.SMTP):
    """An SMTP client whose raw socket (the TCP one, before any TLS) its watchdog can cut."""

    watchdog: _Watchdog

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        self.watchdog.sock = sock
        return sock


class _Plain(_Watched):
    pass


class _Tls(smtplib.SMTP_SSL, _Watched):
    """SMTP_SSL's ``_get_socket`` calls the next class's: ours records the TCP socket before the handshake."""


class SmtpSender:
    """One SMTP session for a batch of messages: ``with SmtpSender(cfg) as s: s.send(msg)``."""

    def __init__(self, cfg: SmtpConfig):
        self.cfg = cfg
        self.conn: smtplib.SMTP | None = None
        self.watchdog = _Watchdog()

    def __enter__(self) -> SmtpSender:
        cfg = self.cfg
        self.watchdog.arm(cfg.connect_timeout, "连接与问候")
        try:
            if cfg.security == "ssl":
                conn: smtplib.SMTP = _Tls(timeout=cfg.timeout, context=ssl.create_default_context())
            else:
                conn = _Plain(timeout=cfg.timeout)
            conn.watchdog = self.watchdog
            conn._host = cfg.host  # what TLS checks the certificate against (SMTP() sets it only from its host argument)
            self.conn = conn
            code, msg = conn.connect(cfg.host, cfg.port)
            if code != 220:
                raise DeliveryError(f"邮件服务器 {cfg.host}:{cfg.port} 拒绝连接：{_reply(code, msg)}", code=code,
                                    connection_lost=True)
            if cfg.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
            if cfg.username:
                conn.login(cfg.username, cfg.password)
            if self.watchdog.fired:  # a reply cut short by the watchdog can look complete
                raise OSError("deadline")
        except DeliveryError:
            self._close()
            raise
        except (OSError, smtplib.SMTPException) as exc:
            why = self._deadline_passed(cfg.connect_timeout) or str(exc)
            self._close()
            raise DeliveryError(f"邮件服务器 {cfg.host}:{cfg.port} 连接失败：{why}", connection_lost=True) from None
        finally:
            self.watchdog.disarm()
        return self

    def _deadline_passed(self, seconds: float) -> str:
        if not self.watchdog.fired:
            return ""
        return f"{self.watchdog.fired}超过 {seconds:g} 秒，连接已切断"

    def send(self, msg: EmailMessage) -> Refused:
        """Hand one message to the server; returns once the server accepted it for at least one
        recipient, with the recipients it refused. Raises :class:`DeliveryError` otherwise."""
        assert self.conn is not None
        self.watchdog.arm(self.cfg.send_timeout, "发送一封邮件")
        try:
            refused = self.conn.send_message(msg)
            if self.watchdog.fired:  # a reply cut short by the watchdog can look complete
                raise OSError("deadline")
        except smtplib.SMTPRecipientsRefused as exc:
            replies = {r: c for r, (c, _m) in exc.recipients.items()}
            permanent = all(c >= 500 for c in replies.values())
            detail = "；".join(f"{r}（{_reply(c, m)}）" for r, (c, m) in exc.recipients.items())
            raise DeliveryError(f"邮件服务器拒收全部收件人：{detail}", permanent=permanent,
                                code=max(replies.values(), default=None)) from None
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, …
            lost = isinstance(exc, smtplib.SMTPServerDisconnected) or exc.smtp_code in (421,)
            raise DeliveryError(f"邮件服务器拒收：{_reply(exc.smtp_code, exc.smtp_error)}",
                                permanent=500 <= exc.smtp_code < 600, code=exc.smtp_code,
                                connection_lost=lost) from None
        except (OSError, smtplib.SMTPException) as exc:
            why = self._deadline_passed(self.cfg.send_timeout) or str(exc) or type(exc).__name__
            raise DeliveryError(f"邮件发送失败：{why}", connection_lost=True) from None
        finally:
            self.watchdog.disarm()
        out = Refused()
        for rcpt, (code, m) in (refused or {}).items():
            (out.permanent if code >= 500 else out.transient)[rcpt] = _reply(code, m)
        return out

    def _close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None

    def _quit(self) -> None:
        if self.conn is not None:
            self.watchdog.arm(self.cfg.timeout, "结束会话")
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self._close()
            finally:
                self.watchdog.disarm()
            self.conn = None

    def __exit__(self, *exc) -> None:
        self._quit()
