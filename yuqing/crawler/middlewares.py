"""Downloader middleware: exponential backoff for retried requests.

Scrapy's RetryMiddleware re-schedules a failed request (``RETRY_HTTP_CODES``, connection
errors) and counts its attempts in ``meta["retry_times"]``; this middleware waits
``RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` seconds (at most ``RETRY_BACKOFF_MAX``) before the
retry goes out, so a struggling forum is given room instead of being hammered.
"""

from __future__ import annotations

import asyncio


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """The wait before retry number ``attempt`` (1, 2, 3 …)."""
    return 0.0 if attempt <= 0 else min(cap, base * 2 ** (attempt - 1))


class RetryBackoffMiddleware:
    def __init__(self, base: float, cap: float):
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getfloat("RETRY_BACKOFF_BASE", 2.0), s.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request):
        delay = backoff_seconds(int(request.meta.get("retry_times", 0)), self.base, self.cap)
        if delay:
            await asyncio.sleep(delay)
        return None
