"""Where a crawl may go: the source's allowed domains, and never a private, loopback or
link-local address unless the source allows it. Pure checks plus one DNS look-up helper; the
spider's middleware, its DNS resolver, the start-URL preflight and `sources add` all use them."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

OFFSITE, PRIVATE, BAD_SCHEME = "offsite", "private_address", "bad_scheme"


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The bundled Public Suffix List snapshot: no download at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """'www.topcv.vn' -> 'topcv.vn', 'tuyendung.com.vn' stays; IPs and 'localhost' stay as they are."""
    host = host.lower().strip(".")
    if ip_of(host) is not None or "." not in host:
        return host
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_private_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Private, loopback, link-local (169.254.169.254 too), multicast, reserved or unspecified."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified)


def is_private_name(host: str) -> bool:
    """A host that is private by its spelling alone: an IP literal in a private range, or localhost."""
    host = host.lower().strip(".")
    ip = ip_of(host)
    if ip is not None:
        return is_private_ip(ip)
    return host == "localhost" or host.endswith(".localhost")


def in_domains(host: str, allowed_domains: list[str] | tuple[str, ...]) -> bool:
    host = host.lower().strip(".")
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def url_problem(url: str, allowed_domains: list[str] | tuple[str, ...], allow_private: bool) -> str | None:
    """Why a crawl must not request this URL (before DNS), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return BAD_SCHEME
    if not in_domains(parts.hostname, allowed_domains):
        return OFFSITE
    if not allow_private and is_private_name(parts.hostname):
        return PRIVATE
    return None


def resolved_private(host: str, timeout: float = 5.0) -> bool:
    """Does the name resolve to a private address? (Unresolvable names are not private: the fetch fails.)"""
    if ip_of(host) is not None:
        return is_private_name(host)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    finally:
        socket.setdefaulttimeout(previous)
    return any(is_private_ip(ipaddress.ip_address(info[4][0].split("%")[0])) for info in infos)
