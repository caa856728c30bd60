"""Imports the modules that register extra CLI subcommands in `bot.cli.EXTRA_SUBCOMMANDS`."""
import bot.adapters.teams.cli  # noqa: F401
import bot.import_cli  # noqa: F401
import bot.people_cli  # noqa: F401
import bot.scheduler.cli  # noqa: F401
