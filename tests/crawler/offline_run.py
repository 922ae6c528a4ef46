"""Runs the yuqing command line with every connection to anything but this machine refused and
written down (``$YUQING_TEST_NET_LOG``): how the live crawl tests check that a crawl talks to the
configured sources only (no public-suffix list download, no telemetry)."""

from __future__ import annotations

import os
import sys

LOCAL = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def _guard(event: str, args: tuple) -> None:
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect":
        addr = args[1]
        host = addr[0] if isinstance(addr, tuple) else None  # AF_UNIX paths are local
    else:
        return
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host and str(host) not in LOCAL:
        with open(os.environ["YUQING_TEST_NET_LOG"], "a", encoding="utf-8") as f:
            f.write(f"{event} {host}\n")
        raise ConnectionRefusedError(f"offline test: no connection to {host}")


if __name__ == "__main__":
    sys.addaudithook(_guard)
    from yuqing.cli import main

    main(prog_name="yuqing")
