"""Registers the scheduler with `python -m bot serve` (imported from bot/server_plugins.py)."""

from bot.scheduler.runtime import scheduler_lifespan
from bot.server import LIFESPAN_HOOKS

if scheduler_lifespan not in LIFESPAN_HOOKS:
    LIFESPAN_HOOKS.append(scheduler_lifespan)
