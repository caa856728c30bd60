"""Fault-suite fixtures: the real server behind Slack's and Teams' fakes (reused from their suites)."""

from __future__ import annotations

from tests.fakes.bot_connector import bot_connector  # noqa: F401
from tests.slack.conftest import slack_api, slack_server  # noqa: F401
from tests.teams.conftest import teams_settings, teams_url  # noqa: F401
