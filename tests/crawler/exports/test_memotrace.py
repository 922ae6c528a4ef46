"""MemoTrace (留痕) CSV and TXT of every release, written by :mod:`.make_memotrace` the way each
release's own code writes them, imported exactly: the posts with the author that release shows,
the skips it lets us count, and no duplicate on a re-import or a re-encoded, renamed copy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

import pytest

from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, memotrace
from yuqing.crawler.parsers.detect import detect_format
from yuqing.storage import PostQuery

from . import make_memotrace as mm
from .check import assert_exact, assert_reimports_add_nothing, import_ok, stored
from .conversation import Chat, Expected, Message, expected, group_chat, private_chat, skipped


def _sender(chat: Chat, m: Message):
    return m.sender if chat.is_group else mm.other_side(chat)


# --- who each release names as the sender ------------------------------------------------------
def nameless(chat: Chat, m: Message) -> str:
    """0.2.x: no name in the file; the account's own rows are 我, the others unknown."""
    return "我" if m.is_self else ""


def raw_102(chat: Chat, m: Message) -> str:
    """1.0.2: raw rows; a private chat's other side is the chat (the folder), a group's unknown."""
    return "我" if m.is_self else ("" if chat.is_group else mm.chat_folder(chat, "1.0.2"))


def named_103(chat: Chat, m: Message) -> str:
    """1.0.3–1.1.2: group rows carry NickName; private rows nothing (the other side is the chat)."""
    if not chat.is_group:
        return "我" if m.is_self else mm.chat_folder(chat)
    return chat.owner.nickname if m.is_self else m.sender.nickname


def named_200(chat: Chat, m: Message) -> str:
    """2.0.x: NickName — the person's own WeChat name (Remark is the file-name-safe remark)."""
    return chat.owner.nickname if m.is_self else _sender(chat, m).nickname


def shown_3(chat: Chat, m: Message) -> str:
    """3.x CSV: 昵称 — a group's display name (group nickname …); a private chat's contact nickname,
    the account's display name (its 昵称 is empty)."""
    if chat.is_group or m.is_self:
        return mm.name_3(chat, m.sender)
    return mm.other_side(chat).nickname


def all_chats(chat: Chat, m: Message) -> str:
    """messages.csv: 我, a member's group nickname / remark / nickname, a private chat's nickname."""
    if m.is_self:
        return "我"
    p = _sender(chat, m)
    return (p.group_nick or p.remark or p.nickname) if chat.is_group else p.nickname


def txt_029(chat: Chat, m: Message) -> str:
    """0.2.9–1.0.1 TXT: 你 (stored as 我) or the chat's name, for every other sender."""
    return "我" if m.is_self else mm.chat_folder(chat, "0.2.9")


def txt_102(chat: Chat, m: Message) -> str:
    """1.0.2–2.0.5 TXT: Me().name, else the sender's Contact.remark (escaped in the file)."""
    return chat.owner.nickname if m.is_self else mm.contact_remark(_sender(chat, m))


# --- what each release keeps ----------------------------------------------------------------------
def without(chat: Chat, kinds: set[str]) -> Chat:
    return replace(chat, messages=[m for m in chat.messages if m.kind not in kinds])


def count(chat: Chat, kinds) -> Counter:
    """The skip counts of ``chat``'s messages of ``kinds`` (the only ones that release writes)."""
    return Counter(m.skip_kind for m in chat.messages if m.kind in kinds)


def lost_appmsgs(chat: Chat) -> Counter:
    """≤ 2.0.5 CSV: every kind counted, link cards and quoted replies too (their XML is not in it)."""
    return Counter(skipped(chat)) + Counter({"link": "链接", "quote": "引用"}.get(m.kind) for m in chat.messages
                                            if m.kind in APPMSGS)


TXT_029_KINDS = ("image", "voice", "video", "sticker", "system")
TXT_102_KINDS = (*TXT_029_KINDS, "file", "music")


def txt3_skips(chat: Chat) -> Counter:
    """3.x TXT: every kind, but mini-program and music cards render like link cards."""
    return Counter(m.skip_kind for m in chat.messages if not m.kept and m.kind not in ("miniapp", "music"))


def txt3_cards(chat: Chat) -> list[Expected]:
    """3.x TXT: a mini-program or music card is written as ``【分享链接】`` and kept as one."""
    return [Expected(mm.name_3(chat, m.sender), m.local_time, m.text) for m in chat.messages
            if m.kind in ("miniapp", "music")]


