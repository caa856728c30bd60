"""Installs the natural-language engine on a router when one is available."""

from __future__ import annotations

from bot.core.router import Router


def install_understander(router: Router) -> None:
    """Plain text (anything that is not a command) goes to the deterministic NL engine."""
    from bot.nlu.engine import Engine

    router.understander = Engine(router)
