from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.crawler.parsers import ChatRecord, ParseContext, QuarantineRecord, Skipped, memotrace
from yuqing.crawler.parsers.decode import iter_lines, sniff_encoding
from yuqing.crawler.parsers.records import resolve_quotes

from ..conftest import FIXTURES

CST = timezone(timedelta(hours=8))
CSV = FIXTURES / "memotrace/data/聊天记录/一矿综采一队职工群(12345678@chatroom)/一矿综采一队职工群.csv"


def _parse(path, parse=memotrace.parse_csv):
    with path.open("rb") as f:
        head = f.read(4096)
        f.seek(0)
        return list(resolve_quotes(parse(iter_lines(f, sniff_encoding(head)), ParseContext(origin=str(path)))))


def test_csv_bom_newest_first_keeps_text_links_quotes_notices():
    recs = _parse(CSV)
    posts = {r.post.native_id: r for r in recs if isinstance(r, ChatRecord)}
    assert set(posts) == {"1", "4", "5", "7", "8", "11"}
    first = posts["1"]
    assert first.chat_id == "12345678@chatroom" and first.chat_name == "一矿综采一队职工群"
    # the author is NickName, the person's own name (Remark is MemoTrace's file-name-safe remark)
    assert first.post.author == "张三" and first.post.author_id == "wxid_a"
    assert first.post.created_at == datetime(2026, 11, 2, 8, 1, tzinfo=CST)
    # quoted reply: reply text only, linked to the quoted message although it comes later in the file
    assert posts["5"].post.text == "同问，三月的也没发"
    assert posts["5"].post.extra["quote"] == {"name": "张师傅", "text": "这个月的夜班补贴怎么还没发？"}
    assert posts["5"].parent_native == posts["1"].msg_key
    assert posts["4"].post.text == "关于调整夜班补贴标准的通知\n集团工会发布夜班补贴新标准"
    assert posts["4"].post.url == "https://mp.weixin.qq.com/s/abc123"
    assert "[微笑]" in posts["7"].post.text
    assert posts["8"].post.text == "<script>alert('x')</script>测试一下"  # kept as text, never HTML
    assert posts["11"].post.text == '多行消息第一行\n第二行，带逗号,和"引号"'
    skipped = sorted(r.kind for r in recs if isinstance(r, Skipped))
    assert skipped == ["图片", "系统消息", "群公告", "语音"]
    bad = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert len(bad) == 1 and bad[0].position == "第 4 行" and "时间" in bad[0].reason


def test_gb18030_resave_reads_the_same():
    path = FIXTURES / "memotrace_gb18030/聊天记录/二矿机电队群/二矿机电队群_utf8.csv"
    assert sniff_encoding(path.read_bytes()[:4096]) == "gb18030"
    recs = [r for r in _parse(path) if isinstance(r, ChatRecord)]
    assert recs[0].chat_id == "二矿机电队群"
    assert any("13800001111" in r.post.text for r in recs)
    assert any(r.post.text == "这个月的夜班补贴怎么还没发？" for r in recs)


def test_truncated_csv_quarantines_the_cut_row():
    recs = _parse(FIXTURES / "broken/截断的导出.csv")
    bad = [r for r in recs if isinstance(r, QuarantineRecord)]
    assert any("列数不对" in r.reason for r in bad)


def test_txt_blocks_media_system_links_quotes():
    path = FIXTURES / "memotrace_txt/聊天记录/三矿通风队群/三矿通风队群.txt"
    recs = _parse(path, memotrace.parse_txt)
    posts = [r.post for r in recs if isinstance(r, ChatRecord)]
    assert [p.author for p in posts] == ["老刘", "小陈", "小陈"]
    assert posts[1].text == "安全生产月活动方案" and posts[1].url == "https://example.org/a"
    assert posts[2].text == "已经报上去了" and posts[2].extra["quote"]["name"] == "老刘"
    assert sorted(r.kind for r in recs if isinstance(r, Skipped)) == ["图片", "系统消息"]


def test_quote_resolver_links_both_orders_and_stays_bounded():
    from datetime import timezone as tz

    from yuqing.crawler.parsers.records import QuoteResolver
    from yuqing.schema import Post, SourceKind

    def rec(native, text, quote=None):
        extra = {"quote": {"name": "a", "text": quote}} if quote else {}
        p = Post(source_id="", source_kind=SourceKind.WECHAT_GROUP, text=text, native_id=native,
                 created_at=datetime(2026, 1, 1, tzinfo=tz.utc), extra=extra)
        return ChatRecord(post=p, chat_id="c", chat_name="c")

    r = QuoteResolver(max_pending=1)
    assert [x.post.native_id for x in r.feed(rec("1", "原话"))] == ["1"]
    out = list(r.feed(rec("2", "回复", quote="原话")))  # oldest first: resolved at once
    assert out[0].parent_native == "1"
    assert list(r.feed(rec("3", "回复", quote="还没出现的话"))) == []  # waits
    evicted = list(r.feed(rec("4", "回复", quote="另一句")))  # over the bound: the oldest waiter leaves
    assert [x.post.native_id for x in evicted] == ["3"] and evicted[0].parent_native == ""
    late = list(r.feed(rec("5", "另一句")))  # newest first: the waiting reply is released, linked
    assert [(x.post.native_id, x.parent_native) for x in late] == [("4", "5"), ("5", "")]
