"""WechatExporter (github.com/BlueMatthew/WechatExporter, iPhone backups): TXT, HTML and the async
pages, as its own code writes them (see docs/formats.md, WechatExporter, for the versions).

* TXT ``<chat> - 微信聊天记录`` then ``NAME (YYYY-MM-DD HH:MM:SS):MESSAGE`` lines (a message runs on
  over the following lines). Quoted replies (``「NAME：QUOTED」`` + a dashes line + the reply) carry
  no name and no time; system lines carry neither; up to 1.9.5.13 a link card has no line end, so
  the next message starts on the same line (:func:`parse_txt` splits it at a sender name seen in
  the file), and ``plainshare`` writes ``NAME TIME:`` without brackets.
* HTML: one ``<div class="msg chat|media|chat-notice …">`` per template (1.7.18 on; ``chat-left``,
  ``media-left``, ``chat-notice`` before), ``msgtype`` = WeChat's type code, the sender in
  ``span.dspname`` (``name-left`` before) followed by the time. Texts are HTML-escaped up to 1.9.5.13
  and written raw (inside ``<pre>``) by 1.9.6, where ``[微笑]`` becomes ``<img … rawemoji="[微笑]">``.
  The messages are read from the markup's source, not from a DOM (raw text may hold tags).
  1.8 keeps the messages after the first 1000 as a JSON array in ``window.moreWechatMsgs = …``.
* ``msg-N.js`` (``var msgArray = [...]``): the async pages, ``<chat>_files/Data/`` (1.9) or
  ``<chat>/Files/Data/`` (1.9.6, where ``index.html`` holds no message); the chat is the folder's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape as _html_unescape
from pathlib import PurePath

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, from_local
from .records import ParseContext, Record, Skipped
from .wxmsg import Message, link_message

_TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
_CHAT_HISTORY = r"(?:微信聊天记录|WeChat Chat History|Wechat Chat History)"
#: The first line of a chat's TXT (``frame``: ``DISPLAYNAME - 微信聊天记录``).
TXT_TITLE = re.compile(rf"^(?P<name>.*) - {_CHAT_HISTORY}\s*$")
#: The first line of an account or top-level list (``listframe``): ``微信聊天记录 - 账号``.
LIST_TITLE = re.compile(rf"^{_CHAT_HISTORY}\s*(?:- .*)?$")
#: A message line: ``NAME (TIME):…`` (``msg`` and most templates) or ``NAME TIME:…`` (``plainshare``
#: up to 1.9.5.13). The name may be empty (an app message without a sender).
_HEADER = re.compile(rf"^(?P<name>.*?) (?:\((?P<t1>{_TIME})\)|(?P<t2>{_TIME})):(?P<body>.*)$", re.S)
_EMBEDDED = re.compile(rf" (?:\((?P<t1>{_TIME})\)|(?P<t2>{_TIME})):")
_DASHES = "- - - - - - - - - - - - - - -"
_FWD_END = re.compile(r"^(?P<title>.*) (?:结束|Ends) >>$")

#: Placeholders the exporter writes for what it does not render as text (zh-Hans.txt and the
#: English keys), matched against a whole message.
_PLACEHOLDERS = tuple((re.compile(p, re.S), kind) for p, kind in (
    (r"\[(?:图片|Photo)\]", "图片"),
    (r"\[(?:语音|音频|Audio)(?: [^\]]*)?\]", "语音"),
    (r"\[(?:视频|Video)\]|（视频丢失）|\(Video Missed\)", "视频"),
    (r"\[(?:表情|动画表情|Emoji)\]", "表情"),
    (r"\[(?:位置|Location)\](?: .*)?|\[(?:实时位置共享|Real-time Location)\]", "位置"),
    (r"\[(?:红包|Red Packet)\]", "红包"),
    (r"\[(?:转账|Transfer)\]|(?:微信转账|Weixin Transfer) .*", "转账"),
    (r"\[(?:视频/语音通话|Video/Audio Call)\]", "通话"),
    (r"\[(?:文件|File)(?:: .*)?\]", "文件"),
    (r"\[(?:个人名片|Contact Card)\](?: .*)?", "名片"),
    (r"\[(?:视频号名片|Channel Card)\](?: .*)?", "视频号"),
    (r"\[(?:链接|Link)\]", "链接"),
))
_PAT = re.compile(r'^(?:"[^"\n]*"|我|你)\s?拍了拍\s?(?:"[^"\n]*"|我|你|自己)')
#: A TXT line that is a system notice (``notice`` template: no name, no time), not the next line of a
#: message: WeChat's own phrasing, a quoted name or 你/我 first.
_SYSTEM_LINE = tuple((re.compile(p), kind) for p, kind in (
    (r'^(?:"[^"\n]*"|你|我)\s?撤回了一条消息|recalled a message$', "撤回"),
    (r'^(?:System Message:|系统消息[：:])?\s*(?:"[^"\n]*"|我|你)\s?拍了拍', "拍一拍"),
    (r"^(?:System Message:|系统消息[：:])", "系统消息"),
    (r'^(?:"[^"\n]*"|你|我).{0,80}?(?:邀请|加入了群聊|加入群聊|移出了群聊|退出了群聊|修改群名为|成为新群主|'
     r"开启了朋友验证|领取了.{0,40}红包|与群里其他人都不是)", "系统消息"),
    (r"^(?:以上是打招呼的内容|你已添加了.{0,40}现在可以开始聊天了|.{0,40}的红包已被领完)", "系统消息"),
))


def placeholder_kind(text: str) -> str:
    """The skip kind of an exporter placeholder such as ``[图片]`` or ``[文件: a.xlsx]``, or ``""``."""
    s = text.strip()
    for pattern, kind in _PLACEHOLDERS:
        if pattern.fullmatch(s):
            return kind
    if _PAT.match(s):
        return "拍一拍"
    return ""


def system_line_kind(line: str) -> str:
    """The skip kind of a TXT line that is a WeChat system notice, or ``""``."""
    s = line.strip()
    for pattern, kind in _SYSTEM_LINE:
        if pattern.search(s):
            return kind
    return ""


def _notice_kind(text: str) -> str:
    """What an HTML ``chat-notice`` (always a system line) is counted as."""
    return "撤回" if "撤回了" in text or "recalled" in text else \
        "拍一拍" if "拍了拍" in text or "patted" in text else "系统消息"


def _fix_txt_text(text: str) -> str:
    """A TXT message body as stored: 1.9.6 ends a link card with `` - <app name>`` (empty for most)."""
    return text[:-3] if text.endswith(" - ") else text


# --- TXT ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """Lines being collected: a message (``name`` known or not yet), a quoted reply, or bare lines."""

    kind: str  # msg | quote | bare
    line: int
    name: str | None = ""
    time: str = ""
    lines: list[str] = field(default_factory=list)
    quote_at: list[int] = field(default_factory=list)  # indexes of lines that may open a quote
    glue: _Glue | None = None


@dataclass(slots=True)
class _Glue:
    """A line holding several messages (a link card or transfer without line end, then the next
    message): the texts before each embedded ``NAME (TIME):`` end with that name."""

    line: int
    first_name: str
    first_time: str
    parts: list[tuple[str, str]]  # (text ending with the next sender's name, next time)


def _chat_from_txt_path(origin: str) -> tuple[str, str]:
    p = PurePath(origin)
    name = p.parent.name if p.stem.lower().endswith("index") and p.parent.name else p.stem
    return name, name


class _TxtReader:
    """The TXT state machine (see :func:`parse_txt`)."""

    def __init__(self, ctx: ParseContext):
        self.ctx = ctx
        self.chat = _chat_from_txt_path(ctx.origin)
        self.names: set[str] = set()
        self.cur: _Block | None = None
        self.forwarded: list[str] = []  # titles of the merged-forward blocks being skipped
        self.pending: list[tuple[_Glue, _Block]] = []
        self.seen_text = False

    # - lines -
    def feed(self, n: int, line: str) -> Iterator[Record]:
        if not self.seen_text:
            if not line.strip():
                return
            self.seen_text = True
            m = TXT_TITLE.match(line)
            if m and not _HEADER.match(line):
                name = m["name"].strip()
                if name:
                    self.chat = (name, name)
                return
        if self.forwarded:
            self._in_forwarded(line)
            return
        m = _HEADER.match(line)
        if m:
            yield from self.flush()
            self._start(n, m)
            return
        cur = self.cur
        if cur is not None and cur.kind == "msg" and len(cur.lines) == 1 and line == f"<< {cur.lines[0]}":
            self.cur = None  # the title line of a merged forward; its messages follow until "… 结束 >>"
            self.forwarded.append(cur.lines[0])
            if cur.glue is not None:
                yield from self._glue_records(cur.glue, cur, merged=True)
            else:
                yield Skipped("合并转发")
            return
        if line == _DASHES and cur is not None and cur.quote_at and cur.lines and cur.lines[-1].endswith("」"):
            yield from self._open_quote(n, line)
            return
        if kind := system_line_kind(line):
            yield from self.flush()
            yield Skipped(kind)
            return
        if cur is None:
            if line.startswith("「"):
                self.cur = _Block("bare", n, lines=[line], quote_at=[0])
            elif line.strip():
                yield Skipped("系统消息")  # a notice line after a system line (no message is open)
            return
        if line.startswith("「") and "：" in line:
            cur.quote_at.append(len(cur.lines))
        cur.lines.append(line)

    def _in_forwarded(self, line: str) -> None:
        """Inside a merged forward: its messages are skipped with it (nested ones too)."""
        m = _FWD_END.match(line)
        if m and m["title"] == self.forwarded[-1]:
            self.forwarded.pop()
        elif line.startswith("<< "):
            self.forwarded.append(line[3:])

    def _start(self, n: int, m: re.Match) -> None:
        name, time, body = m["name"], m["t1"] or m["t2"], m["body"]
        if name:
            self.names.add(name)
        embedded = list(_EMBEDDED.finditer(body))
        if not embedded:
            self.cur = _Block("msg", n, name, time, [body])
            return
        parts, last = [], 0
        for e in embedded:
            parts.append((body[last:e.start()], e["t1"] or e["t2"]))
            last = e.end()
        glue = _Glue(n, name, time, parts)
        self.cur = _Block("msg", n, None, parts[-1][1], [body[last:]], glue=glue)

    def _open_quote(self, n: int, dashes: str) -> Iterator[Record]:
        """The dashes line under ``「NAME：QUOTED」``: what came before the quote is complete."""
        cur, self.cur = self.cur, None
        k = cur.quote_at[-1]
        head, quote = cur.lines[:k], cur.lines[k:]
        cur.lines, cur.quote_at = head, []
        if head:
            yield from self._emit(cur)
        self.cur = _Block("quote", n - len(quote), lines=[*quote, dashes])

    # - records -
    def flush(self) -> Iterator[Record]:
        cur, self.cur = self.cur, None
        if cur is not None:
            yield from self._emit(cur)

    def finish(self) -> Iterator[Record]:
        yield from self.flush()
        pending, self.pending = self.pending, []
        for glue, block in pending:
            yield from self._glue_records(glue, block, final=True)

    def _emit(self, b: _Block) -> Iterator[Record]:
        if b.kind == "bare":
            for line in b.lines:
                if line.strip():
                    yield Skipped(system_line_kind(line) or "系统消息")
            return
        if b.kind == "quote":
            while b.lines and not b.lines[-1].strip():
                b.lines.pop()
            yield QuarantineRecord(
                self.ctx.origin, f"第 {b.line} 行",
                "引用回复没有发送人和时间（WechatExporter 的 TXT 导出不写），未导入：请用 HTML 格式重新导出这个聊天再导入",
                raw="\n".join(b.lines)[:2000])
            return
        if b.glue is not None:
            yield from self._glue_records(b.glue, b)
            return
        yield self._message(b.name or "", b.time, b.lines, b.line)

    def _glue_records(self, glue: _Glue, last: _Block, *, final: bool = False,
                      merged: bool = False) -> Iterator[Record]:
        split = []
        for text, _ in glue.parts:
            who = max((nm for nm in self.names if nm and text.endswith(nm)), key=len, default=None)
            if who is None:
                break
            split.append((text[:-len(who)], who))
        if len(split) < len(glue.parts):
            if not final:
                self.pending.append((glue, _Block("msg", last.line, None, last.time, list(last.lines))
                                     if not merged else _Block("merged", last.line, None, last.time, [])))
                return
            raw = glue.first_name + " " + "".join(t for t, _ in glue.parts) + "\n".join(last.lines)
            yield QuarantineRecord(self.ctx.origin, f"第 {glue.line} 行",
                                   "几条消息连在一行里（WechatExporter 1.9 的 TXT 链接卡片没有换行），找不到下一条的发送人，无法分开",
                                   raw=raw[:2000])
            return
        names = [glue.first_name] + [who for _, who in split]
        times = [glue.first_time] + [t for _, t in glue.parts]
        texts = [text for text, _ in split]
        for i, text in enumerate(texts):
            self.names.add(names[i + 1])
            yield self._message(names[i], times[i], [text], glue.line)
        if merged or last.kind == "merged":
            yield Skipped("合并转发")
        else:
            yield self._message(names[-1], times[-1], last.lines, glue.line)

    def _message(self, name: str, when: str, lines: list[str], n: int) -> Record:
        body = "\n".join(lines).strip("\n")
        if not body.strip():
            return Skipped("空消息")
        if kind := placeholder_kind(body):
            return Skipped(kind)
        try:
            created = from_local(when, self.ctx.tz)
        except BadTime as exc:
            return QuarantineRecord(self.ctx.origin, f"第 {n} 行", str(exc), raw=body[:2000])
        text = clean_text(_fix_txt_text(body))
        if not text:
            return Skipped("空消息")
        return chat_record(Message(text=text), created_at=created, author=name.strip(), author_id="", native_id="",
                           chat_id=self.chat[0], chat_name=self.chat[1])


def parse_txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    """A WechatExporter TXT chat, streamed line by line.

    Quoted replies (no sender, no time in this format) are quarantined with their text and a
    reason; system lines are skipped by kind; a line holding a link card and the next message is
    split at the longest sender name seen in the file (at its end if the name only shows up later).
    """
    reader = _TxtReader(ctx)
    for n, raw in enumerate(lines, 1):
        yield from reader.feed(n, raw.rstrip("\r\n"))
    yield from reader.finish()


# --- HTML and the async pages --------------------------------------------------------------------

_START = re.compile(r'<div class="(?P<cls>(?:msg (?:chat|media|chat-notice)|chat-(?:left|right|notice)|'
                    r'media-(?:left|right))\b[^"]*)"(?P<attrs>[^>]*)>')
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_NAME_TIME = re.compile(rf'<span class="(?:dspname|name-)[^"]*"(?: wxId="(?P<wx>[^"]*)")?>(?P<name>[^<]*)</span>\s*'
                        rf"(?P<time>{_TIME})|<div>(?P<oname>[^<]*?) (?P<otime>{_TIME})</div>")
_AVATAR = re.compile(r'<img src="(?P<src>[^"]*)" class="avatar"')
_TEXT_OPEN = re.compile(r'<span class="dont-break-out(?: msg-text)?">(?:<pre>)?')
_TEXT_CLOSE = re.compile(r"(?:</pre>)?</span>")
_REFER_OPEN = re.compile(r'<span class="dont-break-out refermsg(?: msg-text)?">(?:<pre>)?')
# v1.7.x closes the reply's span before the reply: <span class="dont-break-out"></span>REPLY</span>
_REFER_SEP = re.compile(r'(?:</pre>)?</span><br\s*/?><span>- - - - - - - - - - - - - - -</span><br\s*/?>'
                        r'<span class="dont-break-out(?: msg-text)?">(?:</span>)?(?:<pre>)?')
_LINK = re.compile(r'<a href="(?P<url>[^"]*)"><b>(?:<span class="dont-break-out msg-text">)?(?:<pre>)?(?P<title>.*?)'
                   r"(?:</pre>)?(?:</span>)?</b></a>", re.S)
_IMG = re.compile(r"<img\b[^>]*>")
_BR = re.compile(r"<br\s*/?>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_BODY_END = re.compile(r'<div class="footer"|<div id="footer"|<div id="pager"')
_HTML_TITLE = re.compile(rf"<title>(?P<name>.*?) - {_CHAT_HISTORY}\s*</title>", re.S)
_SNAME = re.compile(r'<(?:span|div) class="sname">(?P<name>[^<]*)</(?:span|div)>')
_MORE_MSGS = re.compile(r"window\.moreWechatMsgs\s*=(?!=)\s*(?=\[)")
_MSG_ARRAY = re.compile(r"var\s+msgArray\s*=(?!=)\s*")
_DEFAULT_AVATAR = re.compile(r"Default(?:Avatar|ProfileHead)", re.I)

#: ``msgtype`` (WeChat's type code, or what MessageParser put instead) → skip kind.
_TYPE_KIND = {"3": "图片", "image": "图片", "34": "语音", "43": "视频", "62": "视频", "video": "视频", "47": "表情",
              "48": "位置", "42": "名片", "66": "名片", "50": "通话", "file": "文件", "channels": "视频号",
              "10000": "系统消息", "10002": "撤回", "37": "系统消息", "40": "系统消息", "51": "系统消息",
              "52": "系统消息", "53": "系统消息", "64": "系统消息", "9999": "系统消息"}


def _unescape(s: str) -> str:
    """Entities with their semicolon (what ``safeHTML`` writes); ``&c=2`` in a raw URL stays."""
    return _ENTITY.sub(lambda m: _html_unescape(m.group(0)), s)


def _emoji_code(m: re.Match) -> str:
    """An ``<img class="wxemoji">`` (1.9.6 ``wxemoji`` template) back to the code it replaced:
    ``rawemoji``, else ``title`` or ``alt``, else ``[<image name>]`` (its English code)."""
    tag = m.group(0)
    attrs = dict(_ATTR.findall(tag))
    if "wxemoji" not in attrs.get("class", "").split():
        return tag
    code = attrs.get("rawemoji") or attrs.get("title") or attrs.get("alt")
    if not code:
        code = f"[{PurePath(attrs.get('src', '')).stem}]"
    return _html_unescape(code)


def html_text(raw: str) -> str:
    """A text from the exporter's markup: emoji images back to their code, ``<br/>`` to line
    breaks, entities unescaped; any other markup stays text (1.9.6 writes messages unescaped, so
    ``<b>`` typed by a worker is part of the message)."""
    s = _IMG.sub(_emoji_code, raw)
    s = _BR.sub("\n", s)
    return _unescape(s).replace("\xa0", " ")


@dataclass(slots=True)
class _Segment:
    cls: set[str]
    attrs: dict[str, str]
    markup: str


def _segments(markup: str) -> list[_Segment]:
    starts = list(_START.finditer(markup))
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(markup)
        out.append(_Segment(set(m["cls"].split()), dict(_ATTR.findall(m["attrs"])), markup[m.end():end]))
    return out


def _inner_text(seg: str, opener: re.Pattern, start: int = 0) -> str | None:
    """The text of the first ``opener`` span from ``start`` up to the segment's last closing span."""
    m = opener.search(seg, start)
    if not m:
        return None
    closes = list(_TEXT_CLOSE.finditer(seg, m.end()))
    if not closes:
        return seg[m.end():]
    return seg[m.end():closes[-1].start()]


