"""Official-account exports written the way the tools' own code writes them, from
:func:`.articles_truth.account`.

wechat-article-exporter (github.com/wechat-article/wechat-article-exporter, read at the tags and
commits named below):

- JSON ``微信公众号文章.json`` — ``utils/exporter.ts`` ``export2JsonFile`` (``JSON.stringify``, no
  indent) fed by ``utils/download/Exporter.ts`` ``exportJsonFiles`` and ``utils/comment.ts``
  ``getArticleComments`` (adds ``$reply_list``). 2.0–2.1 (v2.1.5): no ``_accountName``; 2.2
  (v2.2.0, 64b5483) adds it; ``content`` is the page's ``#js_article`` text collapsed to one line up
  to 2.3.11 (``getPureContent``), 「标题\\n\\n正文」 from 2.3.12 (36511fe ``renderTextFromCgiDataNew``).
- XLSX — ExcelJS sheet ``Sheet1``: 2.2+ and 2.0–2.1 ``export2ExcelFile`` (``utils/exporter.ts``), the
  2025 batch download (``composables/useBatchDownload.ts`` ``exportToExcel``, 648e5f6) and the
  2024–25 list export (``pages/dashboard/download.vue`` ``exportToExcel``, 0.1.0–0.3).
- HTML — one folder per article with ``index.html`` and ``assets/``: 2.x ``Exporter.normalizeHtml``
  + ``renderComments`` (v2.3.21); 2024–25 ``utils/index.ts`` ``packHTMLAssets`` in a ZIP of
  ``{yyyy-MM-dd} {title}/`` folders, comments dated by ``formatAlbumTime`` (``utils/album.ts``, 0.3).
  The page is an ``mp.weixin.qq.com`` article (modelled on the repository's
  ``samples/普通图文/01.html``) with its scripts stripped and the date rendered as text.

wechatDownload (github.com/xiaoguyu/wechatDownload, ``src/main/worker.ts`` ``dlOne``,
``src/main/service.ts`` ``getMetaHtml``/``getHtmlComment``/``getMarkdownComment``, v1.1.0–v1.7.1):
``{title}.html`` (cheerio/parse5 output of the Readability content, the comments as the JSON
``const electedCommentArr = …`` in a script), ``{title}.md`` (turndown + the comments as a list)
and, with 「保存为pdf」, ``pdf.html``; folders ``[{公号}/]{yyyy-MM-dd}-{title}/``.

The tools' scripts and style sheets are replaced by short stand-ins: only the markup and data
they write matter here. Run ``python -m tests.crawler.exports.make_articles OUTDIR`` to write
every layout for inspection.
"""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import datetime
from pathlib import Path

from .articles_truth import TZ, Account, Article, Comment, Reply, account, wx_escape

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
CSS = ".rich_media_title{font-size:22px;line-height:1.4}.rich_media_content{overflow:hidden;color:#333}\n"
ACCOUNT_IP = "山西"


# --- small helpers ---------------------------------------------------------------------------------
def esc_text(s: str) -> str:
    """A text node as a browser (or parse5) serialises it."""
    return s.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return s.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace('"', "&quot;")


def js_escape(s: str) -> str:
    """A string inside the page's inline JS, as WeChat writes it (``\\x27`` for ``'`` …)."""
    return "".join(f"\\x{ord(c):02x}" if c in "\\'\"<>&" else c for c in s)


def local(d: datetime, fmt: str) -> str:
    return d.astimezone(TZ).strftime(fmt)


def js_json(obj) -> str:
    """``JSON.stringify(obj)``: no spaces, non-ASCII as is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def filename_safe(title: str) -> str:
    """wechat-article-exporter's ``filterInvalidFilenameChars`` (JavaScript counts an emoji as two
    UTF-16 units, so it becomes ``__``)."""
    keep = re.compile(r"[\u4e00-\u9fa5a-zA-Z0-9()（）]")
    return "".join(c if keep.match(c) else "_" * (2 if ord(c) > 0xFFFF else 1) for c in title)[:100].strip()


def wd_dirname(title: str) -> str:
    """wechatDownload's ``StrUtil.strToDirName`` (characters a folder name cannot hold)."""
    return re.sub(r'[\\/:*?"<>|\r\n]', "", title)[:250]


def wd_time(d: datetime, with_time: bool = True) -> str:
    """wechatDownload's ``DateUtil.format``: month, day and minute zero-padded, the hour not."""
    d = d.astimezone(TZ)
    return f"{d:%Y-%m-%d}" + (f" {d.hour}:{d:%M}" if with_time else "")


# --- WeChat's data: the publish list, the comment API ------------------------------------------------
def appmsgex(acc: Account, a: Article, *, status: bool) -> dict:
    """An article as the publish list (``appmsgpublish``) returns it, plus the exporter's ``fakeid``."""
    pic = f"https://mmbiz.qpic.cn/mmbiz_jpg/{a.sn[:12]}/0?wx_fmt=jpeg"
    d = {"aid": a.aid, "album_id": "0", "appmsg_album_infos": [], "appmsgid": a.appmsgid, "author_name": a.author,
         "ban_flag": 0, "checking": 0, "copyright_stat": 1 if a.original else 0, "copyright_type": 1 if a.original else 0,
         "cover": pic, "cover_img": pic, "create_time": int(a.drafted.timestamp()), "digest": a.digest,
         "has_red_packet_cover": 0, "is_deleted": a.deleted, "is_pay_subscribe": 0, "item_show_type": 0,
         "itemidx": a.itemidx, "link": acc.link(a), "media_duration": "0:00", "mediaapi_publish_status": 0,
         "pic_cdn_url_1_1": pic, "pic_cdn_url_3_4": pic, "pic_cdn_url_16_9": pic, "pic_cdn_url_235_1": pic,
         "title": a.title, "update_time": int(a.published.timestamp()), "fakeid": acc.biz}
    if status:
        d["_status"] = ""
    return d


