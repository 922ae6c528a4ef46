"""YAML site profiles: CSS selectors that describe a forum yuqing has no engine for.

Example (``options = {engine = "profile", profile = "profiles/kuangqu.yaml"}``)::

    name: 矿区职工之家
    start: ["bbs/list.html"]          # list pages, relative to the source url
    list:
      thread: "li.topic"              # one element per thread
      link: "a.title::attr(href)"
      replies: "span.replies::text"   # optional: enables incremental re-crawls
      next: "a.next::attr(href)"      # optional
    thread:
      title: "h1::text"
      post: "div.post"                # one element per post
      id: "::attr(data-id)"           # relative to the post element
      author: ".author::text"
      time: ".time::text"             # Y-m-d H:M[:S] or relative (昨天 09:12 …)
      body: ".content"
      next: "a.next::attr(href)"      # optional

Pure: the profile is validated with a JSON Schema; errors name the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urljoin

import jsonschema
import yaml
from parsel import Selector

from ...errors import ConfigError
from ..cleaning import clean_text
from .discuz import BadDiscuzTime, ForumPost, ListPage, ThreadPage, ThreadRef, parse_time

_SEL = {"type": "string", "minLength": 1}
SCHEMA = {
    "type": "object",
    "required": ["start", "list", "thread"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "start": {"type": "array", "items": _SEL, "minItems": 1},
        "list": {"type": "object", "required": ["thread", "link"], "additionalProperties": False,
                 "properties": {"thread": _SEL, "link": _SEL, "replies": _SEL, "next": _SEL}},
        "thread": {"type": "object", "required": ["post", "id", "author", "time", "body"], "additionalProperties": False,
                   "properties": {"title": _SEL, "post": _SEL, "id": _SEL, "author": _SEL, "time": _SEL, "body": _SEL,
                                  "next": _SEL}},
    },
}


@dataclass(frozen=True)
class Profile:
    name: str
    start: list[str]
    list: dict[str, str]
    thread: dict[str, str]


def load_profile(text: str, where: str = "site profile") -> Profile:
    """Parse and validate a profile; :class:`ConfigError` names ``where`` and the bad key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: 不是有效的 YAML（{str(exc).splitlines()[0]}）") from None
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as exc:
        key = "/".join(str(p) for p in exc.absolute_path) or "(顶层)"
        raise ConfigError(f"{where}: {key}: {exc.message}") from None
    return Profile(name=data.get("name", ""), start=data["start"], list=data["list"], thread=data["thread"])


def _text(node: Selector, css: str) -> str:
    if "::" in css:
        return clean_text(" ".join(node.css(css).getall()))
    return clean_text(" ".join(node.css(css + " ::text").getall()))


def _tid(url: str) -> str:
    nums = re.findall(r"\d+", url.split("://", 1)[-1].split("/", 1)[-1])
    return nums[0] if nums else url


def parse_list(p: Profile, html: str, url: str) -> ListPage:
    sel = Selector(text=html)
    page = ListPage(forum_name=p.name)
    for node in sel.css(p.list["thread"]):
        href = node.css(p.list["link"]).get()
        if not href:
            continue
        link = urljoin(url, href)
        replies = node.css(p.list["replies"]).re_first(r"\d+") if "replies" in p.list else None
        page.threads.append(ThreadRef(tid=_tid(link), url=link, title="", replies=int(replies) if replies else -1))
    nxt = sel.css(p.list["next"]).get() if "next" in p.list else None
    page.next_url = urljoin(url, nxt) if nxt else ""
    return page


def parse_thread(p: Profile, html: str, url: str, tz: tzinfo, now: datetime) -> ThreadPage:
    sel = Selector(text=html)
    t = p.thread
    page = ThreadPage(tid=_tid(url), title=_text(sel, t["title"]) if "title" in t else "", page=1, last_page=1)
    for node in sel.css(t["post"]):
        pid = clean_text(node.css(t["id"]).get("") or "")
        created, error = None, ""
        try:
            created = parse_time(_text(node, t["time"]), "", tz, now)
        except BadDiscuzTime as exc:
            error = str(exc)
        page.posts.append(ForumPost(pid=pid, author=_text(node, t["author"]), author_id="",
                                    body_html=node.css(t["body"]).get("") or "", created_at=created, time_error=error))
    nxt = sel.css(t["next"]).get() if "next" in t else None
    page.next_url = urljoin(url, nxt) if nxt else ""
    if page.next_url:
        page.last_page = page.page + 1
    return page
