"""Imports the modules that register extra CLI subcommands in `bot.cli.EXTRA_SUBCOMMANDS`."""
import bot.adapters.teams.cli
import bot.import_cli
import bot.people_cli
import bot.scheduler.cli  # noqa: F401