def _ip(province: str, country: str = "中国") -> dict:
    return {"city_id": "", "city_name": "", "country_id": "156" if country == "中国" else "840",
            "country_name": country, "province_id": "", "province_name": province}


def api_reply(acc: Account, r: Reply) -> dict:
    """A reply as ``appmsg_comment?action=getcommentreply`` returns it."""
    d = {"author_like_status": 0, "content": wx_escape(r.text), "create_time": int(r.at.timestamp()),
         "identity_name": acc.user_name if r.by_account else r.openid, "identity_type": 1 if r.by_account else 0}
    if not r.by_account:
        d["ip_wording"] = _ip(r.province)
    d.update({"is_deleted": 0, "is_from": 2 if r.by_account else 3, "is_from_friend": 0,
              "logo_url": f"http://wx.qlogo.cn/mmhead/{r.reply_id:04d}/64", "nick_name": r.nick,
              "openid": "" if r.by_account else r.openid, "reply_del_flag": 0, "reply_id": r.reply_id,
              "reply_is_elected": 1, "reply_like_num": r.likes, "reply_like_status": 0})
    if r.to_nick:
        d["to_nick_name"] = r.to_nick
    return d


def api_comment(acc: Account, c: Comment, n: int) -> dict:
    """A featured comment as ``appmsg_comment?action=getcomment`` returns it."""
    listed = c.listed_replies
    d = {"author_like_status": 1 if c.author_liked else 0, "content": wx_escape(c.text), "content_id": c.content_id,
         "create_time": int(c.at.timestamp()), "id": n, "identity_name": c.openid, "identity_type": 0,
         "ip_wording": _ip(c.province, c.country), "is_can_delete": False, "is_elected": 1, "is_from": 0,
         "is_from_friend": 0, "is_from_me": 0, "is_top": 1 if c.is_top else 0, "like_num": c.likes, "like_status": 0,
         "logo_url": f"http://wx.qlogo.cn/mmopen/{c.content_id[:8]}/64"}
    if c.picture:
        d["multi_info"] = {"pictures": [{"url": c.picture, "width": 1080, "height": 1440}]}
    d.update({"my_id": n, "nick_name": c.nick, "openid": c.openid,
              "reply_new": {"max_reply_id": max((r.reply_id for r in c.replies), default=0),
                            "reply_list": [api_reply(acc, r) for r in listed], "reply_total_cnt": len(c.replies)}})
    return d


def api_comments(acc: Account, a: Article) -> list[dict]:
    return [api_comment(acc, c, n) for n, c in enumerate(a.comments, 1)]


# --- the article page ----------------------------------------------------------------------------------
def _paragraphs(a: Article, *, styled: bool = True) -> str:
    if styled:
        return "".join(f'<p style="margin-bottom: 0px;"><span style="font-size: 15px;">{esc_text(p)}</span></p>'
                       for p in a.paragraphs)
    return "".join(f"<p><span>{esc_text(p)}</span></p>" for p in a.paragraphs)


def js_article(acc: Account, a: Article, *, raw: bool, publish: str = "", content_style: bool = True) -> str:
    """``#js_article`` of an article page: as served (``raw``: ad slot, scripts, QR code, slide tip)
    or after the exporter removed those (``publish``: the date text it renders into
    ``#publish_time``; ``content_style``: ``#js_content`` keeps its hiding style)."""
    cop = ('<span id="copyright_logo" class="wx_tap_link js_wx_tap_highlight rich_media_meta icon_appmsg_tag '
           'appmsg_title_tag weui-wa-hotarea">原创</span>\n') if a.original else ""
    author = (f'<span class="rich_media_meta rich_media_meta_text">\n                {esc_text(a.author)}\n'
              '            </span>\n') if a.author else ""
    style = ' style="visibility: hidden; opacity: 0; "' if content_style else ""
    script = '<script type="text/javascript" nonce="1234567">var first_sceen__time = (+new Date());</script>\n'
    parts = [
        '<div id="js_article" style="position:relative;" class="rich_media">\n',
        '    <div id="js_top_ad_area" class="top_banner"></div>\n' if raw else "",
        '    <div id="js_base_container" class="rich_media_inner">\n',
        '        <div id="page-content" class="rich_media_area_primary" style="">\n',
        '            <div class="rich_media_area_primary_inner">\n',
        script if raw else "",
        '                <div id="img-content" class="rich_media_wrp">\n',
        f'                    <h1 class="rich_media_title " id="activity-name">\n{esc_text(a.title)}</h1>\n',
        '                    <div id="meta_content" class="rich_media_meta_list">\n',
        cop, author,
        '<span class="rich_media_meta rich_media_meta_nickname" id="profileBt">\n',
        '<a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">\n',
        f'                {esc_text(acc.name)}              </a>\n',
        '<div id="js_profile_card"></div>\n</span>\n',
        '<span id="meta_content_hide_info" class="">\n',
        f'<em id="publish_time" class="rich_media_meta rich_media_meta_text">{esc_text(publish)}</em>\n',
        '<em id="js_ip_wording_wrp" class="rich_media_meta rich_media_meta_text" style="display: none;">'
        '<span id="js_ip_wording"></span></em>\n</span>\n',
        '                    </div>\n',
        f'<div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content"{style}>'
        f'{_paragraphs(a)}</div>\n',
        script if raw else "",
        '                </div>\n',
        ('<div id="js_tags_preview_toast" class="article-tag__error-tips" style="display: none;">预览时标签不可点</div>\n'
         '<div id="content_bottom_area"></div>\n') if raw else "",
        '<div id="js_temp_bottom_area" class="rich_media_tool_area"><div class="rich_media_tool__wrp"></div></div>\n',
        '            </div>\n        </div>\n',
        ('<div id="js_pc_qr_code" class="qr_code_pc_outer" style="display:none;"><div class="qr_code_pc">'
         '<img id="js_pc_qr_code_img" class="qr_code_pc_img"><p>微信扫一扫<br>关注该公众号</p></div></div>\n') if raw else "",
        '    </div>\n',
        ('<div class="wx_stream_article_slide_tip" id="wx_stream_article_slide_tip">'
         '<span class="wx_stream_article_slide_tip_text">继续滑动看下一个</span></div>\n') if raw else "",
        '</div>',
    ]
    return "".join(parts)


