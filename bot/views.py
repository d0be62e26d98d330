"""Buttons under a paged reply: Previous / More results, one Context button per quote, links.

Only the person who asked may turn pages (anyone else gets a private refusal); anyone may
open a quote's context, which is shown privately. Custom ids read ``storybot:<action>:<nonce>``
so the harness can click a button by its label or by that stable prefix.

Example::

    view = PagedView(pages, owner_id=interaction.user.id, library=library)
    await interaction.followup.send(**pages[0].send_kwargs(), view=view)
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import report
from bot.render import NO_MENTIONS, Page, render_context, render_notice
from index import SHARED_SCOPE, Scope, run_cpu

if TYPE_CHECKING:
    from index import Library, Quote

__all__ = [
    "NEXT_LABEL",
    "PREVIOUS_LABEL",
    "PagedView",
    "context_label",
    "make_view",
    "send_notice",
    "send_pages",
    "view_kwargs",
]

PREVIOUS_LABEL = "Previous"
NEXT_LABEL = "More results"
VIEW_TIMEOUT = 15 * 60  # interaction tokens expire after 15 minutes anyway
NOT_YOURS = "Only the person who asked can turn these pages. Ask your own question with `/ask`."


def context_label(number: int) -> str:
    return f"Context {number}"


class _PageButton(discord.ui.Button["PagedView"]):
    def __init__(self, *, label: str, custom_id: str, step: int, disabled: bool) -> None:
        super().__init__(
            label=label,
            custom_id=custom_id,
            style=discord.ButtonStyle.secondary if step < 0 else discord.ButtonStyle.primary,
            disabled=disabled,
            row=0,
        )
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class _ContextButton(discord.ui.Button["PagedView"]):
    def __init__(self, *, number: int, quote: Quote, custom_id: str) -> None:
        super().__init__(
            label=context_label(number),
            custom_id=custom_id,
            style=discord.ButtonStyle.secondary,
            row=1,
        )
        self.quote = quote

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.show_context(interaction, self.quote)


class PagedView(discord.ui.View):
    """Pages of a reply plus the buttons that move between them and open context."""

    def __init__(
        self,
        pages: Sequence[Page],
        *,
        owner_id: int,
        library: Library | None = None,
        scope: Scope = SHARED_SCOPE,
        timeout: float | None = VIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a PagedView needs at least one page")
        self.pages = list(pages)
        self.owner_id = owner_id
        self.library = library
        self.scope = scope  # what the asker could see: the context view sees no more
        self.index = 0
        self.nonce = secrets.token_hex(4)
        self.message: discord.Message | discord.WebhookMessage | None = None
        self._rebuild()

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    def _id(self, action: str) -> str:
        return f"storybot:{action}:{self.nonce}"

    def _rebuild(self) -> None:
        self.clear_items()
        if len(self.pages) > 1:
            first, last = self.index == 0, self.index == len(self.pages) - 1
            self.add_item(
                _PageButton(
                    label=PREVIOUS_LABEL, custom_id=self._id("prev"), step=-1, disabled=first
                )
            )
            self.add_item(
                _PageButton(label=NEXT_LABEL, custom_id=self._id("next"), step=1, disabled=last)
            )
        if self.library is not None:
            for number, quote in self.page.quotes[:5]:
                custom_id = self._id(f"context-{number}")
                self.add_item(_ContextButton(number=number, quote=quote, custom_id=custom_id))
        for label, url in self.page.links[:5]:
            self.add_item(discord.ui.Button(label=label, url=url, row=2))

    @property
    def has_buttons(self) -> bool:
        return bool(self.children)

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Show the previous/next page in place; refuse anyone but the asker."""
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                NOT_YOURS, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self.index = min(max(self.index + step, 0), len(self.pages) - 1)
        self._rebuild()
        await interaction.response.edit_message(**self.page.send_kwargs(), view=self)

    async def show_context(self, interaction: discord.Interaction, quote: Quote) -> None:
        """Show one quote inside its surrounding text, privately."""
        assert self.library is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        passage, before, after = await self.library.context(quote.passage_id, self.scope)
        page = await run_cpu(render_context, passage, before, after, quote)
        await interaction.followup.send(**page.send_kwargs(), ephemeral=True)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)

    async def on_timeout(self) -> None:
        """Grey out the buttons once nobody can use them any more."""
        for item in self.children:
            if isinstance(item, discord.ui.Button) and item.url is None:
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)


def make_view(
    pages: Sequence[Page], *, owner_id: int, library: Library | None = None,
    scope: Scope = SHARED_SCOPE,
) -> PagedView | None:
    """A view for ``pages``, or None when there would be no button on it."""
    view = PagedView(pages, owner_id=owner_id, library=library, scope=scope)
    if not view.has_buttons:
        view.stop()
        return None
    return view


def view_kwargs(view: PagedView | None) -> dict[str, Any]:
    """``{"view": view}`` or nothing: discord.py's send methods reject ``view=None``."""
    return {} if view is None else {"view": view}


async def send_notice(interaction: discord.Interaction, markdown: str) -> None:
    """A short private reply (Markdown, no pings): the follow-up of a deferred interaction,
    else its response."""
    content = render_notice(markdown, markdown=True).content
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(
            content, ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def send_pages(
    interaction: discord.Interaction,
    pages: Sequence[Page],
    *,
    ephemeral: bool = False,
    library: Library | None = None,
    scope: Scope = SHARED_SCOPE,
) -> None:
    """Send the first of ``pages`` as the deferred interaction's follow-up, with paging buttons
    that only the invoking user may press."""
    view = make_view(pages, owner_id=interaction.user.id, library=library, scope=scope)
    message = await interaction.followup.send(
        **pages[0].send_kwargs(), ephemeral=ephemeral, wait=True, **view_kwargs(view)
    )
    if view is not None:
        view.message = message
