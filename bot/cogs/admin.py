"""``/ingest`` and ``/remove`` (Manage Server), and ``/sync`` (bot owners only).

``/ingest`` adds to the server's own collection, which only that server sees; ``/remove``
deletes one of the server's own articles. Both are hidden from members without Manage Server by
``default_permissions`` and the same permission is checked again at run time, because server
admins can override what the picker shows.

``/sync`` is an owner-checked slash command rather than a ``!sync`` prefix command: prefix
commands need the privileged message-content intent in servers, and this bot asks for no
privileged intent. The bootstrap is: start once with ``STORYBOT_DEV_GUILD`` set (commands,
``/sync`` included, appear in that server at once), then run ``/sync scope:global``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.cogs.sources import article_choice_name
from bot.errors import NotOwner
from bot.render import escape, render_ingest
from bot.views import send_notice
from index import IngestReport, Scope, guild_collection

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["AdminCog", "is_owner"]

T = TypeVar("T")

SYNC_SCOPES = [
    Choice(name="this server (instant)", value="here"),
    Choice(name="everywhere (can take up to an hour)", value="global"),
    Choice(name="remove this server's copies", value="clear"),
]


def is_owner() -> Callable[[T], T]:
    """A check that passes only for ``STORYBOT_OWNER_IDS`` (or the application's owner)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        client = interaction.client
        if isinstance(client, commands.Bot) and await client.is_owner(interaction.user):
            return True
        raise NotOwner()

    return app_commands.check(predicate)


class AdminCog(commands.Cog):
    """Adding articles and publishing commands."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot

    @app_commands.command(name="ingest")
    @app_commands.describe(
        file="A .txt, .md, .html or .jsonl file of articles",
        url="An http(s) link to one article",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def ingest(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: str | None = None,
    ) -> None:
        """Add articles from an attached file or a link (needs Manage Server)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        if file is None and not url:
            await send_notice(interaction, "Attach a file or give a `url` to ingest.")
            return
        limit = self.bot.settings.max_upload_bytes
        if file is not None and file.size > limit:
            await send_notice(
                interaction, f"That file is {file.size:,} bytes; the limit is {limit:,} bytes."
            )
            return
        report = IngestReport()
        names = []
        assert interaction.guild_id is not None  # guild_only
        collection = guild_collection(interaction.guild_id)
        library = self.bot.library
        if file is not None:
            data = await file.read()
            report.merge(await library.ingest.upload(file.filename, data, collection=collection))
            names.append(file.filename)
        if url:
            report.merge(await library.ingest.url(url.strip(), collection=collection))
            names.append(url.strip())
        page = render_ingest(report, " and ".join(names))
        await interaction.followup.send(**page.send_kwargs(), ephemeral=True)

    @app_commands.command(name="remove")
    @app_commands.describe(article="The article to remove (start typing its title or id)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(self, interaction: discord.Interaction, article: str) -> None:
        """Remove one of this server's own articles (needs Manage Server)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        assert interaction.guild_id is not None  # guild_only
        removed = await self.bot.library.servers.remove_article(
            article.strip(), guild_collection(interaction.guild_id)
        )
        title = escape(removed.title or "Untitled article")
        await send_notice(interaction, f"Removed **{title}** (`{removed.id}`).")

    @remove.autocomplete("article")
    async def _remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        if interaction.guild_id is None:
            return []
        own = Scope((guild_collection(interaction.guild_id),))
        found = await self.bot.library.find_articles(current, limit=25, scope=own)
        return [
            Choice(name=article_choice_name(a.title, a.source, a.id), value=a.id[:100])
            for a in found[:25]
        ]

    @app_commands.command(name="sync")
    @app_commands.describe(scope="Where to publish the slash commands")
    @app_commands.choices(scope=SYNC_SCOPES)
    @app_commands.guild_only()
    @app_commands.default_permissions(administrator=True)
    @is_owner()
    async def sync(self, interaction: discord.Interaction, scope: Choice[str]) -> None:
        """Publish the slash commands (bot owners only)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        tree = self.bot.tree
        guild = discord.Object(interaction.guild_id) if interaction.guild_id else None
        if scope.value == "global" or guild is None:
            synced = await tree.sync()
            where = "everywhere (Discord may take up to an hour to show them)"
        elif scope.value == "here":
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            where = "in this server"
        else:
            tree.clear_commands(guild=guild)
            synced = await tree.sync(guild=guild)
            where = "in this server (its copies removed)"
        await send_notice(interaction, f"Synced {len(synced)} commands {where}.")
