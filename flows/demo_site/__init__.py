"""A small Vietnamese job board with synthetic ads (some of them lures), served on loopback."""

from flows.demo_site.ads import ADS, HIDDEN_AD, Ad
from flows.demo_site.server import DemoSite, serve

__all__ = ["ADS", "HIDDEN_AD", "Ad", "DemoSite", "serve"]