@dataclass(frozen=True)
class Case:
    write: Callable
    author: Callable[[Chat, Message], str]
    drops: frozenset = frozenset()  # kinds the layout does not hold as posts
    skips: Callable[[Chat], Counter] = lambda chat: Counter(skipped(chat))
    extra: Callable[[Chat], list[Expected]] = lambda chat: []
    fmt: str = "MemoTrace CSV"


APPMSGS = frozenset({"link", "quote"})
CASES = {
    "csv_pandas 0.2.1-0.2.3": Case(mm.write_csv_pandas, nameless, APPMSGS, lost_appmsgs),
    "csv 0.2.4-0.2.8": Case(mm.write_csv_024, nameless, APPMSGS, lost_appmsgs),
    "csv_utf8 0.2.9-1.0.1": Case(mm.write_csv_029, nameless, APPMSGS, lost_appmsgs),
    "csv raw 1.0.2": Case(mm.write_csv_102, raw_102, APPMSGS, lost_appmsgs),
    "csv 1.0.3-1.1.2": Case(mm.write_csv_103, named_103, APPMSGS, lost_appmsgs),
    "csv 2.0.0-2.0.5": Case(mm.write_csv_200, named_200, APPMSGS, lost_appmsgs),
    "csv 2.0 appmsg XML in StrContent": Case(partial(mm.write_csv_200, appmsg_in_strcontent=True), named_200),
    "csv 3.x": Case(mm.write_csv_3, shown_3),
    "txt 0.2.9-1.0.1": Case(mm.write_txt_029, txt_029, frozenset({"link"}), partial(count, kinds=TXT_029_KINDS),
                            fmt="MemoTrace TXT"),
    "txt 1.0.2-2.0.5": Case(mm.write_txt_102, txt_102, skips=partial(count, kinds=TXT_102_KINDS), fmt="MemoTrace TXT"),
    "txt 3.x": Case(mm.write_txt_3, lambda chat, m: mm.name_3(chat, m.sender), skips=txt3_skips, extra=txt3_cards,
                    fmt="MemoTrace TXT"),
}


def _write(case: Case, root) -> list:
    return [p for chat in (group_chat(), private_chat()) for p in case.write(chat, root)]


@pytest.mark.parametrize("layout", CASES)
def test_every_release_imports_exactly(layout, store, config, tmp_path):
    case = CASES[layout]
    files = _write(case, tmp_path / "export")
    report = import_ok(store, config, files)
    want: list[Expected] = []
    skips: Counter = Counter()
    for chat in (group_chat(), private_chat()):
        want += expected(without(chat, case.drops), author=partial(case.author, chat))
        want += case.extra(chat)
        skips += case.skips(chat)
    assert_exact(store, want)
    assert report.skipped == skips
    assert report.formats == {case.fmt: 2}
    assert_reimports_add_nothing(store, config, files, tmp_path)


def test_all_chats_in_one_csv_go_to_their_chats(store, config, tmp_path):
    """「导出全部消息」 messages.csv: each row names its chat; the sender is a display name."""
    chats = [group_chat(), private_chat()]
    files = mm.write_csv_all(chats, tmp_path / "export")
    report = import_ok(store, config, files)
    want = [e for c in chats for e in expected(without(c, APPMSGS), author=partial(all_chats, c))]
    assert_exact(store, want)
    assert report.skipped == sum((lost_appmsgs(c) for c in chats), Counter())
    sources = {s.name: s.id for s in store.list_sources()}
    assert set(sources) == {"综采一队群", "王师傅"}  # the names the per-chat exports' folders have
    by_source = Counter(sp.post.source_id for sp in store.query_posts(PostQuery(limit=100)))
    assert by_source == {sources["综采一队群"]: 15, sources["王师傅"]: 2}
    assert_reimports_add_nothing(store, config, files, tmp_path)
    per_chat = [p for c in chats for p in mm.write_csv_200(c, tmp_path / "per_chat")]
    assert import_paths(store, config, per_chat).posts == 0  # the same chats, exported one by one


def test_csv_and_txt_side_by_side_store_each_message_once(store, config, tmp_path):
    """2.0 writes ``<备注>_utf8.csv`` and ``<备注>.txt`` into one folder: the TXT brings the link
    cards and quoted replies the CSV lacks, every other message is stored once."""
    files = _write(CASES["csv 2.0.0-2.0.5"], tmp_path / "x") + _write(CASES["txt 1.0.2-2.0.5"], tmp_path / "x")
    assert len({f.parent for f in files}) == 2  # one folder per chat
    import_ok(store, config, files)
    full = [e for chat in (group_chat(), private_chat()) for e in expected(chat, author=lambda m: "")]
    got = Counter((e.local_time, e.text, e.quote_of) for e in stored(store))
    assert got == Counter((e.local_time, e.text, e.quote_of) for e in full)


