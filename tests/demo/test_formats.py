import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

from parsel import Selector

from yuqing.demo.memotrace import HEADER
from yuqing.demo.weeks import TZ

from .readers import memotrace_rows


def test_memotrace_csv_bom_header_newest_first(demo):
    for path in demo.memotrace_csvs:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw[3:].split(b"\r\n", 1)[0].decode() == ",".join(HEADER)
        rows = memotrace_rows(path)
        times = [int(r["CreateTime"]) for r in rows]
        assert times == sorted(times, reverse=True) and len(set(times)) == len(times)
        for r in rows[:50]:
            local = datetime.fromtimestamp(int(r["CreateTime"]), TZ).strftime("%Y-%m-%d %H:%M:%S")
            assert r["StrTime"] == local


def test_memotrace_counts_match_manifest(demo):
    codes = {("1", "0"): "text", ("3", "0"): "image", ("47", "0"): "sticker", ("49", "5"): "link",
             ("49", "57"): "quote", ("10000", "0"): "system", ("10000", "4"): "pat"}
    for path in demo.memotrace_csvs:
        counts: dict[str, int] = {}
        for r in memotrace_rows(path):
            kind = codes[(r["Type"], r["SubType"])]
            counts[kind] = counts.get(kind, 0) + 1
        expected = dict(demo.file_counts[str(path.relative_to(demo.out_dir))])
        expected["system"] = expected.pop("join", 0) + expected.pop("recall", 0)
        assert {k: v for k, v in counts.items() if v} == {k: v for k, v in expected.items() if v}


def test_memotrace_rows_have_realistic_shapes(demo):
    rows = [r for p in demo.memotrace_csvs for r in memotrace_rows(p)]
    kinds = {(r["Type"], r["SubType"]) for r in rows}
    assert {("1", "0"), ("3", "0"), ("47", "0"), ("49", "5"), ("49", "57"), ("10000", "0"), ("10000", "4")} <= kinds
    system = [r for r in rows if r["Type"] == "10000"]
    assert all(r["Sender"] == r["NickName"] == "" for r in system)
    assert any("撤回了一条消息" in r["StrContent"] for r in system)
    assert any("加入了群聊" in r["StrContent"] for r in system)
    assert any(" 拍了拍 " in r["StrContent"] for r in system)
    assert any(r["IsSender"] == "1" for r in rows)
    by_svrid = {}
    for r in rows:
        if (r["Type"], r["SubType"]) == ("49", "57"):
            msg = ET.fromstring(r["StrContent"])
            assert msg.findtext("appmsg/type") == "57" and msg.findtext("appmsg/title")
            ref = msg.find("appmsg/refermsg")
            assert ref.findtext("svrid").isdigit() and ref.findtext("displayname") and ref.findtext("content")
            by_svrid[ref.findtext("svrid")] = ref.findtext("content")
        elif (r["Type"], r["SubType"]) == ("49", "5"):
            msg = ET.fromstring(r["StrContent"])
            assert msg.findtext("appmsg/type") == "5"
            assert msg.findtext("appmsg/url").startswith("https://mp.weixin.qq.com/s?__biz=")
    assert len(by_svrid) >= 20
    quoted = set(by_svrid.values())
    assert quoted & {r["StrContent"] for r in rows if r["Type"] == "1"}  # quotes point at real messages


def test_pywxdump_json_shape(demo):
    fields = {"id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime", "extra"}
    for path in demo.pywxdump_jsons:
        records = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == f"{path.parent.name}_0_{len(records)}.json"
        assert all(set(r) == fields for r in records)
        assert {r["room_name"] for r in records} == {path.parent.name}
        times = [r["CreateTime"] for r in records]
        assert times == sorted(times)
        users = json.loads((path.parent / "users.json").read_text(encoding="utf-8"))
        talkers = {r["talker"] for r in records} - {"我", "系统"}
        assert talkers <= set(users)
        assert users[path.parent.name]["nickname"]  # the room itself, named
        assert all({"wxid", "nickname", "remark", "account", "describe", "headImgUrl"} <= set(u) for u in users.values())
    records = [r for p in demo.pywxdump_jsons for r in json.loads(p.read_text(encoding="utf-8"))]
    names = {r["type_name"] for r in records}
    assert {"文本", "图片", "动画表情", "引用回复", "(分享)卡片式链接", "系统通知", "拍一拍", "邀请加群"} <= names
    quote = re.compile(r"\n\n\[引用\]\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)[^:\n]+:", re.S)
    assert all(quote.search(r["msg"]) for r in records if r["type_name"] == "引用回复")
    links = [r for r in records if r["type_name"] == "(分享)卡片式链接"]
    assert links and all(r["src"] and f'<a href="{r["src"]}"' in r["msg"] for r in links)
    assert any(r["talker"] == "我" and r["is_sender"] == 1 for r in records)


