from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser

from yuqing.casework.model import Issue
from yuqing.config import SmtpConfig
from yuqing.notify.email import compose_issue_email, to_message
from yuqing.notify.smtp import SmtpSender
from yuqing.orgtree import OrgTree
from yuqing.schema import Unit

from ..alerts.factory import sp

TREE = OrgTree([Unit("G", "集团工会"), Unit("M1", "一矿工会", "G", 2)])


def issue(**kw) -> Issue:
    base = dict(id=7, title="一矿：工资拖欠三个月", severity="high", topic="wages", unit="M1",
                summary="12 条帖子，联系人 13912345678", method="合理诉求维护法", method_reason="欠薪",
                due_at=datetime(2026, 11, 5, tzinfo=timezone.utc), post_count=12)
    base.update(kw)
    return Issue(**base)


def compose(**kw):
    posts = [sp(1, "工资又没发！有事打我电话 139 1234 5678 <script>alert(1)</script>", sentiment="negative")]
    return compose_issue_email(issue(**kw), posts, TREE, base_url="http://dash.example:8501/", change="new")


def test_text_and_html_parts_mask_pii_and_escape_html():
    c = compose()
    for body in (c.text, c.html):
        assert "13912345678" not in body and "139 1234 5678" not in body
        assert "139****5678" in body and "139 **** 5678" in body
        assert "合理诉求维护法" in body
        assert "http://dash.example:8501/?issue=7" in body
    assert "<script>" not in c.html and "&lt;script&gt;" in c.html
    assert "<script>alert(1)</script>" in c.text  # plain text is not HTML: shown as written


def test_message_over_real_smtp_decodes_to_the_same_chinese(sink):
    c = compose()
    msg = to_message(sender="yuqing@example.org", recipients=["ganbu@example.org"], subject=c.subject, text=c.text,
                     html_body=c.html, message_id="<t1@example.org>")
    with SmtpSender(SmtpConfig(host="127.0.0.1", port=sink.port)) as s:
        s.send(msg)
    (eml,) = sorted(sink.folder.glob("*.eml"))
    raw = eml.read_bytes()
    assert b"Subject: =?utf-8?" in raw  # RFC 2047 encoded, not raw UTF-8 in the header
    got = BytesParser(policy=policy.default).parse(eml.open("rb"))
    assert got["Subject"] == c.subject and got["Subject"].startswith("【舆情预警·严重】新议题")
    assert got["To"] == "ganbu@example.org"
    assert got.get_body(("plain",)).get_content().rstrip("\n") == c.text
    assert got.get_body(("html",)).get_content().rstrip("\n") == c.html