BOTTOM_BAR = '<div id="js_article_bottom_bar" class="bottom_bar_wrp">\n        <div id="article_bottom_bar_area"></div>\n    </div>'
BODY_CLASS = "zh_CN wx_wap_page  mm_appmsg  comment_feature discuss_tab appmsg_skin_default appmsg_style_default pages_skin_pc"
STYLESHEET = "https://res.wx.qq.com/mmbizappmsg/zh_CN/htmledition/js/assets/appmsg.c9a6b2e4.css"


def mp_page(acc: Account, a: Article) -> str:
    """The ``mp.weixin.qq.com`` article page as WeChat serves it (and a browser saves it)."""
    ct = int(a.published.timestamp())
    js = "\n".join([
        f'    var biz = "{acc.biz}" || "";', f'    var mid = "{a.appmsgid}" || "" || "";',
        f'    var idx = "{a.itemidx}" || "" || "";', f'    var sn = "{a.sn}" || "" || "";',
        f"    var msg_title = '{js_escape(esc_attr(a.title))}'.html(false);",
        f'    var nickname = htmlDecode("{js_escape(esc_attr(acc.name))}");', f'    var user_name = "{acc.user_name}";',
        f'    var ct = "{ct}";', f"    var oriCreateTime = '{ct}';",
        f"    var createTime = '{local(a.published, '%Y-%m-%d %H:%M')}';",
        f'    var msg_link = "{esc_attr(acc.link(a))}";', f"    var comment_id = '{a.comment_id}' || '0';",
        f'    var read_num_new = "{a.read}" * 1;',
        f"    window.ip_wording = {{\n      countryName: '中国',\n      countryId: '156',\n      provinceName: '{ACCOUNT_IP}',"
        "\n      provinceId: '',\n      cityName: '',\n      cityId: ''\n    };",
    ])
    return (f'<!DOCTYPE html>\n<html class="">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f'<meta name="author" content="{esc_attr(a.author)}">\n'
            f'<meta property="og:title" content="{esc_attr(a.title)}">\n<link rel="stylesheet" href="{STYLESHEET}">\n'
            f"<title>{esc_text(a.title)}</title>\n</head>\n<body id=\"activity-detail\" class=\"{BODY_CLASS}\">\n"
            f"{js_article(acc, a, raw=True)}\n{BOTTOM_BAR}\n<script type=\"text/javascript\" nonce=\"1234567\">\n{js}\n"
            "</script>\n</body>\n</html>\n")


def page_text(acc: Account, a: Article) -> str:
    """``getPureContent(url, 'text')`` (2.0–2.3.11): ``#js_article``'s text (a parsed, unrendered
    document: its text content) without the removed parts, whitespace runs as one space."""
    import lxml.html

    root = lxml.html.fromstring(js_article(acc, a, raw=False))
    return re.sub(r"\s+", " ", root.text_content()).strip()


def rendered_text(a: Article) -> str:
    """``renderTextFromCgiDataNew`` (2.3.12+): the title, a blank line, the content's text nodes joined."""
    import lxml.html

    body = lxml.html.fragment_fromstring(_paragraphs(a), create_parent="div").text_content()
    return f"{a.title}\n\n{body.strip()}"


