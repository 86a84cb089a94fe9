"""Scrapy settings of the lurewatch crawlers (loaded by crawlers.run with Settings.setmodule).

Politeness (concurrency, delay, AutoThrottle, user agent) comes from each source's definition;
crawlers.run sets it, with the allowed domains, on top of these defaults."""

from scrapy.settings import default_settings as _scrapy_defaults  # lower case: not a setting

BOT_NAME = "lurewatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "lurewatch/0.1 (+research crawler for cyber-police review; obeys robots.txt)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Sizes: a body (also once inflated: a gzip bomb) over the maximum is dropped and counted.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# 429/503 wait for Retry-After (crawlers.middlewares.retry_after), not for RetryMiddleware.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
RETRY_TIMES = 2

# Meta refreshes are read by the page parser and followed only inside the allowed domains.
METAREFRESH_ENABLED = False
REDIRECT_MAX_TIMES = 5
TWISTED_DNS_RESOLVER = "crawlers.resolver.GuardedResolver"

DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.siteguard.SiteGuardMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # SiteGuard does it, counted
    "crawlers.middlewares.conditional.ConditionalGetMiddleware": 560,
    "crawlers.middlewares.retry_after.RetryAfterMiddleware": 570,
}

HTTPCACHE_ENABLED = False  # evidence must be what the site served now, not a cached copy
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports opened by a crawl
LOG_LEVEL = "INFO"

# One WARC file per crawl (crawlers.warc), when crawlers.run sets LUREWATCH_WARC_PATH.
EXTENSIONS = {"crawlers.evidence_writer.WarcRecorder": 500}
# Scrapy imports every extension it lists, even one set to None, before asking whether it is
# enabled: the remote control alone brings in aiohttp (0.12 s of every crawl's start), the telnet
# console twisted.conch. Those we never run are left out of the base list.
_never_run = ("telnet.TelnetConsole", "remote_control.RemoteControl", "memdebug.MemoryDebugger",
              "spiderstate.SpiderState")
EXTENSIONS_BASE = {k: v for k, v in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if k.removeprefix("scrapy.extensions.") not in _never_run}
# Sources are http(s): no file://, data:, s3:// or ftp:// fetch, and no import of their handlers.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}

ITEM_PIPELINES = {
    "crawlers.pipelines.evidence.EvidencePipeline": 300,
    "crawlers.pipelines.private_fields.StripPrivateFieldsPipeline": 900,
}

# Items are processed one response at a time; Scrapy starts CONCURRENT_ITEMS tasks for every
# response's output, so its default 100 costs more than the parsing of a page.
CONCURRENT_ITEMS = 8
# The generator check reads each callback's source again on every response (its cache holds
# bound methods weakly); our callbacks are covered by tests instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
