"""Scrapy project of lurewatch: spiders, pure page parsers, item pipelines, evidence capture.

Imports nothing else of lurewatch; parsers (crawlers.parsers) never import Scrapy.
"""
