"""The store's part for the semantic stage: the embedding cache and the vector-index ledger.

Vectors are float16 bytes (768 per passage). The cache is keyed by model and text digest, so
the same text is embedded once whatever article or collection it is in. The ledger
(``vector_state`` per article version, ``passage_vectors`` per passage) records what the derived
vector index holds, so after a crash the backlog is exactly what is missing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select

from index.store.schema import articles, embeddings, passage_vectors, passages, vector_state
from index.store.store import Store

__all__ = ["VectorStore"]

_CHUNK = 500


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16)


class VectorStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    async def cached(self, model: str, digests: Sequence[str]) -> dict[str, bytes]:
        """The cached vectors of these texts (by digest)."""
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(digests))
        async with self.engine.connect() as conn:
            for i in range(0, len(unique), _CHUNK):
                rows = await conn.execute(select(embeddings.c.digest, embeddings.c.vector).where(
                    embeddings.c.model == model,
                    embeddings.c.digest.in_(unique[i : i + _CHUNK]),
                ))
                found.update({str(r[0]): bytes(r[1]) for r in rows})
        return found

    async def cache(self, model: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Keep vectors by model and text digest (texts already cached are left alone)."""
        rows = {digest: blob for digest, blob in items}
        if not rows:
            return
        known = await self.cached(model, list(rows))
        new = [
            {"model": model, "digest": d, "vector": b} for d, b in rows.items() if d not in known
        ]
        if new:
            async with self.store.writing() as conn:
                await conn.execute(insert(embeddings), new)

    async def backlog(self) -> tuple[list[tuple[str, int]], list[str]]:
        """Articles the vector index lacks (or holds an old version of), and ids it holds but
        should not."""
        return await self.store.backlog(vector_state)

    async def mark(
        self, versions: Sequence[tuple[str, int]], digests: Sequence[tuple[str, int, str]],
        gone: Sequence[str],
    ) -> None:
        """Record, after the vector index committed, what it holds now."""
        ids = [a for a, _v in versions] + list(gone)
        async with self.store.writing() as conn:
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                await conn.execute(delete(vector_state).where(vector_state.c.article_id.in_(chunk)))
                await conn.execute(
                    delete(passage_vectors).where(passage_vectors.c.article_id.in_(chunk))
                )
            if versions:
                await conn.execute(insert(vector_state),
                                   [{"article_id": a, "version": v} for a, v in versions])
            if digests:
                await conn.execute(insert(passage_vectors), [
                    {"article_id": a, "position": p, "digest": d} for a, p, d in digests
                ])

    async def reset(self) -> None:
        """The vector index holds nothing (a new one, or a rebuild)."""
        async with self.store.writing() as conn:
            await conn.execute(delete(vector_state))
            await conn.execute(delete(passage_vectors))

    async def held(self, model: str, batch: int = 20_000) -> AsyncIterator[list[Any]]:
        """Everything the ledger says the index holds, to load it: rows of (article id,
        position, collection, lang, vector bytes), in batches."""
        statement = (
            select(passage_vectors.c.article_id, passage_vectors.c.position,
                   articles.c.collection, passages.c.lang, embeddings.c.vector)
            .join(articles, articles.c.id == passage_vectors.c.article_id)
            .join(passages, (passages.c.article_id == passage_vectors.c.article_id)
                  & (passages.c.position == passage_vectors.c.position))
            .join(embeddings, (embeddings.c.model == model)
                  & (embeddings.c.digest == passage_vectors.c.digest))
        )
        async with self.engine.connect() as conn:
            result = await conn.stream(statement)
            async for rows in result.partitions(batch):
                yield list(rows)
