"""A small static Discuz! X forum in the real page shapes, for crawling over http.server.

Board 2 (UTF-8) lists threads two per page; board 3 is served in GBK (meta charset). Posts
are shown two per page. ``add_reply`` makes a thread grow, like a live forum.

The page shapes follow Discuz! X3.5's templates (``forum/forumdisplay_list.htm``: the thread row
with its last-post cell; ``forum/viewthread_node.htm`` and ``viewthread_node_body.htm``: a post,
the ``div.locked`` notes that replace a banned or hidden post's body, the deleted floor; the
edit note ``[i=s] 本帖最后由 … 于 … 编辑 [/i]`` of ``forum/lang_misc.php`` rendered as
``<i class="pstatus">``; ``common/showmessage.htm``; ``member/login.htm``) and the texts of
``lang_template.php`` / ``lang_message.php``. :mod:`.discuz_site` serves them dynamically.
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
    #: "" shown; "banned" (屏蔽 by a moderator), "author_banned", "hidden_reply" (此帖仅作者可见),
    #: "review" (待审核), "deleted_floor" (无效楼层, the placeholder of a deleted post)
    status: str = ""
    edited: tuple[str, str] | None = None  # (editor, "2026-11-3 09:20"): the edit note before the body


@dataclass
class FThread:
    tid: int
    fid: int
    title: str
    posts: list[FPost] = field(default_factory=list)
    pinned: bool = False


def _head(title: str, charset: str, uid: int | None = None, cookiepre: str = "yq7f_2132_") -> str:
    script = ("" if uid is None else
              f"<script type=\"text/javascript\">var STYLEID = '1', charset = '{charset}', discuz_uid = '{uid}', "
              f"cookiepre = '{cookiepre}', cookiedomain = '', cookiepath = '/';</script>")
    meta = (f'<meta charset="{charset}" />' if uid is not None else
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />')
    return (f'<!DOCTYPE html><html><head>{meta}'
            f"<title>{html.escape(title)} - 职工论坛 - Powered by Discuz!</title>{script}</head><body><div id=\"wp\" class=\"wp\">")


_LOCKED = {"banned": "提示: <em>该帖被管理员或版主屏蔽</em>", "author_banned": "提示: <em>作者被禁止或删除 内容自动屏蔽</em>",
           "hidden_reply": "此帖仅作者可见"}


def post_html(p: FPost) -> str:
    """One ``div#post_{pid}`` as viewthread_node.htm renders it."""
    if p.status == "deleted_floor":
        return (f'<div id="post_{p.pid}"><table id="pid{p.pid}" summary="pid{p.pid}" cellspacing="0" cellpadding="0"><tbody>'
                f'<tr><td class="pls"></td><td class="plc"><div class="pi"><strong><a><em>{p.pid % 100}</em>#</a></strong></div>'
                f'<div class="pct">无效楼层，该帖已经被删除</div></td></tr><tr class="ad"><td class="pls"></td><td class="plc"></td></tr>'
                f'</tbody></table></div>')
    when = (f'<span title="{p.when}">{p.relative}</span>' if p.relative else p.when)
    if p.status in _LOCKED:
        body = f'<div class="locked">{_LOCKED[p.status]}</div>'
    else:
        note = f'<i class="pstatus"> 本帖最后由 {p.edited[0]} 于 {p.edited[1]} 编辑 </i><br /><br />' if p.edited else ""
        message = '<span class="xg1">待审核</span>' if p.status == "review" else note + p.body
        body = (f'<div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr>'
                f'<td class="t_f" id="postmessage_{p.pid}">{message}</td></tr></table></div>')
    return (f'<div id="post_{p.pid}"><table id="pid{p.pid}" class="plhin" summary="pid{p.pid}" cellspacing="0" cellpadding="0">'
            f'<tr><td class="pls" rowspan="2"><div class="pi"><div class="authi"><a href="home.php?mod=space&amp;uid={p.uid}" target="_blank" class="xw1">{html.escape(p.author)}</a></div></div></td>'
            f'<td class="plc"><div class="pi"><div class="pti"><div class="authi">'
            f'<em id="authorposton{p.pid}">发表于 {when}</em></div></div></div>'
            f'<div class="pct"><div class="pcb">{body}</div></div></td></tr>'
            f'<tr><td class="plc plm"><div class="sign">签名：安全生产，人人有责</div></td></tr></table></div>')


