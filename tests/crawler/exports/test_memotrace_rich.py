"""MemoTrace (留痕) HTML, Word and AI exports, written the way each MemoTrace version writes them
(:mod:`.make_memotrace_rich`), import exactly: every text, quoted reply and link card the tool keeps,
with the author the tool shows and its time; the skips counted by kind; nothing else; a re-import and a
re-encoded, renamed copy add nothing. Unsupported exports get one readable line."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from yuqing.crawler.cleaning import clean_text
from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, memotrace_docx, memotrace_html
from yuqing.crawler.parsers.detect import detect_format
from yuqing.storage import PostQuery

from . import make_memotrace_rich as mk
from .check import assert_exact, assert_reimports_add_nothing, import_ok, stored
from .conversation import Chat, Expected, Message, expected, group_chat, private_chat

CHATS = (group_chat, private_chat)


def _export(write, tmp_path: Path, **kw) -> Path:
    root = tmp_path / "export"
    for chat in CHATS:
        write(chat(), root, **kw)
    return root


def _want(author, *, drop: tuple[str, ...] = (), times=None, extra=None) -> list[Expected]:
    """The expected posts of both chats: ``drop`` kinds the layout does not write, ``times(chat)`` the
    time the layout shows per message (Word: its 5-minute headers), ``extra(chat)`` more posts."""
    out: list[Expected] = []
    for make in CHATS:
        chat = make()
        when = times(chat) if times else {}
        for m, e in zip(chat.kept(), expected(chat, author=lambda m, c=chat: author(c, m))):
            if m.kind in drop:
                continue
            out.append(replace(e, local_time=when.get(m.local_id, e.local_time)))
        out += extra(chat) if extra else []
    return out


def _skips(kinds: dict[str, str] | None = None, *, factor: int = 1, only: tuple[str, ...] | None = None,
           minus: tuple[str, ...] = ()) -> Counter:
    """Skip counts of both chats: the harness kinds (``only`` those the layout writes, ``minus`` those
    it imports), renamed by ``kinds`` where the layout shows another kind, times ``factor`` files."""
    out: Counter = Counter()
    for make in CHATS:
        for m in make().messages:
            if m.kept or m.kind in minus or (only is not None and m.kind not in only):
                continue
            out[(kinds or {}).get(m.kind, m.skip_kind)] += factor
    return out


def _headers(chat: Chat) -> dict[int, str]:
    """The time a MemoTrace Word export shows above each message: the last 5-minute header."""
    five, shown, out = mk._FiveMinutes(), "", {}
    for m in chat.messages:
        if five(m.epoch):
            shown = m.local_time
        out[m.local_id] = shown
    return out


def _wxid(chat: Chat, m: Message) -> str:
    return chat.owner.wxid if m.is_self else m.sender.wxid


# --- HTML -------------------------------------------------------------------------------------------
def test_html_2_0_everything_ticked(store, config, tmp_path):
    root = _export(mk.write_html_v2, tmp_path)
    report = import_ok(store, config, [root])
    assert_exact(store, _want(mk.name_v2))
    only = ("image", "voice", "sticker", "video", "system", "file", "transfer", "call")
    assert report.skipped == _skips(only=only)
    assert report.formats == Counter({"MemoTrace HTML": 2})
    # the 15 icons of each export folder plus the copied media: skipped as resources, nothing quarantined
    assert report.assets == Counter({"图片": 2 * 15 + 2, "音频": 1, "视频": 1})
    link = [sp.post for sp in store.query_posts(PostQuery(limit=100)) if sp.post.extra.get("link")]
    assert [p.url for p in link] == ["https://mp.weixin.qq.com/s/AbCdEf123?scene=1&from=groupmessage"]
    assert_reimports_add_nothing(store, config, [root], tmp_path)


def test_html_2_0_default_ticks_lose_link_cards(store, config, tmp_path):
    root = _export(mk.write_html_v2, tmp_path, types=mk.HTML_DEFAULT_TYPES)
    report = import_ok(store, config, [root])
    assert_exact(store, _want(mk.name_v2, drop=("link",)))
    assert report.skipped == _skips(only=("image", "system"))


def test_html_1_0_0_time_separators_and_emoji_images(store, config, tmp_path):
    root = _export(mk.write_html_v1, tmp_path)
    page = (root / "data/聊天记录/综采一队群/综采一队群.html").read_text(encoding="utf-8")
    assert "class=\"emoji_img\"" in page and "text: '2026-11-02 23:50:42'" not in page  # system line first
    assert "text: '2026-11-02 23:51:42'" in page  # a 5-minute separator inside the array
    report = import_ok(store, config, [root])
    assert_exact(store, _want(mk.name_v1, drop=("link",)))
    assert report.skipped == _skips({"sticker": "表情"}, only=("image", "voice", "sticker", "video", "system"))
    ids = {sp.post.author_id for sp in store.query_posts(PostQuery(limit=100))}
    assert "wxid_zhang01" in ids  # 1.0.0 names avatars ./avatar/<wxid>.png
    assert_reimports_add_nothing(store, config, [root], tmp_path)


def test_html_3_0_json_data_page_and_its_json_copy(store, config, tmp_path):
    root = _export(mk.write_html_v3, tmp_path)
    page = next(root.rglob("综采一队群.html"))
    assert page.read_bytes().index(b"const chatMessages") > 65536  # found by its CSS, not its data
    report = import_ok(store, config, [root])
    assert_exact(store, _want(mk.name_v3))
    assert report.formats == Counter({"MemoTrace HTML": 2, "MemoTrace HTML 数据 JSON": 2})
    assert report.duplicates == report.posts  # the .html.json holds the same messages: stored once
    assert report.skipped == _skips(factor=2)  # 3.x keeps every kind, in the page and in the .html.json
    assert report.assets["音频"] == 2 and report.assets["语音"] == 1  # voice .mp3 + .pcm, .silk
    chat_ids = {sp.post.thread_id for sp in store.query_posts(PostQuery(limit=100))}
    assert chat_ids == {"4455667788@chatroom", "wxid_wang02"}
    assert_reimports_add_nothing(store, config, [root], tmp_path)


# --- Word -------------------------------------------------------------------------------------------
def test_docx_2_0_avatar_wxids_and_five_minute_times(store, config, tmp_path):
    root = _export(mk.write_docx_v2, tmp_path)
    report = import_ok(store, config, [root])
    assert_exact(store, _want(_wxid, drop=("link",), times=_headers))
    assert report.skipped == _skips({"sticker": "表情"}, only=("image", "voice", "video", "sticker", "system"))
    assert report.formats == Counter({"MemoTrace Word": 2})
    assert_reimports_add_nothing(store, config, [root], tmp_path)


def _docx3_author(chat: Chat, m: Message) -> str:
    return mk.name_v3(chat, m) if chat.is_group else _wxid(chat, m)


def _miniapp_card(chat: Chat) -> list[Expected]:
    """3.x Word draws a mini program as the same card as a link: it comes in as a link post."""
    when = _headers(chat)
    return [Expected(_docx3_author(chat, m), when[m.local_id], m.text) for m in chat.messages if m.kind == "miniapp"]


def test_docx_3_0_names_cards_and_placeholders(store, config, tmp_path):
    root = _export(mk.write_docx_v3, tmp_path)
    report = import_ok(store, config, [root])
    assert_exact(store, _want(_docx3_author, times=_headers, extra=_miniapp_card))
    assert report.skipped == _skips(minus=("miniapp",))
    posts = {sp.post.text.split("\n")[0]: sp.post for sp in store.query_posts(PostQuery(limit=100))}
    assert posts["关于调整夜班补贴标准的通知"].url.startswith("https://mp.weixin.qq.com/s/AbCdEf123")
    assert_reimports_add_nothing(store, config, [root], tmp_path)


def test_docx_3_0_parts_keep_every_message_or_say_why(store, config, tmp_path):
    """3.x starts a new file every N messages without a new time: the messages before the next time
    of a later part get a readable quarantine line; everything else imports."""
    root = tmp_path / "export"
    mk.write_docx_v3(group_chat(), root, per_docx=10)
    assert len(list(root.rglob("*.docx"))) == 4
    report = import_paths(store, config, [root])
    lost = [q for q in store.list_quarantine()]
    assert lost and all("上一个 Word 分卷" in q.reason for q in lost)
    chat = group_chat()
    want = {e.text for e in _want(_docx3_author, times=_headers, extra=_miniapp_card)[:len(chat.kept()) + 1]}
    got = {e.text for e in stored(store)} | {clean_text(q.raw) for q in lost}
    # a part none of whose messages can be dated counts as rejected (tried again next run, not ledgered)
    assert got == want and report.files + report.files_rejected == 4


# --- AI exports and unsupported files -----------------------------------------------------------------
@pytest.mark.parametrize("write", [mk.write_ai_json_v2, mk.write_ai_json_v3, mk.write_ai_txt])
def test_ai_exports_get_one_readable_line_each(store, config, tmp_path, write):
    files = write(group_chat(), tmp_path / "ai")
    report = import_paths(store, config, [tmp_path / "ai"])
    reasons = [q.reason for q in store.list_quarantine()]
    assert report.posts == 0 and report.files_rejected == len(files) == len(reasons)
    assert all("AI" in r and ("HTML" in r) for r in reasons if "空列表" not in r), reasons


def test_files_shared_in_the_chat_beside_an_export(store, config, tmp_path):
    """MemoTrace copies shared files into ``file/``: a PDF or PowerPoint is a resource; a Word or Excel
    file that is no export gets one readable line; a ZIP one line; the chat itself still imports."""
    import docx

    root = _export(mk.write_html_v2, tmp_path)
    files = root / "data/聊天记录/综采一队群/file"
    files.mkdir(parents=True)
    (files / "通知.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    d = docx.Document()
    d.add_paragraph("班组长会议纪要")
    d.save(str(files / "会议纪要.docx"))
    pptx = io.BytesIO()
    with zipfile.ZipFile(pptx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p/>")
    (files / "培训.pptx").write_bytes(pptx.getvalue())
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("照片/1.txt", "x")
    (files / "照片.zip").write_bytes(bundle.getvalue())
    report = import_paths(store, config, [root])
    reasons = sorted((Path(q.origin).name, q.reason) for q in store.list_quarantine())
    assert [n for n, _ in reasons] == ["会议纪要.docx", "照片.zip"]
    assert "不是留痕" in reasons[0][1] and "解压" in reasons[1][1]
    assert report.assets["文件"] == 2
    assert_exact(store, _want(mk.name_v2))


# --- the parts that break naive readers --------------------------------------------------------------
def _recs(text: str, origin: str = "聊天记录/班组群/班组群.html") -> list:
    return list(memotrace_html.parse_html(text, ParseContext(origin=origin)))


def _page(elements: str, tail: str = "\n];\n</script>") -> str:
    return "<html><head><title>班组群</title></head><script>\nconst chatMessages = [\n" + elements + tail


E = "is_send:0,avatar_path:'',timestamp:1793634642,is_chatroom:1,displayname:'老王'"


def test_scanner_respects_string_literals():
    text = mk.escape_js_and_html("结束符 ]; 和 </script> 还有 '引号' \\ 和\n换行")
    recs = _recs(_page(f"{{ type:1, text: '{text}',{E}}},{{ type:1, text: '第二条',{E}}},"))
    posts = [r.post.text for r in recs if isinstance(r, ChatRecord)]
    assert posts == ["结束符 ]; 和 </script> 还有 '引号' \\ 和\n换行", "第二条"]


def test_a_damaged_element_costs_that_element_only():
    # 2.0.x writes file names unescaped: a quote in one ends the JS string early
    bad_file = f"{{ type:49, text: '',{E},icon_path: './icon/file.png',sub_type:6,file_name: 'O'Neil.pdf',file_size: '1 KB',app_name: 'None'}},"
    bad_text = f"{{ type:1, text: 'broken'here',{E}}},"
    recs = _recs(_page(f"{{ type:1, text: '一',{E}}},{bad_file}{{ type:1, text: '二',{E}}},{bad_text}{{ type:1, text: '三',{E}}},"))
    assert [r.post.text for r in recs if isinstance(r, ChatRecord)] == ["一", "二", "三"]
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["文件"]
    bad = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert len(bad) == 1 and bad[0].position == "第 4 条消息" and "broken" in bad[0].raw


def test_truncated_array_keeps_what_was_written():
    recs = _recs(_page(f"{{ type:1, text: '一',{E}}},{{ type:1, text: '二", tail=""))
    assert [r.post.text for r in recs if isinstance(r, ChatRecord)] == ["一"]
    assert isinstance(recs[-1], QuarantineRecord) and "不完整" in recs[-1].reason


def test_template_without_data_and_page_without_array_are_reported():
    empty = _recs("<html><script>const chatMessages = /*注意看这是分割线*/;</script>")
    assert len(empty) == 1 and "导出未完成" in empty[0].reason
    none = _recs("<html><body>没有数据</body></html>")
    assert len(none) == 1 and "找不到" in none[0].reason


def test_quotes_links_and_placeholders_2_0():
    refer = mk.escape_js_and_html("张 伟") + "：" + mk.escape_js_and_html("A&B <b>")
    els = (f"{{ type:49, text: '同问',is_send:0,sub_type:57,refer_text: '{refer}',avatar_path:'',timestamp:1793634642,"
           f"is_chatroom:1,displayname:'老王'}},"
           f"{{ type:49,sub_type:5, text:'',{E},url:'https://a.cn/?x=1&amp;y=2',title:'标题 &amp; 副题',description:'',"
           f"thumbnail:'',app_logo:'',app_name:''}},\n"
           f"{{ type:1, text: '视频丢失',{E}}},{{ type:49, text: '发生错误',is_send:0,sub_type:57,"
           f"refer_text: '用户名：引用错误',{E}}},{{ type:3, text: './image/a.jpg',{E}}},"
           f"{{ type:3, text: '{mk.STICKER_URL}',{E}}},{{ type:50, text:'通话时长 00:35',call_type:1,avatar_path:'',"
           f"timestamp:1793634642,is_chatroom:1,displayname:'老王',}},\n")
    recs = _recs(_page(els))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert posts[0].text == "同问" and posts[0].extra["quote"] == {"name": "张 伟", "text": "A&B <b>"}
    assert posts[1].text == "标题 & 副题" and posts[1].url == "https://a.cn/?x=1&y=2"
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["视频", "其他", "图片", "表情", "通话"]


def test_3_0_strings_starting_with_http_are_not_unescaped():
    item = {"type": "1", "is_send": False, "timestamp": 1793634642, "server_id": "1", "display_name": "老王",
            "avatar_src": "", "xml_dict": {}, "text": "https://a.cn/?q=&amp;"}
    for escaped in (True, False):
        rec = next(memotrace_html._v3_record(item, ("c", "c"), ParseContext(), "x", escaped))
        assert rec.post.text == "https://a.cn/?q=&amp;"
    item["text"] = "A &amp; B"
    assert next(memotrace_html._v3_record(item, ("c", "c"), ParseContext(), "x", True)).post.text == "A & B"


# --- Word details --------------------------------------------------------------------------------
def test_a_word_document_that_is_no_export_gets_one_line(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("2026-11-02 23:50:42")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text = "普通表格"
    buf = io.BytesIO()
    d.save(buf)
    recs = list(memotrace_docx.parse_docx(buf.getvalue(), ParseContext(origin="纪要.docx")))
    assert len(recs) == 1 and "不是留痕" in recs[0].reason
    broken = list(memotrace_docx.parse_docx(buf.getvalue()[:3000], ParseContext(origin="坏.docx")))
    assert len(broken) == 1 and "无法打开" in broken[0].reason


def test_docx_is_recognised_from_its_first_entries(tmp_path):
    mk.write_docx_v2(group_chat(), tmp_path)
    data = next(tmp_path.rglob("*.docx")).read_bytes()
    assert detect_format(data[:65536], "").fmt == "memotrace_docx"
    assert "解压" in detect_format(b"PK\x03\x04\x14\x00" + b"\x00" * 24 + b"photos/1.jpg", "").reason


# --- detection of everything beside an export ----------------------------------------------------------
@pytest.mark.parametrize("data,kind", [
    (mk.pcm(), "音频"), (mk.MP3, "音频"), (b"\xff\xfb\x90\x64" + bytes(100), "音频"), (mk.SILK, "语音"),
    (b"BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", "图片"), (b"II*\x00\x08\x00", "图片"),
    (b"wxgf\x00\x01" + bytes(50), "图片"), (b"%PDF-1.4\n", "文件"),
])
def test_resources_are_assets(data, kind):
    assert detect_format(data, data.decode("latin-1")).asset == kind


def test_binary_junk_is_not_mistaken_for_audio():
    import os

    from ..conftest import FIXTURES
    for junk in ((FIXTURES / "broken/junk.dat").read_bytes(), os.urandom(8192), bytes(8192)):
        d = detect_format(junk, junk.decode("latin-1"))
        assert d.fmt is None and not d.asset and "二进制" in d.reason


def test_the_small_2_0_fixture_reads_with_its_quote():
    from ..conftest import FIXTURES

    path = FIXTURES / "memotrace_html/聊天记录/四矿食堂群/四矿食堂群.html"
    recs = list(memotrace_html.parse_html(path.read_text(encoding="utf-8"), ParseContext(origin=str(path))))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert [p.author for p in posts] == ["周师傅", "吴师傅"] and recs[0].chat_id == "四矿食堂群"
    assert posts[1].text == "是啊，工资没涨'东西'倒涨了 & 还 <少>"
    assert posts[1].extra["quote"] == {"name": "周师傅", "text": "食堂的饭菜又涨价了，一份盒饭15块"}
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["图片"]


def test_escaped_surrogate_pairs_join_and_a_lone_half_is_replaced():
    recs = _recs(_page(f"{{ type:1, text: '\\ud83d\\ude00 好\\ud83d',{E}}},"))
    assert [r.post.text for r in recs if isinstance(r, ChatRecord)] == ["😀 好\ufffd"]


def test_a_zip_with_a_word_folder_but_no_document_gets_one_line():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/readme.txt", "x")
    assert detect_format(buf.getvalue(), "").fmt == "memotrace_docx"
    recs = list(memotrace_docx.parse_docx(buf.getvalue(), ParseContext(origin="x.zip")))
    assert len(recs) == 1 and "解压" in recs[0].reason
