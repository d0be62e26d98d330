"""What storybot asks of OpenSearch, as plain JSON: the index, its documents, its queries.

Pure functions, no client: the engine sends what these build, and tests read it without a
cluster.

* **The index** (``index_body``) mirrors the tantivy schema. ``terms``, ``keys`` and ``title``
  hold storybot's own pre-analysed tokens, joined by spaces; a whitespace analyzer splits them
  again and changes none. They are scored by a BM25 similarity with storybot's ``K1`` and ``B``
  (base.py). ``lang``, ``source`` (every outlet name, lowercased), ``collection`` and
  ``article`` are keywords; ``vector`` is the semantic stage's passage embedding, a
  ``knn_vector`` searched with HNSW graphs (the k-NN plugin's Lucene engine) by cosine.
* **A search** (``bm25_query``) is tantivy's: a bool of should-term queries, one per weighted
  token and field, boosted by its weight, with the language, outlet and collection limits as
  ``filter`` clauses of the same bool (they select, they do not score).
* **A vector search** (``knn_query``) puts the collection limit inside the k-NN clause, so the
  graph search looks for the ``k`` nearest among those collections only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from index.search.engines.base import K1, B, Doc, Query

__all__ = [
    "DIMENSION",
    "EMPTY",
    "bm25_query",
    "bm25_search",
    "cosine_from_score",
    "doc_id",
    "doc_source",
    "hit_key",
    "index_body",
    "knn_query",
]

DIMENSION = 384  # the semantic stage's embeddings (multilingual-e5-small and kin)
_TOKEN_FIELDS = ("terms", "keys", "title")
# What an empty token field holds. Lucene counts, per field, only the passages that have it
# (for the IDF and the average length); tantivy counts every passage. A token in every empty
# field makes Lucene count them all. No analyser makes it, so no question ever matches it; it
# only adds one token per empty field to the field's total length.
EMPTY = "\u2205"


def index_body(index_id: str, *, shards: int, replicas: int) -> dict[str, Any]:
    """Settings and mappings of a new passage index recorded as built for ``index_id``.

    Refreshes happen only on commit (``refresh_interval: -1``), so, as with tantivy, queued
    changes are invisible to searches until the engine commits them.
    """
    token_field = {
        "type": "text",
        # the built-in whitespace analyzer (OpenSearch core: a cluster without the
        # analysis-common module has it too); it cuts tokens longer than 255 characters, which
        # storybot's analysis does not make in practice (words, numbers, phonetic keys)
        "analyzer": "whitespace",
        "similarity": "storybot_bm25",
        "index_options": "freqs",
    }
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "refresh_interval": "-1",
                "knn": True,
                "similarity": {
                    "storybot_bm25": {"type": "BM25", "k1": K1, "b": B,
                                      "discount_overlaps": True},
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"storybot_index_id": index_id},
            "properties": {
                "article": {"type": "keyword"},
                "position": {"type": "integer"},
                "seq": {"type": "long"},
                "lang": {"type": "keyword"},
                "source": {"type": "keyword"},
                "collection": {"type": "keyword"},
                **{name: dict(token_field) for name in _TOKEN_FIELDS},
                "vector": {
                    "type": "knn_vector",
                    "dimension": DIMENSION,
                    "method": {
                        "name": "hnsw",
                        "engine": "lucene",
                        "space_type": "cosinesimil",
                        "parameters": {"m": 16, "ef_construction": 128},
                    },
                },
            },
        },
    }


def doc_id(article_id: str, position: int) -> str:
    """A passage's document id: re-sending a passage replaces it, never duplicates it."""
    return f"{article_id}:{position}"


def hit_key(document_id: str) -> tuple[str, int]:
    """(article id, position) back from a document id."""
    article_id, _, position = document_id.rpartition(":")
    return article_id, int(position)


def doc_source(doc: Doc, seq: int) -> dict[str, Any]:
    """A passage as an OpenSearch document: its tokens joined by spaces, like tantivy's, an
    empty field holding ``EMPTY`` instead, and ``seq``, its place in the order of indexing."""
    return {
        "article": doc.article_id,
        "position": doc.position,
        "seq": seq,
        "lang": doc.lang,
        "source": list(doc.outlets),
        "collection": doc.collection,
        "terms": " ".join(doc.terms) or EMPTY,
        "keys": " ".join(doc.keys) or EMPTY,
        "title": " ".join(doc.title) or EMPTY,
    }


def _filters(
    lang: str | None, source: str | None, collections: tuple[str, ...] | None
) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if lang is not None:
        filters.append({"term": {"lang": lang}})
    if source is not None:
        filters.append({"term": {"source": source.lower()}})
    if collections is not None:
        filters.append({"terms": {"collection": list(collections)}})
    return filters


def bm25_search(query: Query, k: int) -> dict[str, Any] | None:
    """The search request: ``bm25_query``, best ``k`` first, equal scores in the order the
    passages were indexed (as tantivy breaks ties); None when nothing is weighted."""
    dsl = bm25_query(query)
    if dsl is None:
        return None
    return {"query": dsl, "size": k, "track_scores": True,
            "sort": [{"_score": {"order": "desc"}}, {"seq": {"order": "asc"}}]}


def bm25_query(query: Query) -> dict[str, Any] | None:
    """The search of ``query`` as OpenSearch query DSL; None when nothing is weighted.

    At least one of the should clauses must match (a bool with filters would otherwise match
    every filtered passage with score 0).
    """
    should = [
        {"term": {field: {"value": token, "boost": weight}}}
        for field, weights in query.fields()
        for token, weight in weights.items()
        if weight > 0
    ]
    if not should:
        return None
    return {
        "bool": {
            "should": should,
            "minimum_should_match": 1,
            "filter": _filters(query.lang, query.source, query.collections),
        }
    }


def knn_query(
    vector: Sequence[float], k: int, collections: tuple[str, ...] | None
) -> dict[str, Any]:
    """The ``k`` nearest passage vectors, among ``collections`` only (filtered in the search)."""
    clause: dict[str, Any] = {"vector": [float(x) for x in vector], "k": k}
    if collections is not None:
        clause["filter"] = {"bool": {"filter": _filters(None, None, collections)}}
    return {"knn": {"vector": clause}}


def cosine_from_score(score: float) -> float:
    """Cosine similarity from the k-NN score of a ``cosinesimil`` Lucene field,
    which is ``(1 + cos) / 2``."""
    return 2.0 * score - 1.0
