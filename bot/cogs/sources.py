"""``/sources`` (what the archive holds) and ``/article`` (read one article, privately)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.render import render_article, render_sources, truncate
from bot.views import send_pages
from index import run_cpu

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["SourcesCog", "article_choice_name"]


def article_choice_name(title: str | None, source: str | None, article_id: str) -> str:
    """An autocomplete label (at most 100 characters) for one article."""
    parts = [title or "Untitled", source or "", article_id]
    return truncate(" · ".join(part for part in parts if part), 100)


class SourcesCog(commands.Cog):
    """Browsing the archive."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources")
    async def sources(self, interaction: discord.Interaction) -> None:
        """List the outlets and languages in the archive, newest first."""
        await interaction.response.defer(thinking=True)
        library = self.bot.library
        scope = await self.bot.scope_for(interaction.guild_id)
        admin = interaction.guild_id is not None and interaction.permissions.manage_guild
        vectors = await library.embedding.status() if admin and library.embedding else None
        pages = await run_cpu(render_sources, await library.sources(scope), scope.home, vectors)
        await send_pages(interaction, pages)

    @app_commands.command(name="article")
    @app_commands.describe(id="The article to read (start typing its title or id)")
    async def article(self, interaction: discord.Interaction, id: str) -> None:
        """Read one stored article passage by passage (only you see it)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        scope = await self.bot.scope_for(interaction.guild_id)
        article = await self.bot.library.article(id.strip(), scope)
        passages = await self.bot.library.passages(article.id, scope)
        pages = await run_cpu(render_article, article, passages)
        await send_pages(interaction, pages, ephemeral=True)

    @article.autocomplete("id")
    async def _article_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        scope = await self.bot.scope_for(interaction.guild_id)
        found = await self.bot.library.find_articles(current, limit=25, scope=scope)
        return [
            Choice(name=article_choice_name(a.title, a.source, a.id), value=a.id[:100])
            for a in found[:25]
        ]
