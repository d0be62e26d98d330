"""The embedded vector index: one usearch index per collection, kept in a folder beside the store.

Searching by collection is searching the collection's own index, so a server's handful of
vectors is searched exactly and never crowded out by the shared collection's (usearch, like
most HNSW libraries, has no efficient filtered search). A collection below ``EXACT_BELOW``
vectors is searched exhaustively (recall 1, under 3 ms); larger ones through the HNSW graph
(float16 vectors, 16 links a node; about 900 bytes a passage). A passage's label is its
article number and position (``a0123456789a`` position 7 → ``0x0123456789a << 16 | 7``), so no
mapping has to be stored.

Like the tantivy index, the folder is derived: it records the id of the store ledger it
matches, ``commit`` makes additions visible to searches, and ``persist`` writes the changed
collections to disk (each file replaced whole, atomically); the library records vectors in the
ledger only after they are persisted, so after a crash the backlog is exactly what is missing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from index.search.engines.base import Hit, VectorDoc

__all__ = ["EXACT_BELOW", "UsearchVectorIndex"]

log = logging.getLogger(__name__)

EXACT_BELOW = 20_000  # vectors in a collection below which it is searched exhaustively
_ID_FILE = "storybot-index-id"
_SUFFIX = ".usearch"
_POSITION_BITS = 16


def label(article_id: str, position: int) -> int:
    return (int(article_id[1:], 16) << _POSITION_BITS) | position


def unlabel(value: int) -> tuple[str, int]:
    value = int(value)
    return f"a{value >> _POSITION_BITS:011x}", value & ((1 << _POSITION_BITS) - 1)


def _file_name(collection: str) -> str:
    return collection.replace(":", "_") + _SUFFIX


def _collection(file_name: str) -> str:
    return file_name.removesuffix(_SUFFIX).replace("_", ":", 1)


class UsearchVectorIndex:
    """Cosine search (inner product of L2-normalised vectors), one index per collection."""

    name = "usearch"

    def __init__(self, path: Path | None, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._parts: dict[str, Any] = {}
        self._where: dict[str, str] = {}  # article id → its collection
        self._positions: dict[str, set[int]] = {}  # article id → its positions held
        self._pending: dict[str, dict[int, np.ndarray]] = {}
        self._pending_deletes: set[str] = set()
        self._dirty: set[str] = set()
        self._lock = threading.RLock()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)

    # --- building ----------------------------------------------------------------------------

    def _new(self) -> Any:
        from usearch.index import Index

        return Index(ndim=self.dim, metric="ip", dtype="f16", connectivity=16,
                     expansion_add=128, expansion_search=256)

    def load(self) -> int:
        """Read the persisted collections; returns how many vectors they hold."""
        from usearch.index import Index

        if self.path is None:
            return 0
        with self._lock:
            for file in sorted(self.path.glob("*" + _SUFFIX)):
                part = Index.restore(str(file))
                if part is None:
                    raise OSError(f"{file} is not a usearch index")
                collection = _collection(file.name)
                self._parts[collection] = part
                for value in np.asarray(part.keys):
                    article, position = unlabel(value)
                    self._where[article] = collection
                    self._positions.setdefault(article, set()).add(position)
            return self.num_vectors()

    def add_vectors(self, docs: Iterable[VectorDoc]) -> int:
        count = 0
        with self._lock:
            for doc in docs:
                vector = np.asarray(doc.vector, dtype=np.float32)
                if vector.shape != (self.dim,):
                    raise ValueError(f"a vector of {vector.shape} for a {self.dim}-dim index")
                pending = self._pending.setdefault(doc.collection, {})
                pending[label(doc.article_id, doc.position)] = vector
                count += 1
        return count

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        with self._lock:
            ids = set(article_ids)
            self._pending_deletes |= ids
            for pending in self._pending.values():
                for value in [v for v in pending if unlabel(v)[0] in ids]:
                    del pending[value]

    def commit(self) -> None:
        """Make queued changes visible to searches (``persist`` writes them to disk)."""
        with self._lock:
            for article in self._pending_deletes:
                collection = self._where.pop(article, None)
                positions = self._positions.pop(article, set())
                if collection is not None and positions:
                    values = np.array([label(article, p) for p in positions], dtype=np.uint64)
                    self._parts[collection].remove(values)
                    self._dirty.add(collection)
            for collection, added in self._pending.items():
                if not added:
                    continue
                part = self._parts.get(collection)
                if part is None:
                    part = self._parts[collection] = self._new()
                values = np.fromiter(added, dtype=np.uint64, count=len(added))
                present = [v for v in values if part.contains(int(v))]
                if present:
                    part.remove(np.asarray(present, dtype=np.uint64))
                part.add(values, np.stack(list(added.values())), threads=1)
                for value in values:
                    article, position = unlabel(value)
                    self._where[article] = collection
                    self._positions.setdefault(article, set()).add(position)
                self._dirty.add(collection)
            self._pending = {}
            self._pending_deletes = set()

    def persist(self) -> None:
        """Write the collections changed since the last ``persist`` (atomically, each file)."""
        if self.path is None:
            return
        with self._lock:
            for collection in sorted(self._dirty):
                target = self.path / _file_name(collection)
                part = self._parts.get(collection)
                if part is None or len(part) == 0:
                    target.unlink(missing_ok=True)
                    continue
                temporary = target.with_suffix(".tmp")
                part.save(str(temporary))
                os.replace(temporary, target)
            self._dirty.clear()

    # --- searching -------------------------------------------------------------------------

    def search_vector(
        self, vector: ArrayLike, k: int, collections: tuple[str, ...] | None = None
    ) -> list[Hit]:
        query = np.asarray(vector, dtype=np.float32)
        with self._lock:
            parts = [p for name, p in self._parts.items()
                     if (collections is None or name in collections) and len(p)]
            found: list[tuple[float, int]] = []
            for part in parts:
                matches = part.search(query, min(k, len(part)), exact=len(part) < EXACT_BELOW,
                                      threads=1)
                found += zip((1.0 - np.asarray(matches.distances)).tolist(),
                             np.asarray(matches.keys).tolist(), strict=True)
        found.sort(key=lambda pair: pair[0], reverse=True)
        return [Hit(*unlabel(value), score) for score, value in found[:k]]

    def cosines(
        self, vector: ArrayLike, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], float]:
        query = np.asarray(vector, dtype=np.float32)
        by_part: dict[str, list[tuple[str, int]]] = {}
        with self._lock:
            for key in keys:
                collection = self._where.get(key[0])
                if collection is not None and key[1] in self._positions.get(key[0], ()):
                    by_part.setdefault(collection, []).append(key)
            out = {}
            for collection, part_keys in by_part.items():
                values = np.array([label(*key) for key in part_keys], dtype=np.uint64)
                vectors = np.asarray(self._parts[collection].get(values, dtype=np.float32))
                for key, row in zip(part_keys, np.atleast_2d(vectors), strict=True):
                    out[key] = float(row @ query)
        return out

    def num_vectors(self) -> int:
        with self._lock:
            return sum(len(part) for part in self._parts.values())

    # --- identity --------------------------------------------------------------------------

    def stored_id(self) -> str | None:
        if self.path is None:
            return None
        id_file = self.path / _ID_FILE
        return (id_file.read_text(encoding="utf-8").strip() or None) if id_file.is_file() else None

    def reset(self, index_id: str) -> None:
        with self._lock:
            self._parts.clear()
            self._where.clear()
            self._positions.clear()
            self._pending.clear()
            self._pending_deletes.clear()
            self._dirty.clear()
            if self.path is not None:
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True, exist_ok=True)
                (self.path / _ID_FILE).write_text(index_id, encoding="utf-8")

    def begin_rebuild(self, index_id: str) -> None:
        self.reset(index_id)

    def finish_rebuild(self) -> None:
        self.persist()
