"""Server plugins: each feature that adds HTTP routes or background work to `python -m bot serve`
imports its registering module here (one line each). Those modules append to
`bot.server.EXTRA_ROUTE_FACTORIES` and/or `bot.server.LIFESPAN_HOOKS` when imported."""
import bot.adapters.teams.plugin
import bot.scheduler.plugin  # noqa: F401
