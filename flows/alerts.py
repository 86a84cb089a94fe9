"""Alert rules and their delivery. Each alert has a key (what it is about); a key reaches each
recipient once, and every attempt is recorded in the store: who was told what, and when.

Rules (what `check_and_send` looks for since its last check):
- score: a post at or over `alert_min_score`;
- minor_risk: a post with minor-risk cues (priority to children);
- watchlist: a post carrying a watch-listed phone / Zalo / Telegram / bank / e-wallet;
- network: a shared contact or a near-duplicate cluster gaining `alert_network_growth` posts in a day;
- source_broken / source_late: flows.health.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from prefect import task
from prefect.cache_policies import NONE as NO_CACHE

from index.rows import PostRow

from flows.health import source_health
from flows.notify import post_webhook, send_email
from flows.wiring import Parts

log = logging.getLogger(__name__)

CURSOR = "alerts.cursor"
# Posts stored by a transaction that began before the last check may commit after it: look back.
OVERLAP = timedelta(minutes=5)
FIRST_LOOKBACK = timedelta(days=1)  # the very first check does not replay the whole history


@dataclass(frozen=True)
class AlertIn:
    key: str
    rule: str
    subject: str  # one line, Vietnamese / English
    text: str
    link: str | None = None
    post_id: int | None = None
    source: str | None = None
    data: dict = field(default_factory=dict)


@dataclass
class Outcome:
    found: int = 0
    sent: int = 0
    failed: int = 0
    crashed_runs: int = 0
    errors: list[str] = field(default_factory=list)


def post_link(ui_url: str, post_id: int) -> str:
    return f"{ui_url}/posts/{post_id}"


def _post_alert(rule: str, key: str, post: PostRow, ui_url: str, head_vi: str, head_en: str,
                data: dict | None = None) -> AlertIn:
    title = " ".join(post.title.split())[:100] or post.url
    link = post_link(ui_url, post.id)
    return AlertIn(
        key=key, rule=rule, post_id=post.id, source=post.source, link=link,
        subject=f"[lurewatch] {head_vi} / {head_en}: {title}",
        text=f"{head_vi} / {head_en}\n{title}\nđiểm / score {post.score:.2f} · nguồn / source {post.source}\n"
             f"{post.url}\n{link}",
        data={"score": round(post.score, 4), "minor_risk": post.minor_risk, "url": post.url, **(data or {})},
    )


def rule_alerts(parts: Parts, since: datetime, now: datetime) -> list[AlertIn]:
    settings, store, ui = parts.settings, parts.store, parts.settings.ui_url
    out: list[AlertIn] = []
    for post in store.posts_since(since, min_score=settings.alert_min_score):
        out.append(_post_alert("score", f"score:post:{post.id}", post, ui,
                               f"Điểm nghi lừa đảo {post.score:.2f}", f"lure score {post.score:.2f}"))
    for post in store.posts_since(since, minor_risk=True):
        out.append(_post_alert("minor_risk", f"minor_risk:post:{post.id}", post, ui,
                               "Nguy cơ nhắm vào trẻ vị thành niên", "minor risk"))
    hits = store.watch_hits(since)
    posts = {p.id: p for p in store.posts_by_ids([post_id for _, post_id in hits])} if hits else {}
    for entry, post_id in hits:
        if post_id in posts:
            what = f"{entry.kind} {entry.value}"
            out.append(_post_alert("watchlist", f"watchlist:{entry.kind}:{entry.value}:post:{post_id}", posts[post_id],
                                   ui, f"Gặp lại {what} trong danh sách theo dõi", f"watch-listed {what} seen again",
                                   {"kind": entry.kind, "value": entry.value, "note": entry.note}))
    day = now.astimezone(ZoneInfo(settings.schedule_timezone)).date().isoformat()
    grown = store.contact_growth(now - timedelta(days=1), settings.alert_network_growth)
    grown += store.cluster_growth(now - timedelta(days=1), settings.alert_network_growth)
    for g in grown:
        what = "near-duplicate cluster" if g.kind == "near_dup" else f"{g.kind} {g.value}"
        link = post_link(ui, g.post_ids[0])
        out.append(AlertIn(
            key=f"network:{g.kind}:{g.value}:{day}", rule="network", post_id=g.post_ids[0], link=link,
            subject=f"[lurewatch] Mạng lưới tăng {g.new_posts} bài trong ngày / network grew by {g.new_posts} posts: {what}",
            text=f"{what}: {g.new_posts} bài mới trong 24 giờ / new posts in 24 h\n{link}",
            data={"kind": g.kind, "value": g.value, "new_posts": g.new_posts, "post_ids": g.post_ids[:50]},
        ))
    for source in store.list_sources():
        runs = store.list_runs(limit=5, source=source.name)
        health = source_health(source, runs, now, timezone=settings.schedule_timezone,
                               late_after_periods=settings.late_after_periods)
        if health.broken:
            out.append(AlertIn(
                key=f"source_broken:{source.name}:run:{health.broken_run}", rule="source_broken", source=source.name,
                subject=f"[lurewatch] Nguồn bị lỗi / source broken: {source.name}", text=health.broken,
                data={"reason": health.broken, "run_id": health.broken_run},
            ))
        if health.late:
            last = runs[0].id if runs else 0
            out.append(AlertIn(
                key=f"source_late:{source.name}:after_run:{last}", rule="source_late", source=source.name,
                subject=f"[lurewatch] Nguồn chạy trễ / source late: {source.name}", text=health.late,
                data={"reason": health.late},
            ))
    return out


@task(cache_policy=NO_CACHE)
def deliver_webhook(url: str, secret: str | None, payload: dict) -> int:
    """Returns the attempt that succeeded (1 = first)."""
    from prefect.runtime import task_run

    post_webhook(url, secret, payload)
    return int(task_run.get_run_count() or 1)


@task(cache_policy=NO_CACHE)
def deliver_email(parts: Parts, to: str, subject: str, text: str) -> int:
    from prefect.runtime import task_run

    s = parts.settings
    send_email(host=s.alert_smtp_host or "", port=s.alert_smtp_port, sender=s.alert_email_from, to=to,
               subject=subject, text=text, user=s.alert_smtp_user, password=s.alert_smtp_password,
               starttls=s.alert_smtp_starttls)
    return int(task_run.get_run_count() or 1)


def _channels(parts: Parts) -> list[tuple[str, str]]:
    s = parts.settings
    out = [("webhook", s.alert_webhook_url)] if s.alert_webhook_url else []
    if s.alert_smtp_host:
        out += [("email", to) for to in s.alert_email_to]
    return out


def _messages(alerts: list[AlertIn], digest: bool) -> list[tuple[list[AlertIn], str, str]]:
    """(alerts, subject, text) per message: one per alert, or one for all."""
    if not digest:
        return [([a], a.subject, a.text) for a in alerts]
    subject = f"[lurewatch] {len(alerts)} cảnh báo mới / new alerts"
    return [(alerts, subject, "\n\n".join(f"{a.subject}\n{a.text}" for a in alerts))]


def _send(parts: Parts, channel: str, recipient: str, batch: list[AlertIn], subject: str, text: str) -> int:
    delays = parts.settings.retry_delays_seconds
    options = {"retries": len(delays), "retry_delay_seconds": delays}
    if channel == "webhook":
        payload = {"digest": len(batch) > 1, "alerts": [asdict(a) for a in batch],
                   "sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        return deliver_webhook.with_options(**options)(recipient, parts.settings.alert_webhook_secret, payload)
    return deliver_email.with_options(**options)(parts, recipient, subject, text)


CLAIM_EXPIRES = timedelta(minutes=10)  # a claim whose process died is taken again after this


def deliver(parts: Parts, alerts: list[AlertIn], outcome: Outcome) -> None:
    store = parts.store
    stale_before = datetime.now(timezone.utc) - CLAIM_EXPIRES
    for channel, recipient in _channels(parts):
        told = store.sent_keys([a.key for a in alerts], channel, recipient)
        mine = [a for a in alerts if a.key not in told and store.claim_alert(
            key=a.key, rule=a.rule, channel=channel, recipient=recipient, subject=a.subject, payload=asdict(a),
            post_id=a.post_id, source=a.source, stale_before=stale_before)]
        for batch, subject, text in _messages(mine, parts.settings.alert_digest) if mine else []:
            digest_id = uuid.uuid4().hex if len(batch) > 1 else None
            try:
                attempts, status, error = _send(parts, channel, recipient, batch, subject, text), "sent", ""
            except Exception as exc:
                attempts, status, error = len(parts.settings.retry_delays_seconds) + 1, "failed", f"{type(exc).__name__}: {exc}"
                outcome.errors.append(f"{channel} {recipient}: {error}")
            for a in batch:
                store.finish_alert(key=a.key, channel=channel, recipient=recipient, status=status, attempts=attempts,
                                   error=error, digest_id=digest_id)
            if status == "sent":
                outcome.sent += len(batch)
            else:
                outcome.failed += len(batch)


def check_and_send(parts: Parts, now: datetime | None = None) -> Outcome:
    """Mark runs whose heartbeat stopped as crashed, find what to tell since the last check, tell it."""
    now = now or datetime.now(timezone.utc)
    store, settings = parts.store, parts.settings
    outcome = Outcome()
    outcome.crashed_runs = len(store.mark_crashed(now - timedelta(seconds=settings.run_stale_seconds)))
    cursor = store.get_state(CURSOR)
    since = datetime.fromisoformat(cursor["checked_at"]) - OVERLAP if cursor else now - FIRST_LOOKBACK
    alerts = rule_alerts(parts, since, now)
    outcome.found = len(alerts)
    deliver(parts, alerts, outcome)
    store.set_state(CURSOR, {"checked_at": now.isoformat()})
    return outcome
