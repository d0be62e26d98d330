"""What every search engine offers: add, delete, commit, search over pre-analysed tokens.

Engines never analyse text; they get the terms and keys the analyser made, so every engine (and
index time and query time) see exactly the same tokens. A document is one passage, named by its
article id and position; a search can be limited to languages, an outlet and collections.

An engine's index is derived from the store and must know which store ledger it matches: it
keeps an *index id* durably (``stored_id``), and ``reset`` empties it under a new id. A rebuild
goes through ``begin_rebuild``/``finish_rebuild`` so an engine that can (OpenSearch: a new index
behind an alias) keeps answering from the old index until the new one is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from numpy.typing import ArrayLike

__all__ = ["K1", "B", "Doc", "Engine", "Hit", "Query", "VectorDoc", "VectorIndex"]

# BM25 parameters shared by both engines (tantivy's own, which it does not let us change).
K1 = 1.2
B = 0.75


@dataclass(frozen=True, slots=True)
class Doc:
    article_id: str
    position: int
    lang: str
    terms: Sequence[str]
    keys: Sequence[str]
    outlets: Sequence[str] = ()  # the outlet's names, lowercased (name, domain): source filter
    collection: str = "shared"  # whose article: the shared collection or "guild:<id>"
    title: Sequence[str] = ()  # the article title's terms, searched at a lower weight


@dataclass(frozen=True, slots=True)
class Query:
    """Weighted terms and keys; ``lang``, ``source`` (an outlet's name or domain, any case) and
    ``collections`` limit the search, inside it (never by filtering a top-k afterwards)."""

    terms: dict[str, float]
    keys: dict[str, float]
    lang: str | None = None
    source: str | None = None
    title_weight: float = 0.0  # the terms are also searched in the title field at this weight
    collections: tuple[str, ...] | None = None  # None: every collection

    def fields(self) -> list[tuple[str, dict[str, float]]]:
        """Each field with its weighted tokens: terms, keys, and the terms again on titles."""
        fields = [("terms", self.terms), ("keys", self.keys)]
        if self.title_weight > 0:
            fields.append(("title", {t: w * self.title_weight for t, w in self.terms.items()}))
        return fields


@dataclass(frozen=True, slots=True)
class Hit:
    article_id: str
    position: int
    score: float


class Engine(Protocol):
    name: str

    def add(self, docs: Iterable[Doc]) -> int:
        """Queue passages for the next commit; returns how many."""

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        """Queue the removal of every passage of these articles."""

    def commit(self) -> None:
        """Make queued changes durable and visible to searches."""

    def clear(self) -> None:
        """Remove everything (committed at once)."""

    def search(self, query: Query, k: int) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first."""

    def scores(self, query: Query, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], float]:
        """The BM25 scores ``search`` would give these passages (found by other means, e.g. the
        semantic stage); passages that do not match are left out."""

    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int:
        """How many passages (of ``lang``) hold ``token`` in ``field`` ("terms" or "keys")."""

    def num_docs(self, lang: str | None = None) -> int:
        """How many passages (of ``lang``) the engine holds."""

    def stored_id(self) -> str | None:
        """The id of the store ledger this index was built for (None: none, or unreadable)."""

    def reset(self, index_id: str) -> None:
        """Empty the index and record ``index_id`` as the ledger it now matches."""

    def begin_rebuild(self, index_id: str) -> None:
        """Start building a new, empty index under ``index_id``; writes go to it from now on,
        while searches may keep using the old one until ``finish_rebuild``."""

    def finish_rebuild(self) -> None:
        """Make the rebuilt index the one searched (and drop the old one)."""

    def close(self) -> None:
        """Release files and memory."""


@dataclass(frozen=True, slots=True)
class VectorDoc:
    """A passage's embedding (float32, L2-normalised) for the semantic stage."""

    article_id: str
    position: int
    collection: str
    lang: str
    vector: ArrayLike  # a float32 numpy array in practice


class VectorIndex(Protocol):
    """Nearest passages by cosine similarity, within collections. Derived from the store's
    vectors like the BM25 index is from its passages, with the same identity and rebuild
    contract (``stored_id``, ``reset``, ``begin_rebuild``, ``finish_rebuild``)."""

    def add_vectors(self, docs: Iterable[VectorDoc]) -> int:
        """Queue passage vectors for the next commit (replacing a passage's earlier one)."""

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        """Queue the removal of every vector of these articles."""

    def commit(self) -> None:
        """Make queued changes visible to searches."""

    def persist(self) -> None:
        """Make committed changes durable (the ledger records them only after this)."""

    def load(self) -> int:
        """Read what the index holds from where it keeps it; returns how many vectors."""

    def search_vector(
        self, vector: ArrayLike, k: int, collections: tuple[str, ...] | None = None
    ) -> list[Hit]:
        """The ``k`` passages nearest ``vector`` (score: cosine similarity), best first, among
        ``collections`` only (filtered inside the search, not after a global top-k)."""

    def num_vectors(self) -> int:
        """How many passage vectors the index holds."""

    def cosines(
        self, vector: ArrayLike, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], float]:
        """Cosine similarity of ``vector`` with these passages' vectors (those it holds)."""

    def stored_id(self) -> str | None: ...

    def reset(self, index_id: str) -> None: ...

    def begin_rebuild(self, index_id: str) -> None: ...

    def finish_rebuild(self) -> None: ...