def test_a_chat_exported_by_2_0_and_again_by_3_x_is_one_source(store, config, tmp_path):
    first = import_ok(store, config, _write(CASES["txt 1.0.2-2.0.5"], tmp_path / "old"))
    again = import_ok(store, config, _write(CASES["csv 3.x"], tmp_path / "new"))
    assert first.posts == 23 and again.posts == 0 and again.duplicates == 23
    assert len(store.list_sources()) == 2 and store.count_posts(PostQuery()) == 23


# --- focused parser tests --------------------------------------------------------------------
def _records(parse, text: str, origin: str = "data/聊天记录/综采一队群/综采一队群_utf8.csv") -> list:
    return list(parse(iter(text.splitlines(keepends=True)), ParseContext(origin=origin)))


@pytest.mark.parametrize(("origin", "chat"), [
    ("data/聊天记录/综采一队群/综采一队群_utf8.csv", ("综采一队群", "综采一队群")),
    ("data/聊天记录/综采一队群/综采一队群.txt", ("综采一队群", "综采一队群")),
    ("copy0/综采一队群/另存为-综采一队群_utf8.csv", ("综采一队群", "综采一队群")),  # a re-saved copy
    ("data/聊天记录/综采一队群(4455667788@chatroom)/综采一队群(1).csv", ("4455667788@chatroom", "综采一队群")),
    ("data/聊天记录/班组(一)/班组(一)_utf8.csv", ("班组(一)", "班组(一)")),  # parentheses in a 2.0 name
    ("下载/综采一队群_utf8.csv", ("综采一队群", "综采一队群")),  # a loose file: its own name
])
def test_chat_comes_from_the_export_folder(origin, chat):
    got = memotrace.export_chat(origin)
    assert (got.id, got.name) == chat


def test_raw_1_0_2_rows_are_not_taken_for_names():
    header = ",".join(memotrace.CSV_HEADER)
    private = "7,14,1,0,0,1793634702,3,好的,2026-11-02 23:51:42,7341000000000104729,b'\\n\\x02',\n"
    group = "8,27,1,0,0,1793634703,3,收到,2026-11-02 23:51:43,7340000000000015838,b'\\n',,<app.person.ContactPC object>\n"
    recs = _records(memotrace.parse_csv, f"{header}\n{private}{group}", "data/聊天记录/王师傅/王师傅_utf8.csv")
    assert [(r.post.author, r.post.author_id, r.post.text) for r in recs] == [("王师傅", "", "好的"), ("", "", "收到")]


def test_named_row_author_is_the_nickname_and_the_wxid_its_id():
    header = ",".join(memotrace.CSV_HEADER)
    row = "2,27,1,0,0,1793634702,3,补贴呢,2026-11-02 23:51:42,张_伟_综采,张 伟,wxid_zhang01\n"
    (rec,) = _records(memotrace.parse_csv, f"\ufeff{header}\n{row}")
    assert (rec.post.author, rec.post.author_id, rec.chat_name) == ("张 伟", "wxid_zhang01", "综采一队群")


def test_app_message_xml_is_read_when_the_row_holds_it_and_counted_when_not():
    chat = group_chat()
    link = next(m for m in chat.messages if m.kind == "link")
    xml = mm.appmsg_xml(chat, link).replace('"', '""')
    header = ",".join(memotrace.CSV_HEADER[:9])
    with_xml = f'8,27,49,5,0,1793634924,3,"{xml}",2026-11-02 23:55:24\n'
    empty = "8,27,49,5,0,1793634924,3,,2026-11-02 23:55:24\n"
    (card,) = _records(memotrace.parse_csv, f"{header}\n{with_xml}")
    assert card.post.text == f"{link.text}\n{link.link_des}" and card.post.url == link.link_url
    assert _records(memotrace.parse_csv, f"{header}\n{empty}") == [Skipped("链接")]


def test_rows_of_the_wrong_width_and_unknown_headers_get_one_readable_line():
    header = ",".join(memotrace.CSV_HEADER)
    recs = _records(memotrace.parse_csv, f"{header}\n1,27,1,0,0,1793634924,3,半行\n"
                                         "2,27,1,0,0,1793634925,3,完整,2026-11-02 23:55:25,,李明,wxid_li03\n")
    assert isinstance(recs[0], QuarantineRecord) and "列数不对" in recs[0].reason
    assert isinstance(recs[1], ChatRecord) and recs[1].post.text == "完整"
    (bad,) = _records(memotrace.parse_csv, "消息ID,类型,发送人\n1,文本,张三\n")
    assert isinstance(bad, QuarantineRecord) and "表头" in bad.reason