class _HtmlReader:
    """Turns message markup (a page body, a JSON array element) into records."""

    def __init__(self, ctx: ParseContext, chat: tuple[str, str]):
        self.ctx, self.chat = ctx, chat
        self.n = 0

    def records(self, markup: str) -> Iterator[Record]:
        segs = _segments(markup)
        for i, seg in enumerate(segs):
            self.n += 1
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            rec = self._record(seg, nxt)
            if rec is not None:
                yield rec

    def _record(self, seg: _Segment, nxt: _Segment | None) -> Record | None:
        cls, body = seg.cls, seg.markup
        if "fmsg" in cls or "fmsgtag" in cls:
            return None  # the messages of a merged forward and its begin/end lines: counted with the card
        if "chat-notice" in cls:
            text = html_text(_inner_text(body, _TEXT_OPEN) or "")
            return Skipped(_notice_kind(text))
        head = _NAME_TIME.search(body)
        if head is None:
            return QuarantineRecord(self.ctx.origin, f"第 {self.n} 条消息", "找不到发送人和时间",
                                    raw=re.sub(r"\s+", " ", body)[:2000])
        mtype = seg.attrs.get("msgtype", "")
        if "media" in cls or any(c.startswith("media-") for c in cls):
            return Skipped(_TYPE_KIND.get(mtype) or self._media_kind(body))
        if _REFER_OPEN.search(body):
            return self._quote(seg, head)
        if "transfer-icon" in body:
            return Skipped("转账")
        if "channel-title" in body or "channel-card" in body:
            return Skipped("视频号")
        link = _LINK.search(body)
        if link is not None:
            return self._share(seg, head, link)
        if nxt is not None and "fmsgtag" in nxt.cls:
            return Skipped("合并转发")  # the card's title; its messages follow between two tag lines
        raw = _inner_text(body, _TEXT_OPEN)
        text = html_text(raw or "")
        if mtype in ("", "1"):
            kind = "" if mtype == "1" else placeholder_kind(text)
            return Skipped(kind) if kind else self._post(seg, head, Message(text=clean_text(text)))
        if mtype == "49":
            return Skipped(placeholder_kind(text) or _app_title_kind(text))
        return Skipped(_TYPE_KIND.get(mtype, "其他"))

    @staticmethod
    def _media_kind(body: str) -> str:
        if "voicebox" in body or "<audio" in body:
            return "语音"
        if "<video" in body or "视频丢失" in body or "Video Missed" in body:
            return "视频"
        if "card-name" in body:
            return "视频号" if "视频号" in body or "Channel Card" in body else "名片"
        if "rawsrc=" in body or "Emoji/" in body:
            return "表情"
        return "图片"

    def _share(self, seg: _Segment, head: re.Match, link: re.Match) -> Record:
        body, mtype = seg.markup, seg.attrs.get("msgtype", "")
        url, title = _unescape(link["url"]), html_text(link["title"])
        rest = body[link.end():]
        app = rest.find('<div class="appinfo">')
        desc = html_text(_inner_text(rest[:app] if app >= 0 else rest, _TEXT_OPEN) or "")
        if mtype == "file":
            return Skipped("文件")
        if not url and not title.strip():  # an app message the exporter only has a description for
            return Skipped(placeholder_kind(desc) or _app_title_kind(desc))
        if "/mp/waerrpage" in url:
            return Skipped("小程序")
        if url == "##":  # a push mail
            return Skipped("其他")
        return self._post(seg, head, link_message(title, desc, url))

    def _quote(self, seg: _Segment, head: re.Match) -> Record:
        body = seg.markup
        opener = _REFER_OPEN.search(body)
        sep = _REFER_SEP.search(body, opener.end())
        if sep is None:
            return QuarantineRecord(self.ctx.origin, f"第 {self.n} 条消息", "引用回复的格式不完整",
                                    raw=re.sub(r"\s+", " ", body)[:2000])
        quoted = html_text(body[opener.end():sep.start()])
        closes = list(_TEXT_CLOSE.finditer(body, sep.end()))
        reply = html_text(body[sep.end():closes[-1].start()] if closes else body[sep.end():])
        name, _, quoted_text = quoted.removeprefix("「").removesuffix("」").partition("：")
        msg = Message(text=clean_text(reply), kind="quote", quote_name=name.strip(), quote_text=clean_text(quoted_text))
        return self._post(seg, head, msg)

    def _post(self, seg: _Segment, head: re.Match, msg: Message) -> Record:
        if not msg.text:
            return Skipped("空消息")
        name = html_text(head["name"] if head["name"] is not None else head["oname"]).strip()
        when = head["time"] or head["otime"]
        try:
            created = from_local(when, self.ctx.tz)
        except BadTime as exc:
            return QuarantineRecord(self.ctx.origin, f"第 {self.n} 条消息", str(exc), raw=msg.text[:2000])
        avatar = _AVATAR.search(seg.markup)
        author_id = ""
        if avatar and not _DEFAULT_AVATAR.search(avatar["src"]):
            author_id = PurePath(avatar["src"]).stem if "Portrait/" in avatar["src"] else ""
        return chat_record(msg, created_at=created, author=name, author_id=author_id,
                           native_id=seg.attrs.get("msgid", ""), chat_id=self.chat[0], chat_name=self.chat[1],
                           is_self="right" in seg.cls or "chat-right" in seg.cls)