def _pg(current: int, last: int, href) -> str:
    if last <= 1:
        return ""
    links = "".join(f"<strong>{i}</strong>" if i == current else f'<a href="{href(i)}">{i}</a>' for i in range(1, last + 1))
    nxt = f'<a href="{href(current + 1)}" class="nxt">下一页</a>' if current < last else ""
    return f'<div class="pg">{links}<label><input type="text" name="custompage" class="px" size="2" value="{current}" /><span title="共 {last} 页"> / {last} 页</span></label>{nxt}</div>'


def thread_page(t: FThread, page: int, *, charset: str = "", uid: int | None = None, ppp: int = PPP) -> str:
    last = max(1, math.ceil(len(t.posts) / ppp))
    out = [_head(t.title, charset or ("gbk" if t.fid == 3 else "utf-8"), uid),
           f'<div id="pt" class="bm cl"><a href="forum.php">职工论坛</a> <em>&rsaquo;</em> <a href="forum-{t.fid}-1.html">板块{t.fid}</a></div>',
           f'<div id="postlist" class="pl bm"><table cellspacing="0" cellpadding="0"><tr><td class="plc ptm pbn vwthd">'
           f'<h1 class="ts"><span id="thread_subject">{html.escape(t.title)}</span></h1></td></tr></table>']
    out.extend(post_html(p) for p in t.posts[(page - 1) * ppp: page * ppp])
    out.append("</div>")
    out.append(_pg(page, last, lambda i: f"thread-{t.tid}-{i}-1.html"))
    out.append("</div></body></html>")
    return "".join(out)


def _list_order(t: FThread) -> tuple:
    import re

    shown = [p for p in t.posts if p.status != "deleted_floor"] or t.posts
    m = re.match(r"(\d+)-(\d+)-(\d+) (\d+):(\d+)", shown[-1].when)
    last = tuple(int(x) for x in m.groups()) if m else (0,)
    return (not t.pinned, tuple(-x for x in last))


def list_page(fid: int, threads: list[FThread], page: int, *, charset: str = "", uid: int | None = None,
              tpp: int = TPP) -> str:
    last = max(1, math.ceil(len(threads) / tpp))
    rows = []
    threads = sorted(threads, key=_list_order)  # forumdisplay's default: pinned first, then by last post, newest first
    for t in threads[(page - 1) * tpp: page * tpp]:
        kind = "stickthread" if t.pinned else "normalthread"
        first = t.posts[0]
        shown = [p for p in t.posts if p.status != "deleted_floor"]
        lp = shown[-1]
        lp_when = f'<span title="{lp.when}">{lp.relative}</span>' if lp.relative else lp.when
        rows.append(
            f'<tbody id="{kind}_{t.tid}"><tr><th class="common"><a href="thread-{t.tid}-1-1.html" onclick="atarget(this)" class="s xst">{html.escape(t.title)}</a></th>'
            f'<td class="by"><cite><a href="home.php?mod=space&amp;uid={first.uid}" c="1">{html.escape(first.author)}</a></cite><em><span>{first.when.split()[0]}</span></em></td>'
            f'<td class="num"><a href="thread-{t.tid}-1-1.html" class="xi2">{len(shown) - 1}</a><em>{10 * t.tid}</em></td>'
            f'<td class="by"><cite><a href="home.php?mod=space&amp;username={html.escape(lp.author)}" c="1">{html.escape(lp.author)}</a></cite>'
            f'<em><a href="forum.php?mod=redirect&amp;tid={t.tid}&amp;goto=lastpost#lastpost">{lp_when}</a></em></td></tr></tbody>')
    return (_head(f"板块{fid}", charset or ("gbk" if fid == 3 else "utf-8"), uid)
            + f'<div id="pt" class="bm cl"><a href="forum.php">职工论坛</a> <em>&rsaquo;</em> <a href="forum-{fid}-1.html">板块{fid}</a></div>'
            + f'<div id="threadlist" class="tl bm bmw"><table summary="forum_{fid}" id="threadlisttableid" cellspacing="0" cellpadding="0">'
            + "".join(rows) + "</table></div>" + _pg(page, last, lambda i: f"forum-{fid}-{i}.html") + "</div></body></html>")


