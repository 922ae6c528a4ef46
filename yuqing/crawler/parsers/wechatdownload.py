"""wechatDownload (xiaoguyu): ``{title}.html``, ``pdf.html`` and ``{title}.md`` per article.

HTML: the Readability content in ``#readability-page-1``, which starts with ``<h1>`` (the title),
``.meta-div`` (from 1.2.0: 原创/非原创, ``作者:…``, ``公号:…``, ``发布时间:yyyy-MM-dd H:mm`` — the
hour not zero-padded, minutes only — and ``发表于…``) and 「原文地址：<a href=link>」. With
「下载评论」 a script right after ``<head>`` holds the comment API's list as
``const electedCommentArr = [...]`` (exact times, ids, HTML-escaped texts) and, with
「下载评论回复」, ``const electedCommentDetailMap = {content_id: [every reply]}`` (else
``undefined``).

Markdown: turndown's text of the same page (setext title, the meta line, 原文地址 link, body),
then ``---``, 「精选留言」 and a list: ``- **name**（来自…）`` and the raw text indented, replies
``  - **name(作者)**（来自…）`` with 「回复 某人 ：」 before a reply to a reply. The list has no
times: a comment is stored at its article's time, marked ``time_precision = unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...schema import QuarantineRecord
from ..cleaning import clean_text, html_to_text
from .articles_common import ArticleHead, Thread, biz_of, strip_reply_to, wx_text
from .common import BadTime, from_local
from .decode import loads_json
from .records import ParseContext, Record, Skipped
from .wechat_articles import json_comment

NO_TIME = "文件里没有发布时间：wechatDownload 1.2 之前的版本或关闭了「保存元数据」时不写文章时间，请用新版本开启该选项后重新下载"
_META = re.compile(r"(原创|非原创|作者:|公号:|发布时间:|发表于)")


def _meta_fields(line: str) -> dict[str, str]:
    """``原创 作者:X 公号:Y 发布时间:2025-06-03 9:05 发表于山西`` → its fields."""
    parts = _META.split(line)
    out: dict[str, str] = {}
    for label, value in zip(parts[1::2], parts[2::2]):
        out[label.rstrip(":")] = value.strip()
        if label in ("原创", "非原创"):
            out["原创"] = "1" if label == "原创" else ""
    return out


def _head(title: str, meta: dict[str, str], url: str, body: str, ctx: ParseContext) -> ArticleHead | QuarantineRecord:
    if not meta.get("发布时间"):
        return QuarantineRecord(ctx.origin, "整个文件", NO_TIME, raw=title[:500])
    try:
        published = from_local(meta["发布时间"], ctx.tz)
    except BadTime as exc:
        return QuarantineRecord(ctx.origin, "整个文件", f"发布时间无法识别：{exc}", raw=title[:500])
    account, biz = clean_text(meta.get("公号", "")), biz_of(url)
    if not account and not biz:
        return QuarantineRecord(ctx.origin, "整个文件", "无法确定所属公众号（没有「公号」，也没有原文链接）", raw=title[:500])
    return ArticleHead(account=account, biz=biz, title=clean_text(title), published=published,
                       author=clean_text(meta.get("作者", "")), text=body, url=url,
                       extra={"ip": meta["发表于"]} if meta.get("发表于") else {})


# --- HTML -------------------------------------------------------------------------------------------
_ARR = re.compile(r"^\s*const electedCommentArr = (.*)$", re.M)
_MAP = re.compile(r"^\s*const electedCommentDetailMap = (.*)$", re.M)


def parse_html(text: str, ctx: ParseContext) -> Iterator[Record]:
    """``{title}.html`` or ``pdf.html`` of wechatDownload, with the comments of its script."""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        yield QuarantineRecord(ctx.origin, "整个文件", "HTML 无法解析（文件可能已损坏）")
        return
    found = doc.xpath('//*[@id="readability-page-1"]')
    if not found:
        yield QuarantineRecord(ctx.origin, "整个文件", "wechatDownload 页面里没有正文（#readability-page-1）")
        return
    page = found[0]
    h1 = page.xpath("./h1")
    title = clean_text(h1[0].text_content()) if h1 else ""
    meta_el = page.xpath('./div[contains(concat(" ", @class, " "), " meta-div ")]')
    meta = _meta_fields(meta_el[0].text_content()) if meta_el else {}
    src = [d for d in page.xpath("./div[a]") if d.text_content().strip().startswith("原文地址")]
    url = src[0].xpath("./a/@href")[0] if src else ""
    for el in h1[:1] + meta_el[:1] + src[:1]:
        el.drop_tree()
    head = _head(title, meta, url, html_to_text(lxml.html.tostring(page, encoding="unicode")), ctx)
    if isinstance(head, QuarantineRecord):
        yield head
        return
    comments, detail = _script_data(text)
    if comments is None:
        yield QuarantineRecord(ctx.origin, "留言数据", "留言数据（electedCommentArr）无法解析，文章照常导入")
        comments = []
    head.comments = len(comments)
    yield head.record()
    thread = Thread(head)
    for n, c in enumerate(comments, 1):
        if isinstance(c, dict) and isinstance(detail, dict) and isinstance(detail.get(str(c.get("content_id"))), list):
            c = {**c, "$reply_list": detail[str(c.get("content_id"))]}
        yield from json_comment(c, thread, f"第 {n} 条留言", ctx)


def _script_data(text: str) -> tuple[list | None, dict | None]:
    """The comment list and the reply lists of the page's script (``[]``, ``None`` without one)."""
    m = _ARR.search(text)
    if not m:
        return [], None
    try:
        comments = loads_json(m[1].strip())
    except ValueError:
        return None, None
    detail = None
    d = _MAP.search(text, m.end())
    if d and d[1].strip() != "undefined":
        try:
            detail = loads_json(d[1].strip())
        except ValueError:
            detail = None
    return (comments if isinstance(comments, list) else None), (detail if isinstance(detail, dict) else None)


