from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.crawler.importer import import_paths
from yuqing.crawler.sources import overlap_choice
from yuqing.storage import PostQuery

from .conftest import FIXTURES

T = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def _probes(n: int, author: str = "") -> list:
    return [(T + timedelta(seconds=i), f"h{i}", author) for i in range(n)]


def test_overlap_picks_the_source_holding_most_of_the_sample():
    sample = _probes(10)
    found = [("wx-a", at, h, "") for at, h, _ in sample[:8]] + [("wx-b", sample[0][0], "h0", "")]
    assert overlap_choice(sample, found) == "wx-a"


def test_one_broadcast_message_does_not_make_two_chats_one():
    sample = _probes(10)
    found = [("wx-a", sample[3][0], "h3", "wxid_bot")]  # a notice pasted into every group at the same second
    assert overlap_choice(sample, found) is None
    assert overlap_choice(sample[3:4], found) == "wx-a"  # a file of that single message does belong there


def test_overlap_needs_half_the_sample_and_a_clear_winner():
    sample = _probes(10)
    assert overlap_choice(sample, [("wx-a", at, h, "") for at, h, _ in sample[:4]]) is None
    tie = [(s, at, h, "") for at, h, _ in sample for s in ("wx-a", "wx-b")]
    assert overlap_choice(sample, tie) is None
    assert overlap_choice([], []) is None


def test_a_different_sender_at_the_same_second_is_not_the_same_message():
    sample = _probes(4, author="wxid_zhang")
    assert overlap_choice(sample, [("wx-a", at, h, "wxid_wang") for at, h, _ in sample]) is None
    assert overlap_choice(sample, [("wx-a", at, h, "wxid_zhang") for at, h, _ in sample]) == "wx-a"
    assert overlap_choice(sample, [("wx-a", at, h, "") for at, h, _ in sample]) == "wx-a"  # a tool without ids


def test_a_chat_resaved_under_another_name_and_encoding_is_recognised(store, config, tmp_path):
    src = next((FIXTURES / "memotrace").rglob("*.csv"))
    first = import_paths(store, config, [src])
    copy = tmp_path / "聊天记录" / "改了名的群" / "改了名的群_utf8.csv"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(src.read_bytes().decode("utf-8-sig").encode("gb18030"))
    again = import_paths(store, config, [copy])
    assert first.posts == 6 and again.posts == 0 and again.duplicates == 6
    (source,) = store.list_sources()
    assert "改了名的群" in source.match and "12345678@chatroom" in source.match
    assert store.count_posts(PostQuery()) == 6
    # the alias holds: a later file of that name goes straight to the source
    assert import_paths(store, config, [copy], force=True).posts == 0 and len(store.list_sources()) == 1
