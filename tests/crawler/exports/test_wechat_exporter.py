"""WechatExporter (BlueMatthew/WechatExporter, iPhone backups): every layout written the way the
tool's own code writes it (:mod:`.make_wechat_exporter`) imports exactly; parser details below."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from yuqing.crawler.cleaning import clean_text
from yuqing.crawler.importer import import_paths
from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, wechat_exporter
from yuqing.crawler.parsers.decode import sniff_encoding
from yuqing.crawler.parsers.detect import detect_format
from yuqing.storage import PostQuery

from ..conftest import FIXTURES
from .check import assert_exact, assert_reimports_add_nothing, import_ok
from .conversation import TZ, Chat, Expected, Message, expected, group_chat, private_chat, skipped
from .make_wechat_exporter import (
    LAYOUTS,
    rendered,
    write_html_18,
    write_html_19,
    write_html_196,
    write_txt_196,
)


def shown_name(chat: Chat, m: Message) -> str:
    """The sender name WechatExporter shows: its own account's display name for the account's
    messages; in a group the group nickname, else the remark, else the nickname; in a private
    chat the remark, else the nickname."""
    p = m.sender
    if p is chat.owner:
        return p.remark or p.nickname
    if chat.is_group:
        return p.group_nick or p.remark or p.nickname
    return p.remark or p.nickname


CHATS = (group_chat, private_chat)


def _html_expected() -> list[Expected]:
    out = []
    for make in CHATS:
        chat = make()
        out += expected(chat, author=lambda m, c=chat: shown_name(c, m), link_description=True)
    return out


def _txt_expected() -> tuple[list[Expected], list[str]]:
    """TXT: the quoted-reply template writes neither name nor time (the replies are quarantined,
    returned second); a link card is its title only; a mini-program card is a ``NAME TIME:title``
    line like any text, so it comes in as one."""
    posts, replies = [], []
    for make in CHATS:
        chat = make()
        shown = expected(chat, author=lambda m, c=chat: shown_name(c, m), link_description=False)
        for m, e in zip(chat.kept(), shown):
            if m.kind == "quote":
                replies.append(m.text)
            else:
                posts.append(e)
        posts += [Expected(shown_name(chat, m), m.local_time, m.text) for m in chat.messages if m.kind == "miniapp"]
    return posts, replies


def _skips(txt_version: str | None = None) -> Counter:
    """The skip counts the tool lets an import see: every kind in HTML; in TXT the app messages
    the exporter gives an empty ``plainshare`` line (red packet, group notice; pat and transfer up
    to 1.9.5.13) are empty messages, and the mini-program card is not skipped (it reads as text)."""
    total = Counter()
    for make in CHATS:
        total.update(skipped(make()))
    if txt_version is not None:
        empty = ["红包", "群公告"] + (["拍一拍", "转账"] if txt_version == "1.9" else [])
        for kind in empty:
            total["空消息"] += total.pop(kind, 0)
        total.pop("小程序", None)
    return +total


def _both(tmp_path: Path, layout: str, **extra) -> Path:
    writer, kw = LAYOUTS[layout]
    folder = tmp_path / "export"
    writer([group_chat(), private_chat()], folder, **{**kw, **extra})
    return folder


HTML_LAYOUTS = [k for k in LAYOUTS if k.startswith("html")]


@pytest.mark.parametrize("layout", HTML_LAYOUTS)
def test_html_layouts_import_exactly(layout, store, config, tmp_path):
    folder = _both(tmp_path, layout)
    report = import_ok(store, config, [folder])
    assert_exact(store, _html_expected())
    assert report.skipped == _skips()
    assert report.assets["图片"] > 0  # portraits, pictures and emoji beside the pages are assets, not rejects
    assert_reimports_add_nothing(store, config, [folder], tmp_path)


@pytest.mark.parametrize("version", ["1.9", "1.9.6"])
def test_txt_layouts_import_exactly(version, store, config, tmp_path):
    folder = _both(tmp_path, f"txt-{version}")
    report = import_paths(store, config, [folder])
    posts, replies = _txt_expected()
    assert_exact(store, posts)
    assert report.skipped == _skips(version)
    assert report.files_rejected == 0
    held = store.list_quarantine(limit=100)
    assert report.quarantined == len(replies) == len(held)
    assert sorted(q.raw.rsplit("\n", 1)[-1] for q in held) == sorted(replies)
    assert all("HTML" in q.reason and "没有发送人和时间" in q.reason for q in held)
    assert_reimports_add_nothing(store, config, [folder], tmp_path)


def test_descending_export_imports_the_same(store, config, tmp_path):
    folder = _both(tmp_path, "html-1.9", desc=True)
    import_ok(store, config, [folder])
    assert_exact(store, _html_expected())


def test_one_chat_exported_twice_is_stored_once(store, config, tmp_path):
    """The same chat as 1.9 HTML, then as 1.9.6 async HTML and 1.9 TXT: nothing new (same chat
    name, same seconds and texts; a TXT link card is its title, the link card's key)."""
    write_html_19(group_chat(), tmp_path / "a")
    import_ok(store, config, [tmp_path / "a"])
    n = store.count_posts(PostQuery())
    write_html_196(group_chat(), tmp_path / "b", page_size=10)
    write_txt_196(group_chat(), tmp_path / "c")
    again = import_paths(store, config, [tmp_path / "b", tmp_path / "c"])
    assert again.posts == 1  # only the mini-program card, which TXT writes as a text line
    assert store.count_posts(PostQuery()) == n + 1


# --- files and detection ---------------------------------------------------------------------------


def _detect(path: Path) -> str | None:
    head = path.read_bytes()[:65536]
    return detect_format(head, head.decode(sniff_encoding(head), errors="replace")).fmt


def test_every_written_file_is_detected_from_its_content(tmp_path):
    formats = {}
    for layout in LAYOUTS:
        folder = _both(tmp_path / layout, layout)
        for f in folder.rglob("*"):
            if f.is_file() and f.suffix in (".txt", ".html", ".js", ".csv"):
                formats[(layout, f.relative_to(folder).as_posix())] = _detect(f)
    assert formats[("txt-1.9", "工会小李/综采一队群.txt")] == "exporter_txt"
    assert formats[("txt-1.9.6", "工会小李/综采一队群/index.txt")] == "exporter_txt"
    assert formats[("txt-1.9", "工会小李/index.txt")] == formats[("txt-1.9.6", "index.txt")] == "exporter_index"
    assert formats[("html-1.9.6", "工会小李_Contacts.csv")] == "exporter_contacts"
    assert formats[("html-1.9-async", "工会小李/综采一队群_files/Data/msg-1.js")] == "exporter_js"
    assert formats[("html-1.9.6-async", "工会小李/综采一队群/Files/Data/msg-1.js")] == "exporter_js"
    assert formats[("html-1.9.6-async", "工会小李/综采一队群/index.html")] == "exporter_html"
    assert formats[("html-1.8", "工会小李/index.html")] == formats[("html-1.9.6", "index.html")] == "exporter_index"
    assert None not in formats.values(), [k for k, v in formats.items() if v is None]


def test_detection_does_not_depend_on_the_file_name(tmp_path):
    folder = _both(tmp_path, "txt-1.9.6")
    src = folder / "工会小李" / "综采一队群" / "index.txt"
    renamed = tmp_path / "notes.html"
    renamed.write_bytes(src.read_bytes())
    assert _detect(renamed) == "exporter_txt"
    assert _detect(FIXTURES / "broken" / "notes.txt") is None


def test_the_1_9_6_async_page_holds_no_message_and_its_js_pages_all(tmp_path):
    folder = _both(tmp_path, "html-1.9.6-async")
    page = folder / "工会小李" / "综采一队群" / "index.html"
    assert "msg chat" not in page.read_text(encoding="utf-8")
    js = sorted((page.parent / "Files" / "Data").glob("msg-*.js"))
    assert [p.name for p in js] == ["msg-1.js", "msg-2.js", "msg-3.js"]
    recs = [r for p in js for r in wechat_exporter.parse_js(p.read_text(encoding="utf-8"), ParseContext(origin=str(p)))]
    assert {r.chat_id for r in recs if isinstance(r, ChatRecord)} == {"综采一队群"}


def test_committed_fixtures_are_the_generators_output():
    """tests/data/crawler/wechat_exporter holds the private chat as the generator writes it."""
    base = FIXTURES / "wechat_exporter" / "工会小李"
    assert (base / "王师傅.txt").read_text(encoding="utf-8") == \
        f"王师傅 - 微信聊天记录\n\n{''.join(rendered(private_chat(), '1.9', True))}\n"
    page = (base / "王师傅" / "index.html").read_text(encoding="utf-8")
    assert "".join(rendered(private_chat(), "1.9.6", False)) in page


# --- TXT details ----------------------------------------------------------------------------------

def _txt(text: str, origin: str = "out/我的账号/班组群/index.txt") -> list:
    return list(wechat_exporter.parse_txt(text.splitlines(keepends=True), ParseContext(origin=origin, tz=TZ)))


def _posts(recs) -> list[tuple[str, str, str]]:
    return [(r.post.author, r.post.created_at.astimezone(TZ).strftime("%H:%M:%S"), r.post.text)
            for r in recs if isinstance(r, ChatRecord)]


def test_txt_link_card_runs_into_the_next_line_and_is_split_at_a_name_seen_later():
    recs = _txt("班组群 - 微信聊天记录\n\n"
                "老周 (2026-11-02 08:00:00):关于夜班补贴的通知小张 (2026-11-02 08:01:00):收到\n"
                "第二行\n"
                "小张 (2026-11-02 08:02:00):[图片]\n")
    assert _posts(recs) == [("老周", "08:00:00", "关于夜班补贴的通知"), ("小张", "08:01:00", "收到\n第二行")]
    assert {r.chat_id for r in recs if isinstance(r, ChatRecord)} == {"班组群"}


def test_txt_line_that_cannot_be_split_is_quarantined_not_guessed():
    recs = _txt("老周 (2026-11-02 08:00:00):通知无名氏 (2026-11-02 08:01:00):收到\n")
    assert _posts(recs) == []
    (q,) = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert "连在一行" in q.reason and "收到" in q.raw


def test_txt_quotes_system_lines_forwards_and_placeholders():
    recs = _txt("班组群 - 微信聊天记录\n\n"
                '"老王"邀请"小李"加入了群聊\n'
                "老周 (2026-11-02 08:00:00):第一行\n「两行\n"
                "「小张：上一条\n第二行」\n- - - - - - - - - - - - - - -\n回复一\n"
                "「老周：又一条」\n- - - - - - - - - - - - - - -\n回复二\n"
                '"老周" 撤回了一条消息\n'
                "小张 (2026-11-02 08:03:00):Chat History\n<< Chat History\n"
                "A (2026-11-01 07:00:00):forwarded\n<< inner\nB (2026-11-01 07:00:00):x\ninner Ends >>\n"
                "Chat History Ends >>\n"
                "小张 (2026-11-02 08:04:00):[Audio 3\"]\n"
                "小张 (2026-11-02 08:05:00):[位置] 食堂 (1,2)\n"
                "小张 2026-11-02 08:06:00:\n"
                "System Message: \"小张\" 拍了拍 \"老周\"\n"
                "小张 (2026-11-02 08:07:00):完\n")
    assert _posts(recs) == [("老周", "08:00:00", "第一行\n「两行"), ("小张", "08:07:00", "完")]
    quarantined = [r.raw for r in recs if isinstance(r, QuarantineRecord)]
    assert quarantined == ["「小张：上一条\n第二行」\n- - - - - - - - - - - - - - -\n回复一",
                           "「老周：又一条」\n- - - - - - - - - - - - - - -\n回复二"]
    assert Counter(r.kind for r in recs if isinstance(r, Skipped)) == {
        "系统消息": 1, "撤回": 1, "合并转发": 1, "语音": 1, "位置": 1, "空消息": 1, "拍一拍": 1}


def test_txt_without_its_title_line_takes_the_chat_from_the_folder():
    recs = _txt("老周 (2026-11-02 08:00:00):好\n", origin="out/我的账号/二矿机电队/index.txt")
    assert [r.chat_name for r in recs] == ["二矿机电队"]
    recs = _txt("老周 (2026-11-02 08:00:00):好\n", origin="out/我的账号/二矿机电队.txt")
    assert [r.chat_name for r in recs] == ["二矿机电队"]


def test_txt_english_title_and_time_in_the_configured_zone():
    recs = list(wechat_exporter.parse_txt(["Shift team - WeChat Chat History\n", "\n", "Zhou (2026-11-02 08:00:00):ok\n"],
                                          ParseContext(origin="x.txt", tz=ZoneInfo("Europe/Berlin"))))
    (rec,) = recs
    assert rec.chat_name == "Shift team"
    assert rec.post.created_at == datetime(2026, 11, 2, 7, 0, tzinfo=ZoneInfo("UTC"))


def test_html_emoji_image_without_its_code_falls_back_to_the_image_name():
    assert wechat_exporter.html_text('好<img src="Files/Emoji/wx/Fight.png" class="wxemoji" />'
                                     '<img src="a.png" title="x">') == '好[Fight]<img src="a.png" title="x">'


def test_txt_1_9_6_share_ends_with_the_app_name_separator():
    recs = _txt("老周 (2026-11-02 08:00:00):关于夜班补贴的通知 - \n")
    assert _posts(recs) == [("老周", "08:00:00", "关于夜班补贴的通知")]


# --- HTML details ---------------------------------------------------------------------------------

_HEAD = ('<!doctype html><html><head><title>班组群 - 微信聊天记录</title></head><body><div class="main">'
         '<div class="msgs" id="msgs-div">\n')


def _html(body: str, **kw) -> list:
    return list(wechat_exporter.parse_html(_HEAD + body + '\n</div><div class="footer"></div></div></body></html>',
                                           ParseContext(origin="out/a/班组群.html", tz=TZ, **kw)))


def test_html_1_9_6_raw_text_emoji_images_and_entities():
    body = ('\t\t\t\t<div class="msg chat left " msgid="7" msgtype="1">\n'
            '\t\t\t\t\t<div class="avatar-box">\n\t\t\t\t\t\t<img src="Files/Portrait/wxid_a.jpg" class="avatar">\n'
            '\t\t\t\t\t</div>\n\t\t\t\t\t<div class="nt-box"><span class="dspname left" wxId="">老&amp;周</span> '
            '2026-11-02 08:00:00</div>\n\t\t\t\t\t<div class="content-box">\n\t\t\t\t\t\t<div class="triangle"></div>\n'
            '\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre><b>不是标签</b></span> &amp; '
            '<img src="Files/Emoji/wx/Smile.png" title="[微笑]" rawemoji="[微笑]" class="wxemoji" />'
            ' a=1&c=2</pre></span>\n\t\t\t\t\t</div>\n\t\t\t\t</div>\n')
    (rec,) = _html(body)
    assert rec.post.text == "<b>不是标签</b></span> & [微笑] a=1&c=2"
    assert (rec.post.author, rec.post.author_id, rec.post.native_id) == ("老&周", "wxid_a", "7")
    assert rec.post.created_at == datetime(2026, 11, 2, 8, 0, tzinfo=TZ)


def test_html_1_8_more_messages_json_survives_script_end_and_frame_code(tmp_path):
    """1.8 keeps the messages after the first page as JSON inside the page's script (read with a
    JSON decoder from the assignment, so ``];`` in a message ends nothing); the frame's own code
    (``window.moreWechatMsgs === …``) is no data."""
    chat = group_chat()
    chat.messages = [m for m in chat.messages if m.kind == "text"]
    write_html_18(chat, tmp_path, page_size=3)
    page = (tmp_path / "工会小李" / "综采一队群.html").read_text(encoding="utf-8")
    assert "];" in page.split("window.moreWechatMsgs = ", 1)[1].split("\n", 1)[0]
    page = page.replace("<script", "<script>if (typeof window.moreWechatMsgs === 'undefined') {}</script><script", 1)
    recs = list(wechat_exporter.parse_html(page, ParseContext(origin="x.html", tz=TZ)))
    assert [r.post.text for r in recs] == [clean_text(m.text) for m in chat.messages]


def test_html_old_templates_without_msgtype():
    """v1.7.9 – v1.7.17: ``chat-left``/``media-left`` and ``span.name-left``; v1.0: ``<div>NAME TIME</div>``."""
    body = ('\t\t<div class="chat-left " msgid="1">\n\t\t\t<div>\n\t\t\t\t<img src="Portrait/wxid_a.jpg" class="avatar">\n'
            '\t\t\t</div>\n\t\t\t<div><span class="name-left">老周</span> 2026-11-02 08:00:00</div>\n\t\t\t<div>\n'
            '\t\t\t\t<div class="triangle"></div>\n\t\t\t\t<span class="dont-break-out">夜班&nbsp;补贴<br/>第二行</span>\n'
            '\t\t\t</div>\n\t\t</div>\n'
            '\t\t<div class="chat-left">\n\t\t\t<div>\n\t\t\t\t<img src="" class="avatar">\n\t\t\t</div>\n'
            '\t\t\t<div>小张 2026-11-02 08:01:00</div>\n\t\t\t<div>\n\t\t\t\t<div class="triangle"></div>\n'
            '\t\t\t\t<span class="dont-break-out">[图片]</span>\n\t\t\t</div>\n\t\t</div>\n'
            '\t\t<div class="media-left " msgid="3">\n\t\t\t<div><span class="name-left">小张</span> 2026-11-02 08:02:00</div>\n'
            '\t\t\t<div><a href="x.jpg"><img src="x_thumb.jpg" class="image img-left_triangle" /></a></div>\n\t\t</div>\n'
            '\t\t<div class="chat-notice"><span class="dont-break-out">"小张"撤回了一条消息</span></div>\n')
    recs = _html(body)
    assert _posts(recs) == [("老周", "08:00:00", "夜班 补贴\n第二行")]
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["图片", "图片", "撤回"]


def test_html_file_copied_from_the_backup_is_skipped_as_a_file(tmp_path):
    write_html_19(group_chat(), tmp_path, attachments=True)
    page = tmp_path / "工会小李" / "综采一队群.html"
    recs = list(wechat_exporter.parse_html(page.read_text(encoding="utf-8"), ParseContext(origin=str(page))))
    assert 'msgtype="file"' in page.read_text(encoding="utf-8")
    assert Counter(r.kind for r in recs if isinstance(r, Skipped))["文件"] == 1


def test_js_page_outside_its_folder_is_quarantined_with_a_reason(tmp_path):
    folder = _both(tmp_path, "html-1.9.6-async")
    src = folder / "工会小李" / "综采一队群" / "Files" / "Data" / "msg-1.js"
    moved = tmp_path / "msg-1.js"
    moved.write_bytes(src.read_bytes())
    (q,) = wechat_exporter.parse_js(moved.read_text(encoding="utf-8"), ParseContext(origin=str(moved)))
    assert isinstance(q, QuarantineRecord) and "导入整个导出文件夹" in q.reason
    assert wechat_exporter.page_chat("o/acc/班组群_files/Data/msg-2.js") == ("班组群", "班组群")


def test_damaged_js_page_is_one_readable_line(tmp_path):
    folder = _both(tmp_path, "html-1.9-async")
    src = next((folder / "工会小李").rglob("msg-1.js"))
    cut = src.read_text(encoding="utf-8")[:300]
    (q,) = wechat_exporter.parse_js(cut, ParseContext(origin=str(src)))
    assert isinstance(q, QuarantineRecord) and "无法解析" in q.reason
