"""The semantic stage of a library: the passage vector index, loaded and searched.

* **Vectors land after BM25.** Computing them is background work (``index.corpus.embedding``):
  a bulk ingest answers with BM25 at once, and the semantic stage joins as vectors land.
* **The index is derived.** It lives in a folder beside the store (``index.semantic.vectors``)
  that carries the id of the ledger it matches; at start it is read from disk in the background
  (``ready`` tells when), and one that is missing, damaged or another store's is rebuilt from the
  cached vectors. Vectors are recorded in the ledger only once the index has written them to
  disk; ``reset`` empties both, for ``reindex``.
* **Search** embeds the question (~10–20 ms) and returns the nearest passages of the asker's
  collections, by cosine similarity.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from index.search.engines.base import Hit, VectorIndex
from index.semantic.embedder import Embedder
from index.store.schema import vector_state

if TYPE_CHECKING:
    from index.store import Store

__all__ = ["SemanticStage"]

log = logging.getLogger(__name__)

_INDEX_ID = "vector_index_id"  # meta key: the vector index the ledger describes
_QUERY_CACHE = 256


class SemanticStage:
    def __init__(self, store: Store, embedder: Embedder, index: VectorIndex) -> None:
        self.store = store
        self.embedder = embedder
        self.index = index
        self._loaded = asyncio.Event()
        self._loader: asyncio.Task[None] | None = None
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()

    # --- loading -------------------------------------------------------------------------------

    def start_loading(self) -> None:
        """Load the index from the store's ledger in the background."""
        if self._loader is None:
            self._loader = asyncio.create_task(self._load(), name="storybot-vectors-load")

    async def _load(self) -> None:
        """Read the index from disk if it is the one the ledger describes; else start anew."""
        try:
            expected = await self.store.get_meta(_INDEX_ID)
            found = await asyncio.to_thread(self.index.stored_id)
            loaded = False
            if found is not None and found == expected:
                try:
                    await asyncio.to_thread(self.index.load)
                    loaded = True
                except Exception:
                    log.warning("the vector index is damaged; rebuilding it from the cached "
                                "vectors", exc_info=True)
            if not loaded:
                await self._reset_index()
        finally:
            self._loaded.set()

    async def _reset_index(self) -> None:
        """A new, empty index under a new id, and a ledger that says so."""
        index_id = uuid.uuid4().hex
        await asyncio.to_thread(self.index.reset, index_id)
        # An index that shares the engine's documents keeps the engine's id.
        kept = await asyncio.to_thread(self.index.stored_id)
        await self.store.reset_ledger(vector_state, _INDEX_ID, kept or index_id)

    @property
    def ready(self) -> bool:
        """Whether the index is loaded (until then questions are answered by BM25 alone)."""
        return self._loaded.is_set() and self._loader is not None and (
            not self._loader.done() or self._loader.exception() is None
        )

    async def wait_ready(self) -> None:
        self.start_loading()
        await self._loaded.wait()

    async def close(self) -> None:
        if self._loader is not None and not self._loader.done():
            self._loader.cancel()
            await asyncio.gather(self._loader, return_exceptions=True)

    async def reset(self) -> None:
        """Empty the index and its ledger (vectors stay cached: a rebuild re-reads them)."""
        await self.wait_ready()
        await self._reset_index()

    # --- searching -------------------------------------------------------------------------

    async def search(
        self, question: str, k: int, collections: tuple[str, ...] | None
    ) -> list[Hit]:
        """The ``k`` passages nearest the question's meaning (cosine), in these collections;
        empty while the index is still loading."""
        if not self.ready:
            return []
        vector = await asyncio.to_thread(self._query_vector, question)
        return await asyncio.to_thread(self.index.search_vector, vector, k, collections)

    def _query_vector(self, question: str) -> np.ndarray:
        """The question's vector, remembered for the few most recent questions (an ask uses it
        to search and again to rank; popular questions come back)."""
        with self._queries_lock:
            vector = self._queries.get(question)
            if vector is not None:
                self._queries.move_to_end(question)
                return vector
        vector = self.embedder.query(question)
        with self._queries_lock:
            self._queries[question] = vector
            while len(self._queries) > _QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector

    def cosines_for(
        self, question: str
    ) -> Callable[[Sequence[tuple[str, int]]], dict[tuple[str, int], float]]:
        """For ranking: the cosine of the question with given passages (sync, thread-safe)."""
        return lambda keys: self.index.cosines(self._query_vector(question), keys)
