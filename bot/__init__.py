"""Broker bot: a Slack and Microsoft Teams assistant for children's services sector-led improvement."""

__version__ = "0.1.0"
