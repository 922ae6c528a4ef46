"""A small static Discuz! X forum in the real page shapes, for crawling over http.server.

Board 2 (UTF-8) lists threads two per page; board 3 is served in GBK (meta charset). Posts
are shown two per page. ``add_reply`` makes a thread grow, like a live forum.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

PPP = 2  # posts per thread page
TPP = 2  # threads per list page


@dataclass
class FPost:
    pid: int
    author: str
    uid: int
    when: str  # "2026-11-2 08:05"
    body: str  # HTML
    relative: str = ""  # e.g. "昨天&nbsp;09:12": shown as text with the real time in title


@dataclass
class FThread:
    tid: int
    fid: int
    title: str
    posts: list[FPost] = field(default_factory=list)
    pinned: bool = False


def _head(title: str, charset: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
            f"<title>{html.escape(title)} - 职工论坛 - Powered by Discuz!</title></head><body><div id=\"wp\" class=\"wp\">")


def _pg(current: int, last: int, href) -> str:
    if last <= 1:
        return ""
    links = "".join(f"<strong>{i}</strong>" if i == current else f'<a href="{href(i)}">{i}</a>' for i in range(1, last + 1))
    nxt = f'<a href="{href(current + 1)}" class="nxt">下一页</a>' if current < last else ""
    return f'<div class="pg">{links}<label><input type="text" name="custompage" class="px" size="2" value="{current}" /><span title="共 {last} 页"> / {last} 页</span></label>{nxt}</div>'


def thread_page(t: FThread, page: int) -> str:
    last = max(1, math.ceil(len(t.posts) / PPP))
    out = [_head(t.title, "gbk" if t.fid == 3 else "utf-8"),
           f'<div id="pt" class="bm cl"><a href="forum.php">职工论坛</a> <em>&rsaquo;</em> <a href="forum-{t.fid}-1.html">板块{t.fid}</a></div>',
           f'<div id="postlist" class="pl bm"><table cellspacing="0" cellpadding="0"><tr><td class="plc ptm pbn vwthd">'
           f'<h1 class="ts"><span id="thread_subject">{html.escape(t.title)}</span></h1></td></tr></table>']
    for p in t.posts[(page - 1) * PPP: page * PPP]:
        when = (f'<span title="{p.when}">{p.relative}</span>' if p.relative else p.when)
        out.append(
            f'<div id="post_{p.pid}"><table id="pid{p.pid}" class="plhin" summary="pid{p.pid}" cellspacing="0" cellpadding="0">'
            f'<tr><td class="pls" rowspan="2"><div class="pi"><div class="authi"><a href="home.php?mod=space&amp;uid={p.uid}" target="_blank" class="xw1">{html.escape(p.author)}</a></div></div></td>'
            f'<td class="plc"><div class="pi"><div class="pti"><div class="authi">'
            f'<em id="authorposton{p.pid}">发表于 {when}</em></div></div></div>'
            f'<div class="pct"><div class="pcb"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr>'
            f'<td class="t_f" id="postmessage_{p.pid}">{p.body}</td></tr></table></div></div></div></td></tr>'
            f'<tr><td class="plc plm"><div class="sign">签名：安全生产，人人有责</div></td></tr></table></div>')
    out.append("</div>")
    out.append(_pg(page, last, lambda i: f"thread-{t.tid}-{i}-1.html"))
    out.append("</div></body></html>")
    return "".join(out)


def list_page(fid: int, threads: list[FThread], page: int) -> str:
    last = max(1, math.ceil(len(threads) / TPP))
    rows = []
    for t in threads[(page - 1) * TPP: page * TPP]:
        kind = "stickthread" if t.pinned else "normalthread"
        first = t.posts[0]
        rows.append(
            f'<tbody id="{kind}_{t.tid}"><tr><th class="common"><a href="thread-{t.tid}-1-1.html" onclick="atarget(this)" class="s xst">{html.escape(t.title)}</a></th>'
            f'<td class="by"><cite><a href="home.php?mod=space&amp;uid={first.uid}" c="1">{html.escape(first.author)}</a></cite><em><span>{first.when.split()[0]}</span></em></td>'
            f'<td class="num"><a href="thread-{t.tid}-1-1.html" class="xi2">{len(t.posts) - 1}</a><em>{10 * t.tid}</em></td></tr></tbody>')
    return (_head(f"板块{fid}", "gbk" if fid == 3 else "utf-8")
            + f'<div id="pt" class="bm cl"><a href="forum.php">职工论坛</a> <em>&rsaquo;</em> <a href="forum-{fid}-1.html">板块{fid}</a></div>'
            + f'<div id="threadlist" class="tl bm bmw"><table summary="forum_{fid}" id="threadlisttableid" cellspacing="0" cellpadding="0">'
            + "".join(rows) + "</table></div>" + _pg(page, last, lambda i: f"forum-{fid}-{i}.html") + "</div></body></html>")


def demo_threads() -> list[FThread]:
    quote = ('<div class="quote"><blockquote><font size="2"><a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid=1001&amp;ptid=101" target="_blank">'
             '<font color="#999999">老张 发表于 2026-11-2 08:00</font></a></font><br />夜班补贴三个月没发了</blockquote></div>')
    return [
        FThread(101, 2, "夜班补贴拖欠问题", [
            FPost(1001, "老张", 11, "2026-11-2 08:00", "夜班补贴三个月没发了<br />大家都一样吗？"),
            FPost(1002, "小李", 12, "2026-11-2 08:30", quote + "我们队也是，电话 13912345678"),
            FPost(1003, "王师傅", 13, "2026-11-3 09:12", '<i class="pstatus"> 本帖最后由 王师傅 于 2026-11-3 09:20 编辑 </i><br />工会能不能反映一下', "昨天&nbsp;09:12"),
            FPost(1004, "赵工", 14, "2026-11-3 10:00", "<script>alert(1)</script>已经反映了"),
            FPost(1005, "孙师傅", 15, "2026-11-3 11:00", "等消息"),
        ]),
        FThread(102, 2, "食堂饭菜质量", [FPost(1101, "周师傅", 16, "2026-11-1 12:00", "最近食堂饭菜不太好")]),
        FThread(103, 2, "职工运动会报名", [FPost(1201, "工会小王", 17, "2026-10-30 9:05", "报名截止到周五"),
                                          FPost(1202, "吴师傅", 18, "2026-10-30 10:00", "已报名")]),
        FThread(201, 3, "井下通风设备老化", [FPost(2001, "老刘", 21, "2026-11-2 14:38", "通风设备该换了"),
                                           FPost(2002, "小陈", 22, "2026-11-2 15:00", "同意，噪音很大"),
                                           FPost(2003, "老郑", 23, "很久以前", "日期坏了的帖子")]),
    ]


def write_forum(root: Path, threads: list[FThread]) -> None:
    """Write (or rewrite) the whole forum under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(
        _head("职工论坛", "utf-8") + '<div id="ct"><h2><a href="forum-2-1.html">生产生活</a></h2>'
        '<h2><a href="forum-3-1.html">安全生产（GBK）</a></h2></div></div></body></html>', encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /api/\n", encoding="utf-8")
    for fid in (2, 3):
        board = [t for t in threads if t.fid == fid]
        enc = "gbk" if fid == 3 else "utf-8"
        for page in range(1, max(1, math.ceil(len(board) / TPP)) + 1):
            (root / f"forum-{fid}-{page}.html").write_bytes(list_page(fid, board, page).encode(enc))
        for t in board:
            for page in range(1, max(1, math.ceil(len(t.posts) / PPP)) + 1):
                (root / f"thread-{t.tid}-{page}-1.html").write_bytes(thread_page(t, page).encode(enc))
