"""The vector index kept by the search engine itself (OpenSearch's ``knn_vector`` field).

On a cluster the passages' vectors live in the same documents as their BM25 fields, so every
bot process shares one copy and the cluster searches them with the collection filter inside
the k-NN search. This adapter gives the semantic stage that index behind the ``VectorIndex``
contract. The documents belong to the engine: deleting an article or rebuilding the index
removes their vectors with them, so ``delete_articles`` and ``reset`` leave that to the
library, and the identity is the engine's (a rebuilt BM25 index is a new vector index, whose
ledger the stage then refills from the cached vectors).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from index.search.engines.base import Hit, VectorDoc

__all__ = ["EngineVectors"]


class EngineVectors:
    def __init__(self, engine: Any) -> None:
        self.engine = engine  # an engine with add_vectors, search_vector, vectors_of

    def add_vectors(self, docs: Iterable[VectorDoc]) -> int:
        count: int = self.engine.add_vectors(docs)
        return count

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        """Nothing to do: the library deletes the articles' documents, vectors and all."""

    def commit(self) -> None:
        self.engine.commit()

    def persist(self) -> None:
        """Nothing to do: the cluster has the vectors once ``commit`` returns."""

    def load(self) -> int:
        return self.num_vectors()

    def search_vector(
        self, vector: ArrayLike, k: int, collections: tuple[str, ...] | None = None
    ) -> list[Hit]:
        flat = [float(x) for x in np.asarray(vector, dtype=np.float32).ravel()]
        hits: list[Hit] = self.engine.search_vector(flat, k, collections)
        return hits

    def num_vectors(self) -> int:
        count: int = self.engine.num_vectors()
        return count

    def cosines(
        self, vector: ArrayLike, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], float]:
        found: dict[tuple[str, int], Sequence[float]] = self.engine.vectors_of(keys)
        if not found:
            return {}
        query = np.asarray(vector, dtype=np.float32).ravel()
        matrix = np.asarray(list(found.values()), dtype=np.float32)
        return dict(zip(found, (float(c) for c in matrix @ query), strict=True))

    def stored_id(self) -> str | None:
        found: str | None = self.engine.stored_id()
        return found

    def reset(self, index_id: str) -> None:
        """Nothing to do: the documents (and their vectors) are the engine's to reset."""

    def begin_rebuild(self, index_id: str) -> None:
        """Nothing to do: the engine's rebuild builds the documents the vectors go in."""

    def finish_rebuild(self) -> None:
        """Nothing to do (see ``begin_rebuild``)."""