# --- wechat-article-exporter: JSON --------------------------------------------------------------------
def exporter_json(acc: Account, *, version: str = "2.3.21", content: bool = True, comments: bool = True) -> list[dict]:
    v = tuple(int(x) for x in version.split("."))
    out = []
    for a in acc.articles:
        d = appmsgex(acc, a, status=v >= (2, 3, 11))
        if v >= (2, 2):
            d["_accountName"] = acc.name
        if content:
            d["content"] = "" if a.deleted else (rendered_text(a) if v >= (2, 3, 12) else page_text(acc, a))
        if not a.deleted:
            d.update({"readNum": a.read, "oldLikeNum": a.old_like, "shareNum": a.share, "likeNum": a.like,
                      "commentNum": len(a.comments)})
        if comments:
            cs = [] if a.deleted else api_comments(acc, a)
            for c, truth in zip(cs, a.comments):
                c["$reply_list"] = sorted((api_reply(acc, r) for r in truth.replies), key=lambda r: r["create_time"])
            d["comments"] = cs
        out.append(d)
    return out


def write_exporter_json(acc: Account, folder: Path, *, version: str = "2.3.21", content: bool = True,
                        comments: bool = True) -> list[Path]:
    """``微信公众号文章.json`` of wechat-article-exporter ``version`` (2.0–2.1 without
    ``_accountName``; the page text collapsed up to 2.3.11, 「标题\\n\\n正文」 from 2.3.12)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "微信公众号文章.json"
    path.write_text(js_json(exporter_json(acc, version=version, content=content, comments=comments)), encoding="utf-8")
    return [path]


# --- wechat-article-exporter: XLSX --------------------------------------------------------------------
def _workbook(headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _album(a: Article) -> str:
    return ""


def xlsx_rows(acc: Account, version: str) -> tuple[list[str], list[list]]:
    """Header and rows of each XLSX layout: ``2.3`` (2.3.12+: 「标题\\n\\n正文」 content), ``2.2``
    (2.2–2.3.11), ``2.1`` (2.0–2.1: no 公众号), ``batch`` (2025 batch download) and ``list`` (the
    2024–25 article-list export)."""
    if version == "list":
        headers = ["标题", "发布日期", "作者", "是否原创", "所属合集", "摘要", "原文链接", "封面图链接",
                   "封面图链接(235_1)", "封面图链接(16_9)", "封面图链接(3_4)", "封面图链接(1_1)"]
        rows = []
        for a in acc.articles:
            d = appmsgex(acc, a, status=False)
            rows.append([a.title, local(a.published, "%Y-%m-%d %H:%M"), a.author, "原创" if a.original else "", _album(a),
                         a.digest, d["link"], d["pic_cdn_url_235_1"], d["pic_cdn_url_235_1"], d["pic_cdn_url_16_9"],
                         d["pic_cdn_url_3_4"], d["pic_cdn_url_1_1"]])
        return headers, rows
    if version == "batch":
        headers = ["序号", "公众号", "作者", "是否原创", "标题", "发布时间", "链接", "文章内容"]
        rows = []
        for i, a in enumerate(acc.live(), 1):  # the batch download needs each page: a deleted one has none
            content = re.sub(r"<p[^>]*>", "", _paragraphs(a)).replace("</p>", "\n")
            content = re.sub(r"</?[^>]+>", "", content)
            rows.append([i, acc.name, a.author, "原创" if a.original else "", a.title,
                         local(a.published, "%Y-%m-%d %H:%M:%S"), acc.link(a), content])
        return headers, rows
    headers = ["公众号", "ID", "链接", "标题", "封面", "摘要", "创建时间", "发布时间", "阅读", "点赞", "分享", "喜欢", "留言",
               "作者", "是否原创", "文章类型", "所属合集", "文章内容"]
    named = version in ("2.2", "2.3")
    if not named:
        headers = headers[1:]
    rows = []
    for a in acc.articles:
        d = appmsgex(acc, a, status=False)
        row = [a.aid, d["link"], a.title, d["pic_cdn_url_235_1"], a.digest, local(a.drafted, "%Y-%m-%d %H:%M:%S"),
               local(a.published, "%Y-%m-%d %H:%M:%S")]
        row += [None] * 5 if a.deleted else [a.read, a.old_like, a.share, a.like, len(a.comments)]
        text = rendered_text(a) if version == "2.3" else page_text(acc, a)
        row += [a.author, "原创" if a.original else "", "普通图文", _album(a), "" if a.deleted else text]
        rows.append(([acc.name] if named else []) + row)
    return headers, rows


def write_exporter_xlsx(acc: Account, folder: Path, *, version: str = "2.2") -> list[Path]:
    """The XLSX of one layout (see :func:`xlsx_rows`); the list export names the file after the
    account, the others ``微信公众号文章.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (f"{acc.name}.xlsx" if version in ("list", "batch") else "微信公众号文章.xlsx")
    path.write_bytes(_workbook(*xlsx_rows(acc, version)))
    return [path]


# --- wechat-article-exporter: HTML --------------------------------------------------------------------
_HEAD_STYLE = """    <style>
        #page-content,
        #js_article_bottom_bar,
        .__page_content__ {
            max-width: 667px;
            margin: 0 auto;
        }
        img {
            max-width: 100%;
        }
        .sns_opr_btn::before {
            width: 16px;
            height: 16px;
            margin-right: 3px;
        }
    </style>"""


def _head(title: str, links: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh_CN">\n<head>\n    <meta charset="utf-8">\n'
            '    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '    <meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            '    <meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,'
            'viewport-fit=cover">\n'
            f"    <title>{title}</title>\n    {links}\n{_HEAD_STYLE}\n</head>\n")


def publish_text(a: Article) -> str:
    """``__setPubTime``: the page's date as the exporter renders it (browser-local, minutes)."""
    return local(a.published, "%Y年%m月%d日 %H:%M")


