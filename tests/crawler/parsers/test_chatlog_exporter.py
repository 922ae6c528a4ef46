from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from yuqing.crawler.parsers import ChatRecord, ParseContext, Skipped, chatlog

from ..conftest import FIXTURES

CST = timezone(timedelta(hours=8))


# WechatExporter: tests/crawler/exports/test_wechat_exporter.py (fixtures written the way its code
# writes them; the old summary-based ones here were wrong).


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
