"""Official-account exports written the way wechat-article-exporter and wechatDownload write them
(:mod:`.make_articles`) import exactly: every article, featured comment and reply with the
author, local time and text the layout preserves, parents linked, nothing extra, skips counted,
and importing again — or a re-encoded, renamed copy — adds nothing. The same article and comment
exported in several layouts is stored once."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from yuqing.crawler.cleaning import clean_text
from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import ParseContext, QuarantineRecord
from yuqing.crawler.parsers.article_exports import _when, parse_html
from yuqing.crawler.parsers.articles_common import ArticleHead, article_key, page_minute, strip_reply_to
from yuqing.crawler.parsers.decode import sniff_encoding
from yuqing.crawler.parsers.detect import detect_format
from yuqing.crawler.parsers.wechat_articles import _content_text, parse_json
from yuqing.crawler.parsers.wechatdownload import NO_TIME, _meta_fields, md_text, parse_markdown
from yuqing.storage import PostQuery

from . import make_articles as mk
from .articles_truth import TZ, Article, account, assert_exact, at, expected, to_minute
from .check import assert_reimports_add_nothing, import_ok

ACC = account()
BIZ = ACC.biz


def joined(a: Article) -> str:
    """The body as the exporter's one-line text keeps it: paragraphs run together."""
    return clean_text(re.sub(r"\s+", " ", "".join(a.paragraphs)))


def lines(a: Article) -> str:
    return clean_text("\n".join(a.paragraphs))


def minute(a: Article) -> datetime:
    return to_minute(a.published)


def v1_time(now: datetime):
    """What ``formatAlbumTime`` keeps of a comment time: within two weeks of the export only a
    relative word (stored at the article's time), before that the date (never before the article)."""
    midnight = now.replace(hour=0, minute=0, second=0)

    def at_(d: datetime, a: Article) -> datetime:
        if d >= midnight - timedelta(days=14):
            return minute(a)
        return max(d.replace(hour=0, minute=0, second=0), minute(a))
    return at_


def article_time_only(d: datetime, a: Article) -> datetime:
    return minute(a)


def _import_layout(store, config, tmp_path, paths, want, skipped):
    report = import_ok(store, config, paths)
    assert_exact(store, want)
    assert dict(report.skipped) == skipped
    assert_reimports_add_nothing(store, config, paths, tmp_path)
    return report


# --- wechat-article-exporter JSON ------------------------------------------------------------------
@pytest.mark.parametrize("version", ["2.3.21", "2.3.5"])
def test_exporter_json_with_content_and_comments(store, config, tmp_path, version):
    """2.2+: every comment and every reply ($reply_list, not only the first ones reply_new carries),
    the account's own replies under its name, the body without the title/author/account lead."""
    paths = mk.write_exporter_json(ACC, tmp_path / "out", version=version)
    want = expected(ACC, body=joined)
    _import_layout(store, config, tmp_path, paths, want, {"已删除文章": 1, "图片": 1})


def test_exporter_json_without_content(store, config, tmp_path):
    paths = mk.write_exporter_json(ACC, tmp_path / "out", version="2.2.0", content=False)
    _import_layout(store, config, tmp_path, paths, expected(ACC, body=lambda a: a.digest), {"已删除文章": 1, "图片": 1})


def test_exporter_json_before_2_2_names_the_account_by_its_biz(store, config, tmp_path):
    """2.0–2.1 wrote no account name: the account is its __biz (fakeid), the page text keeps the
    name at its start (nothing says where it ends), an article without an author has none."""
    paths = mk.write_exporter_json(ACC, tmp_path / "out", version="2.1.5")
    want = expected(ACC, shown_account=BIZ, body=lambda a: f"{ACC.name} {joined(a)}", author=lambda a: a.author)
    _import_layout(store, config, tmp_path, paths, want, {"已删除文章": 1, "图片": 1})


