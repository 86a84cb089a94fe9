"""Downloader middlewares, one job per module; order is set in crawlers.settings."""