def _v2_person(img_size: int, round_: bool, logo: str, nick: str, friend: bool, ip: dict | None, when: str,
               likes: int, text: str, pictures: list[str], liked: bool, reply_to: str | None) -> str:
    radius = "50%" if round_ else "2px"
    h = f'<img src="{logo}" style="display: block;width: {img_size}px;height: {img_size}px;border-radius: {radius};margin-right: 8px;" alt="">'
    h += '<div style="flex: 1;"><p style="display: flex;line-height: 16px;margin-block: 5px;">'
    h += f'<span style="margin-right: 5px;font-size: 15px;color: #949494;">{nick}</span>'
    if friend:
        h += '<span style="margin-right: 5px;font-size: 12px;color: #00BA5A;">朋友</span>'
    if ip:
        h += f'<span style="margin-right: 5px;font-size: 12px;color: #b5b5b5;">{ip.get("province_name")}</span>'
    else:
        h += '<span style="margin-right: 5px;font-size: 12px;color: #00BA5A;">作者</span>'
    h += f'<span style="font-size: 12px;color: #b5b5b5;">{when}</span>'
    if reply_to is None:
        h += '<span style="flex: 1;"></span><span style="display: inline-flex;align-items: center;">'
    else:
        h += ('<span style="flex: 1;"></span><span style="display: inline-flex;align-items: center; font-size: 12px;'
              'color: #b5b5b5;">')
    h += f'<span class="sns_opr_btn sns_praise_btn" style="font-size: 12px;color: #8b8a8a;">{likes or ""}</span>'
    h += "</span></p>"
    if reply_to is None:
        h += f'<p style="font-size: 15px;color: #333;white-space: pre-line;margin-block: .5em;">{text}</p>'
    else:
        prefix = f"回复 {reply_to}:" if reply_to else ""
        h += f'<p style="font-size: 15px;color: #333;white-space: pre-line;margin-block: .5em;">{prefix} {text}</p>'
    if pictures:
        h += "<p>" + "".join(f'<img src="{u}" style="max-width: 100%;" alt="">' for u in pictures) + "</p>"
    if liked:
        h += '<p style="font-size: 12px;color: #00BA5A;margin-block: .5em;">作者赞过</p>'
    return h + "</div>"


def v2_comments_html(acc: Account, a: Article) -> str:
    """``renderComments`` (``utils/comment.ts``, 2.x): every featured comment, then every reply
    (the downloaded reply lists, by time); times ``YYYY-MM-DD HH:mm:ss``."""
    cs = api_comments(acc, a)
    if not cs:
        return ""
    h = '<div style="max-width: 667px;margin: 0 auto;padding: 10px 10px 80px;">'
    h += f'<p style="font-size: 15px;color: #949494;">留言 {len(a.comments)}</p><div style="margin-top: -10px;">'
    for c, truth in zip(cs, a.comments):
        h += '<div style="margin-top: 25px;"><div style="display: flex;">'
        pics = [p["url"] for p in (c.get("multi_info") or {}).get("pictures", [])]
        h += _v2_person(30, False, c["logo_url"], c["nick_name"], False, c["ip_wording"],
                        local(truth.at, "%Y-%m-%d %H:%M:%S"), c["like_num"], c["content"], pics,
                        c["author_like_status"] == 1, None)
        h += '</div><div style="padding-left: 38px;">'
        for r in sorted(truth.replies, key=lambda r: r.at):
            d = api_reply(acc, r)
            h += '<div style="display: flex;margin-top: 15px;">'
            h += _v2_person(23, d["identity_type"] in (1, 2), d["logo_url"], d["nick_name"], False, d.get("ip_wording"),
                            local(r.at, "%Y-%m-%d %H:%M:%S"), d["reply_like_num"], d["content"], [], False,
                            d.get("to_nick_name", ""))
            h += "</div>"
        h += "</div></div>"
    return h + "</div></div>"


def write_exporter_html(acc: Account, folder: Path, *, comments: bool = True) -> list[Path]:
    """wechat-article-exporter 2.x HTML export: ``{title}/index.html`` (dirname template
    ``${title}``) with ``assets/`` (the page's style sheet and images) for every article whose page
    was downloaded (a deleted article has none)."""
    paths = []
    for n, a in enumerate(acc.live()):
        d = folder / filename_safe(a.title)
        (d / "assets").mkdir(parents=True, exist_ok=True)
        css = f"17493{n:08d}0.5123{n}.css"
        (d / "assets" / css).write_text(CSS, encoding="utf-8")
        (d / "assets" / f"17493{n:08d}1.9981{n}.png").write_bytes(PNG)
        body = js_article(acc, a, raw=False, publish=publish_text(a), content_style=False)
        html = (_head(a.title, f'<link rel="stylesheet" href="./assets/{css}">\n') + f'<body class="{BODY_CLASS}">\n'
                f"{body}\n{BOTTOM_BAR}\n\n<!-- 评论数据 -->\n{v2_comments_html(acc, a) if comments else ''}\n"
                "</body>\n</html>")
        (d / "index.html").write_text(html, encoding="utf-8")
        paths.append(d / "index.html")
    return paths


