"""chatlog (sjzar/chatlog v0.0.28 and earlier): every answer of /api/v1/chatlog, written by
make_chatlog the way chatlog's own code writes it, imports exactly (or is refused with advice)."""

from __future__ import annotations

from collections import Counter

import pytest

from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import FORMATS, ChatRecord, ParseContext, QuarantineRecord, Skipped, chatlog
from yuqing.crawler.parsers.detect import detect_format
from yuqing.storage import PostQuery

from . import make_chatlog as mk
from .check import assert_exact, assert_reimports_add_nothing, import_ok
from .conversation import expected, group_chat, private_chat, skipped


def name_or_wxid(chat):
    """CSV and JSON: chatlog's SenderName, else the Sender wxid (the exporting account without a group nickname)."""
    return lambda m: mk.sender_name(chat, m.sender, m.is_self) or m.sender.wxid


def name_or_me(chat):
    """Plain text: the header's name, else ``我`` for the exporting account."""
    return lambda m: mk.sender_name(chat, m.sender, m.is_self) or ("我" if m.is_self else m.sender.wxid)


def skips(*chats) -> Counter:
    total = Counter()
    for chat in chats:
        total.update(skipped(chat))
    return total


@pytest.mark.parametrize("write,descriptions", [(mk.write_csv, False), (mk.write_json, True),
                                                (mk.write_json_v0021, False)],
                         ids=["csv-v0.0.28", "json-v0.0.28", "json-v0.0.21"])
def test_csv_and_json_import_exactly(store, config, tmp_path, write, descriptions):
    group, private = group_chat(), private_chat()
    paths = write(group, tmp_path / "drop") + write(private, tmp_path / "drop")
    report = import_ok(store, config, paths)
    want = (expected(group, author=name_or_wxid(group), link_description=descriptions)
            + expected(private, author=name_or_wxid(private), link_description=descriptions))
    assert_exact(store, want)
    assert report.skipped == skips(group, private)
    assert_reimports_add_nothing(store, config, paths, tmp_path)


def test_plain_text_of_several_talkers_imports_exactly(store, config, tmp_path):
    group, private = group_chat(), private_chat()
    paths = mk.write_text_multi(group, tmp_path / "drop")
    report = import_ok(store, config, paths)
    assert report.formats == Counter({"chatlog 纯文本": 1})
    assert_exact(store, expected(group, author=name_or_me(group), link_description=False)
                 + expected(private, author=name_or_me(private), link_description=False))
    assert report.skipped == skips(group, private)
    assert_reimports_add_nothing(store, config, paths, tmp_path)


def test_chats_and_sources_come_from_the_content(store, config, tmp_path):
    group, private = group_chat(), private_chat()
    import_ok(store, config, mk.write_csv(group, tmp_path / "a") + mk.write_text_multi(group, tmp_path / "b"))
    sources = {s.name: s for s in store.list_sources()}
    # chatlog names a group by its remark; a private chat by the other person (it leaves TalkerName empty)
    assert set(sources) == {"综采一队群", "王师傅"}
    assert group.id in sources["综采一队群"].match and private.id in sources["王师傅"].match


@pytest.mark.parametrize("write,advice", [(mk.write_text_single, "没有写明是哪个群"),
                                          (mk.write_text_days, "没有年份"),
                                          (mk.write_json_v0005, "v0.0.5")],
                         ids=["text-one-talker", "text-year-less", "json-v0.0.5"])
def test_unplaceable_answers_get_one_readable_line_and_others_still_import(store, config, tmp_path, write, advice):
    group = group_chat()
    bad = write(group, tmp_path / "bad")
    good = mk.write_csv(group, tmp_path / "good")
    report = import_paths(store, config, bad + good)
    reasons = [q.reason for q in store.list_quarantine()]
    assert len(reasons) == 1 and advice in reasons[0] and "format=" in reasons[0]
    assert report.posts == len(group.kept())


def test_every_layout_is_detected_from_content(tmp_path):
    group = group_chat()
    want = {"csv": "chatlog_csv", "json": "chatlog_json", "json_v0.0.21": "chatlog_json",
            "text_multi": "chatlog_txt", "text_single": "chatlog_txt", "text_days": "chatlog_txt",
            "json_v0.0.5": "chatlog_json"}
    for name, write in mk.LAYOUTS.items():
        (path,) = write(group, tmp_path / name)
        head = path.read_bytes()[:65536]
        assert detect_format(head, head.decode("utf-8")).fmt == want[name], name
    assert FORMATS["chatlog_txt"].reads == "text"


def test_a_text_starting_with_a_bracket_is_still_chatlog_text():
    text = " [群(1@chatroom)] 2026-11-02 08:00:02\nType: 10002 Content: \n\n甲(wxid_a) [群(1@chatroom)] 2026-11-02 08:00:03\n话\n\n"
    assert detect_format(text.encode(), text).fmt == "chatlog_txt"


