"""The check shared by the fixture folders of every kind: a parsed page (PageResult.to_json())
against its hand-written expected.json."""

from __future__ import annotations


def assert_page_matches(got: dict, expected: dict) -> None:
    for key in ("url", "kind", "follow", "next", "dropped"):
        assert got[key] == expected[key], key
    assert len(got["posts"]) == len(expected["posts"])
    for post, want in zip(got["posts"], expected["posts"]):
        for phrase in want["text_contains"]:
            assert phrase in post["text"]
        for phrase in want["text_lacks"]:
            assert phrase not in post["text"], phrase
        for key in ("url", "title", "posted_at", "author", "external_id"):
            assert post[key] == want[key], key
        assert {k: post["fields_from"].get(k) for k in want["fields_from"]} == want["fields_from"]
        if "extra" in want:
            assert post["extra"] == want["extra"]
