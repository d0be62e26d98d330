"""``/follow``, ``/following``, ``/unfollow``: quote alerts, and posting them.

``/follow who:Microsoft [about:…] [channel]`` asks the bot to post, in that channel, each new
statement by the speaker found in the articles this server can see, in whatever language the
article is in. Following needs Manage Server, or the role set with ``/settings follow_role``.
Finding new statements is the library's background work (the "alerts" job, which new articles
wake); when it has queued alerts, the library's ``alerts_queued`` signal reaches this cog,
which claims what is due (at most ``STORYBOT_ALERTS_PER_HOUR`` posts per follow an hour, the
rest summarised) and posts it with no mentions allowed; a quote that later turns up in more
outlets gets its message edited to say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.render import (
    NO_MENTIONS,
    escape,
    render_alert,
    render_follow,
    render_follows,
    truncate,
)
from bot.views import send_notice
from index import AlertPost, AlertsQueued

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["FollowsCog", "can_follow"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def can_follow() -> Callable[[T], T]:
    """Manage Server, or the server's follow role (``/settings follow_role``)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        member = interaction.user
        if not isinstance(member, discord.Member) or interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if member.guild_permissions.manage_guild:
            return True
        client = interaction.client
        role = await client.library.servers.follow_role(interaction.guild_id)  # type: ignore[attr-defined]
        if role is not None and any(r.id == role for r in member.roles):
            return True
        raise app_commands.MissingPermissions(["manage_guild"])

    return app_commands.check(predicate)


class FollowsCog(commands.Cog):
    """Quote alerts."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot
        self._posting = asyncio.Lock()  # one round of posts at a time
        self._unsubscribe: Callable[[], None] | None = None

    async def cog_load(self) -> None:
        alerts = self.bot.library.alerts
        alerts.served = self._served  # this process posts for its own servers (shards)
        self._unsubscribe = self.bot.library.alerts_queued.subscribe(self._queued)

    async def cog_unload(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.bot.library.alerts.served == self._served:
            self.bot.library.alerts.served = None

    def _served(self) -> set[int]:
        return {guild.id for guild in self.bot.guilds}

    @app_commands.command(name="follow")
    @app_commands.describe(
        who="Whose statements to post (a person or an organisation), in any language",
        about="Only statements in passages about these words",
        channel="Where to post them (default: here)",
    )
    @app_commands.guild_only()
    @can_follow()
    async def follow(
        self, interaction: discord.Interaction, who: str, about: str | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Post new statements by someone to a channel as they appear in the news."""
        assert interaction.guild_id is not None
        target = channel.id if channel is not None else interaction.channel_id
        assert target is not None
        await interaction.response.defer(thinking=True, ephemeral=True)
        alerts = self.bot.library.alerts
        follow = await alerts.follow(
            interaction.guild_id, target, who, about, discord.utils.utcnow(), interaction.user.id
        )
        await send_notice(interaction, render_follow(follow, await alerts.describe(follow)))

    @app_commands.command(name="following")
    @app_commands.guild_only()
    async def following(self, interaction: discord.Interaction) -> None:
        """List what this server follows."""
        assert interaction.guild_id is not None
        page = render_follows(await self.bot.library.alerts.following(interaction.guild_id))
        await interaction.response.send_message(**page.send_kwargs(), ephemeral=True)

    @app_commands.command(name="unfollow")
    @app_commands.describe(follow="What to stop following")
    @app_commands.guild_only()
    @can_follow()
    async def unfollow(self, interaction: discord.Interaction, follow: str) -> None:
        """Stop posting someone's statements."""
        assert interaction.guild_id is not None
        if not follow.strip().isdigit():
            await interaction.response.send_message(
                "Pick one from the list, or give its number from `/following`.",
                ephemeral=True, allowed_mentions=NO_MENTIONS,
            )
            return
        removed = await self.bot.library.alerts.unfollow(interaction.guild_id, int(follow))
        await send_notice(interaction, f"No longer following **{escape(removed.who)}**.")

    @unfollow.autocomplete("follow")
    async def _follow_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        if interaction.guild_id is None:
            return []
        wanted = current.lower()
        return [
            Choice(name=truncate(f"{f.id} · {f.who}" + (f" · {f.about}" if f.about else ""), 100),
                   value=str(f.id))
            for f in await self.bot.library.alerts.following(interaction.guild_id)
            if wanted in f"{f.id} {f.who} {f.about or ''}".lower()
        ][:25]

    async def _queued(self, queued: AlertsQueued) -> None:
        """Post what is due as of the scan that queued it, edit posts whose quote spread."""
        alerts = self.bot.library.alerts
        async with self._posting:
            served = self._served()
            try:
                for post in await alerts.due(queued.now, self.bot.settings.alerts_per_hour,
                                             served):
                    await self._send(post)
                for post in await alerts.edits(served):
                    await self._edit(post)
            except Exception:
                log.exception("posting alerts failed; trying again at the next scan")

    async def _channel(self, channel_id: int) -> discord.abc.Messageable | None:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            with contextlib.suppress(discord.HTTPException):
                channel = await self.bot.fetch_channel(channel_id)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _send(self, post: AlertPost) -> None:
        channel = await self._channel(post.follow.channel_id)
        if channel is None:
            log.warning("follow %s: channel %s is gone", post.follow.id, post.follow.channel_id)
            return
        try:
            message = await channel.send(**render_alert(post).send_kwargs())
        except discord.HTTPException:
            log.warning("follow %s: could not post to %s", post.follow.id,
                        post.follow.channel_id, exc_info=True)
            return
        await self.bot.library.alerts.posted(post, message.id)

    async def _edit(self, post: AlertPost) -> None:
        channel = await self._channel(post.follow.channel_id)
        if channel is None or post.message_id is None or not hasattr(
            channel, "get_partial_message"
        ):
            return
        with contextlib.suppress(discord.HTTPException):
            await channel.get_partial_message(post.message_id).edit(
                **render_alert(post).send_kwargs()
            )