def album_time(ts: datetime, now: datetime) -> str:
    """``formatAlbumTime`` (``utils/album.ts``) as the browser showed it at ``now``."""
    ts, now = ts.astimezone(TZ), now.astimezone(TZ)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    i = midnight.timestamp()
    s = midnight.replace(month=1, day=1).timestamp()
    t = ts.timestamp()
    for date, text in ((i, "Today"), (i - 86400, "Yesterday"), (i - 172800, "2 days ago"),
                       (i - 518400, f"{int((i - t) // 86400)}天前"), (i - 1209600, "1 week ago"),
                       (s, f"{ts:%m/%d}"), (0, f"{ts:%Y/%m/%d}")):
        if t >= date:
            return text
    return ""


def v1_comments_html(acc: Account, a: Article, now: datetime) -> str:
    """``packHTMLAssets``'s comments (``utils/index.ts``, 2024-10 … 2025-09): the replies the
    comment list carries, then 「N条回复」 for the rest; times by :func:`album_time`."""
    cs = api_comments(acc, a)
    if not cs:
        return ""
    total = len(cs) + sum(c["reply_new"]["reply_total_cnt"] for c in cs)
    h = '<div style="max-width: 667px;margin: 0 auto;padding: 10px 10px 80px;">'
    h += f'<p style="font-size: 15px;color: #949494;">留言 {total}</p><div style="margin-top: -10px;">'
    for c, truth in zip(cs, a.comments):
        h += '<div style="margin-top: 25px;"><div style="display: flex;">'
        h += (f'<img src="{c["logo_url"]}" style="display: block;width: 30px;height: 30px;border-radius: 2px;'
              'margin-right: 8px;" alt="">')
        h += '<div style="flex: 1;"><p style="display: flex;line-height: 16px;margin-bottom: 5px;">'
        h += f'<span style="margin-right: 5px;font-size: 15px;color: #949494;">{c["nick_name"]}</span>'
        h += f'<span style="margin-right: 5px;font-size: 12px;color: #b5b5b5;">{c["ip_wording"]["province_name"]}</span>'
        h += f'<span style="font-size: 12px;color: #b5b5b5;">{album_time(truth.at, now)}</span>'
        h += '<span style="flex: 1;"></span><span style="display: inline-flex;align-items: center;">'
        h += f'<span class="sns_opr_btn sns_praise_btn" style="font-size: 12px;color: #8b8a8a;">{c["like_num"] or ""}</span>'
        h += "</span></p>"
        h += f'<p style="font-size: 15px;color: #333;white-space: pre-line;">{c["content"]}</p></div></div>'
        listed = c["reply_new"]["reply_list"]
        if listed:
            h += '<div style="padding-left: 38px;">'
            for d, r in zip(listed, truth.listed_replies):
                radius = "50%" if d["identity_type"] in (1, 2) else "2px"
                ip = d.get("ip_wording", {}).get("province_name") if d.get("ip_wording") else "undefined"
                h += '<div style="display: flex;margin-top: 15px;">'
                h += (f'<img src="{d["logo_url"]}" style="display: block;width: 23px;height: 23px;border-radius: {radius};'
                      'margin-right: 8px;" alt="">')
                h += '<div style="flex: 1;"><p style="display: flex;line-height: 16px;margin-bottom: 5px;">'
                h += f'<span style="margin-right: 5px;font-size: 15px;color: #949494;">{d["nick_name"]}</span>'
                h += f'<span style="margin-right: 5px;font-size: 12px;color: #b5b5b5;">{ip}</span>'
                h += f'<span style="font-size: 12px;color: #b5b5b5;">{album_time(r.at, now)}</span>'
                h += ('<span style="flex: 1;"></span><span style="display: inline-flex;align-items: center; font-size: 12px;'
                      'color: #b5b5b5;">')
                h += (f'<span class="sns_opr_btn sns_praise_btn" style="font-size: 12px;color: #8b8a8a;">'
                      f'{d["reply_like_num"] or ""}</span>')
                h += "</span></p>"
                h += f'<p style="font-size: 15px;color: #333;white-space: pre-line;">{d["content"]}</p></div></div>'
            h += "</div>"
        more = c["reply_new"]["reply_total_cnt"] - len(listed)
        if more > 0:
            h += ('<p style="display: flex;align-items: center; font-size: 14px;color: #a3a0a0;padding-left: 38px;'
                  f'padding-top: 5px;"><span>{more}条回复</span><img src="https://wxa.wxs.qq.com/images/wxapp/feedback_icon.png"'
                  ' alt="" style="filter: invert(1);width: 10px;height: 6px;margin-left: 5px;"></p>')
        h += "</div>"
    return h + "</div></div>"


def write_exporter_html_v1(acc: Account, folder: Path, *, now: datetime) -> list[Path]:
    """The 2024-10 … 2025-09 HTML export: a ZIP (here unpacked) of ``{yyyy-MM-dd} {title}/``
    folders with ``index.html`` and ``assets/``, the read count under the article, comments
    dated relative to ``now`` (the moment of the export)."""
    paths = []
    for n, a in enumerate(acc.live()):
        d = folder / f"{local(a.published, '%Y-%m-%d')} {a.title.replace('/', '_')}"
        (d / "assets").mkdir(parents=True, exist_ok=True)
        css = f"17301{n:08d}0.4410{n}.css"
        (d / "assets" / css).write_text(CSS, encoding="utf-8")
        body = js_article(acc, a, raw=False, publish=publish_text(a), content_style=False)
        html = (_head(a.title.replace(".", "_"), f'<link rel="stylesheet" href="./assets/{css}">\n')
                + f'<body class="{BODY_CLASS}">\n\n\n{body}\n{BOTTOM_BAR}\n\n'
                f'<p class="__page_content__">阅读量 {a.read}</p>\n<!-- 评论数据 -->\n{v1_comments_html(acc, a, now)}\n'
                "</body>\n</html>")
        (d / "index.html").write_text(html, encoding="utf-8")
        paths.append(d / "index.html")
    return paths


