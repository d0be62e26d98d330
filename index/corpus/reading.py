"""Reading the corpus: outlets, articles, passages, as a scope may see them.

A :class:`Reader` only reads. The library is one (with asking and writing besides), and the
live services (alerts) get one of their own, so nothing below the library needs the library.
An article of another server's collection is "not found", exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from index.corpus.indexing import SearchIndex
from index.corpus.servers import Servers
from index.errors import NotFound
from index.models import Article, Passage, Scope, SourceSummary
from index.store import Store

__all__ = ["Reader"]


class Reader:
    """Read-only access to one library's corpus."""

    def __init__(self, store: Store, search: SearchIndex, servers: Servers) -> None:
        self.store = store
        self.search = search
        self.servers = servers

    async def scope(self, guild_id: int | None = None) -> Scope:
        """What a question asked in this server (None: a DM, the command line) may see."""
        return await self.servers.scope(guild_id)

    async def sources(self, scope: Scope | None = None) -> list[SourceSummary]:
        scope = scope or await self.scope()
        return await self.store.sources(scope.collections)

    async def source_names(
        self, prefix: str = "", limit: int = 25, scope: Scope | None = None
    ) -> list[str]:
        scope = scope or await self.scope()
        return await self.store.source_names(prefix, limit, scope.collections)

    async def languages(self) -> list[str]:
        """The languages of the indexed passages."""
        return list(self.search.langs)

    async def find_articles(
        self, prefix: str = "", limit: int = 25, scope: Scope | None = None
    ) -> list[Article]:
        scope = scope or await self.scope()
        return await self.store.find_articles(prefix, limit, scope.collections)

    async def article(self, article_id: str, scope: Scope | None = None) -> Article:
        """An article the scope can see; another server's is "not found", like a missing one."""
        scope = scope or await self.scope()
        found = await self.store.article(article_id)
        if found is None or found.collection not in scope:
            raise NotFound("article", article_id)
        return found

    async def passages(self, article_id: str, scope: Scope | None = None) -> list[Passage]:
        await self.article(article_id, scope)
        return await self.store.passages(article_id)

    async def context(
        self, passage_id: str, scope: Scope | None = None
    ) -> tuple[Passage, str, str]:
        """A passage with the passage before and after it (empty at the article's edges)."""
        article_id, _, position = passage_id.partition(":")
        if not position.isdigit():
            raise NotFound("passage", passage_id)
        await self.article(article_id, scope)
        pos = int(position)
        found = await self.store.passages_by_key(
            [(article_id, pos - 1), (article_id, pos), (article_id, pos + 1)]
        )
        passage = found.get((article_id, pos))
        if passage is None:
            raise NotFound("passage", passage_id)
        before = found.get((article_id, pos - 1))
        after = found.get((article_id, pos + 1))
        return passage, before.text if before else "", after.text if after else ""

    async def quotable(
        self, keys: Sequence[tuple[str, int]]
    ) -> tuple[dict[tuple[str, int], Passage], dict[str, Article]]:
        """Passages by ``(article id, position)`` with their articles' metadata."""
        return await self.store.quotable(keys)

    async def citations(self, ids: Iterable[str]) -> dict[str, Article]:
        """Articles' metadata by id (no texts): enough to cite them."""
        return await self.store.citations(ids)
