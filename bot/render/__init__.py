"""Renderers: neutral Reply -> platform format (text, Block Kit, Adaptive Card). No SDK calls."""
