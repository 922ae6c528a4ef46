import subprocess
import sys
import time
from email.message import EmailMessage

import pytest

from yuqing.config import SmtpConfig
from yuqing.notify.smtp import DeliveryError, SmtpSender

from ..conftest import free_port


def test_sink_saves_readable_eml_and_runs_as_a_module(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "yuqing.notify.sink", "--port", str(port), "--dir", str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert "监听" in proc.stdout.readline()
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "测试邮件"
        msg.set_content("正文：欠薪")
        with SmtpSender(SmtpConfig(host="127.0.0.1", port=port)) as s:
            s.send(msg)
        for _ in range(50):
            files = list(tmp_path.glob("*.eml"))
            if files:
                break
            time.sleep(0.05)
        (eml,) = files
        raw = eml.read_bytes()
        assert b"Subject: =?utf-8?" in raw and b"From: a@example.org" in raw
        assert not list(tmp_path.glob("*.part"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_unreachable_server_is_a_delivery_error():
    with pytest.raises(DeliveryError, match="连接失败"):
        with SmtpSender(SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2)):
            pass
