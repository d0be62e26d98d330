"""The store's part for the semantic stage: the embedding cache.

Vectors are float16 bytes (768 per passage). The cache is keyed by model and text digest, so
the same text is embedded once whatever article or collection it is in, and a rebuilt vector
index costs no model time. (What the vector index holds is its ledger, ``vector_state``, kept
like the search index's: ``Store.backlog``, ``Store.mark``.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import insert, select

from index.store.schema import embeddings
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
