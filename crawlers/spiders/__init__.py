"""Spiders: small classes that fetch and hand pages to the pure parsers."""
