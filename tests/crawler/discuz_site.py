"""A live Discuz! X3.5-style forum on 127.0.0.1, served from memory the way Discuz serves it.

What it does as Discuz does (read in X3.5's source, see :mod:`.forum_site` for the page shapes):

- every page's head says who it was rendered for (``discuz_uid = '…'``) and the cookie prefix;
- the first visit gets a ``{cookiepre}saltkey`` cookie; the login form's ``formhash`` is derived from
  it, so a login post must come back with the same saltkey (``submit_invalid`` otherwise), and the
  Referer, when sent, must name this host;
- a good login sets ``{cookiepre}auth`` (valid only together with the saltkey it was made under,
  as authcode() keys it with the saltkey), ``sid`` and ``lastvisit``, and answers with the
  ``location_login_succeed`` page; a bad one with ``login_invalid`` (登录失败，您还可以尝试 N 次);
- a guest asking for a members-only board or one of its threads gets the showmessage login wall
  (抱歉，您尚未登录，没有权限访问该版块) with the login box — HTTP 200, as Discuz answers;
- a deleted thread answers 抱歉，指定的主题不存在或已被删除或正在被审核; a deleted reply simply
  disappears and the later posts move up (``forum_threaddisablepos``), the reply count drops;
- forms are read in the site's charset (the GBK edition gets GBK-encoded form posts);
- no Last-Modified/ETag (dynamic PHP pages): nothing is cached.

``expire_after`` ends every session once, after that many member pages were served (an expired
login in the middle of a crawl). ``stop()`` takes the forum down (connection refused).
"""

from __future__ import annotations

import hashlib
import http.server
import math
import secrets
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from .forum_site import FThread, _head, list_page, login_page, login_succeed_page, showmessage_page, thread_page


def index_page(links: str, charset: str, uid: int) -> str:
    return _head("职工论坛", charset, uid) + f'<div id="ct" class="wp cl">{links}</div></div></body></html>'


