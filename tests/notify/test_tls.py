"""STARTTLS and SMTPS with a password from YUQING_SMTP_PASSWORD, against aiosmtpd with a
throw-away certificate for 127.0.0.1 (trusted through SSL_CERT_FILE)."""

import ssl
import subprocess
from email.message import EmailMessage

import pytest

from yuqing.config import SmtpConfig
from yuqing.notify.sink import SmtpSink
from yuqing.notify.smtp import DeliveryError, SmtpSender

from ..conftest import free_port


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(crt), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return key, crt


@pytest.fixture
def cert(cert_files, monkeypatch):
    key, crt = cert_files
    monkeypatch.setenv("SSL_CERT_FILE", str(crt))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, key)
    return ctx


def message() -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "yuqing@example.org", "ganbu@example.org", "加密发送"
    m.set_content("正文")
    return m


@pytest.mark.parametrize("security", ["starttls", "ssl"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_encrypted_and_authenticated(tmp_path, cert, monkeypatch, security):
    port = free_port()
    tls = {"starttls": cert} if security == "starttls" else {"ssl_context": cert}
    monkeypatch.setenv("YUQING_SMTP_PASSWORD", "s3cret")
    cfg = SmtpConfig(host="127.0.0.1", port=port, security=security, username="yuqing", timeout=5)
    with SmtpSink(tmp_path / "mail", port=port, accounts={"yuqing": "s3cret"}, **tls) as sink:
        with SmtpSender(cfg) as s:
            s.send(message())
        assert len(list(sink.folder.glob("*.eml"))) == 1
        anonymous = SmtpConfig(host="127.0.0.1", port=port, security=security, timeout=5)
        with pytest.raises(DeliveryError, match="530"), SmtpSender(anonymous) as s:
            s.send(message())  # the server wants AUTH: refused, so the outbox keeps it
        assert len(list(sink.folder.glob("*.eml"))) == 1