@pytest.mark.parametrize("name", ["孙工'程师\"", "A&B <组>", "反斜杠\\n不是换行", "多\n行", "\t制表"])
def test_txt_names_and_card_fields_are_unescaped(name):
    assert memotrace.unescape_js_html(mm.js_html_escape(name)) == name


def test_txt_link_card_fields_are_unescaped():
    body = ("2026-11-02 23:55:24 孙工\\'程师_\n            [链接]:title:A&amp;B \\\"通知\\\"\n"
            "            description:第一行\\n第二行\n            url:https://x.cn/s?a=1&amp;b=2\n"
            "            name:东峪煤矿工会\n            \n\n")
    (rec,) = _records(memotrace.parse_txt, body, "综采一队群/综采一队群.txt")
    assert rec.post.author == "孙工'程师_"
    assert rec.post.text == 'A&B "通知"\n第一行\n第二行' and rec.post.url == "https://x.cn/s?a=1&b=2"


@pytest.mark.parametrize(("block", "kind"), [
    ("2026-11-02 23:50:42 \"老王\"邀请\"钱多多\"加入了群聊\n\n", "系统消息"),  # 1.0.2–2.0.5
    ("2026-11-02 23:50:42\n\"老王\"邀请\"钱多多\"加入了群聊", "系统消息"),  # 3.x
    ("2026-11-02 23:50:42 综采一队群\n\\\"老王\\\"邀请\\\"钱多多\\\"加入了群聊\n\n", "系统消息"),  # 0.2.9–1.0.1
    ("2026-11-03 08:00:00 王师傅\n你已添加了老王，现在可以开始聊天了。\n\n", "系统消息"),  # 0.2.9–1.0.1
    ('2026-11-03 08:00:00 王师傅\n&lt;sysmsg type=\\"pat\\"&gt;\n\n', "系统消息"),  # 0.2.9–1.0.1
    ("2026-11-02 23:59:06 \n-1\n{'msg': {'appmsg': {'title': '群公告', 'type': '87'}}}", "群公告"),
    ("2026-11-02 23:59:06 \n-1\n{'sysmsg': {'@type': 'revokemsg'}}", "撤回"),
    ("2026-11-02 23:59:06 李明\n【表情包】 ", "表情"),
    ("2026-11-02 23:59:06 李明\n【发起转账】:￥200.00\n备注: \n", "转账"),
    ("2026-11-02 23:59:06 李明\n[音乐分享]\n\n", "音乐"),
])
def test_txt_system_lines_and_placeholders_are_counted(block, kind):
    assert _records(memotrace.parse_txt, block, "综采一队群/综采一队群.txt") == [Skipped(kind)]


def test_txt_text_that_merely_starts_like_a_system_line_is_kept():
    (rec,) = _records(memotrace.parse_txt, "2026-11-03 08:00:00 王师傅\n你将来要去井下吗？\n\n", "王师傅/王师傅.txt")
    assert rec.post.text == "你将来要去井下吗？" and rec.post.author == "王师傅"


def test_txt_quotes_of_each_release():
    old = "2026-11-03 01:06:43 孙工\\'程师_\n确实贵\n引用:老王:食堂的饭菜: 又涨价了\n\n"
    new = "2026-11-03 01:06:43 孙工'程师_\n确实贵\n引用：老王: 食堂的饭菜: 又涨价了"
    unknown = "2026-11-03 01:09:11 赵_小_兰\n这张图看不清\n引用:未知\n\n"
    for text in (old, new):
        (rec,) = _records(memotrace.parse_txt, text, "综采一队群/综采一队群.txt")
        assert rec.post.text == "确实贵" and rec.post.extra["quote"] == {"name": "老王", "text": "食堂的饭菜: 又涨价了"}
    (rec,) = _records(memotrace.parse_txt, unknown, "综采一队群/综采一队群.txt")
    assert rec.post.text == "这张图看不清" and rec.post.extra["quote"]["text"] == ""


@pytest.mark.parametrize("layout", CASES)
def test_every_layout_is_detected_from_its_content(layout, tmp_path):
    for path in _write(CASES[layout], tmp_path):
        head = path.read_bytes()[:64 * 1024]
        want = "memotrace_csv" if path.suffix == ".csv" else "memotrace_txt"
        assert detect_format(head, head.decode("utf-8-sig")).fmt == want