@pytest.mark.parametrize("text", [
    "这只是一份会议记录，不是聊天导出。\n第二行\n",
    "2026-11-02 23:51:05 张三\n内容\n\n",  # MemoTrace TXT
    "老孟 (2026-11-06 07:30:00): 今天井下检查\n",  # WechatExporter TXT
    "会议 10:00:00\n到会 12 人\n",  # a header-shaped first line, but no message structure
])
def test_other_texts_are_not_taken_for_chatlog(text):
    assert detect_format(text.encode(), text).fmt != "chatlog_txt"


# --- focused parser tests ------------------------------------------------------------------------
@pytest.mark.parametrize("content,kind", [
    ("![图片](http://127.0.0.1:5030/image/abc,msg\\attach\\x\\2026-11\\Img\\abc)", "图片"),
    ("[语音](http://127.0.0.1:5030/voice/7340000000000055433)", "语音"),
    ("![视频](http://127.0.0.1:5030/video/a,b,msg\\video\\2026-11\\a)", "视频"),
    ("![动画表情](http://wxapp.tc.qq.com/262/x?m=1&filekey=2)", "表情"),
    ("[GIF表情]", "表情"),
    ("[位置|东峪煤矿职工食堂|大同市|40.09|113.29]", "位置"),
    ("[文件|夜班补贴申请表.xlsx](http://127.0.0.1:5030/file/95d5)", "文件"),
    ("[合并转发|群聊的聊天记录]\n  张 伟 2026-11-01 20:00\n  积水\n\n", "合并转发"),
    ("[小程序|职工之家]()", "小程序"),
    ("[视频号|矿山安全](https://channels.weixin.qq.com/x)", "视频号"),
    ("[群公告]", "群公告"),
    ("[转账|发送 ￥200.00](房租)", "转账"),
    ("[红包]", "红包"),
    ("[红包封面]", "红包"),
    ("[语音通话]", "通话"),
    ("[名片]", "名片"),
    ("[分享]", "其他"),
    ("Type: 10002 Content: ", "撤回"),
    ("Type: 48 Content: ", "位置"),
    ('"${wxid_zhang01}" 拍了拍 "${wxid_wang02}"', "拍一拍"),
    ('"${wxid_zhang01}" 拍了拍 "${wxid_wang02}" 的安全帽', "拍一拍"),
    ('"张 伟" 拍了拍 "老王"', "拍一拍"),
    ("[引用]", "空消息"),
])
def test_rendered_placeholders_are_skipped_by_kind(content, kind):
    """Each of chatlog's renderings of a message it does not keep as text (message.go PlainTextContent)."""
    assert chatlog.rendered_message(content).skip == kind


@pytest.mark.parametrize("content", ["看[图片]这个", "[红包]发了吗？", "我拍了拍脑袋想起来了，补贴还没发", "Type: 是什么意思"])
def test_text_that_only_mentions_a_placeholder_is_kept(content):
    msg = chatlog.rendered_message(content)
    assert not msg.skip and msg.text == content


def test_quote_block_gives_the_reply_and_the_quoted_text():
    msg = chatlog.rendered_message("> 综采一队 张伟(wxid_zhang01) 11-02 23:51:42\n> 第一行\n> 第二行\n同问+1\n我们班也没发")
    assert (msg.kind, msg.text) == ("quote", "同问+1\n我们班也没发")
    assert (msg.quote_name, msg.quote_text) == ("综采一队 张伟", "第一行\n第二行")
    picture = chatlog.rendered_message("> 李明(wxid_li03) 11-02 23:52:56\n> ![图片](http://h/image/abc)\n看不清")
    assert (picture.text, picture.quote_text) == ("看不清", "[图片]")
    link = chatlog.rendered_message("> 孙工(wxid_sun06) 11-02 23:55:24\n> [链接|通知标题](https://mp.weixin.qq.com/s/x)\n收到")
    assert link.quote_text == "通知标题"
    assert chatlog.rendered_message("> 只是引号开头的普通消息").kind == "text"


def test_link_card_keeps_title_and_url_or_description():
    msg = chatlog.rendered_message("[链接|关于[夜班]补贴的通知](https://mp.weixin.qq.com/s/x?a=1&b=(2))")
    assert (msg.kind, msg.text, msg.url) == ("link", "关于[夜班]补贴的通知", "https://mp.weixin.qq.com/s/x?a=1&b=(2)")
    shared = chatlog.rendered_message("[链接|读书笔记](第三章：安全生产)")  # subtype 1: description in the parentheses
    assert (shared.text, shared.url) == ("读书笔记\n第三章：安全生产", "")


