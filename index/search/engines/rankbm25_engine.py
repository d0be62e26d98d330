"""The reference engine: rank-bm25's ``BM25Okapi`` in memory.

It scores every passage for every query (numpy over the whole corpus), so it is only for small
corpora and as the reference the tantivy engine is tested against. One model per field is
rebuilt lazily after changes; k1, b and the IDF are tantivy's, so the two differ only in
tantivy's one-byte encoding of passage lengths.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np
from rank_bm25 import BM25Okapi

from index.search.engines.base import K1, B, Doc, Hit, Query

__all__ = ["RankBM25Engine"]

_FIELDS = ("terms", "keys", "title")
T = TypeVar("T")


class _LuceneBM25(BM25Okapi):
    """``BM25Okapi`` with Lucene's IDF, ``ln(1 + (N - df + 0.5) / (df + 0.5))``, as tantivy uses.

    Robertson's IDF, rank-bm25's own, goes negative for terms in over half the passages, which on
    a small corpus ranks a passage *down* for matching a common query word.
    """

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n_docs = self.corpus_size
        for term, df in nd.items():
            self.idf[term] = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


class _Model:
    """All passages and their BM25 models, one per field (a language filter masks the scores,
    so IDF is corpus-wide, as in tantivy)."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.langs = np.array([d.lang for d in docs])
        self.outlets = [frozenset(d.outlets) for d in docs]
        self.collections = np.array([d.collection for d in docs])
        self.bm25: dict[str, BM25Okapi | None] = {}
        self.df: dict[str, Counter[str]] = {}
        for field in _FIELDS:
            corpus = [list(getattr(d, field)) for d in docs]
            usable = any(corpus)
            # BM25Okapi divides by the corpus length and by the average length.
            self.bm25[field] = _LuceneBM25(corpus, k1=K1, b=B) if usable else None
            self.df[field] = Counter(t for tokens in corpus for t in set(tokens))

    def scores(self, query: Query) -> np.ndarray:
        total = np.zeros(len(self.docs))
        for field, weights in query.fields():
            model = self.bm25[field]
            if model is None:
                continue
            for token, weight in weights.items():
                if weight > 0 and token in model.idf:
                    total += weight * model.get_scores([token])
        return total


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    """Run the method under the engine's lock: searches from worker threads must not see a
    model half rebuilt by a commit."""

    @functools.wraps(method)
    def wrapper(self: RankBM25Engine, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class RankBM25Engine:
    name = "rank-bm25"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs: dict[tuple[str, int], Doc] = {}
        self._pending: dict[tuple[str, int], Doc | None] = {}
        self._pending_deletes: set[str] = set()
        self._model_cache: _Model | None = None

    @_locked
    def add(self, docs: Iterable[Doc]) -> int:
        count = 0
        for doc in docs:
            self._pending[(doc.article_id, doc.position)] = doc
            count += 1
        return count

    @_locked
    def delete_articles(self, article_ids: Iterable[str]) -> None:
        ids = set(article_ids)
        self._pending_deletes |= ids
        for key in [k for k in self._pending if k[0] in ids]:
            del self._pending[key]

    @_locked
    def commit(self) -> None:
        if self._pending_deletes:
            self._docs = {k: d for k, d in self._docs.items() if k[0] not in self._pending_deletes}
        for key, doc in self._pending.items():
            if doc is not None:
                self._docs[key] = doc
        self._pending.clear()
        self._pending_deletes.clear()
        self._model_cache = None

    @_locked
    def clear(self) -> None:
        self._docs.clear()
        self._pending.clear()
        self._pending_deletes.clear()
        self._model_cache = None

    def _model(self) -> _Model | None:
        if self._model_cache is None and self._docs:
            self._model_cache = _Model(list(self._docs.values()))
        return self._model_cache

    @_locked
    def search(self, query: Query, k: int) -> list[Hit]:
        model = self._model()
        if model is None or k <= 0:
            return []
        scores = model.scores(query)
        if query.lang is not None:
            scores = np.where(model.langs == query.lang, scores, 0.0)
        if query.source is not None:
            wanted = query.source.lower()
            scores = np.where([wanted in o for o in model.outlets], scores, 0.0)
        if query.collections is not None:
            scores = np.where(np.isin(model.collections, query.collections), scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [
            Hit(model.docs[i].article_id, model.docs[i].position, float(scores[i]))
            for i in top
            if scores[i] > 0
        ]

    @_locked
    def scores(self, query: Query, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], float]:
        model = self._model()
        if model is None:
            return {}
        wanted = set(keys)
        all_scores = model.scores(query)
        return {
            (doc.article_id, doc.position): float(all_scores[i])
            for i, doc in enumerate(model.docs)
            if (doc.article_id, doc.position) in wanted and all_scores[i] > 0
        }

    @_locked
    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int:
        model = self._model()
        if model is None:
            return 0
        if lang is None:
            return model.df[field][token]
        return sum(1 for d in model.docs if d.lang == lang and token in getattr(d, field))

    @_locked
    def num_docs(self, lang: str | None = None) -> int:
        model = self._model()
        if model is None:
            return 0
        return len(model.docs) if lang is None else int((model.langs == lang).sum())

    def stored_id(self) -> str | None:
        return None  # in memory: it holds nothing a new process could reuse

    def reset(self, index_id: str) -> None:
        self.clear()

    def begin_rebuild(self, index_id: str) -> None:
        self.clear()

    def finish_rebuild(self) -> None:
        pass

    @_locked
    def close(self) -> None:
        self.clear()
