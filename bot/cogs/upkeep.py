"""Work the bot does in the background, once across all its processes: computing passage
vectors, and purging the collections of servers it left long enough ago.

Each is claimed through a lease in the store, renewed while the work goes on, so when several
bot processes share one PostgreSQL, one of them does it; if that one dies, its lease lapses and
another takes over. Processes without the embedding lease still load vectors others computed
into their own vector index.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["PURGE_CHECK_HOURS", "UpkeepCog"]

log = logging.getLogger(__name__)

EMBED_EVERY_MINUTES = 10  # besides whenever this process stores new articles
PURGE_CHECK_HOURS = 6  # how often departed servers are looked at
LEASE = timedelta(minutes=10)


class UpkeepCog(commands.Cog):
    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.embed.start()
        self.purge_departed.start()

    async def cog_unload(self) -> None:
        self.embed.cancel()
        self.purge_departed.cancel()

    async def _claim(self, name: str) -> bool:
        library = self.bot.library
        now = discord.utils.utcnow()
        return await library.live.claim(name, library.worker, now + LEASE, now)

    @tasks.loop(minutes=EMBED_EVERY_MINUTES)
    async def embed(self) -> None:
        await self.embed_now()

    @commands.Cog.listener()
    async def on_articles_added(self, guild_id: int | None = None) -> None:
        await self.embed_now()

    async def embed_now(self) -> None:
        """Vectors for new passages: computed by the lease holder, loaded by everyone."""
        library = self.bot.library
        if library.semantic is None:
            return
        try:
            computing = await self._claim("embed")
            done = await library.embed_pending(compute=computing)
            if done:
                log.info("vectors for %d articles are in", done)
        except Exception:
            log.exception("computing vectors failed; trying again later")

    @tasks.loop(hours=PURGE_CHECK_HOURS)
    async def purge_departed(self) -> None:
        """Purge the collections of servers left longer ago than the grace period."""
        grace = timedelta(days=self.bot.settings.purge_after_days)
        try:
            if not await self._claim("purge"):
                return
            now = discord.utils.utcnow()
            for guild_id in await self.bot.library.purge_departed(now, grace):
                log.info("purged the collection of server %s, left over %s ago", guild_id, grace)
        except Exception:
            log.exception("purging departed servers failed; trying again later")

    @embed.before_loop
    @purge_departed.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()
