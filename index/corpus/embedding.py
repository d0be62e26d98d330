"""Passage vectors for every article: the vector index kept in step with the store.

Computing vectors is the slow part of the semantic stage (10–30 passages a second on two
cores), so it never holds up an ingest or a question: new articles are answered with BM25 at
once, and the vectors follow from background work. ``Embedding`` works through the vector
index's backlog (``index.corpus.catchup``): for each batch it looks every passage's text up in
the embedding cache, computes only what is missing (the model releases the GIL), caches it,
adds the vectors to the index, and records them in the ledger once the index has written them
to disk. Batches are claimed in the store, so several processes sharing one store (PostgreSQL,
and a vector index on the cluster) embed different batches side by side.

``run`` works through the whole backlog (``storybot embed``, with a progress bar); ``step``
does one batch, for the job runner (``index.jobs``), which calls it while there is work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from index.corpus.catchup import Batch, CatchUp
from index.jobs import CLAIM_FOR
from index.progress import ProgressFactory, no_progress
from index.search.engines.base import VectorDoc, VectorIndex
from index.semantic.embedder import passage_text, text_digest
from index.semantic.stage import SemanticStage
from index.store import Store
from index.store.schema import vector_state
from index.store.vectors import VectorStore, from_blob, to_blob

__all__ = ["Embedding"]

_EMBED_AT_ONCE = 32  # texts handed to the model in one call


class _VectorWriter:
    """The vector index as a derived index of the store (``catchup.Derived``)."""

    ledger = vector_state
    label = "vectors"
    batch_size = 16  # articles (a few hundred passages: processes sharing the work split it finely)
    flush_every_s = 60.0  # writing the index to disk is costly: at most once a minute

    def __init__(self, stage: SemanticStage, write_lock: asyncio.Lock) -> None:
        self.stage = stage
        self.index: VectorIndex = stage.index
        self.cache = VectorStore(stage.store)
        self.write_lock = write_lock  # held around index writes (the engine's, on a cluster)
        self.passages = 0  # passages this process gave vectors to

    async def remove(self, article_ids: Sequence[str]) -> None:
        await self.stage.wait_ready()
        async with self.write_lock:
            await asyncio.to_thread(_replace_and_commit, self.index, article_ids, [])
        await asyncio.to_thread(self.index.persist)

    async def replace(self, batch: Batch) -> None:
        await self.stage.wait_ready()  # the index on disk is read before anything is added
        items = []
        for passage in batch.passages:
            head = batch.articles.get(passage.article_id)
            if head is not None:
                text = passage_text(head.title, passage.text)
                items.append((passage, head.collection, text, text_digest(text)))
        model = self.stage.embedder.model_id
        blobs = await self.cache.cached(model, [digest for *_rest, digest in items])
        missing = list({d: t for _p, _c, t, d in items if d not in blobs}.items())
        for start in range(0, len(missing), _EMBED_AT_ONCE):
            part = missing[start : start + _EMBED_AT_ONCE]
            vectors = await asyncio.to_thread(self.stage.embedder.passages, [t for _d, t in part])
            new = {digest: to_blob(vector)
                   for (digest, _t), vector in zip(part, vectors, strict=True)}
            await self.cache.cache(model, new.items())
            blobs.update(new)
        docs = [VectorDoc(p.article_id, p.position, collection, p.lang, from_blob(blobs[d]))
                for p, collection, _t, d in items]
        ids = [article_id for article_id, _version in batch.versions]
        async with self.write_lock:
            await asyncio.to_thread(_replace_and_commit, self.index, ids, docs)
        self.passages += len(docs)

    async def flush(self) -> None:
        await asyncio.to_thread(self.index.persist)


class Embedding:
    """The vector backlog of one library, worked through by this process (``holder``)."""

    def __init__(
        self, store: Store, stage: SemanticStage, holder: str, write_lock: asyncio.Lock,
        claim_for: timedelta = CLAIM_FOR,
    ) -> None:
        self.store = store
        self.stage = stage
        self._writer = _VectorWriter(stage, write_lock)
        self._catch_up = CatchUp(store, self._writer, holder, claim_for)

    async def run(self, progress: ProgressFactory = no_progress) -> int:
        """Compute the vectors of every passage that lacks one (only texts the cache does not
        hold cost model time); returns how many articles got theirs."""
        return await self._catch_up.run(progress)

    async def step(self) -> int:
        """One batch of the backlog; returns how many articles it held (0: none left). What it
        did is recorded at the next flush, at most a minute later or when the backlog ends."""
        await self._catch_up.drop_gone()
        batch = await self._catch_up.step(record=False)
        if batch is None:
            await self._catch_up.record()
            return 0
        return len(batch.versions)

    async def seed(self, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Put vectors computed elsewhere (by this same model, for these exact texts, as
        ``passage_text`` makes them) into the cache, so they are not computed again; returns
        how many were new."""
        model = self.stage.embedder.model_id
        items = {text_digest(t): to_blob(v) for t, v in zip(texts, vectors, strict=True)}
        cache = self._writer.cache
        known = await cache.cached(model, list(items))
        await cache.cache(model, items.items())
        return len(items) - len(known)

    async def drop_gone(self) -> None:
        """Remove the vectors of articles no longer stored (a purge, a /remove) now."""
        if self.stage.ready:  # else loading reads the ledger, and a later step drops them
            await self._catch_up.drop_gone()

    async def finish(self) -> None:
        """Record what was computed and not yet recorded (before closing)."""
        await self._catch_up.record()

    @property
    def passages_done(self) -> int:
        """Passages this process gave vectors to (other processes' work not counted)."""
        return self._writer.passages

    async def status(self) -> tuple[int, int]:
        """``(passages with vectors, passages in all)``."""
        behind, total = await self.store.count_behind(vector_state)
        return total - behind, total


def _replace_and_commit(
    index: VectorIndex, article_ids: Sequence[str], docs: Sequence[VectorDoc]
) -> None:
    index.delete_articles(article_ids)
    if docs:
        index.add_vectors(docs)
    index.commit()
