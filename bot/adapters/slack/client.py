"""Slack Web API clients with retries for rate limits, server errors and dropped connections.

Slack answers 429 with a `Retry-After` header when a method's rate limit is hit; the rate-limit
handler sleeps that long and retries. 5xx answers and connection resets are retried with
exponential back-off. Everything else (e.g. `{"ok": false}`) raises to the caller, which logs
it with context.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from bot.config import Settings

TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 3
TRANSIENT_RETRIES = 2
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})


class TransientServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack_sdk's server-error handler retries 500 and 503; gateways also answer 502 and 504."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in TRANSIENT_STATUSES


def retry_handlers() -> list[RetryHandler]:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        TransientServerErrorRetryHandler(max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff),
        ConnectionErrorRetryHandler(max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff),
    ]


def api_base_url(settings: Settings) -> str:
    url = settings.slack_api_url or "https://slack.com/api/"
    return url if url.endswith("/") else url + "/"


def make_web_client(settings: Settings) -> WebClient:
    """The bot's Web API client: token and base URL from settings, with the retry handlers above."""
    return WebClient(
        token=settings.slack_bot_token or None,
        base_url=api_base_url(settings),
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )


def make_webhook_client(url: str) -> WebhookClient:
    """A client for one `response_url`, with the same retries as the Web API client."""
    return WebhookClient(url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())
