"""Collections and the servers that own them: what each may see, and what leaves with them.

Every article is in one collection: the shared one the operator curates, a Discord server's
own (``guild:<id>``), or the bundled sample. A server sees its own collection and, unless it
turned it off, the shared one; one that has no articles in either yet sees the sample, so a new
server can ask at once, and what one server ingests never changes what another sees. When the
bot leaves a server its collection is kept for a grace period, then purged with everything
derived from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from index.corpus.embedding import Embedding
from index.corpus.ingesting import Synced
from index.errors import NotFound
from index.models import SAMPLE, SHARED, Article, Scope, guild_collection
from index.store import Store

__all__ = ["Servers", "sample_corpus"]

SAMPLE_LOADED = "sample_loaded"  # meta key: the sample articles are in the store
PURGE_AFTER = timedelta(days=30)


def sample_corpus() -> Path:
    """The folder of the bundled sample articles (two seed articles, Hindi and Indonesian)."""
    return Path(str(files("index").joinpath("sample")))


class Servers:
    """Scopes, server settings, removals and purges over one library's store."""

    def __init__(
        self, store: Store, indexes: Sequence[Synced], embedding: Embedding | None = None
    ) -> None:
        self.store = store
        self.indexes = indexes  # kept in step at once after a removal
        self.embedding = embedding
        self.purge_after = PURGE_AFTER  # how long a departed server's collection is kept

    # --- what a server sees ------------------------------------------------------------------

    async def scope(self, guild_id: int | None = None) -> Scope:
        """What a question asked in this server (None: a DM, the command line) may see."""
        if guild_id is None:
            scope = Scope((SHARED,))
        else:
            search_shared, _left = await self.store.guild_settings(str(guild_id))
            scope = Scope.for_guild(guild_id, search_shared=search_shared)
        if not await self.store.has_articles(scope.collections):
            scope = Scope((*scope.collections, SAMPLE), scope.home)
        return scope

    async def set_search_shared(self, guild_id: int, search_shared: bool) -> None:
        await self.store.update_guild(str(guild_id), search_shared=search_shared)

    async def set_follow_role(self, guild_id: int, role_id: int | None) -> None:
        """Members with this role may follow speakers too (besides Manage Server)."""
        await self.store.update_guild(str(guild_id), follow_role=str(role_id) if role_id else None)

    async def follow_role(self, guild_id: int) -> int | None:
        return await self.store.follow_role(str(guild_id))

    async def collections(self) -> list[tuple[str, int]]:
        """Every collection with its number of articles (for operators, not servers)."""
        return await self.store.collections()

    # --- removing ------------------------------------------------------------------------------

    async def remove_article(self, article_id: str, collection: str) -> Article:
        """Delete one article of ``collection`` (a server removes only its own), and what is
        derived from it."""
        found = await self.store.article(article_id)
        if found is None or found.collection != collection:
            raise NotFound("article", article_id)
        await self.store.delete_article(found.id)
        await self._forget()
        return found

    async def purge_collection(self, collection: str) -> int:
        """Delete every article of a collection, and everything derived from them."""
        removed = await self.store.purge_collection(collection)
        await self._forget()
        return removed

    async def _forget(self) -> None:
        for index in self.indexes:
            await index.sync()
        if self.embedding is not None:
            await self.embedding.drop_gone()

    # --- the server lifecycle ------------------------------------------------------------------

    async def guild_left(self, guild_id: int, when: datetime) -> None:
        """The bot left a server: its collection is kept for a grace period, then purged."""
        await self.store.update_guild(str(guild_id), left_at=_iso(when))

    async def guild_joined(self, guild_id: int) -> None:
        """The bot is (back) in a server: nothing of it is to be purged."""
        await self.store.update_guild(str(guild_id), left_at=None)

    async def purge_departed(self, now: datetime, grace: timedelta | None = None) -> list[int]:
        """Purge the collections of servers the bot left more than ``grace`` (by default
        ``purge_after``) before ``now``; returns their ids."""
        purged = []
        before = now - (self.purge_after if grace is None else grace)
        for guild_id in await self.store.departed_guilds(_iso(before)):
            await self.purge_guild(int(guild_id))
            purged.append(int(guild_id))
        return purged

    async def purge_guild(self, guild_id: int) -> int:
        """Delete a server's collection and settings now; returns how many articles went."""
        removed = await self.purge_collection(guild_collection(guild_id))
        await self.store.forget_guild(str(guild_id))
        return removed


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")
