"""Talking to an OpenSearch cluster: the client, retries and back-off.

``connect`` builds the official client (``opensearch-py``, synchronous; storybot calls it from
worker threads). It knows every node: a request that fails to connect or times out is retried
on another node (``max_retries``, ``retry_on_timeout``), and a node that failed is left out for
a while. ``with_backoff`` retries a whole operation when the cluster itself is briefly unable
(a node just lost, its shards not yet moved to a replica; a search that was reading a shard
on the node as it died: HTTP 500 caused by ``node_disconnected_exception``; too busy: 429),
waiting longer each time, and then gives up with a :class:`~index.errors.ClusterError` that
says what failed (with the cluster's URL as ``ClusterAddress.shown`` gives it: never the
password).

Example::

    address = ClusterAddress.parse("https://admin:s3cret@search.example:9200")
    client = connect(address)
    address.shown  # 'https://admin:***@search.example:9200'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as ClientConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from index.errors import ClusterError
from index.search.engines.opensearch_address import ClusterAddress

__all__ = ["TRANSIENT_STATUSES", "Retry", "connect", "is_transient", "with_backoff"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# HTTP statuses that mean "try again shortly": too many requests, and a cluster between a lost
# node and its replicas taking over (no primary yet, gateway errors from a proxy in front).
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})

# Root causes of an HTTP 500 that mean a node went away mid-request (a shard copy it held was
# being read when it died): the same request succeeds on the copies the other nodes hold.
NODE_LOST_CAUSES = frozenset({
    "node_disconnected_exception", "node_not_connected_exception", "node_closed_exception",
    "connect_transport_exception", "no_shard_available_action_exception",
})


@dataclass(frozen=True, slots=True)
class Retry:
    """How hard to try: attempts of a whole operation and the waits between them (seconds)."""

    attempts: int = 8
    first_wait: float = 0.5
    max_wait: float = 15.0

    def waits(self) -> list[float]:
        """The pauses before each retry: doubling from ``first_wait``, capped at ``max_wait``."""
        return [min(self.max_wait, self.first_wait * 2**i) for i in range(self.attempts - 1)]


def connect(
    address: ClusterAddress, *, timeout: float = 30.0, max_retries: int = 3,
    pool_size: int = 32,
) -> OpenSearch:
    """The client for ``address``: requests go round the nodes, a failed one is retried on the
    next (connection errors and timeouts), ``timeout`` seconds per request."""
    return OpenSearch(
        hosts=list(address.nodes),
        http_auth=(address.user, address.password or "") if address.user is not None else None,
        verify_certs=True,
        ssl_show_warn=False,
        timeout=timeout,
        max_retries=max_retries,
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
        pool_maxsize=pool_size,
        http_compress=False,
    )


def is_transient(error: Exception) -> bool:
    """Whether ``error`` may go away by itself: the connection, or a busy/recovering cluster."""
    if isinstance(error, ClientConnectionError | ConnectionTimeout):
        return True
    if isinstance(error, TransportError) and isinstance(error.status_code, int):
        if error.status_code in TRANSIENT_STATUSES:
            return True
        return error.status_code == 500 and _node_lost(error.info)
    return False


def _node_lost(info: object) -> bool:
    """Whether an error body's root causes are all a node going away (see NODE_LOST_CAUSES)."""
    error = info.get("error") if isinstance(info, dict) else None
    causes = error.get("root_cause") if isinstance(error, dict) else None
    if not isinstance(causes, list) or not causes:
        return False
    return all(isinstance(c, dict) and c.get("type") in NODE_LOST_CAUSES for c in causes)


def with_backoff(
    call: Callable[[], T], what: str, address: ClusterAddress, retry: Retry = Retry(),
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``call()``, retried after transient failures with growing waits; a
    :class:`ClusterError` naming ``what`` and the (masked) cluster when it keeps failing.

    Errors that are not transient (a malformed request, a missing index) are raised at once.
    """
    waits = retry.waits()
    for attempt in range(retry.attempts):
        try:
            return call()
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == len(waits):
                raise ClusterError(what, address.shown, retry.attempts, _describe(exc)) from exc
            log.warning("%s failed (%s); retrying in %.1f s", what, _describe(exc), waits[attempt])
            sleep(waits[attempt])
    raise AssertionError("unreachable")  # pragma: no cover


def _describe(error: Exception) -> str:
    if isinstance(error, TransportError) and isinstance(error.status_code, int):
        return f"HTTP {error.status_code} {error.error}"
    return type(error).__name__
