"""PyWxDump 3.0.x / 3.1.x exports, written the way each version writes them (make_pywxdump), import
exactly: every text, quoted reply and link card with the author the tool shows, skips counted by
what the tool keeps of each kind, nothing twice."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from yuqing.crawler.cleaning import clean_text
from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, pywxdump
from yuqing.crawler.parsers.detect import HEAD_BYTES, detect_format
from yuqing.crawler.parsers.records import resolve_quotes

from ..conftest import FIXTURES
from .check import assert_exact, assert_reimports_add_nothing, import_ok
from .conversation import Chat, Expected, expected, group_chat, private_chat, skipped
from .make_pywxdump import LAYOUTS, VERSIONS, rows, write_csv, write_html, write_json


def _author_without_users(m) -> str:
    """No users.json (before 3.1.20): the talker column, ``我`` for the account's own messages."""
    return "我" if m.is_self else m.sender.wxid


def _author_from_users(m) -> str:
    """users.json / local_user_list (3.1.20+): remark, else nickname; the account by its own name."""
    return m.sender.remark or m.sender.nickname


def _want(chats: list[Chat], version: str) -> list[Expected]:
    v = VERSIONS[version]
    author = _author_from_users if v.self_wxid else _author_without_users
    out = []
    for chat in chats:
        cards = {clean_text(f"{m.text}\n{m.link_des}") for m in chat.messages if m.kind == "link"}
        out += [e for e in expected(chat, author=author) if v.link != "lost" or e.text not in cards]
    return out


def _skips(chats: list[Chat], version: str) -> Counter:
    """The harness's skip counts, moved where PyWxDump loses the kind: it has no name for a red packet
    (49/2001) or a pat (49/62) and writes 未知; before 3.0.37 a link card is only its type name."""
    want = Counter()
    for chat in chats:
        want.update(skipped(chat))
    for kind in ("红包", "拍一拍"):
        want["其他"] += want.pop(kind, 0)
    if VERSIONS[version].link == "lost":
        want["链接"] += sum(m.kind == "link" for c in chats for m in c.messages)
    return +want


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layout_imports_exactly(layout, store, config, tmp_path):
    chats = [group_chat(), private_chat()]
    paths = [p for chat in chats for p in LAYOUTS[layout](chat, tmp_path / "out")]
    report = import_ok(store, config, paths)
    version = layout.split("-", 1)[1]
    assert_exact(store, _want(chats, version))
    assert report.skipped == _skips(chats, version)
    if layout.startswith("html"):
        assert report.assets == Counter({"网页资源": 10, "图片": 2})  # the viewer's page, scripts, styles, icon
    assert_reimports_add_nothing(store, config, paths, tmp_path)


def test_csv_pages_split_like_the_tool(store, config, tmp_path):
    """Pages of ``page_size`` rows named ``<chat>_<i>_<i+page>.csv``, each with its header; a reply
    whose quoted message is on an earlier page is linked to it through the store."""
    chat = group_chat()
    paths = write_csv(chat, tmp_path, "3.1.45", page_size=10)
    assert [p.name for p in paths] == [f"{chat.id}_{i}_{i + 10}.csv" for i in (0, 10, 20, 30)] + ["users.json"]
    assert all(p.read_text(encoding="utf-8").startswith("id,MsgSvrID,type_name") for p in paths[:-1])
    import_ok(store, config, paths)
    across = {clean_text(m.text) for m in chat.messages
              if m.kind == "quote" and m.quoted.kept and m.local_id > 30 and m.quoted.local_id <= 30}
    assert across == {"已记录，周四说事会上议一议"}
    assert_exact(store, expected(chat, author=_author_from_users))


def test_csv_3_1_20_to_3_1_35_writes_nothing():
    with pytest.raises(RuntimeError):
        write_csv(group_chat(), Path("/nonexistent"), "3.1.30")


def test_rows_carry_what_each_version_writes():
    chat = private_chat()
    old, new = rows(chat, "3.0.40"), rows(chat, "3.1.45")
    assert list(old[0]) == ["MsgSvrID", "type_name", "is_sender", "talker", "room_name", "content", "CreateTime", "id"]
    assert list(new[0]) == ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "extra",
                            "CreateTime"]
    assert [r["talker"] for r in old] == ["wxid_wang02", "我", "wxid_wang02", "wxid_wang02"]
    assert [r["talker"] for r in new] == ["wxid_wang02", "wxid_owner01", "wxid_wang02", "wxid_wang02"]


