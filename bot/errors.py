"""Every error a user can hit gets its reply here; anything unexpected is logged with a traceback.

``user_message`` is pure (error in, text out) so it can be tested without Discord; ``report``
sends that text privately, as the first response when the interaction has none yet and as a
followup otherwise. :class:`StorybotTree` routes every app-command error through it.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.render import NO_MENTIONS, escape, render_notice
from index import BadInput, BadQuestion, FetchRefused, NotFound, StorybotError

__all__ = ["NotOwner", "StorybotTree", "report", "user_message"]

log = logging.getLogger(__name__)

GENERIC = "Something went wrong on my side. The error has been logged; please try again later."


class NotOwner(app_commands.CheckFailure):
    """The command is reserved for the bot's owners."""

    def __init__(self) -> None:
        super().__init__("Only the bot's owner can do that.")


def _unwrap(error: BaseException) -> BaseException:
    """The exception a command body raised, out of discord.py's invoke wrapper."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    return error


def _permission_name(permission: str) -> str:
    """``manage_guild`` → ``Manage Server``, the name Discord's client shows."""
    shown = {"manage_guild": "manage_server"}.get(permission, permission)
    return shown.replace("_", " ").title()


def user_message(error: BaseException) -> str | None:
    """The reply a user should see for ``error`` (Markdown, untrusted parts escaped).

    Returns None for unexpected errors, which get :data:`GENERIC` and a logged traceback.
    """
    error = _unwrap(error)
    match error:
        case app_commands.CommandOnCooldown():
            return f"Slow down a little: you can ask again in {error.retry_after:.0f} s."
        case app_commands.MissingPermissions():
            missing = ", ".join(_permission_name(p) for p in error.missing_permissions)
            return f"You need the **{missing}** permission to use this command."
        case app_commands.NoPrivateMessage():
            return "This command only works inside a server."
        case NotOwner():
            return "Only the bot's owner can do that."
        case app_commands.CheckFailure():
            return "You can't use this command here."
        case app_commands.TransformerError():
            return f"That option value is not valid: {escape(str(error.value))[:200]}."
        case BadQuestion():
            return f"I can't search for that: {escape(error.reason)}."
        case NotFound():
            return f"I can't find any {escape(error.what)} with id `{escape(error.ident)}`."
        case FetchRefused():
            return f"I won't fetch that URL: {escape(error.reason)}."
        case BadInput():
            return f"That input can't be used: {escape(error.reason)}."
        case StorybotError():
            return escape(str(error))
    return None


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong, privately; log unexpected errors with their traceback."""
    text = user_message(error)
    if text is None:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error("unhandled error in %s", command, exc_info=_unwrap(error))
        text = GENERIC
    page = render_notice(text, markdown=True)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                page.content, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                page.content, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        log.warning("could not deliver an error message to the user", exc_info=True)


class StorybotTree(app_commands.CommandTree):
    """The command tree, with one error handler that always answers the user."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report(interaction, error)
