from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from yuqing.crawler.parsers.records import resolve_quotes
from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, pywxdump
from yuqing.crawler.parsers.decode import iter_lines

from ..conftest import FIXTURES

CST = timezone(timedelta(hours=8))
EXPORT = FIXTURES / "pywxdump/export/wxid_union01"


def _json_records():
    users = pywxdump.users_map(json.loads((EXPORT / "users.json").read_text(encoding="utf-8")))
    data = json.loads((EXPORT / "wxid_union01_0_6.json").read_text(encoding="utf-8"))
    return list(resolve_quotes(pywxdump.parse_json(data, ParseContext(origin="x.json", users=users))))


def test_json_names_from_users_quotes_links_and_skips():
    recs = _json_records()
    posts = {r.post.native_id: r for r in recs if isinstance(r, ChatRecord)}
    assert set(posts) == {"9001", "9003", "9004"}
    assert posts["9001"].post.author == "张师傅" and posts["9001"].chat_name == "五矿掘进队群"
    assert posts["9001"].chat_id == "56781234@chatroom"
    assert posts["9001"].post.created_at == datetime(2026, 11, 4, 10, 0, tzinfo=CST)
    reply = posts["9003"]
    assert reply.post.text == "我们班也是，加班费一直没算" and reply.parent_native == posts["9001"].msg_key
    assert reply.post.extra["quote"]["name"] == "张师傅"
    card = posts["9004"].post
    assert card.text == "职工加班工资计算办法\n人社部门解读" and card.url == "https://example.org/jb"
    assert card.author == "我" and card.extra["is_self"] is True
    assert sorted(r.kind for r in recs if isinstance(r, Skipped)) == ["图片", "系统消息"]
    bad = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert [b.position for b in bad] == ["第 6 条消息"] and "2026-02-30" in bad[0].reason


def test_csv_same_messages_without_bom():
    path = FIXTURES / "pywxdump_csv/export/wxid_union01/wxid_union01_0_6.csv"
    with path.open("rb") as f:
        recs = list(pywxdump.parse_csv(iter_lines(f, "utf-8-sig"), ParseContext(origin=str(path))))
    posts = [r for r in recs if isinstance(r, ChatRecord)]
    assert {p.post.native_id for p in posts} == {"9001", "9003", "9004"}
    assert all(p.chat_id == "99990000@chatroom" for p in posts)
    assert next(p for p in posts if p.post.native_id == "9001").post.author == "wxid_a"  # no users.json here


def test_datajs_uses_its_user_list():
    path = FIXTURES / "pywxdump_html/export/wxid_union01/html/data.js"
    recs = list(pywxdump.parse_datajs(path.read_text(encoding="utf-8"), ParseContext(origin=str(path))))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert [p.author for p in posts] == ["李四", "张师傅"]


def test_truncated_datajs_is_reported():
    recs = list(pywxdump.parse_datajs('const local_msg_list = [{"id": 1,', ParseContext(origin="data.js")))
    assert len(recs) == 1 and isinstance(recs[0], QuarantineRecord) and "不完整" in recs[0].reason
