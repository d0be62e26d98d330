"""The semantic stage of a library: computing passage vectors, loading and searching them.

* **Vectors land after BM25.** ``embed_pending`` works through the store's vector backlog
  (articles whose current version has no vectors yet), in batches: it looks each passage's text
  up in the embedding cache, embeds only what is missing (in a worker thread; the model releases
  the GIL), caches it, adds the vectors to the index and then records them in the ledger. A bulk
  ingest answers with BM25 at once; the running bot embeds in the background and the semantic
  stage joins as vectors land. After a crash the backlog is exactly what was not recorded.
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
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from index.progress import ProgressFactory, no_progress
from index.search.engines.base import Hit, VectorDoc, VectorIndex
from index.semantic.embedder import Embedder, passage_text, text_digest
from index.store.vectors import VectorStore, from_blob, to_blob

if TYPE_CHECKING:
    from index.store import Store

__all__ = ["SemanticStage"]

log = logging.getLogger(__name__)

_ARTICLES_PER_BATCH = 64
_SAVE_EVERY_S = 60.0  # how often a long embedding run writes the index and records it
_INDEX_ID = "vector_index_id"  # meta key: the vector index the ledger describes
_QUERY_CACHE = 256
_EMBED_BATCH = 32


class SemanticStage:
    def __init__(
        self, store: Store, embedder: Embedder, index: VectorIndex,
        write_lock: asyncio.Lock | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.index = index
        # Held around writes when the index is the search engine's (its writes are serial).
        self._write_lock = write_lock or asyncio.Lock()
        self.vectors = VectorStore(store)
        self._loaded = asyncio.Event()
        self._loader: asyncio.Task[None] | None = None
        self._embedding = asyncio.Lock()
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
        index_id = kept or index_id
        await self.vectors.reset()
        await self.store.set_meta(_INDEX_ID, index_id)

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

    # --- computing vectors ---------------------------------------------------------------------

    async def pending(self) -> int:
        """How many articles wait for vectors."""
        stale, gone = await self.vectors.backlog()
        return len(stale) + len(gone)

    async def embed_pending(
        self, progress: ProgressFactory = no_progress, *, compute: bool = True
    ) -> int:
        """Give every article the vector index lacks its vectors; returns how many articles
        were done. With ``compute`` off, only vectors already in the cache are used (another
        process, holding the "embed" lease, is computing the rest)."""
        await self.wait_ready()
        async with self._embedding:
            stale, gone = await self.vectors.backlog()
            await self._drop(gone)
            if not stale:
                return 0
            bar = progress("vectors", len(stale), " articles")
            unrecorded: list[tuple[Sequence[tuple[str, int]], list[tuple[str, int, str]]]] = []
            last_save = time.monotonic()
            try:
                for i in range(0, len(stale), _ARTICLES_PER_BATCH):
                    batch = stale[i : i + _ARTICLES_PER_BATCH]
                    done = await self._embed_batch(batch, compute)
                    if done is not None:
                        unrecorded.append(done)
                    bar.update(len(batch))
                    if time.monotonic() - last_save > _SAVE_EVERY_S:
                        await self._record(unrecorded)
                        last_save = time.monotonic()
            finally:
                await self._record(unrecorded)
                bar.close()
            return len(stale)

    async def _record(
        self, unrecorded: list[tuple[Sequence[tuple[str, int]], list[tuple[str, int, str]]]]
    ) -> None:
        """Write the index to disk, then record in the ledger what it now holds."""
        if not unrecorded:
            return
        await asyncio.to_thread(self.index.persist)
        for batch, digests in unrecorded:
            await self.vectors.mark(batch, digests, [])
        unrecorded.clear()

    async def drop_gone(self) -> None:
        """Remove the vectors of articles no longer in the store (a purge, a /remove) now."""
        if not self._loaded.is_set():
            return  # the load reads the ledger, and embed_pending drops them later
        async with self._embedding:
            _stale, gone = await self.vectors.backlog()
            await self._drop(gone)

    async def _drop(self, gone: Sequence[str]) -> None:
        if gone:
            async with self._write_lock:
                await asyncio.to_thread(_delete_and_commit, self.index, gone)
            await asyncio.to_thread(self.index.persist)
            await self.vectors.mark([], [], gone)

    async def _embed_batch(
        self, batch: Sequence[tuple[str, int]], compute: bool
    ) -> tuple[Sequence[tuple[str, int]], list[tuple[str, int, str]]] | None:
        """Embed (or take from the cache) one batch of articles and add them to the index;
        returns what the ledger should record for them once the index is saved (None when,
        not computing, some of their vectors are not cached yet)."""
        ids = [article_id for article_id, _version in batch]
        heads = await self.store.citations(ids)
        items = []
        async for chunk in self.store.iter_passages(ids):
            for passage in chunk:
                head = heads.get(passage.article_id)
                if head is not None:
                    text = passage_text(head.title, passage.text)
                    items.append((passage, head.collection, text, text_digest(text)))
        model = self.embedder.model_id
        blobs = await self.vectors.cached(model, [digest for *_rest, digest in items])
        missing = list({d: t for _p, _c, t, d in items if d not in blobs}.items())
        if missing and not compute:
            complete = {p.article_id for p, _c, _t, d in items if d in blobs} - {
                p.article_id for p, _c, _t, d in items if d not in blobs
            }
            batch = [entry for entry in batch if entry[0] in complete]
            items = [item for item in items if item[0].article_id in complete]
            ids = [article_id for article_id, _version in batch]
            if not batch:
                return None
            missing = []
        for start in range(0, len(missing), _EMBED_BATCH):
            part = missing[start : start + _EMBED_BATCH]
            vectors = await asyncio.to_thread(self.embedder.passages, [t for _d, t in part])
            new = {digest: to_blob(vector) for (digest, _t), vector in zip(part, vectors,
                                                                            strict=True)}
            await self.vectors.cache(model, new.items())
            blobs.update(new)
        docs = [VectorDoc(p.article_id, p.position, collection, p.lang, from_blob(blobs[d]))
                for p, collection, _t, d in items]
        async with self._write_lock:
            await asyncio.to_thread(_replace_and_commit, self.index, ids, docs)
        return batch, [(p.article_id, p.position, d) for p, _c, _t, d in items]

    async def seed(self, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Put vectors computed elsewhere (by this same model, for these exact texts) into the
        cache, so they are not computed again; returns how many were new."""
        model = self.embedder.model_id
        items = {text_digest(t): to_blob(v) for t, v in zip(texts, vectors, strict=True)}
        known = await self.vectors.cached(model, list(items))
        await self.vectors.cache(model, items.items())
        return len(items) - len(known)

    async def reset(self) -> None:
        """Empty the index and its ledger (vectors stay cached: a rebuild re-reads them)."""
        await self.wait_ready()
        async with self._embedding:
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


def _delete_and_commit(index: VectorIndex, article_ids: Sequence[str]) -> None:
    index.delete_articles(article_ids)
    index.commit()


def _replace_and_commit(
    index: VectorIndex, article_ids: Sequence[str], docs: Sequence[VectorDoc]
) -> None:
    index.delete_articles(article_ids)
    index.add_vectors(docs)
    index.commit()
