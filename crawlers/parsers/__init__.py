"""Pure page parsers: (url, html) in, typed values out. No Scrapy, no I/O."""
