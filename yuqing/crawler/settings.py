"""Scrapy settings for yuqing's spiders: polite by default. The CLI overrides USER_AGENT,
ROBOTSTXT_OBEY, CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY and HTTPCACHE_DIR from the config."""

BOT_NAME = "yuqing"
SPIDER_MODULES = ["yuqing.crawler.spiders"]
NEWSPIDER_MODULE = "yuqing.crawler.spiders"

USER_AGENT = "yuqing/0.1 (+union opinion monitor; contact: admin@localhost)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries with exponential backoff for transient failures (RetryMiddleware + our RetryBackoffMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubling each time
RETRY_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {"yuqing.crawler.middlewares.RetryBackoffMiddleware": 560}

# Members-only forums: cookies from the source's options are sent with every request.
COOKIES_ENABLED = True

# Incremental crawls: RFC 2616 caching revalidates unchanged pages (If-Modified-Since / ETag).
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 403, 404, 429]

FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # empty and duplicate posts are routine, not warnings

ITEM_PIPELINES = {
    "yuqing.crawler.pipelines.CleanTextPipeline": 100,
    "yuqing.crawler.pipelines.TraditionalToSimplifiedPipeline": 150,
    "yuqing.crawler.pipelines.PiiPipeline": 200,
    "yuqing.crawler.pipelines.DedupePipeline": 300,
    "yuqing.crawler.pipelines.ChangesPipeline": 400,
    "yuqing.crawler.pipelines.StorePipeline": 900,
}