# --- wechat-article-exporter XLSX ------------------------------------------------------------------
@pytest.mark.parametrize("version", ["2.3", "2.2"])
def test_exporter_xlsx(store, config, tmp_path, version):
    """No comments; the deleted article is a row like any other (the sheet has no flag); its empty
    文章内容 leaves the digest."""
    paths = mk.write_exporter_xlsx(ACC, tmp_path / "out", version=version)
    want = expected(ACC, comments=False, deleted_rows=True, body=lambda a: a.digest if a.deleted else joined(a))
    _import_layout(store, config, tmp_path, paths, want, {})


def test_exporter_xlsx_before_2_2_is_read(store, config, tmp_path):
    """Before 2.2 the sheet had no 公众号 column (it was rejected): the link's __biz names the account."""
    paths = mk.write_exporter_xlsx(ACC, tmp_path / "out", version="2.1")
    want = expected(ACC, comments=False, deleted_rows=True, shown_account=BIZ, author=lambda a: a.author,
                    body=lambda a: a.digest if a.deleted else f"{ACC.name} {joined(a)}")
    _import_layout(store, config, tmp_path, paths, want, {})


def test_exporter_xlsx_batch_download(store, config, tmp_path):
    """The 2025 batch download: 序号, 公众号 … 文章内容 (the page's paragraphs, entities left in)."""
    paths = mk.write_exporter_xlsx(ACC, tmp_path / "out", version="batch")
    _import_layout(store, config, tmp_path, paths, expected(ACC, comments=False, body=lines), {})


def test_exporter_xlsx_article_list(store, config, tmp_path):
    """The 2024–25 list export: 标题, 发布日期 (minutes), …, 摘要, 原文链接; the account only in the file name."""
    paths = mk.write_exporter_xlsx(ACC, tmp_path / "out", version="list")
    want = expected(ACC, comments=False, deleted_rows=True, shown_account=BIZ, author=lambda a: a.author,
                    body=lambda a: a.digest, article_time=minute)
    _import_layout(store, config, tmp_path, paths, want, {})


# --- wechat-article-exporter HTML ------------------------------------------------------------------
def test_exporter_html(store, config, tmp_path):
    """2.x: scripts stripped, the date only as 2025年06月03日 18:30; every comment and reply rendered
    in the page (「回复 某人:」 taken off); style sheets and images beside it are skipped assets."""
    paths = mk.write_exporter_html(ACC, tmp_path / "out")
    report = _import_layout(store, config, tmp_path, [tmp_path / "out"], expected(ACC, article_time=minute),
                            {"图片": 1})
    assert len(paths) == 3 and dict(report.assets) == {"网页资源": 3, "图片": 3}


def test_exporter_html_2024_relative_comment_dates(store, config, tmp_path):
    """2024–25: comment dates relative to the export (「1 week ago」: stored at the article's time;
    「06/04」: that day, never before the article); only the replies the comment list carries."""
    mk.write_exporter_html_v1(ACC, tmp_path / "out", now=mk.V1_NOW)
    want = expected(ACC, article_time=minute, comment_time=v1_time(mk.V1_NOW), all_replies=False)
    _import_layout(store, config, tmp_path, [tmp_path / "out"], want, {"空留言": 1})
    times = {p.post.text: p.post.extra.get("time_precision") for p in store.query_posts(PostQuery(limit=100))}
    assert times["支持！"] == "unknown" and times["欢迎大家来借阅"] == "day" and times["同问 & 顶一下"] == "day"


def test_saved_article_pages(store, config, tmp_path):
    paths = mk.write_saved_pages(ACC, tmp_path / "out")
    _import_layout(store, config, tmp_path, paths, expected(ACC, comments=False), {})


# --- wechatDownload ---------------------------------------------------------------------------------
def test_wechatdownload_html_markdown_and_pdf_html(store, config, tmp_path):
    """1.7.1 with 下载评论/下载评论回复/保存为pdf: the comment script's exact times and every reply (the
    detail map); the Markdown and pdf.html of each article add nothing; each file counts its skips."""
    mk.write_wechatdownload(ACC, tmp_path / "out", version="1.7.1", pdf=True)
    report = _import_layout(store, config, tmp_path, [tmp_path / "out"], expected(ACC, article_time=minute),
                            {"图片": 2, "空留言": 1})
    assert report.duplicates == 2 * 14


