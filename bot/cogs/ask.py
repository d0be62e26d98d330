"""``/ask`` and the mention path: a question in, quoted source-linked passages out.

Both paths make the same library call and render the same pages; the slash command defers
at once (so Discord's three-second rule holds however long the search takes), the mention
path replies to the message. A per-user cooldown applies to both.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.errors import GENERIC, user_message
from bot.render import NO_MENTIONS, answer_pages, render_notice, truncate
from bot.views import make_view, send_pages, view_kwargs
from index import StorybotError, run_cpu, served

if TYPE_CHECKING:
    from bot.client import StorybotBot

__all__ = ["ASK_RESULTS", "AskCog", "question_from_mention"]

log = logging.getLogger(__name__)

ASK_RESULTS = 15  # three pages of five quotes
QUESTION_MAX = 1000
LANGUAGES = [Choice(name=lang.name, value=lang.code) for lang in served()]
EMPTY_MENTION = "Ask me a question after the mention, e.g. “@storybot what did Microsoft say?”"


async def _cooldown(interaction: discord.Interaction) -> bool:
    """Per-user cooldown shared by /ask and mentions; raises ``CommandOnCooldown``.

    ``app_commands.checks.cooldown`` keeps its buckets in the decorator's closure, shared by
    every bot built in the process, and times them by the wall clock; these buckets live on
    the cog (one set per bot) and use the monotonic clock. The error is the same.
    """
    cog = getattr(interaction.command, "binding", None)
    if not isinstance(cog, AskCog):
        return True
    retry = cog.retry_after(interaction.user.id)
    if retry:
        per = cog.bot.settings.ask_cooldown
        raise app_commands.CommandOnCooldown(app_commands.Cooldown(1, per), retry)
    return True


def question_from_mention(content: str, bot_id: int) -> str:
    """The question in a message that mentions the bot: the text without the bot's mentions.

    >>> question_from_mention("<@42> what did Microsoft say?", 42)
    'what did Microsoft say?'
    """
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip(" \t\n,:;")


class AskCog(commands.Cog):
    """Questions, by slash command or by mention."""

    def __init__(self, bot: StorybotBot) -> None:
        self.bot = bot
        self._last_question: dict[int, float] = {}

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, in English, Hindi or Indonesian",
        source="Only quote this outlet",
        language="Only quote articles in this language",
        private="Show the answer only to you",
    )
    @app_commands.choices(language=LANGUAGES)
    @app_commands.check(_cooldown)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_MAX],
        source: str | None = None,
        language: Choice[str] | None = None,
        private: bool = False,
    ) -> None:
        """Answer a question with quoted, source-linked passages from stored news articles."""
        lang = language.value if language else None
        scope = await self.bot.scope_for(interaction.guild_id)
        # A question or filter that cannot be searched is refused privately, before the
        # (possibly public) "thinking…" message exists.
        await self.bot.library.check_question(
            question, source=source or None, lang=lang, scope=scope
        )
        await interaction.response.defer(thinking=True, ephemeral=private)
        answer = await self.bot.library.ask(
            question, k=ASK_RESULTS, source=source or None, lang=lang, scope=scope
        )
        pages = await run_cpu(answer_pages, answer)
        await send_pages(
            interaction, pages, ephemeral=private, library=self.bot.library, scope=scope
        )

    @ask.autocomplete("source")
    async def _source_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        scope = await self.bot.scope_for(interaction.guild_id)
        names = await self.bot.library.source_names(current, limit=25, scope=scope)
        return [Choice(name=truncate(name, 100), value=name[:100]) for name in names[:25]]

    # ------------------------------------------------------------------ mentions

    def retry_after(self, user_id: int) -> float | None:
        """Spend this user's question; seconds left to wait if it was already spent.

        One question per ``STORYBOT_ASK_COOLDOWN`` seconds per user, timed by the monotonic
        clock (immune to wall-clock changes; simcord's ``advance_time`` drives it).
        """
        per = self.bot.settings.ask_cooldown
        if per <= 0:
            return None
        now = time.monotonic()
        last = self._last_question.get(user_id)
        if last is not None and now - last < per:
            return per - (now - last)
        if len(self._last_question) > 10_000:  # forget users whose cooldown has passed
            self._last_question = {
                user: when for user, when in self._last_question.items() if now - when < per
            }
        self._last_question[user_id] = now
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A message that mentions the bot is a question; answer it like ``/ask``."""
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None:
            return
        if not re.search(rf"<@!?{me.id}>", message.content):
            return  # replies that merely ping us, or @everyone, are not questions
        question = question_from_mention(message.content, me.id)
        if not question:
            await self._reply(message, EMPTY_MENTION)
            return
        retry = self.retry_after(message.author.id)
        if retry:
            await self._reply(message, f"Slow down a little: you can ask again in {retry:.0f} s.")
            return
        scope = await self.bot.scope_for(message.guild.id if message.guild else None)
        try:
            answer = await self.bot.library.ask(question, k=ASK_RESULTS, scope=scope)
        except StorybotError as error:
            await self._reply(message, user_message(error) or GENERIC)
            return
        except Exception:
            log.exception("unhandled error answering a mention")
            await self._reply(message, GENERIC)
            return
        pages = await run_cpu(answer_pages, answer)
        view = make_view(
            pages, owner_id=message.author.id, library=self.bot.library, scope=scope
        )
        sent = await message.reply(
            **pages[0].send_kwargs(), mention_author=False, **view_kwargs(view)
        )
        if view is not None:
            view.message = sent

    async def _reply(self, message: discord.Message, markdown: str) -> None:
        page = render_notice(markdown, markdown=True)
        await message.reply(page.content, mention_author=False, allowed_mentions=NO_MENTIONS)
