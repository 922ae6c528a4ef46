"""Run the spiders of the configured forum and feed sources in this process (``CrawlerProcess``).

The Twisted reactor starts once per process, so :func:`run_crawl` can be called once per
process — fine for the ``yuqing crawl`` command (``yuqing run`` and the demo start it as a
child process).

Offline and quiet: the only connections are to the configured sources (Scrapy's cookie
middleware is given tldextract's bundled public-suffix snapshot instead of fetching the list
from the internet), Scrapy's own log is off unless ``debug`` (every failure is recorded in the
store and counted in the report), and the report has one line per source plus, for a source
that failed as a whole, one line naming it (``CrawlReport.fatal``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.settings import Settings

from ..config import Config
from ..errors import YuqingError
from ..schema import Source, SourceKind, SourceStatus

if TYPE_CHECKING:
    from ..storage.protocols import ImportStore

CRAWLED_KINDS = (SourceKind.FORUM, SourceKind.RSS)


#: Crawler stats counted per source (``yuqing/<key>``) → report field.
_COUNTS = {"posts_inserted": "posts", "posts_duplicate": "duplicates", "posts_unchanged": "unchanged",
           "posts_edited": "edited", "posts_deleted": "deleted", "posts_hidden": "hidden",
           "posts_restored": "restored", "quarantined": "quarantined", "failures": "failures",
           "thread_pages_requested": "thread_pages", "threads_unchanged": "threads_unchanged"}


@dataclass
class SourceResult:
    """What one source's crawl did (``fatal``: the one line saying why the source failed as a whole)."""

    id: str
    posts: int = 0
    unchanged: int = 0  # read again, already stored with the same text
    edited: int = 0
    deleted: int = 0
    hidden: int = 0
    restored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    failures: int = 0
    requests: int = 0
    thread_pages: int = 0
    threads_unchanged: int = 0
    fatal: str = ""
    label: str = "数据源"  # 投放目录 for `crawl --exports`

    def line(self) -> str:
        changes = "".join(f"，{what} {n} 条" for what, n in (("编辑", self.edited), ("删除", self.deleted),
                                                             ("屏蔽", self.hidden), ("恢复", self.restored)) if n)
        return (f"{self.label} {self.id}：新增 {self.posts} 条{changes}，未变 {self.unchanged} 条，重复 {self.duplicates} 条，"
                f"隔离 {self.quarantined} 条，失败 {self.failures} 次（请求 {self.requests} 次，"
                f"帖子页 {self.thread_pages} 个，未变化的主题 {self.threads_unchanged} 个）")


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
    unchanged: int = 0
    edited: int = 0
    deleted: int = 0
    hidden: int = 0
    restored: int = 0
    per_source: list[SourceResult] = field(default_factory=list)

    @property
    def fatal(self) -> list[str]:
        """One line per source that failed as a whole (unreachable, login failed, login wall)."""
        return [r.fatal for r in self.per_source if r.fatal]

    def add(self, r: SourceResult) -> None:
        self.per_source.append(r)
        for name in ("posts", "duplicates", "quarantined", "failures", "requests", "thread_pages", "threads_unchanged",
                     "unchanged", "edited", "deleted", "hidden", "restored"):
            setattr(self, name, getattr(self, name) + getattr(r, name))

    def summary(self) -> str:
        changes = "".join(f"，{what} {n} 条" for what, n in (("编辑", self.edited), ("删除", self.deleted),
                                                             ("屏蔽", self.hidden), ("恢复", self.restored)) if n)
        return (f"采集 {len(self.sources)} 个数据源：新增 {self.posts} 条{changes}，未变 {self.unchanged} 条，"
                f"重复 {self.duplicates} 条，隔离 {self.quarantined} 条，失败 {self.failures} 次（请求 {self.requests} 次，"
                f"帖子页 {self.thread_pages} 个，未变化的主题 {self.threads_unchanged} 个）")

    def lines(self) -> list[str]:
        """What ``yuqing crawl`` prints: one line per source, then the total when there are several."""
        if len(self.per_source) <= 1:
            return [r.line() for r in self.per_source] or [self.summary()]
        return [*(r.line() for r in self.per_source), self.summary()]


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


