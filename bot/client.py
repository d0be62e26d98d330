"""The Discord client: owns the library, loads the cogs, and syncs only when told to.

No privileged intent is requested: slash commands need none, and a message that mentions the
bot carries its content even without the message-content intent.

Example::

    library = await Library.open(settings.data_dir, **settings.library_options())
    bot = create_bot(library, settings)
    async with bot:
        await bot.start(settings.require_token())
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.cogs import COGS
from bot.errors import StorybotTree
from bot.render import NO_MENTIONS
from bot.settings import Settings
from index import Scope

if TYPE_CHECKING:
    from index import Library

__all__ = ["StorybotBot", "create_bot", "intents"]

log = logging.getLogger(__name__)

# storybot never joins voice: skip discord.py's start-up warnings about missing voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def intents() -> discord.Intents:
    """Guilds and guild messages; no members, presences or message content."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


class StorybotBot(commands.Bot):
    """storybot's client. Cogs reach the library and settings through it."""

    def __init__(
        self, library: Library, settings: Settings, *, close_library: bool = True, **shards: Any
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=StorybotTree,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            owner_ids=set(settings.owner_ids) or None,
            **shards,
        )
        self.library = library
        self.settings = settings
        self._close_library = close_library
        self._library_closed = False

    async def setup_hook(self) -> None:
        await self.library.warm_up()
        for cog in COGS:
            await self.add_cog(cog(self))
        if self.settings.dev_guild is not None:
            guild = discord.Object(self.settings.dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild.id)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: questions by mention are handled by the ask cog's listener."""
        return

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers", self.user, len(self.guilds))

    async def scope_for(self, guild_id: int | None) -> Scope:
        """What a command run in this server (or, for None, in a DM) may see."""
        return await self.library.scope(guild_id)

    async def close(self) -> None:
        """Disconnect, then close the library (once) if this bot owns it."""
        try:
            await super().close()
        finally:
            if self._close_library and not self._library_closed:
                self._library_closed = True
                await self.library.close()


class ShardedStorybotBot(StorybotBot, commands.AutoShardedBot):
    """storybot running some of the bot's shards (``--shards 0-1 --shard-count 4``); several
    such processes, sharing one PostgreSQL store, serve all of Discord between them."""


def create_bot(library: Library, settings: Settings, *, close_library: bool = True) -> StorybotBot:
    """Build the bot around an open library.

    Parameters
    ----------
    library:
        The open :class:`~index.library.Library` every command delegates to.
    settings:
        Validated settings (cooldown, upload limit, owners, dev guild).
    close_library:
        Close the library when the bot closes. The harness passes False because its caller
        owns the library.
    """
    library.ingest.max_bytes = settings.max_upload_bytes
    library.ingest.allow_hosts = settings.fetch_allow_hosts
    library.servers.purge_after = timedelta(days=settings.purge_after_days)
    if settings.shard_ids is not None:
        return ShardedStorybotBot(
            library, settings, close_library=close_library,
            shard_ids=list(settings.shard_ids), shard_count=settings.shard_count,
        )
    return StorybotBot(library, settings, close_library=close_library)