# --- Markdown -------------------------------------------------------------------------------------
_MD_TOKEN = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~=|])"  # an escaped character
                       r"|!\[(?:\\.|[^\]\\])*\]\([^)\s]*\)"  # an image
                       r"|\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")  # a link
_MD_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
_COMMENTS = "\n\n---\n\n精选留言\n\n"
_ITEM = re.compile(r"^(?P<indent>(?:  )?)- \*\*(?P<name>.*)\*\*(?:（来自(?P<place>[^）]*)）)?$")


def md_text(s: str) -> str:
    """Markdown as turndown writes it, back to text: images dropped, links to their text, escapes undone."""
    return _MD_TOKEN.sub(lambda m: m[1] if m[1] is not None else (md_text(m[2]) if m[2] is not None else ""), s)


def parse_markdown(text: str, ctx: ParseContext) -> Iterator[Record]:
    """``{title}.md`` of wechatDownload, with its comment list."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    cut = text.rfind(_COMMENTS)
    page, tail = (text[:cut], text[cut + len(_COMMENTS):]) if cut >= 0 else (text, "")
    lines = page.split("\n")
    if len(lines) < 2 or not re.fullmatch(r"=+", lines[1].strip()):
        yield QuarantineRecord(ctx.origin, "第 1 行", "不是 wechatDownload 的 Markdown（第 2 行应是标题下的 ===）")
        return
    title = md_text(lines[0])
    meta: dict[str, str] = {}
    url, rest = "", []
    for line in lines[2:]:
        if not meta and not rest and re.match(r"^(原创|非原创) ", line):
            meta = _meta_fields(md_text(line))
        elif not url and not rest and line.startswith("原文地址：["):
            link = _MD_LINK.search(line)
            url = link[2] if link else ""
        elif rest or line.strip():
            rest.append(line)
    head = _head(title, meta, url, clean_text(md_text("\n".join(rest))), ctx)
    if isinstance(head, QuarantineRecord):
        yield head
        return
    items = _md_items(tail)
    head.comments = sum(1 for it in items if not it[0])
    yield head.record()
    thread = Thread(head)
    parent, names = None, []
    for is_reply, name, place, body in items:
        by_account = is_reply and name.endswith("(作者)")
        name = clean_text(name.removesuffix("(作者)") if by_account else name)
        if not is_reply:
            parent, names = None, [name, head.account]
            text = wx_text(body)
            if not text:
                yield Skipped("空留言")
                continue
            parent = thread.comment(author=name, text=text, created=head.published, precision="unknown",
                                    extra={"ip": place} if place else {})
            yield parent
            continue
        text, to = strip_reply_to(wx_text(body), names)
        names.append(name)
        if parent is None:
            yield Skipped("其他")  # a reply under a comment that held no text
            continue
        if not text:
            yield Skipped("空留言")
            continue
        yield thread.reply(parent, author=name, text=text, created=head.published, by_account=by_account,
                           reply_to=to, precision="unknown")


def _md_items(tail: str) -> list[tuple[bool, str, str, str]]:
    """(is a reply, name, place, raw text) of each list item of the comment section; an item's
    text lines are indented under it and an empty line ends it."""
    items: list[list] = []
    cur: list | None = None
    for line in tail.split("\n"):
        m = _ITEM.match(line)
        if m:
            cur = [bool(m["indent"]), m["name"], m["place"] or "", []]
            items.append(cur)
        elif line == "":
            cur = None
        elif cur is not None:
            indent = "    " if cur[0] else "  "
            cur[3].append(line[len(indent):] if line.startswith(indent) else line.strip())
    return [(r, n, p, "\n".join(ls)) for r, n, p, ls in items]
