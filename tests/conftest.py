from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from yuqing.schema import Post, Source, SourceKind, Unit

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def store(tmp_path):
    from yuqing.storage.sqlite import SqliteStore

    s = SqliteStore(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture
def units():
    return [
        Unit("G", "测试集团工会", "", 1),
        Unit("S1", "一公司工会", "G", 2),
        Unit("M1", "一矿工会", "S1", 3),
        Unit("M1-ZC", "一矿综采队", "M1", 4),
        Unit("M2", "二矿工会", "S1", 3),
    ]


def make_post(i: int, text: str = "", *, source="src-a", kind=SourceKind.WECHAT_GROUP, minutes=0, **kw) -> Post:
    return Post(source_id=source, source_kind=kind, native_id=str(i), text=text or f"第{i}条消息",
                created_at=T0 + timedelta(minutes=minutes or i), author=f"职工{i % 7}", **kw)


@pytest.fixture
def sources():
    return [
        Source("src-a", "一矿综采队职工群", SourceKind.WECHAT_GROUP, unit="M1-ZC", match=["111@chatroom"]),
        Source("src-b", "二矿职工群", SourceKind.WECHAT_GROUP, unit="M2", match=["222@chatroom"]),
    ]


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sink(tmp_path):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping each message as a .eml file."""
    from yuqing.notify.sink import SmtpSink

    with SmtpSink(tmp_path / "mail", port=free_port()) as s:
        yield s
