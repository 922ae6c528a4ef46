"""The same chats exported by several tools, in several encodings and under other names, are
stored once: every tool's copy of a message has the same key (second, text, occurrence), a chat is
recognised by its messages whatever a tool calls it, and Word's 5-minute times are matched within
their window."""

from __future__ import annotations

import pytest

from yuqing.storage import PostQuery

from . import make_chatlog, make_memotrace, make_memotrace_rich, make_pywxdump, make_wechat_exporter
from .check import import_ok, reencoded_copy
from .conversation import group_chat, private_chat

WRITERS = {
    "MemoTrace HTML 2.0": make_memotrace_rich.write_html_v2,
    "MemoTrace HTML 3.x": make_memotrace_rich.write_html_v3,
    "MemoTrace Word 2.0": make_memotrace_rich.write_docx_v2,
    "PyWxDump JSON 3.1.45": make_pywxdump.write_json,
    "PyWxDump CSV 3.0.40": lambda chat, folder: make_pywxdump.write_csv(chat, folder, "3.0.40"),
    "chatlog CSV": make_chatlog.write_csv,
    "chatlog JSON": make_chatlog.write_json,
    "MemoTrace CSV 2.0": make_memotrace.write_csv_200,  # no link cards or quoted replies: the CSV lacks them
    "MemoTrace CSV 3.x": make_memotrace.write_csv_3,
    "MemoTrace TXT 2.0": make_memotrace.write_txt_102,
    "WechatExporter HTML 1.9.6": make_wechat_exporter.write_html_196,
    "WechatExporter HTML 1.9 async": lambda chat, folder: make_wechat_exporter.write_html_19(chat, folder, page_size=12),
}


def _export(name: str, tmp_path):
    write = WRITERS[name]
    folder = tmp_path / name.replace(" ", "_")
    return write(group_chat(), folder) + write(private_chat(), folder)


def _kept() -> int:
    return len(group_chat().kept()) + len(private_chat().kept())


@pytest.mark.parametrize("first", ["MemoTrace HTML 2.0", "PyWxDump JSON 3.1.45", "MemoTrace Word 2.0",
                                   "MemoTrace CSV 2.0", "WechatExporter HTML 1.9.6"])
def test_every_tool_after_another_adds_nothing(store, config, tmp_path, first):
    import_ok(store, config, _export(first, tmp_path))
    base = store.count_posts(PostQuery())
    assert base >= _kept() - 6  # a tool may lack a kind (Word 2.0 draws no link cards, CSV 2.0 no quotes)
    sources = len(store.list_sources())
    for name in WRITERS:
        if name == first:
            continue
        paths = _export(name, tmp_path)
        report = import_ok(store, config, paths)
        # what the first tool could not hold (a link card Word leaves out) may come in, nothing else
        # (+1: MemoTrace 3.x draws the mini-program card as a link card)
        assert store.count_posts(PostQuery()) <= _kept() + 1, (name, report.summary())
        again = import_ok(store, config, reencoded_copy(paths, tmp_path / f"resaved-{name}"))
        assert again.posts == 0, (name, again.summary())
    assert len(store.list_sources()) == sources == 2  # the group and the private chat, whatever the tool
    assert store.count_posts(PostQuery()) >= _kept()


def test_word_after_exact_times_and_exact_times_after_word(store, config, tmp_path):
    """Word dates a message to the 5-minute header above it; matched within that window either way."""
    import_ok(store, config, _export("MemoTrace Word 2.0", tmp_path))
    word_only = store.count_posts(PostQuery())
    report = import_ok(store, config, _export("chatlog JSON", tmp_path))
    assert report.posts == _kept() - word_only  # only what Word could not show (its link card)
    assert report.duplicates == word_only
