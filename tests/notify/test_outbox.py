from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser

from yuqing.config import SmtpConfig
from yuqing.notify.outbox import BACKOFF, drain, retry_at
from yuqing.notify.sink import SmtpSink

from ..conftest import free_port


def queue(store, n: int) -> None:
    for i in range(n):
        assert store.enqueue_email(dedupe_key=f"issue:{i}:new", kind="alert", recipients=["a@example.org"],
                                   subject=f"议题 {i}", body_text=f"正文 {i}", body_html=f"<p>正文 {i}</p>")


def test_server_down_then_up_each_mail_arrives_exactly_once(store, tmp_path):
    port = free_port()
    cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=2)
    queue(store, 5)
    t0 = datetime.now(timezone.utc) + timedelta(seconds=1)
    down = drain(store, cfg, now=t0)
    assert (down.sent, down.failed) == (0, 5) and "连接失败" in down.error
    assert drain(store, cfg, now=t0 + timedelta(seconds=30)).failed == 0  # backing off: not retried yet
    assert store.outbox_counts() == {"sent": 0, "pending": 5, "failing": 5, "failed": 0}
    with SmtpSink(tmp_path / "mail", port=port) as sink:
        up = drain(store, cfg, now=t0 + BACKOFF[0] + timedelta(seconds=1))
        again = drain(store, cfg, now=t0 + timedelta(days=1))
        files = sorted(sink.folder.glob("*.eml"))
    assert (up.sent, up.failed, again.sent) == (5, 0, 0)
    subjects = sorted(BytesParser(policy=policy.default).parse(f.open("rb"))["Subject"] for f in files)
    assert subjects == [f"议题 {i}" for i in range(5)]
    assert store.outbox_counts()["sent"] == 5


def test_same_change_is_queued_once(store):
    queue(store, 1)
    assert not store.enqueue_email(dedupe_key="issue:0:new", kind="alert", recipients=["a@example.org"],
                                   subject="again", body_text="x")


def test_backoff_grows_and_caps():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    delays = [retry_at(n, now) - now for n in range(8)]
    assert delays == sorted(delays) and delays[-1] == BACKOFF[-1] and delays[0] == BACKOFF[0]


def test_attachments_travel_with_the_mail(store, tmp_path):
    port = free_port()
    pdf = tmp_path / "weekly-2026-W46-G.pdf"
    pdf.write_bytes(b"%PDF-1.7 fake but bytes are bytes")
    assert store.enqueue_email(dedupe_key="digest:week:2026-W46:G", kind="digest", recipients=["l@example.org"],
                               subject="周报", body_text="见附件", body_html="<p>见附件</p>",
                               attachments=[{"filename": pdf.name, "path": str(pdf), "mime": "application/pdf"},
                                            {"filename": "gone.pdf", "path": str(tmp_path / "gone.pdf"),
                                             "mime": "application/pdf"}])
    cfg = SmtpConfig(host="127.0.0.1", port=port, timeout=5)
    with SmtpSink(tmp_path / "mail", port=port) as sink:
        assert drain(store, cfg, now=datetime.now(timezone.utc) + timedelta(seconds=1)).sent == 1
        (eml,) = sink.folder.glob("*.eml")
    msg = BytesParser(policy=policy.default).parse(eml.open("rb"))
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == pdf.name and att.get_content() == pdf.read_bytes()
    assert "gone.pdf" in msg.get_body(("plain",)).get_content()