def _app_title_kind(text: str) -> str:
    """An app message the exporter shows by its title only (no url): a group notice (87), a pat
    (62 before 1.9.6) or another kind it has no template for."""
    s = text.strip()
    if s == "群公告" or s.startswith("群公告\n"):
        return "群公告"
    if "拍了拍" in s:
        return "拍一拍"
    return "其他"


def _json_array(text: str, at: re.Match | None, ctx: ParseContext, what: str) -> tuple[list, QuarantineRecord | None]:
    if at is None:
        return [], None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, at.end())
    except json.JSONDecodeError as exc:
        return [], QuarantineRecord(ctx.origin, what, f"文件不完整或已损坏：消息数据无法解析（{exc.msg}）")
    if not isinstance(value, list):
        return [], QuarantineRecord(ctx.origin, what, "消息数据不是数组")
    return [v for v in value if isinstance(v, str)], None


def html_chat(text: str, origin: str) -> tuple[str, str]:
    """The chat of a session page: its ``<title>`` (``DISPLAYNAME - 微信聊天记录``), else the
    header's ``span.sname``, else the file (``<chat>.html`` or ``<chat>/index.html``)."""
    m = _HTML_TITLE.search(text[:200_000]) or _SNAME.search(text[:200_000])
    name = _unescape(m["name"]).strip() if m else ""
    if not name:
        name = _chat_from_txt_path(origin)[0]
    return name, name


