import socket

import pytest

from yuqing.notify.sink import SmtpSink


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sink(tmp_path):
    with SmtpSink(tmp_path / "mail", port=free_port()) as s:
        yield s
