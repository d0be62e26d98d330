"""``/feed add|list|remove`` (Manage Server), and the loop that polls every server's feeds.

New feed entries land in the server's own collection, like ``/ingest url`` would put them, so
``/ask`` finds them and quote alerts (``bot/cogs/follows.py``, told by an ``articles_added``
event) see them. A ``discord.ext.tasks`` loop polls whatever feeds are due, then sleeps until
the next one is (at most ``MAX_SLEEP``, so feeds added by another process are not missed);
``/feed add`` wakes it. Fetching is asynchronous and parsing and extraction run on worker
threads, so the event loop never waits.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands, tasks

from bot.render import NO_MENTIONS, escape, render_feeds, render_notice, truncate
from index.live.feeds import DEFAULT_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["FeedsCog"]

log = logging.getLogger(__name__)

MIN_SLEEP = timedelta(seconds=30)
MAX_SLEEP = timedelta(hours=1)  # feeds added by another process are seen within this


async def _private(interaction: discord.Interaction, markdown: str) -> None:
    page = render_notice(markdown, markdown=True)
    await interaction.followup.send(page.content, ephemeral=True, allowed_mentions=NO_MENTIONS)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class FeedsCog(commands.GroupCog, group_name="feed"):
    """Feeds this server polls into its own collection."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot
        self._polling = False
        super().__init__()

    async def cog_load(self) -> None:
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

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
        await _private(interaction, f"Added feed **{name}** (`{feed.id}`), polled every "
                                    f"{feed.interval_minutes} minutes, starting now.")
        if not self._polling:
            self.poll.restart()  # wake it: the new feed is due now

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
        await interaction.response.send_message(
            render_notice(f"Stopped polling **{escape(removed.title or removed.url)}**.",
                          markdown=True).content,
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )

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

    @tasks.loop(seconds=MIN_SLEEP.total_seconds())
    async def poll(self) -> None:
        """Poll the feeds that are due (claimed one at a time, so processes share the work),
        then sleep until the next one is."""
        feeds = self.bot.library.feeds
        self._polling = True
        try:
            for result in await feeds.poll_due(discord.utils.utcnow()):
                if result.added:
                    log.info("feed %s: %d new articles", result.feed.url, len(result.added))
                    self.bot.dispatch("articles_added", result.feed.guild_id)
            now = discord.utils.utcnow()
            due = await feeds.next_due()
            sleep = MAX_SLEEP if due is None else min(max(due - now, MIN_SLEEP), MAX_SLEEP)
            self.poll.change_interval(seconds=sleep.total_seconds())
        except Exception:
            log.exception("polling feeds failed; trying again at the next tick")
        finally:
            self._polling = False

    @poll.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()