def parse_html(text: str, ctx: ParseContext) -> Iterator[Record]:
    """A WechatExporter session page: the messages in the page body, and (1.8) the ones after the
    first page kept as JSON in ``window.moreWechatMsgs``. An async page of 1.9.6 holds none."""
    def gen() -> Iterator[Record]:
        reader = _HtmlReader(ctx, html_chat(text, ctx.origin))
        start = text.find('id="msgs-div"')
        start = text.find(">", start) + 1 if start >= 0 else (text.find("<body") if "<body" in text else 0)
        end = _BODY_END.search(text, start)
        yield from reader.records(text[start:end.start() if end else len(text)])
        for at in _MORE_MSGS.finditer(text):
            values, problem = _json_array(text, at, ctx, "window.moreWechatMsgs")
            if problem is not None:
                yield problem
            for value in values:
                yield from reader.records(value)
    return gen()


def page_chat(origin: str) -> tuple[str, str] | None:
    """The chat of an async page from its folders: ``<chat>/Files/Data/msg-N.js`` (1.9.6) or
    ``<chat>_files/Data/msg-N.js`` (1.9); None when the file is not in such a folder."""
    p = PurePath(origin)
    data, files = p.parent, p.parent.parent
    if data.name != "Data":
        return None
    if files.name == "Files" and files.parent.name:
        return files.parent.name, files.parent.name
    if files.name.endswith("_files") and len(files.name) > len("_files"):
        name = files.name[:-len("_files")]
        return name, name
    return None


def parse_js(text: str, ctx: ParseContext) -> Iterator[Record]:
    """An async page ``msg-N.js``: ``var msgArray = [...]`` of message markup (jsoncpp)."""
    def gen() -> Iterator[Record]:
        chat = page_chat(ctx.origin)
        if chat is None:
            yield QuarantineRecord(ctx.origin, "整个文件",
                                   "WechatExporter 的分页消息文件不在原来的文件夹里（应在 <聊天>/Files/Data/ 或 <聊天>_files/Data/），"
                                   "认不出是哪个聊天：请导入整个导出文件夹")
            return
        values, problem = _json_array(text, _MSG_ARRAY.search(text), ctx, "var msgArray")
        if problem is not None:
            yield problem
            return
        reader = _HtmlReader(ctx, chat)
        for value in values:
            yield from reader.records(value)
    return gen()