def showmessage_page(text: str, *, login: bool = False, charset: str = "utf-8", uid: int = 0, extrajs: str = "",
                     alert: str = "alert_info") -> str:
    """common/showmessage.htm outside AJAX: the message, and for ``login`` the login box loaded into it."""
    box = ('<div id="messagelogin"></div><script type="text/javascript">'
           "ajaxget('member.php?mod=logging&action=login&infloat=yes&frommessage', 'messagelogin');</script>") if login else ""
    main = ('<div class="nfl" id="main_succeed" style="display: none"><div class="f_c altw"><div class="alert_right">'
            '<p id="succeedmessage"></p><p id="succeedlocation" class="alert_btnleft"></p>'
            '<p class="alert_btnleft"><a id="succeedmessage_href">如果您的浏览器没有自动跳转，请点击此链接</a></p></div></div></div>'
            '<div class="nfl" id="main_message">') if login else '<div class="nfl">'
    return (_head("提示信息", charset, uid) + f'<div id="ct" class="wp cl w">{main}<div class="f_c altw">'
            f'<div id="messagetext" class="{alert}"><p>{text}</p></div>{box}</div></div></div>{extrajs}</div></body></html>')


def login_page(formhash: str, *, charset: str = "utf-8", captcha: bool = False, loginhash: str = "LqA1Z") -> str:
    """member/login.htm (not in a float): the form with formhash, referer, loginfield, username,
    password, the security question, cookietime and the loginsubmit button."""
    sec = (f'<span id="seccode_cS{loginhash}"></span><script type="text/javascript" reload="1">'
           f"updateseccode('cS{loginhash}', '<sec>', 'member::logging');</script>") if captcha else ""
    return (_head("登录", charset, 0) +
            f'<div id="ct" class="ptm wp w cl"><div class="mn" id="main_message"><div class="bm"><div class="bm_h bbs"><h3 class="xs2">用户登录</h3></div>'
            f'<div id="main_messaqge_{loginhash}"><div id="layer_login_{loginhash}">'
            f'<form method="post" autocomplete="off" name="login" id="loginform_{loginhash}" class="cl" '
            f'onsubmit="pwdclear = 1;ajaxpost(\'loginform_{loginhash}\', \'returnmessage_{loginhash}\', \'returnmessage_{loginhash}\', \'onerror\');return false;" '
            f'action="member.php?mod=logging&amp;action=login&amp;loginsubmit=yes&amp;loginhash={loginhash}">'
            f'<div class="c cl"><input type="hidden" name="formhash" value="{formhash}" />'
            f'<input type="hidden" name="referer" value="forum.php" />'
            f'<div class="rfm"><table><tr><th><span class="login_slct"><select name="loginfield" style="float: left;" width="45" id="loginfield_{loginhash}">'
            f'<option value="username">用户名</option><option value="email">Email</option></select></span></th>'
            f'<td><input type="text" name="username" id="username_{loginhash}" autocomplete="off" size="30" class="px p_fre" value="" /></td></tr></table></div>'
            f'<div class="rfm"><table><tr><th><label for="password3_{loginhash}">密码:</label></th>'
            f'<td><input type="password" id="password3_{loginhash}" name="password" onfocus="clearpwd()" size="30" class="px p_fre" /></td></tr></table></div>'
            f'<div class="rfm"><table><tr><th>安全提问:</th><td><select id="loginquestionid_{loginhash}" width="213" name="questionid">'
            f'<option value="0">安全提问(未设置请忽略)</option><option value="1">母亲的名字</option></select></td></tr></table></div>{sec}'
            f'<div class="rfm  bw0"><table><tr><th></th><td><label for="cookietime_{loginhash}"><input type="checkbox" class="pc" name="cookietime" id="cookietime_{loginhash}" value="2592000" />自动登录</label></td></tr></table></div>'
            f'<div class="rfm mbw bw0"><table width="100%"><tr><th>&nbsp;</th><td><button class="pn pnc" type="submit" name="loginsubmit" value="true"><strong>登录</strong></button></td></tr></table></div>'
            f'</div></form></div></div></div></div></div></div></body></html>')


def login_succeed_page(username: str, group: str, uid: int, *, charset: str = "utf-8") -> str:
    """What class_member.php answers a successful (non-AJAX) login: showmessage('location_login_succeed')
    with the welcome line written by script into #succeedlocation."""
    js = ('<script type="text/javascript">setTimeout("window.location.href =\'forum.php\';", 3000);'
          "$('succeedmessage_href').href = 'forum.php';$('main_message').style.display = 'none';"
          "$('main_succeed').style.display = '';"
          f"$('succeedlocation').innerHTML = '欢迎您回来，{group} {username}，现在将转入登录前页面';</script>")
    return showmessage_page("", login=True, charset=charset, uid=uid, extrajs=js, alert="alert_right")


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
