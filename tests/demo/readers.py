"""Minimal, independent readers of the generated files, so tests check the files, not the generator."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from parsel import Selector

from yuqing.demo.weeks import TZ


def memotrace_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def memotrace_texts(path: Path) -> list[tuple[datetime, str]]:
    """(time, text) of text messages, quoted replies and link cards (text = the appmsg title)."""
    import xml.etree.ElementTree as ET

    out = []
    for r in memotrace_rows(path):
        when = datetime.fromtimestamp(int(r["CreateTime"]), TZ)
        if r["Type"] == "1":
            out.append((when, r["StrContent"]))
        elif (r["Type"], r["SubType"]) in (("49", "57"), ("49", "5")):
            out.append((when, ET.fromstring(r["StrContent"]).findtext("appmsg/title")))
    return out


def pywxdump_texts(path: Path) -> list[tuple[datetime, str]]:
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        when = datetime.strptime(rec["CreateTime"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ)
        if rec["type_name"] == "文本":
            out.append((when, rec["msg"]))
        elif rec["type_name"] == "引用回复":
            out.append((when, rec["msg"].split("\n\n[引用]")[0]))
        elif rec["type_name"] == "(分享)卡片式链接":
            out.append((when, rec["msg"].split("\n")[0]))
    return out


def article_texts(path: Path) -> tuple[list[tuple[datetime, str]], list[tuple[datetime, str]]]:
    """(articles, comments + replies) as (time, text)."""
    arts, comments = [], []
    for a in json.loads(path.read_text(encoding="utf-8")):
        arts.append((datetime.fromtimestamp(a["create_time"], TZ), a["title"]))
        for c in a.get("comments", []):
            comments.append((datetime.fromtimestamp(c["create_time"], TZ), c["content"]))
            for r in c["reply_new"]["reply_list"]:
                comments.append((datetime.fromtimestamp(r["create_time"], TZ), r["content"]))
    return arts, comments


def _forum_time(em: Selector) -> datetime:
    title = em.css("span::attr(title)").get()
    raw = title or em.xpath("string()").get().replace("发表于", "").strip()
    return datetime.strptime(raw, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def forum_texts(forum_dir: Path) -> list[tuple[datetime, str]]:
    out = []
    for page in sorted(forum_dir.glob("thread-*-*-1.html")):
        raw = page.read_bytes()
        charset = "gbk" if b'charset="gbk"' in raw[:600] else "utf-8"
        sel = Selector(text=raw.decode(charset))
        for post in sel.css("div[id^=post_]"):
            pid = post.attrib["id"].removeprefix("post_")
            em = post.css(f"em#authorposton{pid}")[0]
            text = post.css(f"td.t_f#postmessage_{pid}").xpath("string()").get().strip()
            out.append((_forum_time(em), text))
    return out


def all_texts(manifest) -> dict[str, list[tuple[datetime, str]]]:
    arts, comments = article_texts(manifest.articles_json)
    return {
        "wechat_group": [t for p in manifest.memotrace_csvs for t in memotrace_texts(p)]
        + [t for p in manifest.pywxdump_jsons for t in pywxdump_texts(p)],
        "wechat_article": arts,
        "wechat_comment": comments,
        "forum": forum_texts(manifest.forum_dir),
    }