def test_articles_json_shape(demo):
    articles = json.loads(demo.articles_json.read_text(encoding="utf-8"))
    assert 20 <= len(articles) <= 30
    for a in articles:
        for key in ("aid", "appmsgid", "itemidx", "title", "digest", "author_name", "link", "create_time",
                    "update_time", "copyright_stat", "item_show_type", "is_deleted", "_accountName",
                    "readNum", "oldLikeNum", "shareNum", "likeNum", "commentNum"):
            assert key in a
        assert a["content"].startswith("<") and a["commentNum"] == len(a["comments"])
    comments = [c for a in articles for c in a["comments"]]
    assert all(c["is_elected"] == 1 and "province_name" in c["ip_wording"] for c in comments)
    replies = [r for c in comments for r in c["reply_new"]["reply_list"]]
    assert replies and all(r["is_from"] == 2 for r in replies)
    wage = [a for a in articles if "工资" in a["title"]]
    assert wage and max(a["commentNum"] for a in wage) >= 15


def _read(path):
    raw = path.read_bytes()
    return Selector(text=raw.decode("gbk" if b'charset="gbk"' in raw[:600] else "utf-8"))


def test_forum_board_pages_dom(demo):
    forum = demo.forum_dir
    index = _read(forum / "index.html")
    boards = index.css("a[href^=forum-]::attr(href)").getall()
    assert len(boards) >= 3
    assert "Disallow: /api/" in (forum / "robots.txt").read_text()
    multi_page_board = False
    for href in boards:
        page = _read(forum / href)
        rows = page.css("tbody[id^=normalthread_], tbody[id^=stickthread_]")
        assert rows
        for row in rows:
            assert row.css("a.s.xst::text").get()
            assert row.css('td.by cite a[href*="uid="]::text').get()
            assert row.css("td.by em span").get()
            assert row.css("td.num a.xi2::text").get().isdigit() and row.css("td.num em::text").get().isdigit()
        if page.css("div.pg a.nxt"):
            multi_page_board = True
            assert page.css('div.pg span[title^="共 "]')
    assert multi_page_board


def test_forum_thread_pages_dom(demo):
    pages = sorted(demo.forum_dir.glob("thread-*-*-1.html"))
    assert 35 <= len({p.name.split("-")[1] for p in pages}) <= 60
    posted = re.compile(r"^发表于 \d{4}-[1-9]\d?-[1-9]\d? \d\d:\d\d$")
    seen = {"quote": 0, "edit": 0, "relative": 0, "sign": 0, "multipage": 0}
    for path in pages:
        sel = _read(path)
        assert sel.css("#thread_subject::text").get()
        if sel.css('div.pg span[title="共 3 页"], div.pg span[title="共 4 页"]'):
            seen["multipage"] += 1
        for post in sel.css("div[id^=post_]"):
            pid = post.attrib["id"].removeprefix("post_")
            assert post.css(f"table#pid{pid}")
            assert post.css(".authi a.xw1::text").get()
            em = post.css(f"em#authorposton{pid}")[0]
            if em.css("span[title]"):
                seen["relative"] += 1
                assert re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2} \d\d:\d\d", em.css("span::attr(title)").get())
            else:
                assert posted.match(em.xpath("string()").get())
            assert post.css(f"td.t_f#postmessage_{pid}")
            seen["quote"] += bool(post.css("div.quote > blockquote"))
            seen["edit"] += "本帖最后由" in post.get()
            seen["sign"] += bool(post.css("div.sign"))
    assert all(seen.values()), seen


def test_gbk_board_is_gbk(demo):
    assert demo.gbk_pages
    for path in demo.gbk_pages:
        raw = path.read_bytes()
        assert b'<meta charset="gbk" />' in raw
        text = raw.decode("gbk")
        assert "发表于" in text or "normalthread_" in text
    # Chinese text in GBK is not valid UTF-8.
    bad = 0
    for path in demo.gbk_pages:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    assert bad == len(demo.gbk_pages)


def test_forum_pages_are_all_reachable_from_the_index(demo):
    """Every board and thread page links to files that exist, and crawling from index.html finds them all."""
    forum = demo.forum_dir
    link = re.compile(r"^(forum|thread)-\d+-\d+(-1)?\.html$")
    seen, todo = set(), ["index.html"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for href in _read(forum / name).css("a::attr(href)").getall():
            if link.match(href):
                assert (forum / href).is_file(), f"{name} links to missing {href}"
                todo.append(href)
    assert seen == {p.name for p in forum.glob("*.html")}
