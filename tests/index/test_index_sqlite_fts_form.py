"""sqlite search: the text given to FTS5 (fts_form) tokenises exactly like fold(text).

fts_form skips Python's char-by-char fold when FTS5's own folding gives the same tokens; these
tests ask SQLite's real tokenizer (fts5vocab over an in-memory FTS5 table) for every character
the fast path trusts, so an SQLite whose unicode61 behaves otherwise fails here.
"""

from __future__ import annotations

import sqlite3

import pytest
from classifier.text import fold

from index.search.sqlite_fts import VIETNAMESE_LETTERS, fts_form

TRUSTED = [chr(c) for c in range(0x80)] + list(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()) + ["đ", "Đ"]


def fts_tokens(texts: list[str]) -> list[list[str]]:
    """The tokens FTS5 (unicode61 remove_diacritics 2) stores for each text, in order."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(texts, 1)))
    out: list[list[str]] = [[] for _ in texts]
    for term, doc, offset in db.execute("SELECT term, doc, offset FROM v ORDER BY doc, offset"):
        out[doc - 1].append(term)
    return out


def test_every_trusted_character_tokenises_like_fold():
    samples = [f"a{ch}b {ch} {ch}{ch}x" for ch in TRUSTED]
    fast = fts_tokens([fts_form(s) for s in samples])
    folded = fts_tokens([fold(s) for s in samples])
    mismatches = [(ch, f, g) for ch, f, g in zip(TRUSTED, fast, folded) if f != g]
    assert mismatches == []
    assert len(TRUSTED) == 128 + 2 * 66 + 2  # ASCII, 66 toned or marked vowels in both cases, đ Đ
    assert all(fts_form(ch) == ch.replace("đ", "d").replace("Đ", "D") for ch in TRUSTED)


def test_vietnamese_text_keeps_its_tokens():
    text = "Việc nhẹ LƯƠNG CAO ở Campuchia, Đặt cọc 50 triệu, liên hệ anh Đức (0912.345.678)!"
    assert fts_form(text) != fold(text)  # the fast path was taken: FTS5 folds the tones itself
    assert fts_tokens([fts_form(text)]) == fts_tokens([fold(text)])
    assert "duc" in fts_tokens([fts_form(text)])[0] and "dat" in fts_tokens([fts_form(text)])[0]


@pytest.mark.parametrize("text", ["Ǆồng", "e\u0301p", "Straße", "İstanbul", "ﬁle", "Ꝺ", "日本 語", "ΑΘΗΝΑ"])
def test_other_characters_go_through_fold(text):
    assert fts_form(text) == fold(text)
