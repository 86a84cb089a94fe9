"""The demo job board itself: its ads and the server the crawler tests run against."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from flows.demo_site import ADS, HIDDEN_AD, serve


def _get(url: str) -> tuple[str, bytes]:
    """(content type, body); closes the connection so no socket outlives the test."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


def test_ads_are_many_varied_and_about_one_third_lures() -> None:
    assert len(ADS) >= 44
    assert len({ad.id for ad in ADS}) == len(ADS) and HIDDEN_AD.id not in {ad.id for ad in ADS}
    assert len({ad.slug for ad in ADS}) == len(ADS)
    lures = sum(ad.is_lure for ad in ADS)
    assert 0.25 <= lures / len(ADS) <= 0.40
    for ad in ADS:
        assert len([line for line in ad.text.split("\n") if line.strip()]) >= 3, ad.id
        assert ad.posted_at.utcoffset() is not None


def test_some_lures_are_written_without_accents() -> None:
    assert any(ad.is_lure and re.fullmatch(r"[\x00-\x7f]+", ad.text) for ad in ADS)


def test_pages_robots_and_pdf_are_served() -> None:
    with serve() as site:
        assert site.url.startswith("http://127.0.0.1:")
        robots = _get(site.url + "/robots.txt")[1].decode()
        assert "Disallow: /tin-an/" in robots and "Disallow: /admin/" in robots
        pdf_type, pdf = _get(site.url + "/files/bang-gia.pdf")
        assert pdf_type == "application/pdf" and pdf.startswith(b"%PDF")
        hidden = _get(f"{site.url}/tin-an/{HIDDEN_AD.id}.html")[1].decode()
        assert HIDDEN_AD.title in hidden  # exists: only robots.txt keeps a crawler away
        page = _get(site.url + "/viec-lam?page=1")[1].decode()
        assert '<html lang="vi">' in page and 'rel="next"' in page
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(site.url + "/viec-lam?page=99")
        missing.value.close()
        assert missing.value.code == 404


def test_edit_ad_changes_the_served_page() -> None:
    ad = ADS[0]
    with serve() as site:
        site.edit_ad(ad.id, "Đã tuyển đủ <người>, cảm ơn các bạn.")
        html = _get(site.ad_url(ad.id))[1].decode()
        assert "Đã tuyển đủ &lt;người&gt;, cảm ơn các bạn." in html
        assert ad.text.split("\n")[0] not in html
    assert ADS[0] is ad  # the module's ADS are never mutated
