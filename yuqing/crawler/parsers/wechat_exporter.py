"""WechatExporter (iPhone backups): ``<out>/<account>/<session>/index.txt`` and ``index.html``.

TXT lines ``{NAME} ({YYYY-MM-DD HH:MM:SS}):{MESSAGE}`` (a message may run over several lines);
quoted reply ``「{REFERNAME}：{REFERMSG}」\\n- - - - - - - - - - - - - - -\\n{MESSAGE}``; system
messages ``系统消息: …``. HTML ``div.msg.chat`` › ``span.dspname[wxId]`` NAME TIME › ``pre``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from ...schema import QuarantineRecord
from ..cleaning import clean_text
from .common import BadTime, chat_record, from_local
from .records import ParseContext, Record, Skipped
from .wxmsg import Message

_LINE = re.compile(r"^(?P<name>.+?) \((?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\):(?P<msg>.*)$")
_QUOTE = re.compile(r"^「(?P<name>[^：]*)：(?P<quoted>.*?)」\n(?:- )+-?\n(?P<msg>.*)$", re.S)
_MEDIA = {"[图片]": "图片", "[语音]": "语音", "[视频]": "视频", "[动画表情]": "表情", "[表情]": "表情", "[文件]": "文件",
          "[位置]": "位置", "[视频/语音通话]": "通话"}
_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _session(origin: str) -> tuple[str, str]:
    name = PurePath(origin).parent.name or PurePath(origin).stem
    return name, name


def _message(name: str, when: str, body: str, where: str, ctx: ParseContext, chat: tuple[str, str],
             author_id: str = "") -> Record:
    body = body.strip("\n")
    if name.startswith("系统消息") or body.startswith("系统消息"):
        return Skipped("系统消息")
    if body.strip() in _MEDIA:
        return Skipped(_MEDIA[body.strip()])
    try:
        created = from_local(when, ctx.tz)
    except BadTime as exc:
        return QuarantineRecord(ctx.origin, where, str(exc), raw=body[:2000])
    msg = Message(text=clean_text(body))
    if q := _QUOTE.match(body):
        msg = Message(text=clean_text(q["msg"]), kind="quote", quote_name=q["name"], quote_text=clean_text(q["quoted"]))
    if not msg.text:
        return Skipped("空消息")
    return chat_record(msg, created_at=created, author=name, author_id=author_id, native_id="",
                       chat_id=chat[0], chat_name=chat[1])


def parse_txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    return _txt(lines, ctx)


def _txt(lines: Iterable[str], ctx: ParseContext) -> Iterator[Record]:
    chat = _session(ctx.origin)
    current: tuple[str, str, int] | None = None
    body: list[str] = []
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        m = _LINE.match(line)
        if m:
            if current:
                yield _message(current[0], current[1], "\n".join(body), f"第 {current[2]} 行", ctx, chat)
            current, body = (m["name"], m["time"], n), [m["msg"]]
        elif current:
            body.append(line)
        elif line.strip():
            yield QuarantineRecord(ctx.origin, f"第 {n} 行", "找不到发送人和时间", raw=line[:2000])
    if current:
        yield _message(current[0], current[1], "\n".join(body), f"第 {current[2]} 行", ctx, chat)


def parse_html(text: str, ctx: ParseContext) -> Iterator[Record]:
    from parsel import Selector

    def gen():
        chat = _session(ctx.origin)
        for i, node in enumerate(Selector(text=text).css("div.msg.chat"), 1):
            name_node = node.css("span.dspname")
            name = clean_text("".join(name_node.css("::text").getall()))
            head = " ".join(node.xpath(".//span[contains(@class,'dspname')]/following-sibling::text()").getall()
                            + node.css("::text").getall()[:6])
            when = _TIME.search(head)
            body = "\n".join(node.css("pre ::text").getall())
            if not when:
                yield QuarantineRecord(ctx.origin, f"第 {i} 条消息", "找不到消息时间", raw=body[:2000])
                continue
            yield _message(name, when.group(0), body, f"第 {i} 条消息", ctx, chat,
                           author_id=name_node.attrib.get("wxid", "") if name_node else "")
    return gen()
