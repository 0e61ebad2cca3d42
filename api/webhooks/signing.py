"""HMAC-SHA256 signatures over "v1:<timestamp>:<body>", as Slack signs its requests.

Receivers recompute the signature with the subscription's secret, compare in constant time,
and refuse a timestamp more than five minutes from their clock (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import time

VERSION = "v1"
SIGNATURE_HEADER = "X-Partnerbase-Signature"
TIMESTAMP_HEADER = "X-Partnerbase-Request-Timestamp"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    base = f"{VERSION}:{timestamp}:".encode() + body
    return f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """The reference check a receiver runs; True only for a fresh, untampered request."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature or "")
