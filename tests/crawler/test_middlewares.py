from __future__ import annotations

import asyncio
import time

from scrapy import Request

from yuqing.crawler.middlewares import RetryBackoffMiddleware, backoff_seconds


def test_retry_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n, 2.0, 5.0) for n in range(5)] == [0.0, 2.0, 4.0, 5.0, 5.0]


def test_only_retried_requests_wait():
    mw = RetryBackoffMiddleware(0.2, 1.0)
    t0 = time.monotonic()
    assert asyncio.run(mw.process_request(Request("http://f/a"))) is None
    fresh = time.monotonic() - t0
    t0 = time.monotonic()
    asyncio.run(mw.process_request(Request("http://f/a", meta={"retry_times": 2})))
    assert fresh < 0.1 and time.monotonic() - t0 >= 0.4