# ---------------------------------------------------------------------------------------------
# The parser's tricky parts


def _one(type_name: str, msg: str, **row):
    data = [{"id": 1, "MsgSvrID": "99", "type_name": type_name, "is_sender": 0, "talker": "wxid_a",
             "room_name": "1@chatroom", "msg": msg, "src": "", "extra": {}, "CreateTime": "2026-11-04 10:00:00", **row}]
    return list(pywxdump.parse_json(data, ParseContext(origin="x.json", users={"wxid_a": "张师傅"})))[0]


def test_quote_keeps_the_reply_and_names_the_quoted_message():
    rec = _one("引用回复", "我们班也是\n\n多一行\n\n[引用](2026-11-04 09:00:00)综采一队 张伟:加班费\n什么时候结算：月底？")
    assert isinstance(rec, ChatRecord) and rec.post.text == "我们班也是\n\n多一行"
    assert rec.post.extra["quote"] == {"name": "综采一队 张伟", "text": "加班费\n什么时候结算：月底？"}


def test_quoted_picture_xml_before_3_1_6_is_named_not_kept():
    rec = _one("引用回复", '看不清\n\n[引用](2026-11-04 09:00:00)李明:<?xml version="1.0"?>\n<msg>\n\t<img md5="ab" />\n</msg>\n')
    assert rec.post.text == "看不清" and rec.post.extra["quote"]["text"] == "[图片]"


def test_quoted_reply_xml_gives_its_title():
    rec = _one("引用回复", "同意\n\n[引用](2026-11-04 09:00:00)老王:<msg><appmsg appid=\"\" sdkver=\"0\">"
                        "<title>A&amp;B 班组 也没发</title><type>57</type></appmsg></msg>")
    assert rec.post.extra["quote"]["text"] == "A&B 班组 也没发"


def test_reply_without_the_quote_marker_is_kept_as_text():
    rec = _one("引用回复", "只有回复")
    assert rec.post.text == "只有回复" and "quote" not in rec.post.extra


@pytest.mark.parametrize("msg,url", [
    ("标题\n描述\n\nhttps://e.org/a?b=1&c=2", "https://e.org/a?b=1&c=2"),  # 3.0.37–3.1.5
    ('标题\n描述\n\n<a href="https://e.org/a?b=1&c=2">点击查看详情</a>', "https://e.org/a?b=1&c=2"),  # 3.1.6–3.1.13
    ('标题\n描述\n\n<a href="https://e.org/a?b=1&c=2" target="_blank">点击查看详情</a>', "https://e.org/a?b=1&c=2"),
])
def test_link_card_tails(msg, url):
    rec = _one("(分享)卡片式链接", msg)
    assert rec.post.text == "标题\n描述" and rec.post.url == url and rec.key_text == "标题"


def test_link_card_from_extra_and_the_empty_description_xml2dict_leaves():
    rec = _one("(分享)卡片式链接", '标题\n{}\n\n<a href="u" target="_blank">点击查看详情</a>')
    assert rec.post.text == "标题"
    rec = _one("(分享)卡片式链接", "不用这个\n\n\nx", extra={"title": "卡片 &标题", "des": {}, "url": "https://e.org"})
    assert rec.post.text == "卡片 &标题" and rec.post.url == "https://e.org"


def test_link_card_before_3_0_37_is_a_skipped_link():
    assert _one("(分享)卡片式链接", "(分享)卡片式链接") == Skipped("链接")


@pytest.mark.parametrize("type_name,msg,kind", [
    ("未知", '<sysmsg type="revokemsg"><revokemsg><replacemsg><![CDATA["李明" 撤回了一条消息]]></replacemsg>'
             "</revokemsg></sysmsg>", "撤回"),
    ("未知", "未知", "其他"),  # a red packet or a pat: PyWxDump has no name for 49/2001, 49/62
    ("系统通知", '"李明" 撤回了一条消息', "撤回"),
    ("系统通知", '"老王"邀请"钱多多"加入了群聊', "系统消息"),
    ("消息撤回1", "你撤回了一条消息", "撤回"),
    ("拍一拍", '<sysmsg type="pat"></sysmsg>', "拍一拍"),
    ("推荐公众号", "<msg username=\"x\"/>", "名片"),
    ("(分享)视频号视频", "(分享)视频号视频", "视频号"),
    ("群公告", "群公告", "群公告"),
    ("接龙", "接龙", "其他"),
])
def test_skips_by_type_name(type_name, msg, kind):
    assert _one(type_name, msg) == Skipped(kind)


