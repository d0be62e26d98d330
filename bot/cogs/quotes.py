"""``/quotes who:X [about] [since]``: a speaker timeline, every statement by someone, newest
first, across outlets and languages, in the articles this server sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import render_timeline
from bot.views import send_pages
from index import run_cpu

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["QuotesCog"]


class QuotesCog(commands.Cog):
    """Who said what, over time."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot

    @app_commands.command(name="quotes")
    @app_commands.describe(
        who="Whose statements (a person or an organisation), in any language or script",
        about="Only statements in passages about these words",
        since="Only from this date on: 2025-10-01, or 30d for the last 30 days",
    )
    async def quotes(
        self, interaction: discord.Interaction, who: app_commands.Range[str, 1, 200],
        about: str | None = None, since: str | None = None,
    ) -> None:
        """Everything someone said in the stored news, newest first, each quote once."""
        await interaction.response.defer(thinking=True)
        scope = await self.bot.scope_for(interaction.guild_id)
        timeline = await self.bot.library.quotes(
            who, scope=scope, guild_id=interaction.guild_id, about=about, since=since
        )
        pages = await run_cpu(render_timeline, timeline)
        await send_pages(interaction, pages)
