from __future__ import annotations

import pytest

from yuqing.crawler.parsers.decode import decode_bytes, iter_lines, sniff_encoding
from yuqing.crawler.parsers.detect import detect_format

from ..conftest import FIXTURES, SHARED_FORMATS

CASES = [
    ("memotrace/data/聊天记录/一矿综采一队职工群(12345678@chatroom)/一矿综采一队职工群.csv", "memotrace_csv"),
    ("memotrace_gb18030/聊天记录/二矿机电队群/二矿机电队群_utf8.csv", "memotrace_csv"),
    ("memotrace_txt/聊天记录/三矿通风队群/三矿通风队群.txt", "memotrace_txt"),
    ("memotrace_html/聊天记录/四矿食堂群/四矿食堂群.html", "memotrace_html"),
    ("pywxdump/export/wxid_owner01/json/4455667788@chatroom/4455667788@chatroom_0_37.json", "pywxdump_json"),
    ("pywxdump/export/wxid_owner01/json/4455667788@chatroom/users.json", "pywxdump_users"),
    ("pywxdump_csv/export/wxid_owner01/csv/4455667788@chatroom/4455667788@chatroom_0_37.csv", "pywxdump_csv"),
    ("pywxdump_html/export/wxid_owner01/html/wxid_wang02/data.js", "pywxdump_datajs"),
    ("articles/微信公众号文章.json", "articles_json"),
    ("articles_xlsx/微信公众号文章.xlsx", "articles_xlsx"),
    ("chatlog/chatlog_33334444.csv", "chatlog_csv"),
    ("chatlog/chatlog_33334444.json", "chatlog_json"),
    ("wechat_exporter/工会小李/王师傅.txt", "exporter_txt"),
    ("wechat_exporter/工会小李/王师傅/index.html", "exporter_html"),
]


@pytest.mark.parametrize("rel,fmt", CASES)
def test_detects_from_content(rel, fmt):
    head = (FIXTURES / rel).read_bytes()[:65536]
    assert detect_format(head, head.decode(sniff_encoding(head), errors="replace")).fmt == fmt


@pytest.mark.parametrize("rel,fmt", [("wechat_article_html/article_deleted_01.html", "article_page"),
                                     ("discourse/topic_response.json", "discourse_topic"),
                                     ("discuz/forumdisplay_api_v1_real_trimmed.json", "discuz_api"),
                                     ("README.md", None)])
def test_detects_real_samples(rel, fmt):
    head = (SHARED_FORMATS / rel).read_bytes()[:65536]
    assert detect_format(head, head.decode("utf-8")).fmt == fmt


def test_junk_and_empty_are_refused_with_a_reason():
    junk = (FIXTURES / "broken/junk.dat").read_bytes()
    d = detect_format(junk, junk.decode("latin-1"))
    assert d.fmt is None and "二进制" in d.reason
    assert detect_format(b"  \n", "  \n").reason == "空文件"
    assert "解压" in detect_format(b"PK\x03\x04abc", "").reason


def test_decode_falls_back_to_gb18030():
    data = "职工之家".encode("gb18030")
    assert decode_bytes(data) == ("职工之家", "gb18030")
    assert decode_bytes(b"\xef\xbb\xbf" + "职工".encode()) == ("职工", "utf-8-sig")
    # a multi-byte character cut at the end of the sniffed head still counts as UTF-8
    assert sniff_encoding("职工".encode()[:-1]) == "utf-8-sig"


def test_overlong_line_is_skipped_and_reported(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"first\n" + b"x" * 5000 + b"\nlast\n")
    overlong: list[int] = []
    with p.open("rb") as f:
        lines = list(iter_lines(f, "utf-8", max_line=1000, overlong=overlong))
    assert lines == ["first\n", "", "last\n"] and overlong == [2]
