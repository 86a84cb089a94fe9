"""Alert rules fire exactly once per recipient: the webhook is caught by a real HTTP server on
127.0.0.1 that checks the HMAC signature, the e-mail by a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows.alerts import check_and_send
from flows.ingest import ingest_items
from flows.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from flows.settings import get_flow_settings
from flows.watchlist import add_watch
from flows.wiring import build_parts

SECRET = "bí-mật-chung"
LURE = "Tuyển gấp việc nhẹ lương cao tại Campuchia, bao vé máy bay, không cần kinh nghiệm, đặt cọc 2 triệu."
MINOR = "Tuyển mẫu nhí 14 tuổi chụp ảnh quảng cáo, làm ngay, lương theo buổi."
LEGIT = "Công ty TNHH tuyển kế toán 3 năm kinh nghiệm, lương 12 triệu, làm giờ hành chính."


class Hook:
    """A webhook receiver: answers the scripted statuses in turn (then 200), keeps each body
    whose signature is right, counts the ones whose signature is wrong."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.bodies: list[dict] = []
        self.bad_signatures = 0
        self.calls = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.calls += 1
                status = hook.statuses.pop(0) if hook.statuses else 200
                if status == 200:
                    if self.headers.get(SIGNATURE_HEADER) == signature(SECRET, self.headers[TIMESTAMP_HEADER], body):
                        hook.bodies.append(json.loads(body))
                    else:
                        hook.bad_signatures += 1
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def alerts(self) -> list[dict]:
        return [a for body in self.bodies for a in body["alerts"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.close()


@pytest.fixture
def smtp(unused_port):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[tuple[list[str], str]] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=unused_port)
    controller.start()
    yield inbox, unused_port
    controller.stop()


def item(n: int, text: str, fetched: datetime) -> dict:
    return {"source": "board", "url": f"https://ex.vn/tin/{n}", "canonical_url": f"https://ex.vn/tin/{n}",
            "title": f"Tin {n}", "text": text, "fetched_at": fetched.isoformat(), "sha256": f"{n:064x}"}


def parts_for(tmp_path, **alerting):
    settings = get_flow_settings(var_dir=tmp_path / "var", alert_min_score=0.5, alert_network_growth=3,
                                 retry_delays_seconds=[0.2, 0.2, 0.2], **alerting)
    return build_parts(settings)


def seed(parts) -> dict[str, int]:
    """A lure, a minor-risk ad, three posts sharing one Zalo (a growing network), a legit ad with
    a watch-listed phone, and a source whose last run failed."""
    now = datetime.now(timezone.utc)
    add_watch(parts.store, "phone", "0987 654 321", note="đã báo cáo")
    items = [item(1, LURE, now), item(2, MINOR, now), item(6, f"{LEGIT} Gọi 0987654321.", now)]
    items += [item(n, f"Việc làm thêm tại nhà số {n}, nhắn Zalo 0911222333 để nhận việc.", now) for n in (3, 4, 5)]
    ingest_items(items, parts.assessor, parts.store, parts.search)
    parts.store.upsert_source("dead-board", "classifieds", "https://dead.example.vn/")
    run = parts.store.start_run("dead-board")
    parts.store.finish_run(run, status="failed", pages_fetched=0, posts_new=0, posts_changed=0, posts_unchanged=0,
                           flagged=0, errors=["cannot reach https://dead.example.vn/"], stats={})
    ids = {p.canonical_url.rsplit("/", 1)[1]: p.id for p in parts.store.posts_since(now - timedelta(hours=1))}
    return ids


def test_every_rule_fires_once_by_webhook_with_a_valid_signature(prefect_harness, tmp_path, hook):
    parts = parts_for(tmp_path, alert_webhook_url=hook.url, alert_webhook_secret=SECRET)
    ids = seed(parts)
    first = check_and_send(parts)
    again = check_and_send(parts)
    rules = sorted(a["rule"] for a in hook.alerts())
    assert hook.bad_signatures == 0
    assert {"score", "minor_risk", "watchlist", "network", "source_broken"} <= set(rules)
    keys = [a["key"] for a in hook.alerts()]
    assert len(keys) == len(set(keys)) == first.sent  # one message per alert, none twice
    assert again.sent == 0 and again.found == first.found
    watch = next(a for a in hook.alerts() if a["rule"] == "watchlist")
    assert watch["post_id"] == ids["6"] and watch["link"].endswith(f"/posts/{ids['6']}")
    minor = next(a for a in hook.alerts() if a["rule"] == "minor_risk")
    assert minor["post_id"] == ids["2"]
    network = next(a for a in hook.alerts() if a["rule"] == "network")
    assert network["data"]["new_posts"] == 3
    told = parts.store.list_alerts(limit=100)
    assert len(told) == first.sent and all(a.status == "sent" and a.recipient == hook.url for a in told)


def test_email_digest_is_one_message_and_recorded_per_alert(prefect_harness, tmp_path, smtp):
    inbox, port = smtp
    parts = parts_for(tmp_path, alert_smtp_host="127.0.0.1", alert_smtp_port=port,
                      alert_email_to=["truc-ban@example.vn"], alert_digest=True)
    seed(parts)
    first = check_and_send(parts)
    check_and_send(parts)
    assert len(inbox.messages) == 1
    recipients, content = inbox.messages[0]
    message = email.message_from_string(content, policy=email.policy.default)
    assert recipients == ["truc-ban@example.vn"]
    assert message["Subject"] == f"[lurewatch] {first.sent} cảnh báo mới / new alerts"
    body = message.get_content()
    assert body.count("/posts/") >= 4 and "dead-board" in body
    told = parts.store.list_alerts(limit=100)
    assert len(told) == first.sent > 4
    assert len({a.digest_id for a in told}) == 1 and told[0].digest_id


def test_a_webhook_failing_twice_is_retried_and_told_once(prefect_harness, tmp_path):
    flaky = Hook(statuses=[500, 503])
    try:
        parts = parts_for(tmp_path, alert_webhook_url=flaky.url, alert_webhook_secret=SECRET, alert_digest=True)
        seed(parts)
        outcome = check_and_send(parts)
    finally:
        flaky.close()
    assert flaky.calls == 3 and len(flaky.bodies) == 1
    assert outcome.sent > 0 and outcome.failed == 0
    assert {a.attempts for a in parts.store.list_alerts(limit=100)} == {3}


def test_an_unreachable_webhook_is_recorded_failed_and_retried_at_the_next_check(prefect_harness, tmp_path, unused_port):
    parts = parts_for(tmp_path, alert_webhook_url=f"http://127.0.0.1:{unused_port}/hook", alert_webhook_secret=SECRET,
                      alert_digest=True)
    seed(parts)
    outcome = check_and_send(parts)
    assert outcome.sent == 0 and outcome.failed > 0 and outcome.errors
    assert {a.status for a in parts.store.list_alerts(limit=100)} == {"failed"}
    h = Hook()
    try:
        parts.settings.alert_webhook_url = h.url  # the receiver is back (same recipient name matters not)
        later = check_and_send(parts)
    finally:
        h.close()
    assert later.sent == outcome.failed
