"""Fixtures for the Slack tests: the fake Web API (every Block Kit payload it receives is validated
at teardown) and our real server in front of it. The harness itself is tests/fakes/slack_harness.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import (
    BOT_TOKEN,
    CHANNEL,
    SIGNING_SECRET,
    USER,
    SlackServer,
    assert_blocks_valid,
    slack_settings,
)

__all__ = ["BOT_TOKEN", "CHANNEL", "SIGNING_SECRET", "USER", "SlackServer", "slack_settings"]


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api
        assert_blocks_valid(api)


@pytest.fixture
def slack_server(db_path: Path, slack_api: FakeSlackApi) -> Iterator[SlackServer]:
    server = SlackServer(slack_settings(db_path, slack_api)).start()
    yield server
    server.stop()
