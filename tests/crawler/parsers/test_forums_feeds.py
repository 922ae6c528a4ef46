from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, discourse, discuz_api, feeds

from ..conftest import FIXTURES, SHARED_FORMATS

CST = timezone(timedelta(hours=8))


def _shared(name):
    return json.loads((SHARED_FORMATS / name).read_text(encoding="utf-8"))


def test_real_discourse_latest_topics():
    page = discourse.parse_latest(_shared("discourse/latest_topics_response.json"))
    assert page.topics and page.topics[0].id == 13 and page.topics[0].posts_count == 1


def test_real_discourse_topic_and_posts():
    topic = discourse.parse_topic(_shared("discourse/topic_response.json"))
    assert topic.posts[0].id == 16 and topic.posts[0].created_at == datetime(2016, 10, 1, 13, 51, 26, 235000, tzinfo=timezone.utc)
    assert topic.missing == []
    post = discourse.to_post(topic.posts[0], "bbs", "https://d.example/t/x/8")
    assert post.text.startswith("(Replace this first paragraph") and "<strong>" not in post.text
    posts = discourse.parse_posts(_shared("discourse/posts_list_example.json")["latest_posts"])
    assert len(posts) == 25 and all(p.topic_id for p in posts)


def test_discourse_reply_links_within_document():
    data = {"id": 5, "title": "t", "post_stream": {"stream": [1, 2, 3], "posts": [
        {"id": 1, "post_number": 1, "username": "a", "created_at": "2026-11-02T00:00:00Z", "cooked": "<p>问</p>"},
        {"id": 2, "post_number": 2, "username": "b", "created_at": "2026-11-02T01:00:00Z", "cooked": "<p>答</p>",
         "reply_to_post_number": 1}]}}
    topic = discourse.parse_topic(data)
    assert topic.posts[1].reply_to == 1 and topic.missing == [3]


def test_real_discourse_files_import_as_records():
    recs = list(discourse.records(_shared("discourse/get_post_response.json"), ParseContext(origin="/x/d/p.json")))
    assert len(recs) == 1 and isinstance(recs[0], ChatRecord) and recs[0].chat_name == "d"


def test_real_discuz_forumdisplay_is_reported_clearly():
    recs = list(discuz_api.records(_shared("discuz/forumdisplay_api_v1_real_trimmed.json"), ParseContext(origin="f.json")))
    assert len(recs) == 1 and isinstance(recs[0], QuarantineRecord)
    assert "2 个主题" in recs[0].reason and "yuqing crawl" in recs[0].reason


def test_discuz_viewthread_posts():
    data = {"Variables": {"forum": {"fid": "2", "name": "生产生活"}, "thread": {"tid": "101", "subject": "夜班补贴"},
                          "postlist": [{"pid": "1001", "tid": "101", "author": "老张", "authorid": "11",
                                        "dbdateline": "1762041600", "message": "三个月没发了<br />"}]}}
    recs = list(discuz_api.records(data, ParseContext(origin="v.json")))
    assert recs[0].post.text == "三个月没发了" and recs[0].post.native_id == "1001" and recs[0].chat_name == "生产生活"


def test_gbk_rss_and_atom():
    rss = feeds.parse_feed((FIXTURES / "feeds/rss.xml").read_bytes())
    assert rss.title == "职工论坛 - 生产生活" and len(rss.entries) == 2
    first = feeds.entry_post(rss.entries[0], "rss-1")
    assert first.text == "夜班补贴三个月没发了\n大家都一样吗？" and first.author == "老张"
    assert first.created_at == datetime(2026, 11, 2, 8, 0, tzinfo=CST)
    assert feeds.entry_post(rss.entries[1], "rss-1") is None  # no date
    atom = feeds.parse_feed((FIXTURES / "feeds/atom.xml").read_bytes())
    assert atom.entries[0].author == "宣传部"
    assert feeds.entry_post(atom.entries[0], "a").text == "本届运动会共有12支代表队参赛。"


def test_broken_feed_reported():
    assert feeds.parse_feed(b"\x00\x01 not xml at all").error
