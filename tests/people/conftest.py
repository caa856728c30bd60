"""Fixtures the people tests borrow: the fake Slack Web API, the fake Bot Connector and Teams settings."""

from tests.fakes.bot_connector import bot_connector  # noqa: F401
from tests.slack.conftest import slack_api  # noqa: F401
from tests.teams.conftest import teams_settings  # noqa: F401