def write_saved_pages(acc: Account, folder: Path) -> list[Path]:
    """The article pages as a browser saves them (``Ctrl+S``, HTML only)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in acc.live():
        p = folder / f"{filename_safe(a.title)}.html"
        p.write_text(mp_page(acc, a), encoding="utf-8")
        paths.append(p)
    return paths


# --- wechatDownload -----------------------------------------------------------------------------------
_WD_CSS = """
      <style type="text/css">
      .page {
        max-width: 677px;
        margin-left: auto;
        margin-right: auto;
      }
      .comment-item .content {
        padding-top: 5px;
        white-space: pre-line;
      }
      .meta-div .copyright-span {
        background-color: #0000000d;
      }
      </style>
    """
_WD_DIALOG = ('<div class="foot"></div><div class="dialog"><div class="dcontent"><div class="aclose"><span>留言</span>'
              '<a class="close" href="javascript:closeDialog();">×</a></div><div class="contain"><div class="d-top"></div>'
              '<div class="all-deply"></div></div></div></div>')


def wd_source_url(acc: Account, a: Article) -> str:
    """The article link as the history list (``profile_ext?action=getmsg``) gives it."""
    return acc.link(a).replace("#rd", "&scene=27#wechat_redirect")


def wd_meta(acc: Account, a: Article) -> str:
    """``getMetaHtml``: 原创/非原创, 作者, 公号, 发布时间 (``yyyy-MM-dd HH:mm``, hour unpadded), 发表于."""
    h = f'<div class="meta-div"><span class="copyright-span">{"原创" if a.original else "非原创"} </span>'
    if a.author:
        h += f"<span>作者:{esc_text(a.author)} </span>"
    h += f"<span>公号:{esc_text(acc.name)} </span><span>发布时间:{wd_time(a.published)} </span>"
    return h + f"<span>发表于{ACCOUNT_IP} </span></div>"


def wd_comment_data(acc: Account, a: Article, replies: bool) -> tuple[list[dict], dict | None]:
    """(``commentList``, ``replyDetailMap``): the comment API's list, and with 「下载评论回复」 the full
    reply lists of the comments whose list left some out."""
    cs = api_comments(acc, a)
    if not replies:
        return cs, None
    detail = {c.content_id: [api_reply(acc, r) for r in c.replies] for c in a.comments
              if len(c.replies) > len(c.listed_replies)}
    return cs, detail


def wd_html(acc: Account, a: Article, *, meta: bool, comments: bool, replies: bool, pdf: bool = False) -> str:
    page = f"<h1>{esc_text(a.title)}</h1>"
    if meta:
        page += wd_meta(acc, a)
    page += (f'<div>原文地址：<a href="{esc_attr(wd_source_url(acc, a))}" target="_blank">{esc_text(a.title)}</a></div>'
             f'<div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content">'
             f"{_paragraphs(a, styled=False)}</div>")
    script = ""
    if comments and a.comments:
        cs, detail = wd_comment_data(acc, a, replies)
        rl = ("electedCommentDetailMap[contentId] || electedComment['reply_new']['reply_list']" if pdf
              else "electedComment['reply_new']['reply_list']")
        script = (f'\n    <script type="text/javascript">\n      const electedCommentArr = {js_json(cs)}\n'
                  f"      const electedCommentDetailMap = {'undefined' if detail is None else js_json(detail)}\n\n"
                  "      window.onload = function () {\n        // renders .foot from electedCommentArr (replies: "
                  f"{rl})\n      }}\n    </script>\n    ")
    return (f"<html><head>{_WD_CSS}</head>{script}<body><div id=\"readability-page-1\" class=\"page\">{page}</div>"
            f"{_WD_DIALOG}</body></html>")


_MD_ESCAPES = [(re.compile(r"\\"), r"\\\\"), (re.compile(r"\*"), r"\*"), (re.compile(r"^-"), r"\-"),
               (re.compile(r"^\+ "), r"\+ "), (re.compile(r"^(=+)"), r"\\\1"), (re.compile(r"^(#{1,6}) "), r"\\\1 "),
               (re.compile(r"`"), r"\`"), (re.compile(r"^~~~"), r"\~~~"), (re.compile(r"\["), r"\["),
               (re.compile(r"\]"), r"\]"), (re.compile(r"^>"), r"\>"), (re.compile(r"_"), r"\_"),
               (re.compile(r"^(\d+)\. "), r"\1\. ")]


def md_escape(text: str) -> str:
    """turndown's escaping of a text node."""
    for rx, rep in _MD_ESCAPES:
        text = rx.sub(rep, text)
    return text


