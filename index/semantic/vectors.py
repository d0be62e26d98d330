"""The embedded vector index: passage vectors in memory, one partition per collection.

Searching by collection is searching the collection's own partitions, so a server's handful
of vectors is searched exactly and never crowded out by the shared collection's. A partition
keeps float16 vectors (half the memory of float32) and answers by exact cosine similarity,
in chunks converted to float32 for numpy's fast matrix product.

The index is derived: at start the library loads it from the store's ledger of vectors
(``VectorStore.held``), in the background, while BM25 already answers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from index.search.engines.base import Hit, VectorDoc

__all__ = ["MemoryVectorIndex"]

_CHUNK_ROWS = 32_768  # float32 rows converted at a time while scoring a big partition


class _Partition:
    """The vectors of one collection: a growing float16 matrix, rows named by ``keys``.

    Adding appends (the matrix doubles when full); deleting marks rows dead, and the matrix is
    compacted once a quarter of it is dead, so commits stay cheap however big the partition.
    """

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.matrix = np.zeros((1024, dim), dtype=np.float16)
        self.alive = np.zeros(1024, dtype=bool)
        self.keys: list[tuple[str, int]] = []
        self.rows: dict[tuple[str, int], int] = {}
        self.by_article: dict[str, list[int]] = {}
        self.dead = 0

    def __len__(self) -> int:
        return len(self.rows)

    def delete(self, article_id: str) -> None:
        for row in self.by_article.pop(article_id, ()):
            if self.alive[row]:
                self.alive[row] = False
                del self.rows[self.keys[row]]
                self.dead += 1

    def add(self, key: tuple[str, int], vector: np.ndarray) -> None:
        old = self.rows.get(key)
        if old is not None:
            self.matrix[old] = vector
            return
        row = len(self.keys)
        if row == len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
            self.alive = np.concatenate([self.alive, np.zeros_like(self.alive)])
        self.matrix[row] = vector
        self.alive[row] = True
        self.keys.append(key)
        self.rows[key] = row
        self.by_article.setdefault(key[0], []).append(row)

    def compact(self) -> None:
        if self.dead * 4 < len(self.keys):
            return
        live = np.flatnonzero(self.alive[: len(self.keys)])
        keys = [self.keys[i] for i in live]
        size = max(1024, 1 << (len(keys) - 1).bit_length()) if keys else 1024
        self.matrix = np.concatenate([
            self.matrix[live], np.zeros((size - len(keys), self.dim), dtype=np.float16)
        ])
        self.alive = np.zeros(size, dtype=bool)
        self.alive[: len(keys)] = True
        self.keys = keys
        self.rows = {key: i for i, key in enumerate(keys)}
        self.by_article = {}
        for i, (article, _position) in enumerate(keys):
            self.by_article.setdefault(article, []).append(i)
        self.dead = 0

    def search(self, query: np.ndarray, k: int) -> list[tuple[float, tuple[str, int]]]:
        n = len(self.keys)
        if not self.rows:
            return []
        scores = np.empty(n, dtype=np.float32)
        for start in range(0, n, _CHUNK_ROWS):
            block = self.matrix[start : min(start + _CHUNK_ROWS, n)].astype(np.float32)
            scores[start : start + len(block)] = block @ query
        scores[~self.alive[:n]] = -np.inf
        take = min(k, len(self.rows))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(float(scores[i]), self.keys[i]) for i in top]


class MemoryVectorIndex:
    """Exact cosine search over float16 vectors, partitioned by collection."""

    name = "memory"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._parts: dict[str, _Partition] = {}
        self._where: dict[str, str] = {}  # article id → its collection
        self._pending: dict[str, dict[tuple[str, int], np.ndarray]] = {}
        self._pending_deletes: set[str] = set()
        self._lock = threading.RLock()

    def add_vectors(self, docs: Iterable[VectorDoc]) -> int:
        count = 0
        with self._lock:
            for doc in docs:
                vector = np.asarray(doc.vector, dtype=np.float32)
                if vector.shape != (self.dim,):
                    raise ValueError(f"a vector of {vector.shape} for a {self.dim}-dim index")
                self._pending.setdefault(doc.collection, {})[(doc.article_id, doc.position)] = (
                    vector
                )
                count += 1
        return count

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        with self._lock:
            ids = set(article_ids)
            self._pending_deletes |= ids
            for pending in self._pending.values():
                for key in [key for key in pending if key[0] in ids]:
                    del pending[key]

    def commit(self) -> None:
        with self._lock:
            for article in self._pending_deletes:
                collection = self._where.pop(article, None)
                if collection is not None:
                    self._parts[collection].delete(article)
            for collection, added in self._pending.items():
                part = self._parts.setdefault(collection, _Partition(self.dim))
                for key, vector in added.items():
                    part.add(key, vector)
                    self._where[key[0]] = collection
            for part in self._parts.values():
                part.compact()
            self._pending = {}
            self._pending_deletes = set()

    def search_vector(
        self, vector: ArrayLike, k: int, collections: tuple[str, ...] | None = None
    ) -> list[Hit]:
        query = np.asarray(vector, dtype=np.float32)
        with self._lock:
            parts = [p for name, p in self._parts.items()
                     if collections is None or name in collections]
        found = [hit for part in parts for hit in part.search(query, k)]
        found.sort(key=lambda pair: pair[0], reverse=True)
        return [Hit(key[0], key[1], score) for score, key in found[:k]]

    def cosines(
        self, vector: ArrayLike, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], float]:
        query = np.asarray(vector, dtype=np.float32)
        out = {}
        with self._lock:
            for key in keys:
                collection = self._where.get(key[0])
                part = self._parts.get(collection) if collection is not None else None
                row = part.rows.get(key) if part is not None else None
                if part is not None and row is not None:
                    out[key] = float(part.matrix[row].astype(np.float32) @ query)
        return out

    def num_vectors(self) -> int:
        with self._lock:
            return sum(len(p) for p in self._parts.values())

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()
            self._where.clear()
            self._pending.clear()
            self._pending_deletes.clear()

    def stored_id(self) -> str | None:
        return None  # in memory: loaded from the store's ledger at start

    def reset(self, index_id: str) -> None:
        self.clear()

    def begin_rebuild(self, index_id: str) -> None:
        self.clear()

    def finish_rebuild(self) -> None:
        pass