def test_wechatdownload_without_reply_details(store, config, tmp_path):
    mk.write_wechatdownload(ACC, tmp_path / "out", version="1.3.0", replies=False)
    want = expected(ACC, article_time=minute, all_replies=False)
    _import_layout(store, config, tmp_path, [tmp_path / "out"], want, {"图片": 1, "空留言": 1})


def test_wechatdownload_markdown_alone(store, config, tmp_path):
    """The Markdown's comment list has no times: comments are stored at the article's time."""
    paths = [p for p in mk.write_wechatdownload(ACC, tmp_path / "out", version="1.7.1") if p.suffix == ".md"]
    want = expected(ACC, article_time=minute, comment_time=article_time_only)
    _import_layout(store, config, tmp_path, paths, want, {"空留言": 1})


def test_wechatdownload_before_1_2_has_no_time_and_says_so(store, config, tmp_path):
    mk.write_wechatdownload(ACC, tmp_path / "out", version="1.1.0")
    report = import_paths(store, config, [tmp_path / "out"])
    assert report.posts == 0 and report.quarantined == 6  # one readable line per file
    assert {q.reason for q in store.list_quarantine()} == {NO_TIME}


# --- one article, many layouts ------------------------------------------------------------------------
def test_every_layout_of_the_same_account_is_stored_once(store, config, tmp_path):
    """JSON first, then every other layout: only the deleted article (a plain XLSX row) is new."""
    first = import_ok(store, config, mk.write_exporter_json(ACC, tmp_path / "json"))
    others = [mk.write_exporter_html(ACC, tmp_path / "html"), mk.write_exporter_html_v1(ACC, tmp_path / "html1", now=mk.V1_NOW),
              mk.write_wechatdownload(ACC, tmp_path / "wd", pdf=True), mk.write_saved_pages(ACC, tmp_path / "pages"),
              mk.write_exporter_xlsx(ACC, tmp_path / "xlsx", version="2.2"),
              mk.write_exporter_json(ACC, tmp_path / "json21", version="2.1.5"),
              mk.write_exporter_xlsx(ACC, tmp_path / "xlsx21", version="2.1"),
              mk.write_exporter_xlsx(ACC, tmp_path / "list", version="list"),
              mk.write_exporter_xlsx(ACC, tmp_path / "batch", version="batch")]
    added = [import_ok(store, config, paths).posts for paths in others]
    assert first.posts == 14 and added == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    deleted = next(a for a in ACC.articles if a.deleted)
    want = expected(ACC, body=joined) + [w for w in expected(ACC, comments=False, deleted_rows=True,
                                                             body=lambda a: a.digest) if w.title == deleted.title]
    assert_exact(store, want)
    assert len(store.list_sources()) == 1


def test_a_page_first_then_the_json_adds_nothing(store, config, tmp_path):
    """Name-only layouts first (HTML, wechatDownload): the JSON (__biz + name) finds their source."""
    mk.write_exporter_html(ACC, tmp_path / "html")
    import_ok(store, config, [tmp_path / "html"])
    import_ok(store, config, mk.write_wechatdownload(ACC, tmp_path / "wd", markdown=False))
    again = import_ok(store, config, mk.write_exporter_json(ACC, tmp_path / "json"))
    assert again.posts == 0 and again.duplicates == 14
    assert_exact(store, expected(ACC, article_time=minute))


def test_unsupported_export_gets_one_line_and_the_rest_imports(store, config, tmp_path):
    """wechat-article-exporter's TXT export (title and text only) is no importable layout."""
    out = tmp_path / "out"
    mk.write_exporter_json(ACC, out)
    (out / "文章.txt").write_text(mk.rendered_text(ACC.articles[0]), encoding="utf-8")
    report = import_paths(store, config, [out])
    assert report.posts == 14 and report.files_rejected == 1
    [q] = store.list_quarantine()
    assert q.origin.endswith("文章.txt") and "不是已知的导出格式" in q.reason