def test_3_0_content_column_and_its_damage():
    content = json.dumps({"src": "", "msg": "加班费\n什么时候结算？"}, ensure_ascii=False)
    lines = ["id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\r\n",
             f'1,9,文本,1,我,1@chatroom,"{content.replace(chr(34), chr(34) * 2)}",2026-11-04 10:00:00\r\n',
             "2,10,文本,0,wxid_a,1@chatroom,{not json,2026-11-04 10:00:01\r\n"]
    ok, bad = pywxdump.parse_csv(lines, ParseContext(origin="x.csv"))
    assert ok.post.text == "加班费\n什么时候结算？" and ok.post.author == "我" and ok.post.extra["is_self"]
    assert isinstance(bad, QuarantineRecord) and "content" in bad.reason


def test_csv_without_a_message_column_is_one_readable_line():
    recs = list(pywxdump.parse_csv(["id,MsgSvrID,type_name,is_sender,talker,room_name,CreateTime\n",
                                    "1,9,文本,0,a,1@chatroom,2026-11-04 10:00:00\n"], ParseContext(origin="x.csv")))
    assert len(recs) == 1 and isinstance(recs[0], QuarantineRecord) and "msg" in recs[0].reason


def test_impossible_time_is_quarantined_with_its_row():
    rec = _one("文本", "日期坏了", CreateTime="2026-02-30 25:00:00")
    assert isinstance(rec, QuarantineRecord) and "2026-02-30" in rec.reason and rec.position == "第 1 条消息"


def test_private_chat_names_from_users_json(tmp_path):
    chat = private_chat()
    path, users_path = write_json(chat, tmp_path, "3.1.45")
    users = pywxdump.users_map(json.loads(users_path.read_text(encoding="utf-8")))
    recs = [r for r in resolve_quotes(pywxdump.parse_json(json.loads(path.read_text(encoding="utf-8")),
                                                          ParseContext(origin=str(path), users=users)))
            if isinstance(r, ChatRecord)]
    assert {(r.chat_id, r.chat_name) for r in recs} == {("wxid_wang02", "王师傅")}
    assert [(r.post.author, r.post.author_id) for r in recs] == [
        ("王师傅", "wxid_wang02"), ("工会小李", "wxid_owner01"), ("王师傅", "wxid_wang02")]
    assert recs[1].parent_native == recs[0].msg_key


def test_datajs_found_behind_a_user_list_longer_than_the_head(tmp_path):
    chat = group_chat()
    paths = write_html(chat, tmp_path)
    datajs = next(p for p in paths if p.name == "data.js")
    text = datajs.read_text(encoding="utf-8")
    big = {f"wxid_m{i:05d}": {"wxid": f"wxid_m{i:05d}", "nickname": f"职工{i}", "remark": ""} for i in range(3000)}
    text = text.replace("const local_user_list = {", "const local_user_list = {" + json.dumps(big)[1:-1] + ", ", 1)
    head = text.encode("utf-8")[:HEAD_BYTES]
    assert b"local_msg_list" not in head
    assert detect_format(head, head.decode("utf-8", "ignore")).fmt == "pywxdump_datajs"
    recs = list(pywxdump.parse_datajs(text, ParseContext(origin="data.js")))
    assert sum(isinstance(r, ChatRecord) for r in recs) == len(chat.kept())


def test_truncated_datajs_is_reported():
    recs = list(pywxdump.parse_datajs('const local_msg_list = [{"id": 1,', ParseContext(origin="data.js")))
    assert len(recs) == 1 and isinstance(recs[0], QuarantineRecord) and "不完整" in recs[0].reason


def test_committed_fixtures_are_the_generated_ones(tmp_path):
    """tests/data/crawler/pywxdump* are make_pywxdump output (3.1.45 JSON, 3.0.40 CSV, 3.1.45 HTML)."""
    write_json(group_chat(), tmp_path / "pywxdump", "3.1.45")
    write_csv(group_chat(), tmp_path / "pywxdump_csv", "3.0.40")
    write_html(private_chat(), tmp_path / "pywxdump_html", "3.1.45")
    for made in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        committed = FIXTURES / made.relative_to(tmp_path)
        assert committed.read_bytes() == made.read_bytes(), committed