def crawl_sources(config: Config, store: ImportStore, only: str | None = None) -> list[Source]:
    """The sources ``yuqing crawl [SOURCE]`` works on."""
    sources = [s for s in store.list_sources() if s.kind in CRAWLED_KINDS and s.status != SourceStatus.DISABLED]
    if only:
        sources = [s for s in sources if s.id == only]
        if not sources:
            raise YuqingError(f"没有可采集的数据源 {only!r}（需是 forum 或 rss 类型）")
    missing = [s.id for s in sources if not s.url]
    if missing:
        raise YuqingError(f"数据源 {', '.join(missing)} 没有 url，无法采集")
    return sources


def scrapy_settings(config: Config, debug: bool = False) -> Settings:
    settings = Settings()
    settings.setmodule("yuqing.crawler.settings", priority="project")
    c = config.crawler
    settings.set("USER_AGENT", c.user_agent, priority="cmdline")
    settings.set("ROBOTSTXT_OBEY", c.obey_robots, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", c.concurrency_per_domain, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", c.download_delay, priority="cmdline")
    settings.set("RETRY_TIMES", c.retry_times, priority="cmdline")
    settings.set("RETRY_BACKOFF_BASE", c.retry_backoff, priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(config.resolve("httpcache").absolute()), priority="cmdline")
    # quiet: failures are recorded in the store and reported per source; Scrapy's log (tracebacks
    # of unreachable hosts included) only with --debug
    settings.set("LOG_ENABLED", debug, priority="cmdline")
    settings.set("LOG_LEVEL", "DEBUG" if debug else "CRITICAL", priority="cmdline")
    return settings


def use_bundled_public_suffix_list() -> None:
    """Scrapy's cookie middleware splits cookie domains with a module-level ``TLDExtract()``,
    which downloads the public suffix list from the internet on first use. Give it one that
    reads the snapshot bundled with tldextract (no network, no cache directory)."""
    import scrapy.downloadermiddlewares.cookies as cookies
    from tldextract import TLDExtract

    current = getattr(cookies, "_split_domain", None)
    if current is not None and getattr(current, "suffix_list_urls", None):
        cookies._split_domain = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def check_sources(sources: list[Source], config: Config) -> None:
    """Stop before crawling on a source whose options cannot work (a bad profile, a login without
    its password in the environment …), with a readable error naming it."""
    for s in sources:
        cls = spider_for(s)
        if cls.name == "profile":
            cls.load(s, config.data_dir)
        if cls.name in ("discuz", "profile"):
            from .spiders.discuz import login_password

            login_password(s)


def run_crawl(config: Config, store: ImportStore, only: str | None = None, exports: Path | None = None,
              debug: bool = False) -> CrawlReport:
    """Crawl the configured forum/feed sources (all, or ``only``), or with ``exports`` the export
    files in that folder (the exports spider); blocks until done."""
    from scrapy.crawler import CrawlerProcess

    sources = [] if exports is not None else crawl_sources(config, store, only)
    report = CrawlReport(sources=[s.id for s in sources] or ([str(exports)] if exports is not None else []))
    if not report.sources:
        return report
    check_sources(sources, config)
    use_bundled_public_suffix_list()
    from .spiders.base import SourceSpider

    process = CrawlerProcess(scrapy_settings(config, debug))
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
        extra = {"profile_dir": config.data_dir} if cls.name == "profile" else {}
        process.crawl(crawler, source=s, store=store, tz=config.tz, **extra)
    process.start()
    for crawler, name in zip(crawlers, report.sources):
        stats = crawler.stats.get_stats()
        r = SourceResult(id=name, requests=stats.get("downloader/request_count", 0),
                         label="投放目录" if exports is not None else "数据源")
        for key, attr in _COUNTS.items():
            setattr(r, attr, stats.get(f"yuqing/{key}", 0))
        spider = crawler.spider
        r.fatal = getattr(spider, "fatal", None) or ""
        if not r.fatal and stats.get("finish_reason") not in (None, "finished") \
                and isinstance(spider, SourceSpider):
            r.fatal = f"数据源 {name}：采集中断（{stats.get('finish_reason')}）"
        report.add(r)
    return report