# --- detection ------------------------------------------------------------------------------------
@pytest.mark.parametrize("layout,fmt", [
    ("exporter-json-2.3", "articles_json"), ("exporter-json-2.1", "articles_json"), ("exporter-xlsx-list", "articles_xlsx"),
    ("exporter-html-2", "articles_html"), ("exporter-html-1", "articles_html"), ("saved-pages", "article_page"),
    ("wechatdownload-1.7", "wechatdownload_html"), ("wechatdownload-1.1", "wechatdownload_html"),
])
def test_layouts_are_detected_from_content(tmp_path, layout, fmt):
    path = next(p for p in mk.LAYOUTS[layout](ACC, tmp_path) if p.suffix != ".md")
    head = path.read_bytes()[:65536]
    assert detect_format(head, head.decode(sniff_encoding(head), errors="replace")).fmt == fmt


@pytest.mark.parametrize("version", ["1.7.1", "1.1.0"])
def test_wechatdownload_markdown_is_detected(tmp_path, version):
    md = next(p for p in mk.write_wechatdownload(ACC, tmp_path, version=version) if p.suffix == ".md")
    text = md.read_text(encoding="utf-8")
    assert detect_format(text.encode(), text).fmt == "wechatdownload_md"


def test_style_sheets_are_assets_and_prose_is_not():
    for css in (mk.CSS, "/*! weui */\n@charset \"utf-8\";\n.a{b:c}", "@media screen{.x{color:red}}"):
        d = detect_format(css.encode(), css)
        assert d.fmt is None and d.asset == "网页资源"
    for text in ("这只是一份会议记录，不是聊天导出。\n第二行", "Tom said {hello}\n", "# 标题\n\n正文"):
        assert detect_format(text.encode(), text).asset == ""


# --- the tricky parts ------------------------------------------------------------------------------
def test_article_identity_is_the_publish_minute_and_the_title():
    a = ArticleHead(account="甲", biz="", title="标题  A", published=at(2025, 6, 3, 18, 30, 42))
    b = ArticleHead(account="", biz="MzA=", title="标题 a", published=at(2025, 6, 3, 18, 30))
    assert a.key == b.key != article_key(at(2025, 6, 3, 18, 31), "标题 A")
    assert (a.chat_id, a.chat_name, b.chat_id, b.chat_name) == ("甲", "甲", "MzA=", "MzA=")


def test_page_minute():
    assert page_minute("\n 2025年06月03日 18:30 ", TZ) == at(2025, 6, 3, 18, 30)
    with pytest.raises(ValueError):
        page_minute("昨天 18:30", TZ)


def test_reply_prefix_is_taken_off_only_for_a_known_name():
    assert strip_reply_to(" 回复 通风区小王: 谢谢", ["老李", "通风区小王"]) == ("谢谢", "通风区小王")
    assert strip_reply_to("回复 A:B ：好的", ["A:B"]) == ("好的", "A:B")
    assert strip_reply_to("回复大家：明天开会", ["老李"]) == ("回复大家：明天开会", "")
    assert strip_reply_to(" 收到", []) == ("收到", "")


def test_album_times_resolve_to_a_day_or_the_article():
    head = ArticleHead(account="甲", biz="", title="t", published=at(2024, 12, 30, 9, 5))
    assert _when("2025-01-02 08:00:01", head, TZ) == (at(2025, 1, 2, 8, 0, 1), "")
    assert _when("12/31", head, TZ) == (at(2024, 12, 31, 0, 0), "day")
    assert _when("01/02", head, TZ) == (at(2025, 1, 2, 0, 0), "day")  # the next year: after the article
    assert _when("12/30", head, TZ) == (at(2024, 12, 30, 9, 5), "day")  # the article's own day
    assert _when("2024/12/31", head, TZ) == (at(2024, 12, 31, 0, 0), "day")
    for rel in ("Today", "Yesterday", "2 days ago", "5天前", "1 week ago"):
        assert _when(rel, head, TZ) == (head.published, "unknown")


