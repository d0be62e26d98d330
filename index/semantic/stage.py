"""The semantic stage of a library: computing passage vectors, loading and searching them.

* **Vectors land after BM25.** ``embed_pending`` works through the store's vector backlog
  (articles whose current version has no vectors yet), in batches: it looks each passage's text
  up in the embedding cache, embeds only what is missing (in a worker thread; the model releases
  the GIL), caches it, adds the vectors to the index and then records them in the ledger. A bulk
  ingest answers with BM25 at once; the running bot embeds in the background and the semantic
  stage joins as vectors land. After a crash the backlog is exactly what was not recorded.
* **The index is derived.** At start it is loaded from the ledger in the background
  (``ready`` tells when); ``reset`` empties it and the ledger, for ``reindex``.
* **Search** embeds the question (~10–20 ms) and returns the nearest passages of the asker's
  collections, by cosine similarity.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
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
_EMBED_BATCH = 32


class SemanticStage:
    def __init__(self, store: Store, embedder: Embedder, index: VectorIndex) -> None:
        self.store = store
        self.embedder = embedder
        self.index = index
        self.vectors = VectorStore(store)
        self._loaded = asyncio.Event()
        self._loader: asyncio.Task[None] | None = None
        self._embedding = asyncio.Lock()

    # --- loading -------------------------------------------------------------------------------

    def start_loading(self) -> None:
        """Load the index from the store's ledger in the background."""
        if self._loader is None:
            self._loader = asyncio.create_task(self._load(), name="storybot-vectors-load")

    async def _load(self) -> None:
        try:
            async for rows in self.vectors.held(self.embedder.model_id):
                docs = [VectorDoc(r[0], int(r[1]), r[2], r[3], from_blob(r[4])) for r in rows]
                await asyncio.to_thread(_add_and_commit, self.index, docs)
        except Exception:
            log.exception("loading passage vectors failed; the semantic stage is off until "
                          "`storybot reindex`")
            raise
        finally:
            self._loaded.set()

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

    async def embed_pending(self, progress: ProgressFactory = no_progress) -> int:
        """Embed every article the vector index lacks; returns how many articles were done."""
        await self.wait_ready()
        async with self._embedding:
            stale, gone = await self.vectors.backlog()
            await self._drop(gone)
            if not stale:
                return 0
            bar = progress("vectors", len(stale), " articles")
            try:
                for i in range(0, len(stale), _ARTICLES_PER_BATCH):
                    batch = stale[i : i + _ARTICLES_PER_BATCH]
                    await self._embed_batch(batch)
                    bar.update(len(batch))
            finally:
                bar.close()
            return len(stale)

    async def drop_gone(self) -> None:
        """Remove the vectors of articles no longer in the store (a purge, a /remove) now."""
        if not self._loaded.is_set():
            return  # the load reads the ledger, and embed_pending drops them later
        async with self._embedding:
            _stale, gone = await self.vectors.backlog()
            await self._drop(gone)

    async def _drop(self, gone: Sequence[str]) -> None:
        if gone:
            await asyncio.to_thread(_delete_and_commit, self.index, gone)
            await self.vectors.mark([], [], gone)

    async def _embed_batch(self, batch: Sequence[tuple[str, int]]) -> None:
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
        for start in range(0, len(missing), _EMBED_BATCH):
            part = missing[start : start + _EMBED_BATCH]
            vectors = await asyncio.to_thread(self.embedder.passages, [t for _d, t in part])
            new = {digest: to_blob(vector) for (digest, _t), vector in zip(part, vectors,
                                                                            strict=True)}
            await self.vectors.cache(model, new.items())
            blobs.update(new)
        docs = [VectorDoc(p.article_id, p.position, collection, p.lang, from_blob(blobs[d]))
                for p, collection, _t, d in items]
        await asyncio.to_thread(_replace_and_commit, self.index, ids, docs)
        await self.vectors.mark(
            batch, [(p.article_id, p.position, d) for p, _c, _t, d in items], []
        )

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
            await asyncio.to_thread(self.index.reset, "")
            await self.vectors.reset()

    # --- searching -------------------------------------------------------------------------

    async def search(
        self, question: str, k: int, collections: tuple[str, ...] | None
    ) -> list[Hit]:
        """The ``k`` passages nearest the question's meaning (cosine), in these collections;
        empty while the index is still loading."""
        if not self.ready:
            return []
        vector = await asyncio.to_thread(self.embedder.query, question)
        return await asyncio.to_thread(self.index.search_vector, vector, k, collections)


def _add_and_commit(index: VectorIndex, docs: Sequence[VectorDoc]) -> None:
    index.add_vectors(docs)
    index.commit()


def _delete_and_commit(index: VectorIndex, article_ids: Sequence[str]) -> None:
    index.delete_articles(article_ids)
    index.commit()


def _replace_and_commit(
    index: VectorIndex, article_ids: Sequence[str], docs: Sequence[VectorDoc]
) -> None:
    index.delete_articles(article_ids)
    index.add_vectors(docs)
    index.commit()
