"""Render the demo forum as static Discuz! X 3.x-style HTML pages (rewritten URLs)."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from .forum import POSTS_PER_PAGE, ForumPost, ForumThread
from .org import FORUM_NAME
from .phrases.forum import BOARDS
from .weeks import TZ

THREADS_PER_PAGE = 10
ROBOTS = "User-agent: *\nDisallow: /api/\nDisallow: /admin.php\nAllow: /\n"


def discuz_time(dt: datetime) -> str:
    """``Y-n-j H:i``: no zero padding for month and day."""
    d = dt.astimezone(TZ)
    return f"{d.year}-{d.month}-{d.day} {d:%H:%M}"


def discuz_date(dt: datetime) -> str:
    d = dt.astimezone(TZ)
    return f"{d.year}-{d.month}-{d.day}"


def posted(dt: datetime, now: datetime) -> str:
    """Discuz shows recent times relatively, with the absolute time in ``title``."""
    days = (now.astimezone(TZ).date() - dt.astimezone(TZ).date()).days
    hm = dt.astimezone(TZ).strftime("%H:%M")
    if days == 1:
        rel = f"昨天&nbsp;{hm}"
    elif days == 2:
        rel = f"前天&nbsp;{hm}"
    elif 3 <= days <= 7:
        rel = f"{days}&nbsp;天前"
    else:
        return discuz_time(dt)
    return f'<span title="{discuz_time(dt)}">{rel}</span>'


def _page(title: str, charset: str, body: str) -> str:
    return (
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n'
        f'<meta charset="{charset}" />\n'
        f"<title>{escape(title)} -  {FORUM_NAME} -  Powered by Discuz!</title>\n"
        '<meta name="generator" content="Discuz! X3.4" />\n'
        '<link rel="stylesheet" type="text/css" href="data/cache/style_1_common.css" />\n'
        "</head>\n<body id=\"nv_forum\" class=\"pg_forumdisplay\">\n"
        f'<div id="hd"><div class="wp"><h2><a href="index.html" title="{FORUM_NAME}">{FORUM_NAME}</a></h2></div></div>\n'
        f'<div id="wp" class="wp">\n{body}\n</div>\n'
        '<div id="ft" class="wp cl"><p>Powered by <strong>Discuz!</strong> <em>X3.4</em></p></div>\n'
        "</body>\n</html>\n"
    )


def pager(prefix: str, suffix: str, page: int, pages: int) -> str:
    """``div.pg`` with ``strong`` current, ``a.nxt`` and ``span[title="共 N 页"]``."""
    if pages <= 1:
        return ""
    parts = ['<div class="pg">']
    if page > 1:
        parts.append(f'<a href="{prefix}{page - 1}{suffix}" class="prev">&nbsp;&nbsp;</a>')
    for p in range(1, pages + 1):
        parts.append(f"<strong>{p}</strong>" if p == page else f'<a href="{prefix}{p}{suffix}">{p}</a>')
    parts.append(
        f'<label><input type="text" name="custompage" class="px" size="2" title="输入页码，按回车快速跳转" '
        f'value="{page}" /><span title="共 {pages} 页"> / {pages} 页</span></label>'
    )
    if page < pages:
        parts.append(f'<a href="{prefix}{page + 1}{suffix}" class="nxt">下一页</a>')
    parts.append("</div>")
    return "".join(parts)


def render_index(threads: list[ForumThread]) -> str:
    rows = []
    for fid, (name, _) in BOARDS.items():
        count = sum(1 for t in threads if t.fid == fid)
        posts = sum(len(t.posts) for t in threads if t.fid == fid)
        rows.append(
            f'<tr><td class="fl_g"><dl><dt><a href="forum-{fid}-1.html">{escape(name)}</a></dt>'
            f"<dd><em>主题: {count}</em>, <em>帖数: {posts}</em></dd></dl></td></tr>"
        )
    body = f'<div class="fl bm"><div class="bm_h cl"><h2>{FORUM_NAME}</h2></div><div class="bm_c"><table class="fl_tb">{"".join(rows)}</table></div></div>'
    return _page(FORUM_NAME, "utf-8", body)


def _thread_row(t: ForumThread, now: datetime) -> str:
    first, last = t.posts[0], t.posts[-1]
    kind = "stickthread" if t.sticky else "normalthread"
    started = posted(first.when, now) if now - first.when < timedelta(days=8) else discuz_date(first.when)
    return (
        f'<tbody id="{kind}_{t.tid}">\n<tr>\n'
        f'<td class="icn"><a href="thread-{t.tid}-1-1.html" title="新窗口打开" target="_blank">'
        '<img src="static/image/common/folder_common.gif" /></a></td>\n'
        f'<th class="common"><a href="thread-{t.tid}-1-1.html" onclick="atarget(this)" class="s xst">{escape(t.title)}</a>'
        + (f'<span class="tps">&nbsp;...<a href="thread-{t.tid}-{t.pages}-1.html">{t.pages}</a></span>' if t.pages > 1 else "")
        + "</th>\n"
        f'<td class="by"><cite><a href="home.php?mod=space&amp;uid={first.author.uid}" c="1">{escape(first.author.name)}</a></cite>'
        f"<em><span>{started}</span></em></td>\n"
        f'<td class="num"><a href="thread-{t.tid}-1-1.html" class="xi2">{len(t.posts) - 1}</a><em>{t.views}</em></td>\n'
        f'<td class="by"><cite><a href="home.php?mod=space&amp;username={escape(last.author.name)}" c="1">{escape(last.author.name)}</a></cite>'
        f'<em><a href="forum.php?mod=redirect&amp;tid={t.tid}&amp;goto=lastpost#lastpost">{posted(last.when, now)}</a></em></td>\n'
        "</tr>\n</tbody>"
    )


def render_board(fid: int, threads: list[ForumThread], page: int, now: datetime) -> str:
    """One page of a board's thread list (pinned first, then by last reply)."""
    name, charset = BOARDS[fid]
    ordered = sorted((t for t in threads if t.fid == fid), key=lambda t: (not t.sticky, -t.posts[-1].when.timestamp()))
    pages = max(1, (len(ordered) - 1) // THREADS_PER_PAGE + 1)
    shown = ordered[(page - 1) * THREADS_PER_PAGE: page * THREADS_PER_PAGE]
    pg = pager(f"forum-{fid}-", ".html", page, pages)
    body = (
        f'<div id="pt" class="bm cl"><div class="z"><a href="index.html">{FORUM_NAME}</a> <em>&rsaquo;</em> '
        f'<a href="forum-{fid}-1.html">{escape(name)}</a></div></div>\n'
        f'<div class="bm bml pbn"><div class="bm_h cl"><h1 class="xs2"><a href="forum-{fid}-1.html">{escape(name)}</a></h1></div></div>\n'
        f'<div id="pgt" class="bm bw0 pgs cl"><span id="fd_page_top">{pg}</span></div>\n'
        f'<div id="threadlist" class="tl bm bmw"><div class="bm_c"><form method="post" name="moderate" id="moderate">'
        f'<table summary="forum_{fid}" cellspacing="0" cellpadding="0" id="threadlisttableid">\n'
        + "\n".join(_thread_row(t, now) for t in shown)
        + f"\n</table></form></div></div>\n<div class=\"bm bw0 pgs cl\"><span id=\"fd_page_bottom\">{pg}</span></div>"
    )
    return _page(f"{name}", charset, body)


def _body(post: ForumPost, thread: ForumThread) -> str:
    parts = []
    if post.edited is not None:
        parts.append(f'<i class="pstatus"> 本帖最后由 {escape(post.author.name)} 于 {discuz_time(post.edited)} 编辑 </i><br />\r\n<br />\r\n')
    if post.quote is not None:
        q = post.quote
        qtext = escape(q.text.split("\n")[0])
        parts.append(
            '<div class="quote"><blockquote><font size="2">'
            f'<a href="forum.php?mod=redirect&amp;goto=findpost&amp;pid={q.pid}&amp;ptid={thread.tid}" target="_blank">'
            f'<font color="#999999">{escape(q.author.name)} 发表于 {discuz_time(q.when)}</font></a></font><br />\r\n'
            f"{qtext}</blockquote></div><br />\r\n"
        )
    parts.append(escape(post.text).replace("\n", "<br />\r\n"))
    return "".join(parts)


def _post(post: ForumPost, thread: ForumThread, floor: int, now: datetime) -> str:
    sign = f'<tr><td class="plc plm"><div class="sign">{escape(post.author.signature)}</div></td></tr>' if post.author.signature else ""
    return (
        f'<div id="post_{post.pid}">\n'
        f'<table id="pid{post.pid}" class="plhin" summary="pid{post.pid}" cellspacing="0" cellpadding="0">\n<tr>\n'
        f'<td class="pls" rowspan="2"><div class="pi"><div class="authi">'
        f'<a href="home.php?mod=space&amp;uid={post.author.uid}" target="_blank" class="xw1">{escape(post.author.name)}</a>'
        "</div></div></td>\n"
        f'<td class="plc"><div class="pi"><strong><a href="forum.php?mod=redirect&amp;ptid={thread.tid}&amp;pid={post.pid}" '
        f'id="postnum{post.pid}"><em>{floor}</em><sup>#</sup></a></strong>'
        f'<div class="pti"><div class="authi"><img class="authicn vm" src="static/image/common/online_member.gif" />'
        f'<em id="authorposton{post.pid}">发表于 {posted(post.when, now)}</em>'
        f'<span class="pipe">|</span><a href="forum.php?mod=viewthread&amp;tid={thread.tid}&amp;page=1&amp;authorid={post.author.uid}">只看该作者</a>'
        "</div></div></div>\n"
        f'<div class="pct"><div class="pcb"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr>'
        f'<td class="t_f" id="postmessage_{post.pid}">\r\n{_body(post, thread)}</td></tr></table></div></div></div>\n'
        f"</td>\n</tr>\n{sign}\n</table>\n</div>"
    )


def render_thread(thread: ForumThread, page: int, now: datetime) -> str:
    name, charset = BOARDS[thread.fid]
    start = (page - 1) * POSTS_PER_PAGE
    shown = thread.posts[start:start + POSTS_PER_PAGE]
    pg = pager(f"thread-{thread.tid}-", "-1.html", page, thread.pages)
    body = (
        f'<div id="pt" class="bm cl"><div class="z"><a href="index.html">{FORUM_NAME}</a> <em>&rsaquo;</em> '
        f'<a href="forum-{thread.fid}-1.html">{escape(name)}</a> <em>&rsaquo;</em> '
        f'<a href="thread-{thread.tid}-1-1.html">{escape(thread.title)}</a></div></div>\n'
        f'<div class="pgs mtm mbm cl">{pg}</div>\n'
        '<div id="postlist" class="pl bm">\n<table cellspacing="0" cellpadding="0"><tr>'
        f'<td class="pls ptn pbn"><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">{thread.views}</span>'
        f'<span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">{len(thread.posts) - 1}</span></div></td>'
        f'<td class="plc ptm pbn vwthd"><h1 class="ts"><span id="thread_subject">{escape(thread.title)}</span></h1></td>'
        "</tr></table>\n"
        + "\n".join(_post(p, thread, start + i + 1, now) for i, p in enumerate(shown))
        + f'\n</div>\n<div class="pgs mtm mbm cl">{pg}</div>'
    )
    return _page(thread.title, charset, body)


def write_forum(root: Path, threads: list[ForumThread], now: datetime) -> dict[str, list[Path]]:
    """Write every page; returns the written paths by board name (plus "index")."""
    root.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {"index": []}
    (root / "robots.txt").write_text(ROBOTS, encoding="ascii")
    index = root / "index.html"
    index.write_text(render_index(threads), encoding="utf-8")
    written["index"] += [index, root / "robots.txt"]
    for fid, (name, charset) in BOARDS.items():
        paths = written.setdefault(name, [])
        board_threads = [t for t in threads if t.fid == fid]
        pages = max(1, (len(board_threads) - 1) // THREADS_PER_PAGE + 1)
        for page in range(1, pages + 1):
            paths.append(_write(root / f"forum-{fid}-{page}.html", render_board(fid, threads, page, now), charset))
        for t in board_threads:
            for page in range(1, t.pages + 1):
                paths.append(_write(root / f"thread-{t.tid}-{page}-1.html", render_thread(t, page, now), charset))
    return written


def _write(path: Path, text: str, charset: str) -> Path:
    path.write_bytes(text.encode(charset, errors="xmlcharrefreplace"))
    return path
