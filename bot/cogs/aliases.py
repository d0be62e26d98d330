"""``/alias add|remove|list`` (Manage Server): the other names a speaker goes by in this server.

Articles teach most aliases themselves ("World Health Organization (WHO)"); an admin adds the
ones they do not (a nickname, an abbreviation) or strikes out a wrong one. Follows, answers and
``/quotes`` in this server use them at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import escape, truncate
from bot.views import send_notice

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["AliasesCog"]

LIST_LIMIT = 40


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AliasesCog(commands.GroupCog, group_name="alias"):
    """Other names of speakers, in this server."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot
        super().__init__()

    async def _set(
        self, interaction: discord.Interaction, name: str, alias: str, *, removed: bool
    ) -> None:
        assert interaction.guild_id is not None  # guild_only
        name, alias = " ".join(name.split()), " ".join(alias.split())
        await self.bot.library.speakers.set_alias(
            interaction.guild_id, name, alias, removed=removed, by=interaction.user.id
        )
        verb = "no longer counts as" if removed else "now also means"
        text = (f"In this server, **{escape(truncate(alias, 100))}** {verb} "
                f"**{escape(truncate(name, 100))}**.")
        await send_notice(interaction, text)

    @app_commands.command(name="add")
    @app_commands.describe(name="A speaker's name, e.g. World Health Organization",
                           alias="Another name of theirs, e.g. WHO")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 200],
        alias: app_commands.Range[str, 1, 200],
    ) -> None:
        """Make another name count as this speaker in this server (needs Manage Server)."""
        await self._set(interaction, name, alias, removed=False)

    @app_commands.command(name="remove")
    @app_commands.describe(name="A speaker's name", alias="The name that is not theirs")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 200],
        alias: app_commands.Range[str, 1, 200],
    ) -> None:
        """Strike out an alias the articles taught, or one added here (needs Manage Server)."""
        await self._set(interaction, name, alias, removed=True)

    @app_commands.command(name="list")
    @app_commands.describe(name="Only the aliases of this name")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: discord.Interaction, name: str | None = None) -> None:
        """List the other names speakers go by in this server's articles."""
        assert interaction.guild_id is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        scope = await self.bot.scope_for(interaction.guild_id)
        aliases = await self.bot.library.speakers.aliases(scope, interaction.guild_id)
        wanted = (name or "").casefold().strip()
        lines = [f"**{escape(truncate(n, 80))}**: "
                 + ", ".join(escape(truncate(a, 60)) for a in sorted(others))
                 for n, others in sorted(aliases.items())
                 if not wanted or wanted in n.casefold()][:LIST_LIMIT]
        text = "\n".join(lines) or "No aliases here yet."
        await send_notice(interaction, text)
