"""The search index: a BM25 engine kept in step with the store.

Every write lands in the store first; ``sync`` then brings the engine up to date from the
store's ledger (``index.corpus.catchup``), so after a crash at any point the next ``sync`` adds
what the index lacks. An engine index is reused only when it carries the id of the ledger it
was built for and was analysed the way storybot analyses now; otherwise it is emptied and
rebuilt from the store.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from index.analysis.analyzers import ANALYSIS_VERSION, analyzer_for
from index.corpus.catchup import Batch, CatchUp
from index.models import SHARED, Article, Passage
from index.progress import ProgressFactory, no_progress
from index.search.engines import Doc, Engine, make_engine
from index.store import Store
from index.store.schema import index_state

__all__ = ["INDEX_ID", "SearchIndex"]

log = logging.getLogger(__name__)

INDEX_ID = "index_id"  # meta key: the search index the ledger describes
_ANALYSIS_VERSION = "analysis_version"  # meta key: the analysis the search index was built with


class SearchIndex:
    """The engine and its ledger; ``langs`` are the languages of the indexed passages."""

    ledger = index_state
    label = "indexing"
    batch_size = 2000
    flush_every_s = 0.0  # each batch is committed by ``replace``

    def __init__(self, store: Store, engine: Engine, write_lock: asyncio.Lock) -> None:
        self.store = store
        self.engine = engine
        self.write_lock = write_lock  # engine writes, one at a time
        self.langs: list[str] = []

    @classmethod
    async def open(
        cls, store: Store, engine: str, path: Path, options: dict[str, Any],
        write_lock: asyncio.Lock,
    ) -> SearchIndex:
        """The engine, checked against the store's ledger (emptied when it is not the index the
        ledger describes), not yet caught up: call ``sync``."""
        built = await asyncio.to_thread(lambda: make_engine(engine, path, **options))
        try:  # a cluster engine may fail here (unreachable): release its connections then
            async with store.exclusive("engine identity"):  # processes starting together
                await _check_engine(store, built, engine)
        except BaseException:
            await asyncio.to_thread(built.close)
            raise
        return cls(store, built, write_lock)

    async def sync(self, progress: ProgressFactory = no_progress) -> int:
        """Bring the index up to date with the store; returns how many articles changed."""
        # Processes sharing a store bring the shared index up to date one at a time.
        async with self.write_lock, self.store.exclusive("index sync"):
            changed = await CatchUp(self.store, self).run(progress)
        self.langs = await self.store.languages()
        return changed

    async def reindex(self, progress: ProgressFactory = no_progress) -> int:
        """Rebuild the index from scratch from the store; returns passages indexed. Engines that
        can keep answering from the old index while the new one is built do so."""
        async with self.write_lock:
            index_id = uuid.uuid4().hex
            await asyncio.to_thread(self.engine.begin_rebuild, index_id)
            await self.store.reset_ledger(self.ledger, INDEX_ID, index_id)
            await CatchUp(self.store, self).run(progress)
            await asyncio.to_thread(self.engine.finish_rebuild)
            passages = await asyncio.to_thread(self.engine.num_docs)
        self.langs = await self.store.languages()
        return passages

    async def close(self) -> None:
        async with self.write_lock:
            await asyncio.to_thread(self.engine.close)

    # --- as a derived index (``CatchUp``) ------------------------------------------------------

    async def remove(self, article_ids: Sequence[str]) -> None:
        await asyncio.to_thread(self._write, article_ids, [])

    async def replace(self, batch: Batch) -> None:
        ids = [article_id for article_id, _version in batch.versions]
        await asyncio.to_thread(self._write, ids, _docs(batch.passages, batch.articles))

    async def flush(self) -> None:
        return None

    def _write(self, delete_ids: Sequence[str], docs: Iterable[Doc]) -> None:
        # Writers are serialised by write_lock; searches go on meanwhile (tantivy searches a
        # snapshot, rank-bm25 locks itself).
        self.engine.delete_articles(delete_ids)
        self.engine.add(docs)
        self.engine.commit()


async def _check_engine(store: Store, built: Engine, engine: str) -> None:
    """Empty the index under a new id unless it is the store's and analysed as now."""
    found = await asyncio.to_thread(built.stored_id)
    analysis = await store.get_meta(_ANALYSIS_VERSION)
    if found is None or found != await store.get_meta(INDEX_ID) or analysis != ANALYSIS_VERSION:
        if found is not None:
            log.warning("the %s index is not this store's or was analysed differently; "
                        "rebuilding it", engine)
        await store.set_meta(_ANALYSIS_VERSION, ANALYSIS_VERSION)
        index_id = uuid.uuid4().hex
        await asyncio.to_thread(built.reset, index_id)
        await store.reset_ledger(index_state, INDEX_ID, index_id)


def _docs(passages: Iterable[Passage], articles: Mapping[str, Article]) -> Iterable[Doc]:
    """Engine documents: each passage's terms and keys, its article's outlet and title terms."""
    titles: dict[str, list[str]] = {}
    for passage in passages:
        article = articles.get(passage.article_id)
        if passage.article_id not in titles:
            title = article.title if article else None
            titles[passage.article_id] = (
                analyzer_for(article.lang).terms(title) if article and title else []
            )
        analysed = analyzer_for(passage.lang).analyze(passage.text)
        yield Doc(
            article_id=passage.article_id, position=passage.position, lang=passage.lang,
            terms=analysed.terms, keys=analysed.keys,
            outlets=article.outlets if article else (), title=titles[passage.article_id],
            collection=article.collection if article else SHARED,
        )
