"""``/help``: what the bot does and how to ask."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import render_help

__all__ = ["HelpCog"]


class HelpCog(commands.Cog):
    """The help command."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """Show what storybot can do (only you see it)."""
        await interaction.response.send_message(**render_help().send_kwargs(), ephemeral=True)
