"""Delivering alerts: a JSON POST signed with a shared secret, and e-mail over SMTP.

The webhook body is signed as HMAC-SHA256(secret, f"{timestamp}.{body}") in hex, sent as
`X-Lurewatch-Signature: sha256=<hex>` with `X-Lurewatch-Timestamp: <unix seconds>`; a receiver
recomputes it (`signature`) and refuses an old timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from email.message import EmailMessage

import httpx

SIGNATURE_HEADER = "X-Lurewatch-Signature"
TIMESTAMP_HEADER = "X-Lurewatch-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                                hashlib.sha256).hexdigest()


def post_webhook(url: str, secret: str | None, payload: dict, timeout: float = 10.0) -> None:
    """Raises on a refused connection or any non-2xx answer (the caller retries with backoff)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: timestamp}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    httpx.post(url, content=body, headers=headers, timeout=timeout).raise_for_status()


def send_email(*, host: str, port: int, sender: str, to: str, subject: str, text: str, user: str | None = None,
               password: str | None = None, starttls: bool = False, timeout: float = 20.0) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(text)
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        if starttls:
            smtp.starttls()
        if user:
            smtp.login(user, password or "")
        smtp.send_message(message)
