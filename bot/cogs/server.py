"""A server's own settings, and what happens to its collection when the bot leaves it.

``/settings`` (Manage Server) shows the server's settings and turns the shared collection on or
off for it. When the bot is removed from a server, the server's collection is kept for
``STORYBOT_PURGE_AFTER_DAYS`` (the admins may add it back meanwhile), then purged: articles,
search index and vectors, by ``bot/cogs/upkeep.py``. Times come from ``discord.utils.utcnow``,
so the offline harness can move them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.views import send_notice

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["ServerCog"]

log = logging.getLogger(__name__)



class ServerCog(commands.Cog):
    """Per-server settings and the server lifecycle."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot

    @app_commands.command(name="settings")
    @app_commands.describe(
        shared="Also search the bot's shared collection, besides this server's",
        follow_role="Members with this role may use /follow too (besides Manage Server)",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def settings(
        self, interaction: discord.Interaction, shared: bool | None = None,
        follow_role: discord.Role | None = None,
    ) -> None:
        """Show or change this server's settings (needs Manage Server)."""
        assert interaction.guild_id is not None  # guild_only
        library = self.bot.library
        if shared is not None:
            await library.servers.set_search_shared(interaction.guild_id, shared)
        if follow_role is not None:
            await library.servers.set_follow_role(interaction.guild_id, follow_role.id)
        scope = await library.scope(interaction.guild_id)
        searched = (
            "this server's own articles and the shared collection"
            if len(scope.collections) > 1
            else "this server's own articles only"
        )
        role = await library.servers.follow_role(interaction.guild_id)
        who = f"Manage Server and <@&{role}>" if role else "Manage Server"
        await send_notice(interaction, f"Questions here search {searched}. Following needs {who}.")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        days = self.bot.settings.purge_after_days
        await self.bot.library.servers.guild_left(guild.id, discord.utils.utcnow())
        log.info("left server %s; its collection is purged in %g days", guild.id, days)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.bot.library.servers.guild_joined(guild.id)
