"""``/feed add|list|remove`` (Manage Server): the feeds a server polls into its collection.

Polling is the library's background work (the "feeds" job of ``index.jobs``): new entries land
in the server's own collection, like ``/ingest url`` would put them, so ``/ask`` finds them and
quote alerts see them. ``/feed add`` wakes the job, so a new feed is polled at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.render import NO_MENTIONS, escape, render_feeds, truncate
from bot.views import send_notice
from index import DEFAULT_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["FeedsCog"]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class FeedsCog(commands.GroupCog, group_name="feed"):
    """Feeds this server polls into its own collection."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="add")
    @app_commands.describe(
        url="A feed (RSS or Atom), or a site whose page names its feed",
        interval=f"Minutes between polls (at least {MIN_INTERVAL_MINUTES})",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self, interaction: discord.Interaction, url: str,
        interval: app_commands.Range[int, MIN_INTERVAL_MINUTES, 24 * 60] = DEFAULT_INTERVAL_MINUTES,
    ) -> None:
        """Poll a news feed into this server's articles (needs Manage Server)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        assert interaction.guild_id is not None  # guild_only
        feed = await self.bot.library.feeds.add(
            interaction.guild_id, url, discord.utils.utcnow(), interval_minutes=interval,
            added_by=interaction.user.id,
        )
        name = escape(feed.title or feed.url)
        await send_notice(interaction, f"Added feed **{name}** (`{feed.id}`), polled every "
                                    f"{feed.interval_minutes} minutes, starting now.")
        self.bot.library.jobs.wake("feeds")  # the new feed is due now

    @app_commands.command(name="list")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: discord.Interaction) -> None:
        """List this server's feeds and how polling them goes."""
        assert interaction.guild_id is not None
        feeds = await self.bot.library.feeds.for_guild(interaction.guild_id)
        page = render_feeds(feeds, discord.utils.utcnow())
        await interaction.response.send_message(**page.send_kwargs(), ephemeral=True)

    @app_commands.command(name="remove")
    @app_commands.describe(feed="The feed to stop polling")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(self, interaction: discord.Interaction, feed: str) -> None:
        """Stop polling a feed (its articles stay; /remove deletes articles)."""
        assert interaction.guild_id is not None
        if not feed.strip().isdigit():
            await interaction.response.send_message(
                "Pick a feed from the list, or give its number from `/feed list`.",
                ephemeral=True, allowed_mentions=NO_MENTIONS,
            )
            return
        removed = await self.bot.library.feeds.remove(interaction.guild_id, int(feed))
        await send_notice(interaction,
                          f"Stopped polling **{escape(removed.title or removed.url)}**.")

    @remove.autocomplete("feed")
    async def _feed_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        if interaction.guild_id is None:
            return []
        feeds = await self.bot.library.feeds.for_guild(interaction.guild_id)
        wanted = current.lower()
        return [
            Choice(name=truncate(f"{f.id} · {f.title or f.url}", 100), value=str(f.id))
            for f in feeds if wanted in f"{f.id} {f.title or ''} {f.url}".lower()
        ][:25]
