from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yuqing.crawler.importer import import_paths
from yuqing.crawler.sources import overlap_choice
from yuqing.storage import PostQuery
from yuqing.storage.base import StoredMessage

from .conftest import FIXTURES

T = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def _probes(n: int, author: str = "", window: int = 0) -> list:
    return [(T + timedelta(seconds=i * 600), f"h{i}", author, window) for i in range(n)]


def _stored(source: str, probes, author: str = "", shift: int = 0) -> list[StoredMessage]:
    return [StoredMessage(source, at + timedelta(seconds=shift), h, author, f"{source}:{h}") for at, h, _, _ in probes]


def test_overlap_picks_the_source_holding_most_of_the_sample():
    sample = _probes(10)
    found = _stored("wx-a", sample[:8]) + _stored("wx-b", sample[:1])
    assert overlap_choice(sample, found) == "wx-a"


def test_one_broadcast_message_does_not_make_two_chats_one():
    sample = _probes(10)
    found = _stored("wx-a", sample[3:4], "wxid_bot")  # a notice pasted into every group at the same second
    assert overlap_choice(sample, found) is None
    assert overlap_choice(sample[3:4], found) == "wx-a"  # a file of that single message does belong there


def test_overlap_needs_half_the_sample_and_a_clear_winner():
    sample = _probes(10)
    assert overlap_choice(sample, _stored("wx-a", sample[:4])) is None
    assert overlap_choice(sample, _stored("wx-a", sample) + _stored("wx-b", sample)) is None
    assert overlap_choice([], []) is None


def test_a_different_sender_at_the_same_second_is_not_the_same_message():
    sample = _probes(4, author="wxid_zhang")
    assert overlap_choice(sample, _stored("wx-a", sample, "wxid_wang")) is None
    assert overlap_choice(sample, _stored("wx-a", sample, "wxid_zhang")) == "wx-a"
    assert overlap_choice(sample, _stored("wx-a", sample)) == "wx-a"  # a tool without ids


def test_a_time_known_to_a_window_matches_within_it_only():
    exact, windowed = _probes(4), _probes(4, window=300)
    later = _stored("wx-a", exact, shift=240)  # sent 4 minutes after the header time
    assert overlap_choice(exact, later) is None and overlap_choice(windowed, later) == "wx-a"
    assert overlap_choice(windowed, _stored("wx-a", exact, shift=400)) is None
    # an exact time meets a copy stored from a window-dated export: up to 5 minutes early, never later
    assert overlap_choice(exact, _stored("wx-a", exact, shift=-240)) == "wx-a"
    assert overlap_choice(exact, _stored("wx-a", exact, shift=-400)) is None


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
