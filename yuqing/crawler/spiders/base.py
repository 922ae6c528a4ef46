"""What every yuqing spider shares: its source, the store, failure recording, thread marks, and
the verdict on the source when the crawl ends.

A source *fails* (``spider.fatal``, one line in Chinese naming it) when not one of its pages
could be read — the forum is down or unreachable (「数据源 bbs：无法连接 http://…（连接被拒绝）」),
or answers every request with an error — or when it stops the crawl itself (a login that failed,
a login wall it cannot pass). ``yuqing crawl`` then exits non-zero with that line.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest

from ...schema import Source

if TYPE_CHECKING:
    from ...storage.protocols import ImportStore

#: Connection failures in words a clerk understands (exception class name → reason).
_CONNECT_ERRORS = {
    "ConnectionRefusedError": "连接被拒绝", "ConnectError": "无法建立连接", "DNSLookupError": "找不到该域名",
    "TimeoutError": "连接超时", "TCPTimedOutError": "连接超时", "ConnectingCancelledError": "连接被取消",
    "ConnectionLost": "连接中断", "ConnectionDone": "连接中断", "ResponseNeverReceived": "服务器没有应答",
    "ConnectionResetError": "连接被重置", "SSLError": "TLS/SSL 握手失败",
    # Scrapy ≥ 2.13 wraps the Twisted ones
    "DownloadConnectionRefusedError": "连接被拒绝", "CannotResolveHostError": "找不到该域名",
    "DownloadTimeoutError": "连接超时", "DownloadCancelledError": "连接被取消", "DownloadFailedError": "下载失败",
    "ResponseDataLossError": "响应不完整",
}


def connect_reason(exc_type_name: str) -> str:
    return _CONNECT_ERRORS.get(exc_type_name, exc_type_name)


class SourceSpider(scrapy.Spider):
    """A spider that crawls one configured :class:`~yuqing.schema.Source` into ``store``.

    Every failed request is recorded with ``store.record_source_failure``; per-thread
    high-water marks live in ``store.get_state``/``set_state`` under ``crawl:{source}:…``.
    """

    #: Posts it yields are compared with the stored ones (edits, deletions: the changes pipeline).
    tracks_changes = True

    def __init__(self, source: Source, store: ImportStore, tz: tzinfo | None = None, *args, **kwargs):
        super().__init__(*args, name=kwargs.pop("name", None) or f"{self.name}-{source.id}", **kwargs)
        self.source = source
        self.store = store
        self.tz = tz or ZoneInfo("Asia/Shanghai")
        self.now = datetime.now(timezone.utc)
        self.cookies: dict = dict(source.options.get("cookies") or {})
        #: One line naming the source when it failed as a whole (see the module docstring).
        self.fatal: str | None = None
        self.pages_read = 0
        self._first_failure: tuple[str, str, bool] | None = None  # url, reason, no HTTP answer at all

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.callback_failed, signal=signals.spider_error)
        crawler.signals.connect(spider._response_received, signal=signals.response_received)
        return spider

    def _response_received(self, response, request, spider) -> None:
        if spider is self and response.status < 400 and not response.url.endswith("/robots.txt"):
            self.pages_read += 1

    def callback_failed(self, failure, response, spider) -> None:
        """A page that could not be parsed is a failure of the source, not a crash of the crawl."""
        if spider is self:
            self.store.record_source_failure(self.source.id, response.url,
                                             f"页面解析出错：{failure.type.__name__}: {failure.getErrorMessage()}")
            self.crawler.stats.inc_value("yuqing/failures")

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.failed, cookies=self.cookies, **kwargs)

    def failed(self, failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        ignored = failure.check(IgnoreRequest) is not None  # e.g. Forbidden by robots.txt: not a connection problem
        if response is not None:
            reason = short = f"HTTP {response.status}"
        elif ignored:
            reason = short = ("robots.txt 不允许采集（[crawler] obey_robots）" if "robots" in failure.getErrorMessage()
                              else f"请求被跳过：{failure.getErrorMessage()}")
        else:
            short = connect_reason(failure.type.__name__)
            reason = f"{short}: {failure.getErrorMessage()}"
        self.store.record_source_failure(self.source.id, request.url, reason)
        self.crawler.stats.inc_value("yuqing/failures")
        if self._first_failure is None:
            self._first_failure = (request.url, short, response is None and not ignored)

    def fail_source(self, message: str, url: str = "") -> None:
        """Stop crawling this source: ``message`` (Chinese, without the source's name) is recorded
        and becomes the one line ``yuqing crawl`` ends with."""
        self.fatal = f"数据源 {self.source.id}：{message}"
        self.store.record_source_failure(self.source.id, url or self.source.url, message)
        self.crawler.stats.inc_value("yuqing/failures")
        raise CloseSpider("source_failed")

    def closed(self, reason: str) -> None:
        if self.fatal is None and self.pages_read == 0 and self._first_failure is not None:
            url, why, unreachable = self._first_failure
            self.fatal = (f"数据源 {self.source.id}：无法连接 {url}（{why}）" if unreachable
                          else f"数据源 {self.source.id}：没有读到任何页面（{url}：{why}）")

    def state_key(self, kind: str, ident: str) -> str:
        return f"crawl:{self.source.id}:{kind}:{ident}"

    def mark(self, kind: str, ident: str) -> dict:
        raw = self.store.get_state(self.state_key(kind, ident))
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}