def test_content_lead_is_stripped_only_at_the_start():
    assert _content_text("标题 原创 作者 公众号 正文 标题", "标题", "作者", "公众号") == "正文 标题"
    assert _content_text("标题\n\n正文", "标题", "", "公众号") == "正文"
    assert _content_text("标题党 正文", "标题", "", "") == "标题党 正文"  # a prefix of a word is no lead
    assert _content_text("<p>一</p><p>二</p>", "x", "", "") == "一\n\n二"


def test_json_entities_are_unescaped_and_an_article_without_account_is_reported():
    data = mk.exporter_json(ACC)
    data[0]["comments"][2]["content"] = "a&nbsp;&amp;&nbsp;b&lt;c&gt;&#39;"
    data[1].pop("fakeid")
    data[1]["link"] = "https://mp.weixin.qq.com/s/AbCd"
    data[1].pop("_accountName")
    recs = list(parse_json(data, ParseContext(origin="x.json")))
    assert any(getattr(r, "post", None) and r.post.text == "a & b<c>'" for r in recs)
    [q] = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert q.position == "第 2 篇文章" and "__biz" in q.reason


def test_wechatdownload_meta_line():
    assert _meta_fields("原创 作者:张 三 公号:某矿工会 发布时间:2025-06-03 9:05 发表于山西") == {
        "原创": "1", "作者": "张 三", "公号": "某矿工会", "发布时间": "2025-06-03 9:05", "发表于": "山西"}
    assert _meta_fields("非原创 公号:A 发布时间:2024-01-01 10:00")["原创"] == ""


def test_markdown_escapes_are_undone():
    assert md_text(r"职工书屋\\新书 \[强\] \*注意\* a\_b [标题](http://x?a=1&b=2) ![](img.png)") == \
        r"职工书屋\新书 [强] *注意* a_b 标题 "


def test_markdown_comment_list():
    md = ("标题\n==\n\n原创 公号:某矿工会 发布时间:2025-06-03 9:05 发表于山西\n\n原文地址：[标题](http://mp.weixin.qq.com/s?"
          "__biz=MzA=&mid=1&idx=1&sn=x)\n\n正文\n\n---\n\n精选留言\n\n\n- **老李**（来自山西）\n  第一行\n  \n  第三行&nbsp;&amp;\n"
          "\n  - **某矿工会(作者)**（来自山西）\n    收到\n\n  - **小王**（来自山西）\n    回复 老李 ：同意\n\n- **小刘**\n  \n")
    recs = list(parse_markdown(md, ParseContext(origin="x.md")))
    article, comment, own, reply, empty = recs
    assert (article.chat_id, article.chat_name, article.post.text) == ("MzA=", "某矿工会", "正文")
    assert article.post.created_at == at(2025, 6, 3, 9, 5)
    assert comment.post.text == "第一行\n\n第三行 &" and comment.post.extra["time_precision"] == "unknown"
    assert (own.post.author, own.post.extra["account_reply"]) == ("某矿工会", True)
    assert (reply.post.text, reply.post.extra["reply_to"], reply.parent_native) == ("同意", "老李", comment.post.native_id)
    assert empty.kind == "空留言"


def test_exporter_html_without_date_or_article_is_reported():
    page = mk.js_article(ACC, ACC.articles[0], raw=False)  # no date rendered
    recs = list(parse_html(f"<html><body>{page}</body></html>", ParseContext(origin="a.html")))
    assert len(recs) == 1 and "发布时间" in recs[0].reason
    recs = list(parse_html("<html><body><p>x</p></body></html>", ParseContext(origin="a.html")))
    assert len(recs) == 1 and "#js_article" in recs[0].reason
