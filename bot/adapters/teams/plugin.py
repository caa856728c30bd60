"""Registers Teams' POST /api/messages on the shared server (imported from bot/server_plugins.py)."""

from __future__ import annotations

from bot.adapters.teams.hosting import teams_routes
from bot.server import EXTRA_ROUTE_FACTORIES

if teams_routes not in EXTRA_ROUTE_FACTORIES:
    EXTRA_ROUTE_FACTORIES.append(teams_routes)
