"""Connect to Discord for real: open the library, start the bot, close both on the way out."""

from __future__ import annotations

import dataclasses
import logging

import discord

from bot.client import create_bot
from bot.settings import Settings, SettingsError, TokenFilter

__all__ = ["configure_logging", "run_discord"]

log = logging.getLogger(__name__)


def configure_logging(settings: Settings) -> None:
    """discord.py's log format at the configured level, with the token scrubbed from records."""
    discord.utils.setup_logging(level=getattr(logging, settings.log_level), root=True)
    scrub = TokenFilter(settings.token.reveal())
    for handler in logging.getLogger().handlers:
        handler.addFilter(scrub)


async def run_discord(settings: Settings, *, dev_guild: int | None = None) -> None:
    """Run the bot until it is stopped (Ctrl+C or SIGTERM); the library is closed either way.

    Parameters
    ----------
    settings:
        From :func:`bot.settings.load_settings`; ``DISCORD_TOKEN`` must be set.
    dev_guild:
        Overrides ``STORYBOT_DEV_GUILD``: sync the commands to this guild at start.

    Raises
    ------
    SettingsError
        When ``DISCORD_TOKEN`` is missing.
    """
    from index import Library

    if dev_guild is not None:
        settings = dataclasses.replace(settings, dev_guild=dev_guild)
    token = settings.require_token()
    if settings.fetch_allow_hosts:
        raise SettingsError(["STORYBOT_FETCH_ALLOW_HOSTS is for tests and the offline harness; "
                             "a bot connected to Discord fetches public addresses only"])
    configure_logging(settings)
    library = await Library.open(settings.data_dir, **settings.library_options())
    library.jobs.start(serve=True)  # feeds, alerts, purges on the wall clock; vectors
    bot = create_bot(library, settings)
    try:
        async with bot:
            log.info("starting with data in %s (engine %s)", settings.data_dir, settings.engine)
            await bot.start(token)
    finally:
        await bot.close()  # idempotent; closes the library if start() failed early
