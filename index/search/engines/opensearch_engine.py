"""The cluster engine: passages and their vectors in OpenSearch, with tantivy's answers.

One engine object is both storybot's BM25 ``Engine`` and its ``VectorIndex`` (base.py).

**Identity and rebuilds.** Passages live in a concrete index ``<prefix>-<index id>`` that the
alias ``<prefix>`` (default ``storybot-passages``) points at; the id is also in the index's
mapping ``_meta``. ``stored_id`` reads it through the alias. ``reset`` makes a fresh index and
moves the alias to it; ``begin_rebuild`` makes one and sends writes to it while searches keep
using the alias; ``finish_rebuild`` moves the alias in one ``_aliases`` call (remove + add,
atomic) and drops the old index. Indices of this prefix that the alias does not name (left by a
crash mid-rebuild) are dropped by the next ``reset``.

**Writes.** ``add`` and ``add_vectors`` queue bulk actions, sent in chunks as they fill; each
passage's document id is ``<article>:<position>``, so a chunk sent twice changes nothing.
``delete_articles`` deletes by query on the ``article`` keyword. ``commit`` sends what is
queued and refreshes: only then do searches see the changes. A chunk that meets a busy or
recovering cluster (429, 503, a lost node) is retried with back-off, only its failed items,
until ``Retry.attempts`` is spent; then a ``ClusterError`` says what failed.

**Searches** run ``dfs_query_then_fetch`` (term statistics gathered from every shard first), so
a score does not depend on how passages fall into shards, and refuse partial results (a shard
copy lost mid-search makes the request fail and be retried, never answer from part of the
corpus). Lucene's BM25 and tantivy's are the same formula (Lucene's IDF, no (k1 + 1)
factor, lengths in the same one-byte encoding), so scores agree, and equal scores are ordered
as tantivy orders them, the passage indexed first before the later one (a ``seq`` field).
Lucene counts, per field, only the passages that have the field, where tantivy counts every
passage; an empty field therefore holds one placeholder token (``EMPTY``), which makes the
counts and IDF equal but adds one token per empty field to the field's average length: in a
corpus where many articles lack a title, title matches score a fraction of a percent apart.

**Counts** (``doc_freq``, ``num_docs``) are live counts, cached for a few seconds and dropped
at every commit. The ranking asks for the document frequency of each question word right after
the search, so a search also counts its own terms and keys over the whole index (a ``global``
aggregation in the same request): a question costs one round trip per search, not a dozen.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError, TransportError

from index.search.engines.base import Doc, Hit, Query, VectorDoc
from index.search.engines.opensearch_address import ClusterAddress
from index.search.engines.opensearch_bulk import Action, BulkSender
from index.search.engines.opensearch_client import Retry, connect, with_backoff
from index.search.engines.opensearch_schema import (
    bm25_query,
    bm25_search,
    cosine_from_score,
    doc_id,
    doc_source,
    hit_key,
    index_body,
    knn_query,
)

__all__ = ["DEFAULT_PREFIX", "OpenSearchEngine"]

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "storybot-passages"
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]{0,150}")
_INDEX_ID = re.compile(r"[a-z0-9]{1,64}")
_CHUNK_DOCS = 1000  # bulk actions per request
_CHUNK_BYTES = 8_000_000  # and at most about this many bytes of JSON
_COUNT_TTL = 5.0  # seconds a cached count is trusted (another process may write meanwhile)
_SEARCH_PARAMS = {
    "search_type": "dfs_query_then_fetch",
    "allow_partial_search_results": "false",
    "track_total_hits": "false",
    "_source": "false",
}


class OpenSearchEngine:
    """BM25 and vector search over an OpenSearch cluster (see the module docstring).

    Parameters
    ----------
    url:
        One or more node URLs, comma-separated (``https://user:password@host:9200``).
    prefix:
        The alias searched; concrete indices are ``<prefix>-<index id>``.
    shards, replicas:
        Of each new index (3 primaries with a replica each survive losing one of three nodes).
    timeout:
        Seconds per request before it is retried on another node.
    retry:
        How long a write or search keeps retrying a busy or recovering cluster.
    """

    name = "opensearch"

    def __init__(
        self, url: str, *, prefix: str = DEFAULT_PREFIX, shards: int = 3, replicas: int = 1,
        timeout: float = 30.0, retry: Retry | None = None,
    ) -> None:
        if not _PREFIX.fullmatch(prefix):
            raise ValueError(f"index prefix must be lowercase letters, digits, - or _: {prefix!r}")
        self.address = ClusterAddress.parse(url)
        self.prefix = prefix
        self.shards = shards
        self.replicas = replicas
        self.retry = retry or Retry()
        self.client: OpenSearch = connect(self.address, timeout=timeout)
        self._sender = BulkSender(self.client, self.address, self.retry)
        self._own = re.compile(re.escape(prefix) + r"-([a-z0-9]{1,64})")
        self._write_index: str | None = None  # set during a rebuild: the index being built
        self._actions: list[Action] = []
        self._queued_bytes = 0
        self._unrefreshed = False
        # increasing across processes too (a process indexes far fewer than 10⁹ passages a s)
        self._seq = time.time_ns()
        self._counts: dict[tuple[str, str | None, str | None], tuple[float, int]] = {}
        self._counts_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenSearchEngine({self.address.shown!r}, prefix={self.prefix!r})"

    # --- identity and rebuilds ---------------------------------------------------------------

    def _index_name(self, index_id: str) -> str:
        if not _INDEX_ID.fullmatch(index_id):
            raise ValueError(f"index id must be lowercase letters and digits: {index_id!r}")
        return f"{self.prefix}-{index_id}"

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        return with_backoff(call, what, self.address, self.retry)

    def _aliased(self) -> list[str]:
        """The concrete indices the alias points at (none when it does not exist)."""
        found = self._call("read the index alias", lambda: self.client.indices.get_alias(
            name=self.prefix, params={"ignore": 404}))
        if found.get("status") == 404:
            return []
        return sorted(name for name in found if self._own.fullmatch(name))

    def stored_id(self) -> str | None:
        indices = self._aliased()
        if len(indices) != 1:
            return None
        mapping = self._call(
            "read the index mapping", lambda: self.client.indices.get_mapping(index=indices[0])
        )
        meta = (mapping.get(indices[0], {}).get("mappings", {}).get("_meta") or {})
        found = meta.get("storybot_index_id")
        name = self._own.fullmatch(indices[0])
        if not isinstance(found, str) or name is None or name.group(1) != found:
            return None
        return found

    def _create(self, index_id: str) -> str:
        name = self._index_name(index_id)
        body = index_body(index_id, shards=self.shards, replicas=self.replicas)
        try:
            self._call(f"create the index {name}",
                       lambda: self.client.indices.create(index=name, body=body,
                                                          params={"wait_for_active_shards": "1"}))
        except TransportError as exc:
            if exc.error != "resource_already_exists_exception":
                raise
            log.info("index %s exists already (a retried create); emptying it", name)
            self._delete_where(name, {"match_all": {}})
            self._refresh(name)
        return name

    def _point_alias_at(self, name: str) -> None:
        """Move the alias to ``name`` in one atomic ``_aliases`` call, then drop every other
        index of this prefix."""
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": self.prefix}} for old in self._aliased()
            if old != name
        ]
        actions.append({"add": {"index": name, "alias": self.prefix}})
        self._call("move the index alias",
                   lambda: self.client.indices.update_aliases(body={"actions": actions}))
        self._drop_others(keep=name)
        self._forget_counts()

    def _drop_others(self, keep: str) -> None:
        try:
            found = self._call("list the indices",
                               lambda: self.client.indices.get(index=f"{self.prefix}-*"))
        except NotFoundError:
            return
        for name in found:
            if name != keep and self._own.fullmatch(name):
                log.info("dropping the old index %s", name)
                with contextlib.suppress(NotFoundError):
                    self._drop(name)

    def _drop(self, name: str) -> None:
        self._call(f"delete the index {name}", lambda: self.client.indices.delete(index=name))

    def reset(self, index_id: str) -> None:
        self._discard_queue()
        self._write_index = None
        self._point_alias_at(self._create(index_id))

    def begin_rebuild(self, index_id: str) -> None:
        self._discard_queue()
        name = self._create(index_id)
        if not self._aliased():  # nothing to keep answering from
            self._point_alias_at(name)
            return
        self._write_index = name

    def finish_rebuild(self) -> None:
        if self._write_index is None:
            return
        self.commit()
        name, self._write_index = self._write_index, None
        self._point_alias_at(name)

    def destroy(self) -> None:
        """Delete the alias and every index of this prefix (a throwaway corpus's cluster
        side, e.g. after ``storybot eval``)."""
        self._discard_queue()
        self._drop_others(keep="")

    # --- writes ------------------------------------------------------------------------------

    @property
    def _target(self) -> str:
        return self._write_index or self.prefix

    def add(self, docs: Iterable[Doc]) -> int:
        count = 0
        for doc in docs:
            self._seq += 1
            self._queue({"index": {"_id": doc_id(doc.article_id, doc.position)}},
                        doc_source(doc, self._seq))
            count += 1
        return count

    def add_vectors(self, docs: Iterable[VectorDoc]) -> int:
        count = 0
        for doc in docs:
            vector = [float(x) for x in np.asarray(doc.vector, dtype=np.float32).ravel()]
            self._queue({"update": {"_id": doc_id(doc.article_id, doc.position)}},
                        {"doc": {"vector": vector}})
            count += 1
        return count

    def _queue(self, action: dict[str, Any], source: dict[str, Any] | None) -> None:
        self._actions.append((action, source))
        self._queued_bytes += 200 + sum(len(v) for v in (source or {}).values()
                                        if isinstance(v, str))
        if source and "doc" in source:
            self._queued_bytes += 10 * 384
        if len(self._actions) >= _CHUNK_DOCS or self._queued_bytes >= _CHUNK_BYTES:
            self._flush()

    def _discard_queue(self) -> None:
        """Forget what is queued, after waiting for chunks already out (they name an index
        or the alias, which must not move under them)."""
        self._actions = []
        self._queued_bytes = 0
        self._sender.drain()

    def _flush(self, index: str | None = None) -> None:
        """Hand the queued actions to the background sender (see opensearch_bulk)."""
        if not self._actions:
            return
        pending, self._actions, self._queued_bytes = self._actions, [], 0
        self._sender.submit(index or self._target, pending)
        self._unrefreshed = True

    def _send_all(self, index: str | None = None) -> None:
        """Send everything queued and wait until the cluster has taken it."""
        self._flush(index)
        self._sender.drain()

    def delete_articles(self, article_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return
        self._send_all()
        if self._unrefreshed:  # the search for their passages sees only what was refreshed
            self._refresh(self._target)
        for i in range(0, len(ids), 1000):
            self._delete_where(self._target, {"terms": {"article": ids[i : i + 1000]}})
        self._unrefreshed = True

    def _delete_where(self, index: str, query: dict[str, Any]) -> None:
        """Delete every passage ``query`` matches (as of the last refresh): their ids are read
        page by page, then deleted in bulk. (Delete-by-query lives in OpenSearch's reindex
        module, which a minimal node lacks; this needs only search and bulk.)"""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": query, "size": _CHUNK_DOCS, "_source": False,
                "sort": [{"article": "asc"}, {"position": "asc"}],
            }
            if after is not None:
                body["search_after"] = after
            hits = self._search(body, {"allow_partial_search_results": "false"}, index)
            if not hits:
                break
            for hit in hits:
                self._actions.append(({"delete": {"_id": hit["_id"]}}, None))
            self._flush(index)
            after = hits[-1]["sort"]
        self._sender.drain()

    def _refresh(self, index: str) -> None:
        self._call(f"refresh {index}", lambda: self.client.indices.refresh(index=index))
        self._unrefreshed = False

    def commit(self) -> None:
        self._send_all()
        if self._unrefreshed:
            self._refresh(self._target)
        self._forget_counts()

    def clear(self) -> None:
        self._discard_queue()
        self._delete_where(self._target, {"match_all": {}})
        self._refresh(self._target)
        self._forget_counts()

    # --- searches ----------------------------------------------------------------------------

    def _request(
        self, body: dict[str, Any], params: dict[str, str], index: str | None = None
    ) -> dict[str, Any]:
        response: dict[str, Any] = self._call("search", lambda: self.client.search(
            index=index or self.prefix, body=body, params=params))
        return response

    def _search(
        self, body: dict[str, Any], params: dict[str, str], index: str | None = None
    ) -> list[dict[str, Any]]:
        hits: list[dict[str, Any]] = self._request(body, params, index)["hits"]["hits"]
        return hits

    def search(self, query: Query, k: int) -> list[Hit]:
        """The ``k`` best passages; the same request counts, over the whole index, the
        passages holding each of the query's terms and keys (what the ranking asks next)."""
        if k <= 0:
            return []
        body = bm25_search(query, k)
        if body is None:
            return []
        wanted = self._uncounted(query)
        if wanted:
            body["aggs"] = {"all": {"global": {}, "aggs": {"df": {"filters": {"filters": {
                str(i): {"term": {field: token}} for i, (field, token) in enumerate(wanted)
            }}}}}}
        now = time.monotonic()
        response = self._request(body, _SEARCH_PARAMS)
        if wanted:
            counted = response["aggregations"]["all"]
            buckets = counted["df"]["buckets"]
            with self._counts_lock:
                self._counts[("", None, None)] = (now, int(counted["doc_count"]))
                for i, (field, token) in enumerate(wanted):
                    self._counts[(field, token, None)] = (now, int(buckets[str(i)]["doc_count"]))
        hits = response["hits"]["hits"]
        return [Hit(*hit_key(h["_id"]), float(h["_score"])) for h in hits]

    def scores(self, query: Query, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], float]:
        """The BM25 scores ``search`` gives these passages: the same query, restricted to their
        document ids by a filter (which scores nothing)."""
        dsl = bm25_query(query)
        if dsl is None or not keys:
            return {}
        dsl["bool"]["filter"] = [*dsl["bool"]["filter"],
                                 {"ids": {"values": [doc_id(a, p) for a, p in keys]}}]
        hits = self._search({"query": dsl, "size": len(keys)}, _SEARCH_PARAMS)
        return {hit_key(h["_id"]): float(h["_score"]) for h in hits}

    def _uncounted(self, query: Query) -> list[tuple[str, str]]:
        """The query's (field, token) pairs without a fresh cached ``doc_freq``."""
        now = time.monotonic()
        with self._counts_lock:
            if len(self._counts) > 50_000:
                self._counts.clear()
            return [
                (field, token) for field, weights in query.fields()[:2]
                for token, weight in weights.items()
                if weight > 0 and not (
                    (cached := self._counts.get((field, token, None)))
                    and now - cached[0] < _COUNT_TTL
                )
            ]

    def search_vector(
        self, vector: Sequence[float], k: int, collections: tuple[str, ...] | None = None
    ) -> list[Hit]:
        if k <= 0:
            return []
        params = {"allow_partial_search_results": "false", "_source": "false",
                  "track_total_hits": "false"}
        hits = self._search({"query": knn_query(vector, k, collections), "size": k}, params)
        return [Hit(*hit_key(h["_id"]), cosine_from_score(float(h["_score"]))) for h in hits]

    def vectors_of(self, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], list[float]]:
        """The stored vectors of these passages (those that have one)."""
        if not keys:
            return {}
        response = self._call("get vectors", lambda: self.client.mget(
            index=self.prefix, body={"ids": [doc_id(a, p) for a, p in keys]},
            params={"_source_includes": "vector"}))
        return {
            hit_key(doc["_id"]): doc["_source"]["vector"]
            for doc in response["docs"]
            if doc.get("found") and doc.get("_source", {}).get("vector")
        }

    # --- counts ------------------------------------------------------------------------------

    def _count(self, key: tuple[str, str | None, str | None], query: dict[str, Any]) -> int:
        now = time.monotonic()
        with self._counts_lock:
            cached = self._counts.get(key)
        if cached is not None and now - cached[0] < _COUNT_TTL:
            return cached[1]
        response = self._call("count passages", lambda: self.client.count(
            index=self.prefix, body={"query": query}))
        count = int(response["count"])
        with self._counts_lock:
            if len(self._counts) > 50_000:
                self._counts.clear()
            self._counts[key] = (now, count)
        return count

    def _forget_counts(self) -> None:
        with self._counts_lock:
            self._counts.clear()

    def doc_freq(self, field: str, token: str, lang: str | None = None) -> int:
        filters: list[dict[str, Any]] = [{"term": {field: token}}]
        if lang is not None:
            filters.append({"term": {"lang": lang}})
        return self._count((field, token, lang), {"bool": {"filter": filters}})

    def num_docs(self, lang: str | None = None) -> int:
        query: dict[str, Any] = (
            {"match_all": {}} if lang is None else {"term": {"lang": lang}}
        )
        return self._count(("", None, lang), query)

    def num_vectors(self) -> int:
        return self._count(("vector", None, None), {"exists": {"field": "vector"}})

    def close(self) -> None:
        self._actions = []
        try:
            self._sender.close()
        finally:
            self.client.close()

