"""A local SMTP sink: accepts every message and saves it as a readable ``.eml`` file.

Used by ``yuqing demo`` and the tests in place of a real mail server::

    with SmtpSink(folder, port=8025) as sink: …   # or sink.start() … sink.stop()
    python -m yuqing.notify.sink --port 8025 --dir DIR
"""

from __future__ import annotations

import argparse
import itertools
import ssl
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ..files import private_dir, private_umask, write_private


class _SaveHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self._n = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with self._lock:
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self._n):05d}.eml"
        write_private(self.folder / name, data)  # 0600, and readers never see half a file
        return "250 Message accepted for delivery"


class _Accounts:
    """aiosmtpd authenticator accepting the given username → password pairs."""

    def __init__(self, accounts: dict[str, str]):
        self.accounts = accounts

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and self.accounts.get(auth_data.login.decode()) == \
            auth_data.password.decode()
        return AuthResult(success=ok)


class SmtpSink:
    """An aiosmtpd server on ``host:port`` writing every message it receives to ``folder``.

    ``starttls`` (an SSL context with a certificate) offers STARTTLS; ``ssl`` serves implicit TLS
    (SMTPS); ``accounts`` requires AUTH with one of these username → password pairs.
    """

    def __init__(self, folder: str | Path, *, host: str = "127.0.0.1", port: int = 8025,
                 starttls: ssl.SSLContext | None = None, ssl_context: ssl.SSLContext | None = None,
                 accounts: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.host, self.port = host, port
        self._tls = {"tls_context": starttls} if starttls else {}
        self._ssl = ssl_context
        if accounts:
            self._tls.update(authenticator=_Accounts(accounts), auth_required=True,
                             auth_require_tls=bool(starttls))  # SMTPS is encrypted from the start
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        private_dir(self.folder)
        self._controller = Controller(_SaveHandler(self.folder), hostname=self.host, port=self.port,
                                      ssl_context=self._ssl, data_size_limit=20 * 1024 * 1024, **self._tls)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def messages(self) -> list:
        """Messages received so far, oldest first, parsed (``email.message.EmailMessage``)."""
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(self.folder.glob("*.eml"))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m yuqing.notify.sink",
                                 description="本地 SMTP 收件器：把收到的每封邮件存为 .eml 文件。")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8025)
    ap.add_argument("--dir", required=True, help="保存 .eml 文件的文件夹")
    args = ap.parse_args(argv)
    private_umask()
    sink = SmtpSink(args.dir, host=args.host, port=args.port).start()
    print(f"本地 SMTP 收件器在 {args.host}:{args.port} 监听，邮件存到 {args.dir}（Ctrl-C 停止）", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
