"""Bulk writes to OpenSearch: chunks sent in the background, failed items retried with back-off.

``BulkSender.submit`` hands a chunk of actions to a small pool of sender threads and returns at
once, so the caller analyses the next passages while the cluster indexes the last ones; at most
``in_flight`` chunks wait, which bounds memory. ``drain`` waits for every chunk and raises the
first failure. A chunk is retried whole when the request fails (connection lost, timeout,
HTTP 429/502/503/504: ``with_backoff``) and item by item when the cluster refuses some of its
actions for a transient reason (429, a shard without a primary for a moment after a node is
lost); after ``Retry.attempts`` it fails with a ``ClusterError``. Every action names a document
id, so a chunk sent twice changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from opensearchpy import OpenSearch

from index.errors import ClusterError
from index.search.engines.opensearch_address import ClusterAddress
from index.search.engines.opensearch_client import TRANSIENT_STATUSES, Retry, with_backoff

__all__ = ["Action", "BulkSender"]

log = logging.getLogger(__name__)

Action = tuple[dict[str, Any], dict[str, Any] | None]  # the action line and its source, if any


class BulkSender:
    """Sends chunks of bulk actions to one index at a time, ``in_flight`` at most at once."""

    def __init__(
        self, client: OpenSearch, address: ClusterAddress, retry: Retry, in_flight: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.address = address
        self.retry = retry
        self.in_flight = in_flight
        self._sleep = sleep
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []

    def submit(self, index: str, actions: list[Action]) -> None:
        """Send ``actions`` to ``index`` in the background (waits while too many are out)."""
        if not actions:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.in_flight, thread_name_prefix="storybot-bulk")
        while len(self._pending) >= self.in_flight:
            self._pending.pop(0).result()
        self._pending.append(self._pool.submit(self.send, index, actions))

    def drain(self) -> None:
        """Wait for every chunk submitted; raise the first failure (after all have ended)."""
        pending, self._pending = self._pending, []
        error: BaseException | None = None
        for future in pending:
            try:
                future.result()
            except BaseException as exc:
                error = error or exc
        if error is not None:
            raise error

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending = []

    def send(self, index: str, actions: list[Action]) -> None:
        """Send ``actions`` now, in this thread, retrying as the module docstring says."""
        pending = actions
        waits = self.retry.waits()
        reasons: set[str] = set()
        for attempt in range(self.retry.attempts):
            body: list[dict[str, Any]] = []
            for action, source in pending:
                body.append(action)
                if source is not None:
                    body.append(source)
            response = with_backoff(
                lambda body=body: self.client.bulk(body=body, index=index),  # type: ignore[misc]
                f"send {len(pending)} bulk actions to {index}", self.address, self.retry,
            )
            if not response.get("errors"):
                return
            failed: list[Action] = []
            reasons = set()
            for item, sent in zip(response["items"], pending, strict=True):
                (kind, result), = item.items()
                status = int(result.get("status", 200))
                if status < 300 or (status == 404 and kind == "delete"):
                    continue  # done, or deleted already (a retried chunk)
                if status == 404 and kind == "update":
                    # a vector for a passage the index no longer holds (deleted meanwhile)
                    log.debug("no passage %s for its vector", result.get("_id"))
                    continue
                if status not in TRANSIENT_STATUSES:
                    raise ClusterError(f"{kind} passage {result.get('_id')}",
                                       self.address.shown, attempt + 1, _reason(result))
                failed.append(sent)
                reasons.add(_reason(result))
            if not failed:
                return
            if attempt == len(waits):
                break
            log.warning("%d of %d bulk actions were refused (%s); retrying them in %.1f s",
                        len(failed), len(pending), "; ".join(sorted(reasons)), waits[attempt])
            self._sleep(waits[attempt])
            pending = failed
        raise ClusterError(f"write {len(pending)} passages", self.address.shown,
                           self.retry.attempts, "; ".join(sorted(reasons)))


def _reason(result: dict[str, Any]) -> str:
    error = result.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return f"HTTP {result.get('status')}"