def test_json_link_quote_and_refer_codes():
    link = chatlog.json_message({"type": 49, "subType": 5, "content": "",
                                 "contents": {"title": "标题", "desc": "摘要", "url": "https://x/"}})
    assert (link.kind, link.text, link.title, link.url) == ("link", "标题\n摘要", "标题", "https://x/")
    quote = chatlog.json_message({"type": 49, "subType": 57, "content": "回复", "contents": {"refer": {
        "type": 49, "subType": 5, "sender": "wxid_a", "senderName": "甲", "content": "",
        "contents": {"title": "标题", "desc": "摘要"}}}})
    assert (quote.text, quote.quote_name, quote.quote_text) == ("回复", "甲", "标题\n摘要")
    assert chatlog.json_message({"type": 10000, "content": '"李明" 撤回了一条消息'}).skip == "撤回"
    assert chatlog.json_message({"type": 10002, "content": ""}).skip == "撤回"
    assert chatlog.json_message({"type": 49, "subType": 2003}).skip == "红包"


def test_text_blocks_keep_blank_lines_and_header_shaped_lines_inside_a_message():
    text = ("张三(wxid_a) [群(1@chatroom)] 2026-11-02 08:00:00\n第一行\n\n李四(wxid_b) 08:00:01 不是消息头\n\n"
            "[合并转发|记录]\n  王五 2026-11-01 20:00:00\n  内容\n\n\n"
            " [群(1@chatroom)] 2026-11-02 08:00:02\nType: 10002 Content: \n\n")
    blocks = chatlog.text_blocks(text)
    assert [(b[1]["who"], b[2]) for b in blocks] == [
        ("张三(wxid_a)", "第一行\n\n李四(wxid_b) 08:00:01 不是消息头\n\n[合并转发|记录]\n  王五 2026-11-01 20:00:00\n  内容"),
        ("", "Type: 10002 Content: ")]


def test_private_messages_in_a_several_talker_text():
    text = ("甲(wxid_a) [群(1@chatroom)] 2026-11-02 08:00:00\n群里的话\n\n"
            "乙(wxid_b) 2026-11-02 08:00:01\n私聊问题\n\n"
            "我 2026-11-02 08:00:02\n私聊回答\n\n")
    recs = list(chatlog.parse_text(text, ParseContext(origin="x.txt")))
    assert [(r.chat_id, r.chat_name, r.post.author, r.post.text) for r in recs] == [
        ("1@chatroom", "群", "甲", "群里的话"), ("wxid_b", "乙", "乙", "私聊问题"), ("wxid_b", "乙", "我", "私聊回答")]
    assert recs[2].post.extra.get("is_self") is True
    two = text + "丙(wxid_c) 2026-11-02 08:00:03\n另一个私聊\n\n"
    recs = list(chatlog.parse_text(two, ParseContext(origin="x.txt")))
    assert [type(r).__name__ for r in recs] == ["ChatRecord", "ChatRecord", "QuarantineRecord", "ChatRecord"]
    assert "多个私聊" in recs[2].reason


def test_csv_system_lines_and_private_chat_names():
    lines = [
        "Time,SenderName,Sender,TalkerName,Talker,Content\n",
        '2026-11-02 08:00:00,,系统消息,群,1@chatroom,"""李明"" 撤回了一条消息"\n',
        "2026-11-02 08:00:01,,系统消息,群,1@chatroom,你已添加了老王\n",
        "2026-11-02 08:00:02,,wxid_owner,,wxid_b,在吗\n",
        "2026-11-02 08:00:03,王师傅,wxid_b,,wxid_b,在\n",
    ]
    recs = list(chatlog.parse_csv(lines, ParseContext(origin="x.csv")))
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["撤回", "系统消息"]
    posts = [r for r in recs if isinstance(r, ChatRecord)]
    assert [(r.chat_id, r.chat_name, r.post.author) for r in posts] == [
        ("wxid_b", "wxid_b", "wxid_owner"), ("wxid_b", "王师傅", "王师傅")]


def test_the_old_fixtures_import(store, config):
    from ..conftest import FIXTURES

    report = import_ok(store, config, [FIXTURES / "chatlog"])
    texts = sorted(sp.post.text for sp in store.query_posts(PostQuery(limit=100)))
    assert texts == ["下周一，在库房领取", "下周一，在库房领取,带上工牌", "工作服什么时候发？"]
    assert report.skipped == Counter({"图片": 2, "系统消息": 1})


def test_quarantine_record_type_is_the_shared_one():
    (rec,) = chatlog.parse_text("甲(wxid_a) 08:00:00\n话\n\n", ParseContext(origin="x.txt"))
    assert isinstance(rec, QuarantineRecord) and "没有日期" in rec.reason
