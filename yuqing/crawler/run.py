"""Run the spiders of the configured forum and feed sources in this process (``CrawlerProcess``).

The Twisted reactor starts once per process, so :func:`run_crawl` can be called once per
process — fine for the ``yuqing crawl`` command (``yuqing run`` and the demo start it as a
child process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scrapy.settings import Settings

from ..config import Config
from ..errors import YuqingError
from ..schema import Source, SourceKind
from ..storage.base import Store

CRAWLED_KINDS = (SourceKind.FORUM, SourceKind.RSS)


@dataclass
class CrawlReport:
    sources: list[str] = field(default_factory=list)
    posts: int = 0
    duplicates: int = 0
    quarantined: int = 0
    failures: int = 0
    requests: int = 0
    thread_pages: int = 0
    threads_unchanged: int = 0

    def summary(self) -> str:
        return (f"采集 {len(self.sources)} 个数据源：新增 {self.posts} 条，重复 {self.duplicates} 条，"
                f"隔离 {self.quarantined} 条，失败 {self.failures} 次（请求 {self.requests} 次，"
                f"帖子页 {self.thread_pages} 个，未变化的主题 {self.threads_unchanged} 个）")


def spider_for(source: Source):
    """The spider class for a source, from its kind and ``options.engine``."""
    engine = str(source.options.get("engine", "discuz" if source.kind == SourceKind.FORUM else "rss"))
    if engine == "discuz":
        from .spiders.discuz import DiscuzSpider

        return DiscuzSpider
    if engine == "discourse":
        from .spiders.discourse import DiscourseSpider

        return DiscourseSpider
    if engine == "rss":
        from .spiders.rss import RssSpider

        return RssSpider
    if engine == "profile":
        from .spiders.profile import ProfileSpider

        return ProfileSpider
    raise YuqingError(f"数据源 {source.id}：不支持的采集引擎 {engine!r}（可用：discuz、discourse、rss、profile）")


def crawl_sources(config: Config, store: Store, only: str | None = None) -> list[Source]:
    """The sources ``yuqing crawl [SOURCE]`` works on."""
    sources = [s for s in store.list_sources() if s.kind in CRAWLED_KINDS and s.status != "disabled"]
    if only:
        sources = [s for s in sources if s.id == only]
        if not sources:
            raise YuqingError(f"没有可采集的数据源 {only!r}（需是 forum 或 rss 类型）")
    missing = [s.id for s in sources if not s.url]
    if missing:
        raise YuqingError(f"数据源 {', '.join(missing)} 没有 url，无法采集")
    return sources


def scrapy_settings(config: Config) -> Settings:
    settings = Settings()
    settings.setmodule("yuqing.crawler.settings", priority="project")
    c = config.crawler
    settings.set("USER_AGENT", c.user_agent, priority="cmdline")
    settings.set("ROBOTSTXT_OBEY", c.obey_robots, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", c.concurrency_per_domain, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", c.download_delay, priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(config.resolve("httpcache").absolute()), priority="cmdline")
    return settings


def run_crawl(config: Config, store: Store, only: str | None = None, exports: Path | None = None) -> CrawlReport:
    """Crawl the configured forum/feed sources (all, or ``only``), or with ``exports`` the export
    files in that folder (the exports spider); blocks until done."""
    from scrapy.crawler import CrawlerProcess

    sources = [] if exports is not None else crawl_sources(config, store, only)
    report = CrawlReport(sources=[s.id for s in sources] or ([str(exports)] if exports is not None else []))
    if not report.sources:
        return report
    process = CrawlerProcess(scrapy_settings(config))
    crawlers = []
    if exports is not None:
        from .spiders.exports import ExportsSpider

        crawler = process.create_crawler(ExportsSpider)
        crawlers.append(crawler)
        process.crawl(crawler, store=store, folder=exports, tz=config.tz)
    for s in sources:
        cls = spider_for(s)
        crawler = process.create_crawler(cls)
        crawlers.append(crawler)
        extra = {}
        if cls.name == "profile":
            cls.load(s, config.data_dir)  # a bad profile stops here with a readable error
            extra = {"profile_dir": config.data_dir}
        process.crawl(crawler, source=s, store=store, tz=config.tz, **extra)
    process.start()
    for crawler in crawlers:
        stats = crawler.stats.get_stats()
        report.posts += stats.get("yuqing/posts_inserted", 0)
        report.duplicates += stats.get("yuqing/posts_duplicate", 0)
        report.quarantined += stats.get("yuqing/quarantined", 0)
        report.failures += stats.get("yuqing/failures", 0)
        report.requests += stats.get("downloader/request_count", 0)
        report.thread_pages += stats.get("yuqing/thread_pages_requested", 0)
        report.threads_unchanged += stats.get("yuqing/threads_unchanged", 0)
    return report
