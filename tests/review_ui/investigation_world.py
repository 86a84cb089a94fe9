"""A small world for the investigators' tests: posts that share a phone, an e-wallet, a USDT
address and a bank account (one network), an unrelated post, a hostile one, reviews, and gz
evidence snapshots (one intact, one changed on disk after it was stored, one missing)."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from index.document import PostIn
from index.search.base import SearchBackend
from index.store import Store

T0 = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)
PHONE = "+84912345678"
MOMO = "MOMO:+84987654321"
USDT = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
BANK = "VCB:0123456789"
TELEGRAM = "@tuyendung_cam"
HOSTILE = '<script>document.title="SCRIPT RAN"</script><img src=x onerror="document.title=\'SCRIPT RAN\'">'


def page(title: str) -> bytes:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1></body></html>".encode()


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    text: str
    phrases: tuple[str, ...]
    entities: tuple[tuple[str, str, str], ...]  # (kind, value, raw as written: found in the text)
    source: str
    day: int
    snapshot: str  # "ok" | "changed" | "missing"
    is_lure: bool = True


SPECS = (
    Spec("campuchia", "Tuyển gấp việc nhẹ lương cao tại Campuchia",
         "Bao vé máy bay, lương 1500 USD/tháng, không cần kinh nghiệm.\n"
         "Liên hệ Zalo 0912 345 678, đặt cọc 2 triệu qua Momo 0987.654.321 để giữ chỗ.",
         ("việc nhẹ lương cao", "đặt cọc 2 triệu"),
         (("phone", PHONE, "0912 345 678"), ("zalo", PHONE, "0912 345 678"), ("ewallet", MOMO, "Momo 0987.654.321"),
          ("destination", "KH", "Campuchia")), "facebook-groups", 0, "ok"),
    Spec("task", "Việc làm online tại nhà, hoa hồng 30%",
         "Làm nhiệm vụ trên điện thoại, nạp trước 500k qua Momo 0987.654.321 hoặc USDT ví "
         f"{USDT}, nhắn Telegram {TELEGRAM}.",
         ("nạp trước 500k",),
         (("ewallet", MOMO, "Momo 0987.654.321"), ("usdt_trc20", USDT, USDT), ("telegram", TELEGRAM, TELEGRAM)),
         "telegram-channel", 3, "changed"),
    Spec("xkld", "Xuất khẩu lao động Nhật Bản, bay nhanh",
         "Phí trọn gói, đặt cọc 50 triệu vào tài khoản Vietcombank 0123456789. Gọi 0912 345 678 gặp anh Đức.",
         ("đặt cọc 50 triệu",),
         (("bank", BANK, "Vietcombank 0123456789"), ("phone", PHONE, "0912 345 678")), "chotot", 6, "missing"),
    Spec("hostile", f"Tuyển người mẫu ảnh {HOSTILE}", f"Nhận tiền ngay {HOSTILE} gọi 0912 345 678.",
         ("Nhận tiền ngay",), (("phone", PHONE, "0912 345 678"),), "tiktok", 8, "missing"),
    Spec("legit", "Tuyển nhân viên bán hàng tại Hà Nội", "Lương theo thoả thuận. Gọi 0900 000 000.",
         (), (("phone", "+84900000000", "0900 000 000"),), "vieclam", 2, "missing", is_lure=False),
)


def post_in(spec: Spec) -> PostIn:
    combined = spec.title + "\n" + spec.text
    signals = []
    for phrase in spec.phrases:
        start = combined.index(phrase)
        signals.append({"id": f"sig_{len(signals)}", "label_vi": f"Dấu hiệu: {phrase}", "label_en": f"Signal: {phrase}",
                        "category": "job_abroad", "start": start, "end": start + len(phrase), "phrase": phrase,
                        "weight": 1.5})
    entities = []
    for kind, value, raw in spec.entities:
        start = combined.index(raw)
        entities.append({"kind": kind, "value": value, "start": start, "end": start + len(raw), "raw": raw})
    url = f"https://tin.example.vn/{spec.key}"
    return PostIn(
        source=spec.source, url=url, canonical_url=url, title=spec.title, text=spec.text,
        posted_at=T0 + timedelta(days=spec.day) - timedelta(hours=5), fetched_at=T0 + timedelta(days=spec.day),
        raw_sha256=hashlib.sha256(page(spec.title)).hexdigest(), score=0.93 if spec.is_lure else 0.05,
        is_lure=spec.is_lure, threshold=0.5, model_version="test-model-1", signals=signals, entities=entities,
        categories=["job_abroad"] if spec.is_lure else [], minor_risk=False, priority=3 if spec.is_lure else 0,
    )


def write_snapshot(evidence_dir: Path, body: bytes, sha: str, url: str, rendered: bytes | None = None) -> None:
    """As crawlers.pipelines.evidence lays them out; `rendered`: the DOM of a page rendered in
    Chromium, stored under its own sha256 and named in the metadata."""
    folder = evidence_dir / sha[0:2] / sha[2:4]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sha}.gz").write_bytes(gzip.compress(body))
    meta = {"sha256": sha, "url": url, "fetched_at": T0.isoformat(), "http_status": 200,
            "headers": {"Content-Type": "text/html; charset=utf-8"}}
    if rendered is not None:
        meta["rendered_sha256"] = rendered_sha = hashlib.sha256(rendered).hexdigest()
        other = evidence_dir / rendered_sha[0:2] / rendered_sha[2:4]
        other.mkdir(parents=True, exist_ok=True)
        (other / f"{rendered_sha}.gz").write_bytes(gzip.compress(rendered))
    (folder / f"{sha}.json").write_text(json.dumps(meta), "utf-8")


def populate(store: Store, search: SearchBackend, evidence_dir: Path) -> dict[str, int]:
    """The posts stored, indexed and given their snapshots; alice's decision on the first one.
    Returns post ids by key."""
    posts = [post_in(spec) for spec in SPECS]
    ids = dict(zip((s.key for s in SPECS), store.upsert_posts(posts).post_ids))
    search.index_posts(store.search_docs(list(ids.values())))
    store.mark_indexed(list(ids.values()))
    for spec, p in zip(SPECS, posts):
        if spec.snapshot == "ok":
            write_snapshot(evidence_dir, page(spec.title), p.raw_sha256, p.url, rendered=page(spec.title + " (DOM)"))
        elif spec.snapshot == "changed":  # the file under the post's hash no longer holds that page
            write_snapshot(evidence_dir, page(spec.title + " (sửa)"), p.raw_sha256, p.url)
    store.record_review(ids["campuchia"], "alice", "lure", "Lừa đi Campuchia, đặt cọc qua Momo.")
    return ids
