from __future__ import annotations

import json

from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, wechat_articles
from yuqing.schema import SourceKind

from ..conftest import FIXTURES, SHARED_FORMATS


def test_json_articles_comments_and_account_replies():
    """The fixture is a 2.2+ export (``JSON.stringify``, ``content`` = the page text on one line)."""
    data = json.loads((FIXTURES / "articles/微信公众号文章.json").read_text(encoding="utf-8"))
    recs = list(wechat_articles.parse_json(data, ParseContext(origin="a.json")))
    posts = [r for r in recs if isinstance(r, ChatRecord)]
    article, comment, reply, comment2 = posts
    assert article.post.source_kind == SourceKind.WECHAT_ARTICLE
    assert (article.chat_id, article.chat_name) == ("MzI0NTU1NTAwMQ==", "某能源集团工会")  # __biz, name
    assert article.post.title == "集团工会开展“送清凉”活动"
    # the title, 原创, author and account the page text starts with are not part of the body
    assert article.post.text == "近日，集团工会深入一线开展慰问。联系人电话 13712345678"
    assert article.post.likes == 20 and article.post.extra["read"] == 1532
    assert comment.post.source_kind == SourceKind.WECHAT_COMMENT
    assert comment.parent_native == article.post.native_id and comment.post.extra["ip"] == "山西"
    assert reply.parent_native == comment.post.native_id
    assert reply.post.extra["account_reply"] is True and reply.post.author == "某能源集团工会"
    assert comment2.post.text == "点赞工会！"
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["已删除文章"]
    assert [r.position for r in recs if isinstance(r, QuarantineRecord)] == ["第 3 篇文章"]


def test_xlsx_articles():
    """A hand-made 2.2 XLSX whose 文章内容 is HTML (the exporter writes text; HTML is still read)."""
    data = (FIXTURES / "articles_xlsx/微信公众号文章.xlsx").read_bytes()
    recs = list(wechat_articles.parse_xlsx(data, ParseContext(origin="a.xlsx")))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert len(posts) == 1 and posts[0].title == "矿区职工运动会圆满落幕"
    assert posts[0].text == "本届运动会共有12支代表队参赛。" and posts[0].extra["read"] == 800
    assert [r.position for r in recs if isinstance(r, QuarantineRecord)] == ["第 3 行"]


def test_damaged_xlsx_is_reported():
    recs = list(wechat_articles.parse_xlsx(b"PK\x03\x04xl/garbage", ParseContext(origin="a.xlsx")))
    assert len(recs) == 1 and "无法打开" in recs[0].reason


def test_real_deleted_and_violation_pages_are_reported():
    for name, word in (("article_deleted_01.html", "删除"), ("article_violation_01.html", "违规")):
        text = (SHARED_FORMATS / "wechat_article_html" / name).read_text(encoding="utf-8")
        recs = list(wechat_articles.parse_page(text, ParseContext(origin=name)))
        assert len(recs) == 1 and isinstance(recs[0], QuarantineRecord)
        assert word in recs[0].reason


def test_saved_article_page_parsed():
    html = """<html><script>var msg_title = '班组长培训开班'.html(false); var nickname = htmlDecode("某矿工会");
    var user_name = "gh_123abc"; var ct = "1762218000"; var msg_link = "http://mp.weixin.qq.com/s?__biz=x&amp;mid=1";</script>
    <h1 id="activity-name">班组长培训开班</h1><div id="js_content"><p>第一段</p><p>第二段</p></div></html>"""
    recs = list(wechat_articles.parse_page(html, ParseContext(origin="p.html")))
    # the account is its __biz (from the link), as in the exporter's JSON, so both find one source
    assert len(recs) == 1 and recs[0].chat_id == "x" and recs[0].chat_name == "某矿工会"
    assert recs[0].post.extra["account_id"] == "gh_123abc"
    assert recs[0].post.text == "第一段\n\n第二段" and recs[0].post.title == "班组长培训开班"
    assert recs[0].post.url == "http://mp.weixin.qq.com/s?__biz=x&mid=1"


def test_saved_page_js_strings_are_decoded():
    """WeChat writes inline-JS strings with ``\\x27``-style escapes; the DOM title wins when present."""
    html = r"""<html><script>var msg_title = 'A \x26amp; B \x27C\x27'.html(false); var nickname = htmlDecode("\x3c矿\x3e");
    var biz = "MzA=" || ""; var ct = "1762218000";</script><div id="js_content"><p>正文</p></div></html>"""
    rec = next(iter(wechat_articles.parse_page(html, ParseContext(origin="p.html"))))
    assert (rec.post.title, rec.chat_name, rec.chat_id) == ("A & B 'C'", "<矿>", "MzA=")
