"""Scrapy settings of the lurewatch crawlers (loaded by crawlers.run with Settings.setmodule)."""

BOT_NAME = "lurewatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "lurewatch/0.1 (+research crawler for cyber-police review; obeys robots.txt)"
ROBOTSTXT_OBEY = True

# Polite by default; crawlers.run lowers the delays for loopback hosts (demo site, tests).
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

HTTPCACHE_ENABLED = False  # evidence must be what the site served now, not a cached copy
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports opened by a crawl
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "crawlers.pipelines.evidence.EvidencePipeline": 300,
    "crawlers.pipelines.private_fields.StripPrivateFieldsPipeline": 900,
}