@dataclass
class DiscuzSite:
    threads: list[FThread]
    charset: str = "utf-8"
    members_only: set[int] = field(default_factory=set)  # fids guests may not read
    users: dict[str, tuple[int, str]] = field(default_factory=dict)  # username → (uid, password)
    cookiepre: str = "yq7f_2132_"
    ppp: int = 2
    tpp: int = 2
    boards: dict[int, str] = field(default_factory=lambda: {2: "生产生活", 3: "安全生产"})
    expire_after: int | None = None
    captcha: bool = False
    # what happened
    hits: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)  # usernames that logged in (decoded in the site charset)
    refused: list[str] = field(default_factory=list)  # why login posts were refused
    sessions: dict[str, tuple[int, str]] = field(default_factory=dict)  # auth value → (uid, saltkey)
    member_pages: int = 0
    gone: set[int] = field(default_factory=set)  # deleted threads

    # --- serving --------------------------------------------------------------------------
    def start(self) -> str:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_GET(self):
                site._serve(self, "GET", b"")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                site._serve(self, "POST", body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.serving = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.serving.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def formhash(self, saltkey: str, uid: int) -> str:
        return hashlib.md5(f"{saltkey}|{uid}|authkey".encode()).hexdigest()[8:16]

    def thread(self, tid: int) -> FThread:
        return next(t for t in self.threads if t.tid == tid)

    # --- one request ----------------------------------------------------------------------
    def _serve(self, h, method: str, body: bytes) -> None:
        self.hits.append(h.path if method == "GET" else f"POST {h.path}")
        jar = SimpleCookie(h.headers.get("Cookie") or "")
        cookies = {k: v.value for k, v in jar.items()}
        set_cookies: list[str] = []
        saltkey = cookies.get(self.cookiepre + "saltkey")
        if not saltkey:
            saltkey = secrets.token_hex(4)
            set_cookies.append(f"{self.cookiepre}saltkey={saltkey}; expires=Tue, 28-Dec-2027 00:00:00 GMT; path=/; httponly")
        auth = cookies.get(self.cookiepre + "auth", "")
        uid = 0
        if auth in self.sessions and self.sessions[auth][1] == saltkey:
            uid = self.sessions[auth][0]
        parts = urlsplit(h.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path.lstrip("/")
        status, page = 200, ""
        if path == "robots.txt":
            return self._send(h, 200, b"User-agent: *\nDisallow: /api/\n", "text/plain", set_cookies)
        if path == "member.php" and q.get("mod") == "logging":
            if method == "POST":
                page = self._login(h, body, saltkey, set_cookies)
            else:
                page = login_page(self.formhash(saltkey, 0), charset=self.charset, captcha=self.captcha)
        elif path in ("", "forum.php", "index.html"):
            links = "".join(f'<h2><a href="forum-{fid}-1.html">{name}</a></h2>' for fid, name in self.boards.items())
            page = index_page(links, self.charset, uid)
        elif path.startswith("forum-"):
            fid, pg = (int(x) for x in path[len("forum-"):-len(".html")].split("-"))
            page = self._members(fid, uid) or list_page(
                fid, [t for t in self.threads if t.fid == fid and t.tid not in self.gone], pg, charset=self.charset,
                uid=uid, tpp=self.tpp)
        elif path.startswith("thread-"):
            tid, pg, _ = (int(x) for x in path[len("thread-"):-len(".html")].split("-"))
            if tid in self.gone or not any(t.tid == tid for t in self.threads):
                page = showmessage_page("抱歉，指定的主题不存在或已被删除或正在被审核", charset=self.charset, uid=uid,
                                        alert="alert_error")
            else:
                t = self.thread(tid)
                page = self._members(t.fid, uid) or thread_page(t, min(pg, max(1, math.ceil(len(t.posts) / self.ppp))),
                                                                charset=self.charset, uid=uid, ppp=self.ppp)
        else:
            status, page = 404, "<html><body>404</body></html>"
        self._send(h, status, page.encode(self.charset, errors="xmlcharrefreplace"), "text/html", set_cookies)

    def _members(self, fid: int, uid: int) -> str:
        """The login wall for a guest on a members-only board ('' when the page may be shown)."""
        if fid not in self.members_only:
            return ""
        if uid:
            self.member_pages += 1
            if self.expire_after is not None and self.member_pages >= self.expire_after:
                self.expire_after = None
                self.expire_sessions()  # the next member page meets the wall
            return ""
        return showmessage_page("抱歉，您尚未登录，没有权限访问该版块", login=True, charset=self.charset)

    def _login(self, h, body: bytes, saltkey: str, set_cookies: list[str]) -> str:
        form = {k: v[0] for k, v in parse_qs(body.decode("ascii"), keep_blank_values=True, encoding=self.charset).items()}
        referer = h.headers.get("Referer", "")
        if (form.get("formhash") != self.formhash(saltkey, 0) or not form.get("loginsubmit")
                or referer and urlsplit(referer).netloc != h.headers.get("Host")):
            self.refused.append("submit_invalid")
            return showmessage_page("抱歉，您的请求来路不正确或表单验证串不符，无法提交", charset=self.charset, alert="alert_error")
        user = form.get("username", "")
        if user not in self.users or self.users[user][1] != form.get("password"):
            self.refused.append(f"login_invalid:{user}")
            return showmessage_page("登录失败，您还可以尝试 4 次", charset=self.charset, alert="alert_error")
        uid = self.users[user][0]
        token = secrets.token_urlsafe(12)
        self.sessions[token] = (uid, saltkey)
        self.logins.append(user)
        set_cookies += [f"{self.cookiepre}auth={token}; path=/; httponly",
                        f"{self.cookiepre}sid=s{secrets.token_hex(3)}; path=/",
                        f"{self.cookiepre}lastvisit=1795000000; expires=Tue, 28-Dec-2027 00:00:00 GMT; path=/"]
        return login_succeed_page(user, "注册会员", uid, charset=self.charset)

    def _send(self, h, status: int, data: bytes, ctype: str, set_cookies: list[str]) -> None:
        h.send_response(status)
        h.send_header("Content-Type", f"{ctype}; charset={self.charset}")
        h.send_header("Content-Length", str(len(data)))
        for c in set_cookies:
            h.send_header("Set-Cookie", c)
        h.end_headers()
        h.wfile.write(data)
