"""Build Slack request-signing headers exactly as Slack does (v0 HMAC-SHA256 over `v0:ts:body`)."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier


def signed_headers(secret: str, body: str | bytes, timestamp: int | str | None = None) -> dict[str, str]:
    """Headers Slack would send with `body`: X-Slack-Request-Timestamp and X-Slack-Signature.

    `timestamp` defaults to now; pass an old one to build a stale (replayed) request.
    """
    ts = str(int(time.time()) if timestamp is None else timestamp)
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=text)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
