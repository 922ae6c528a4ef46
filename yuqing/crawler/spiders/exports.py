"""A drop folder of export files read through ``file://`` requests, with the same pure parsers as
``yuqing import``; each file once (content hash in the import ledger).

Scrapy loads a response body whole, so this spider suits the usual exports (a few MB). For
very big files (a 1M-message CSV) use ``yuqing import``, which streams line formats from disk.
Run it with ``yuqing crawl --exports [--folder PATH]`` (default: the configured drop folder).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import scrapy

from ...schema import ImportedFile, QuarantineRecord
from ..importer import file_hash, finalise, iter_files
from ..items import FileDoneItem, PostItem, QuarantineItem
from ..parsers import FORMATS, ChatRecord, ParseContext, Skipped
from ..parsers.detect import HEAD_BYTES
from ..reading import detect, read_records, users_beside
from ..sources import ChatBinder, SourceResolver

if TYPE_CHECKING:
    from ...storage.protocols import ImportStore


class ExportsSpider(scrapy.Spider):
    name = "exports"
    custom_settings = {"HTTPCACHE_ENABLED": False, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "DOWNLOAD_MAXSIZE": 0, "DOWNLOAD_WARNSIZE": 0}

    def __init__(self, store: ImportStore, folder: str | Path, tz=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zoneinfo import ZoneInfo

        self.store = store
        self.folder = Path(folder)
        self.tz = tz or ZoneInfo("Asia/Shanghai")
        self.resolver = SourceResolver(store)

    async def start(self):
        for path in iter_files([self.folder]):
            try:
                digest = file_hash(path)
            except OSError as exc:
                yield QuarantineItem(QuarantineRecord(str(path), "整个文件", f"无法读取文件：{exc.strerror or exc}"))
                continue
            if self.store.file_imported(digest) is not None:
                self.crawler.stats.inc_value("yuqing/files_already")
                continue
            yield scrapy.Request(path.resolve().as_uri(), callback=self.parse_file, errback=self.failed,
                                 cb_kwargs={"path": path, "digest": digest})

    def failed(self, failure) -> None:
        path = failure.request.cb_kwargs["path"]
        self.store.add_quarantine([QuarantineRecord(str(path), "整个文件", f"无法读取文件：{failure.getErrorMessage()}")])
        self.crawler.stats.inc_value("yuqing/failures")

    def parse_file(self, response, path: Path, digest: str):
        body = response.body
        detection, encoding = detect(body[:HEAD_BYTES])
        fmt = FORMATS.get(detection.fmt or "")
        done = ImportedFile(content_hash=digest, path=str(path), size=len(body), fmt=detection.fmt or "")
        stats = self.crawler.stats
        if detection.asset:  # an image or voice clip beside the export: counted, not quarantined
            stats.inc_value(f"yuqing/assets/{detection.asset}")
            return
        if fmt is None:  # quarantined, kept out of the ledger: tried again next time
            yield QuarantineItem(QuarantineRecord(str(path), "整个文件", detection.reason or f"格式 {detection.fmt} 暂不支持导入"))
            return
        ctx = ParseContext(origin=str(path), tz=self.tz)
        if fmt.name.startswith("PyWxDump"):
            ctx.users = users_beside(path)
        records = read_records(lambda: io.BytesIO(body), len(body), fmt, encoding, ctx) if fmt.parse else ()
        binder = ChatBinder(self.resolver)
        for rec in records:
            if isinstance(rec, ChatRecord):
                for bound, sid in binder.feed(rec):
                    done.posts += 1
                    yield PostItem(post=finalise(bound, sid))
            elif isinstance(rec, Skipped):
                done.skipped += 1
                stats.inc_value(f"yuqing/skipped/{rec.kind}")
            else:
                done.quarantined += 1
                yield QuarantineItem(rec)
        for bound, sid in binder.flush():
            done.posts += 1
            yield PostItem(post=finalise(bound, sid))
        if done.posts or done.skipped or not done.quarantined:  # else nothing was readable: retried next time
            yield FileDoneItem(done)
