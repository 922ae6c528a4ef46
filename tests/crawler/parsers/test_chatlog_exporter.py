from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from yuqing.crawler.parsers import ChatRecord, ParseContext, Skipped, chatlog, wechat_exporter

from ..conftest import FIXTURES

CST = timezone(timedelta(hours=8))


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_chatlog_csv():
    path = FIXTURES / "chatlog/chatlog_33334444.csv"
    recs = list(chatlog.parse_csv(_lines(path), ParseContext(origin=str(path))))
    posts = [r for r in recs if isinstance(r, ChatRecord)]
    assert [p.post.text for p in posts] == ["工作服什么时候发？", "下周一，在库房领取,带上工牌"]
    assert posts[0].chat_id == "33334444@chatroom" and posts[0].chat_name == "六矿综采群"
    assert posts[0].post.created_at == datetime(2026, 11, 5, 8, 0, tzinfo=CST)
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["图片"]


def test_chatlog_json_rfc3339_and_types():
    data = json.loads((FIXTURES / "chatlog/chatlog_33334444.json").read_text(encoding="utf-8"))
    recs = list(chatlog.parse_json(data, ParseContext(origin="c.json")))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert [p.native_id for p in posts] == ["1793836800000", "1793836920000"]
    assert posts[0].created_at == datetime(2026, 11, 5, 8, 0, tzinfo=CST) and posts[0].author == "老何"
    assert sorted(r.kind for r in recs if isinstance(r, Skipped)) == ["图片", "系统消息"]


def test_wechat_exporter_txt_multiline_quote_system():
    path = FIXTURES / "wechat_exporter/我的账号/六矿安监群/index.txt"
    recs = list(wechat_exporter.parse_txt(_lines(path), ParseContext(origin=str(path))))
    posts = [r for r in recs if isinstance(r, ChatRecord)]
    assert posts[0].chat_name == "六矿安监群"
    assert posts[0].post.text == "今天井下检查发现两处隐患\n已经上报安监处"
    assert posts[1].post.text == "哪两处？"
    assert posts[1].post.extra["quote"] == {"name": "老孟", "text": "今天井下检查发现两处隐患"}
    assert sorted(r.kind for r in recs if isinstance(r, Skipped)) == ["图片", "系统消息"]


def test_wechat_exporter_html():
    path = FIXTURES / "wechat_exporter/我的账号/六矿安监群/index.html"
    recs = list(wechat_exporter.parse_html(path.read_text(encoding="utf-8"), ParseContext(origin=str(path))))
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert [(p.author, p.author_id) for p in posts] == [("老孟", "wxid_meng"), ("小杜", "wxid_du")]
    assert posts[0].created_at == datetime(2026, 11, 6, 7, 30, tzinfo=CST)
    assert posts[1].text == "<b>哪两处？</b>"  # escaped markup stays text
    assert [r.kind for r in recs if isinstance(r, Skipped)] == ["图片"]
