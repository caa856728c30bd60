"""Answers to `response_url`s over pooled, kept-alive HTTP connections.

slack_sdk's WebhookClient opens a new connection for every post (urllib: a DNS lookup, a TCP and a
TLS handshake each time), and every answer to a slash command goes to the same host
(hooks.slack.com). Here all of them share one `httpx.Client` (thread-safe, keep-alive), so a
worker posting an answer usually finds a connection open. Only the HTTP exchange is swapped:
slack_sdk's request building, retry loop and retry handlers (client.py) are unchanged, because
this exchange fails the way urllib's does (HTTPError for a non-2xx answer, URLError when the
connection fails).
"""

from __future__ import annotations

import functools
import io
from http.client import HTTPMessage
from urllib.error import HTTPError, URLError
from urllib.request import Request

import httpx
from slack_sdk.errors import SlackRequestError
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.adapters.slack.client import TIMEOUT_SECONDS, retry_handlers

POOLED_CONNECTIONS = 16  # enough for every worker thread to post at once


@functools.cache
def connection_pool() -> httpx.Client:
    """The process's one pool: building an httpx client (its TLS context above all) costs several
    milliseconds of CPU, so every Delivery, whichever workspace it answers, shares this one."""
    limits = httpx.Limits(max_connections=POOLED_CONNECTIONS, max_keepalive_connections=POOLED_CONNECTIONS)
    return httpx.Client(limits=limits, timeout=TIMEOUT_SECONDS, follow_redirects=False)


class PooledWebhookClient(WebhookClient):
    """A WebhookClient for one `response_url` whose posts go through a shared connection pool."""

    def __init__(self, url: str, pool: httpx.Client) -> None:
        super().__init__(url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())
        self.pool = pool

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if not url.lower().startswith("http"):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        try:
            response = self.pool.post(url, content=req.data if isinstance(req.data, bytes) else None,
                                      headers=dict(req.header_items()), timeout=self.timeout)
        except httpx.TransportError as exc:  # refused, reset, timed out: retried like urllib's
            raise URLError(exc) from exc
        if not 200 <= response.status_code < 300:
            headers = HTTPMessage()
            for name, value in response.headers.multi_items():
                headers[name] = value
            raise HTTPError(url, response.status_code, response.reason_phrase, headers, io.BytesIO(response.content))
        return WebhookResponse(url=url, status_code=response.status_code, body=response.text,
                               headers=dict(response.headers))
