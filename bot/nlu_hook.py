"""Installs the natural-language engine on a router when one is available."""

from __future__ import annotations

from bot.core.router import Router


def install_understander(router: Router) -> None:
    """No NL engine yet: plain text falls back to the command grammar."""
    return None
