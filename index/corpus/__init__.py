"""The corpus at work: derived indexes kept in step with the store, and what writes to it.

* ``catchup``: one way to bring a derived index up to date from its ledger, batch by batch,
  alone or with other processes (claims);
* ``indexing``: the search index (a BM25 engine); ``embedding``: the vector index (the slow
  part, background work);
* ``ingesting``: articles in, one transaction each, then the search index and a signal;
* ``servers``: collections, what each Discord server sees, removals and purges;
* ``reading``: read-only access, as a scope may see it.
"""

from __future__ import annotations

from index.corpus.catchup import Batch, CatchUp, Derived
from index.corpus.embedding import Embedding
from index.corpus.indexing import SearchIndex
from index.corpus.ingesting import Ingestor
from index.corpus.reading import Reader
from index.corpus.servers import Servers, sample_corpus

__all__ = [
    "Batch", "CatchUp", "Derived", "Embedding", "Ingestor", "Reader", "SearchIndex", "Servers",
    "sample_corpus",
]
