"""One cog per command group: each receives, delegates to the library, renders, replies."""

from __future__ import annotations

from bot.cogs.admin import AdminCog
from bot.cogs.aliases import AliasesCog
from bot.cogs.ask import AskCog
from bot.cogs.feeds import FeedsCog
from bot.cogs.follows import FollowsCog
from bot.cogs.help import HelpCog
from bot.cogs.quotes import QuotesCog
from bot.cogs.server import ServerCog
from bot.cogs.sources import SourcesCog

__all__ = [
    "COGS", "AdminCog", "AliasesCog", "AskCog", "FeedsCog", "FollowsCog", "HelpCog", "QuotesCog",
    "ServerCog", "SourcesCog",
]

COGS = (
    AskCog, QuotesCog, SourcesCog, AdminCog, ServerCog, FeedsCog, FollowsCog, AliasesCog, HelpCog,
)
