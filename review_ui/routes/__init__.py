"""Thin route modules: take dependencies, call the store/search, render a template."""