def wd_markdown(acc: Account, a: Article, *, meta: bool, comments: bool, replies: bool) -> str:
    """turndown's output for the page (setext ``h1``, blocks one blank line apart, trimmed), then
    ``getMarkdownComment``'s list (raw API texts; a reply's 来自 is its comment's — sic)."""
    title = md_escape(a.title)
    blocks = [f"{title}\n{'=' * (len(a.title.encode('utf-16-le')) // 2)}"]
    if meta:
        spans = ["原创" if a.original else "非原创"] + ([f"作者:{a.author}"] if a.author else [])
        spans += [f"公号:{acc.name}", f"发布时间:{wd_time(a.published)}", f"发表于{ACCOUNT_IP}"]
        blocks.append(" ".join(md_escape(s) for s in spans))
    blocks.append(f"原文地址：[{title}]({wd_source_url(acc, a)})")
    blocks += [md_escape(p) for p in a.paragraphs]
    out = "\n\n".join(blocks)
    if not (comments and a.comments):
        return out
    cs, detail = wd_comment_data(acc, a, replies)
    out += "\n\n---\n\n精选留言\n\n"
    for c in cs:
        place = _place(c)
        out += f"\n- **{c['nick_name']}**{place}\n  {c['content'].replace(chr(10), chr(10) + '  ')}\n"
        rs = (detail or {}).get(c["content_id"]) if detail is not None else None
        for r in rs or c["reply_new"]["reply_list"]:
            nick = r["nick_name"] + ("(作者)" if r["is_from"] == 2 else "")
            to = f"回复 {r['to_nick_name']} ：" if r.get("to_nick_name") else ""
            out += f"\n  - **{nick}**{place}\n    {to + r['content'].replace(chr(10), chr(10) + '    ')}\n"
    return out


def _place(c: dict) -> str:
    ip = c.get("ip_wording") or {}
    name = ip.get("province_name") or ip.get("country_name") or ""
    return f"（来自{name}）" if name else ""


def write_wechatdownload(acc: Account, folder: Path, *, version: str = "1.7.1", comments: bool = True,
                         replies: bool = True, pdf: bool = False, markdown: bool = True) -> list[Path]:
    """wechatDownload ``version``: per article ``{yyyy-MM-dd}-{title}/`` (from 1.4.9 under a
    ``{公号}/`` folder) holding ``{title}.html`` and ``{title}.md`` (``index.html``/``index.md``
    before 1.4.0) and with 「保存为pdf」 ``pdf.html``; 元数据 (author, account, time) from 1.2.0.
    ``comments``/``replies``: the 「下载评论」/「下载评论回复」 options."""
    v = tuple(int(x) for x in version.split("."))
    meta = v >= (1, 2)
    paths = []
    for a in acc.live():
        d = folder / (wd_dirname(acc.name) if v >= (1, 4, 9) else "") / f"{wd_time(a.published, False)}-{wd_dirname(a.title)}"
        d.mkdir(parents=True, exist_ok=True)
        stem = wd_dirname(a.title) if v >= (1, 4) else "index"
        (d / f"{stem}.html").write_text(wd_html(acc, a, meta=meta, comments=comments, replies=replies), encoding="utf-8")
        paths.append(d / f"{stem}.html")
        if markdown:
            (d / f"{stem}.md").write_text(wd_markdown(acc, a, meta=meta, comments=comments, replies=replies),
                                          encoding="utf-8")
            paths.append(d / f"{stem}.md")
        if pdf:
            (d / "pdf.html").write_text(wd_html(acc, a, meta=meta, comments=comments, replies=replies, pdf=True),
                                        encoding="utf-8")
            paths.append(d / "pdf.html")
    return paths


V1_NOW = datetime(2025, 6, 20, 10, 0, tzinfo=TZ)

LAYOUTS = {
    "exporter-json-2.3": lambda acc, out: write_exporter_json(acc, out, version="2.3.21"),
    "exporter-json-2.2": lambda acc, out: write_exporter_json(acc, out, version="2.2.0", content=False),
    "exporter-json-2.1": lambda acc, out: write_exporter_json(acc, out, version="2.1.5"),
    "exporter-xlsx-2.3": lambda acc, out: write_exporter_xlsx(acc, out, version="2.3"),
    "exporter-xlsx-2.2": lambda acc, out: write_exporter_xlsx(acc, out, version="2.2"),
    "exporter-xlsx-2.1": lambda acc, out: write_exporter_xlsx(acc, out, version="2.1"),
    "exporter-xlsx-batch": lambda acc, out: write_exporter_xlsx(acc, out, version="batch"),
    "exporter-xlsx-list": lambda acc, out: write_exporter_xlsx(acc, out, version="list"),
    "exporter-html-2": lambda acc, out: write_exporter_html(acc, out),
    "exporter-html-1": lambda acc, out: write_exporter_html_v1(acc, out, now=V1_NOW),
    "saved-pages": lambda acc, out: write_saved_pages(acc, out),
    "wechatdownload-1.7": lambda acc, out: write_wechatdownload(acc, out, version="1.7.1", pdf=True),
    "wechatdownload-1.3": lambda acc, out: write_wechatdownload(acc, out, version="1.3.0", replies=False),
    "wechatdownload-1.1": lambda acc, out: write_wechatdownload(acc, out, version="1.1.0"),
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.crawler.exports.make_articles OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    acc = account()
    for name, write in LAYOUTS.items():
        for p in write(acc, out / name):
            print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
