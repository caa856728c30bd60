"""Persistence for Broker bot: SQLModel tables, engine/session factory, migrations and seed loader.

Only `bot.services` imports this package; the core, NLU and renderers never see a session.
"""
