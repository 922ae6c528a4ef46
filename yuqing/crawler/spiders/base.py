"""What every yuqing spider shares: its source, the store, failure recording, thread marks."""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals

from ...schema import Source
from ...storage.base import Store


class SourceSpider(scrapy.Spider):
    """A spider that crawls one configured :class:`~yuqing.schema.Source` into ``store``.

    Every failed request is recorded with ``store.record_source_failure``; per-thread
    high-water marks live in ``store.get_state``/``set_state`` under ``crawl:{source}:…``.
    """

    def __init__(self, source: Source, store: Store, tz: tzinfo | None = None, *args, **kwargs):
        super().__init__(*args, name=kwargs.pop("name", None) or f"{self.name}-{source.id}", **kwargs)
        self.source = source
        self.store = store
        self.tz = tz or ZoneInfo("Asia/Shanghai")
        self.now = datetime.now(timezone.utc)
        self.cookies: dict = dict(source.options.get("cookies") or {})

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.callback_failed, signal=signals.spider_error)
        return spider

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
        reason = f"HTTP {response.status}" if response is not None else f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.store.record_source_failure(self.source.id, request.url, reason)
        self.crawler.stats.inc_value("yuqing/failures")

    def state_key(self, kind: str, ident: str) -> str:
        return f"crawl:{self.source.id}:{kind}:{ident}"

    def mark(self, kind: str, ident: str) -> dict:
        raw = self.store.get_state(self.state_key(kind, ident))
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}
