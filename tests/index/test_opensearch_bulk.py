"""Bulk writes to the cluster without a cluster: a fake client refuses some actions, the
sender retries only those (with back-off), skips what needs no retry, and names what failed."""

from __future__ import annotations

from typing import Any

import pytest

from index.errors import ClusterError
from index.search.engines.opensearch_address import ClusterAddress
from index.search.engines.opensearch_bulk import BulkSender
from index.search.engines.opensearch_client import Retry

ADDRESS = ClusterAddress.parse("http://user:hunter2@node:9200")


class FakeClient:
    """Answers each bulk call with the statuses it is given, one list per call."""

    def __init__(self, *answers: list[int]) -> None:
        self.answers = list(answers)
        self.calls: list[list[str]] = []

    def bulk(self, body: list[dict[str, Any]], index: str) -> dict[str, Any]:
        actions = [line for line in body if len(line) == 1 and next(iter(line)) in (
            "index", "update", "delete")]
        self.calls.append([next(iter(a.values()))["_id"] for a in actions])
        statuses = self.answers.pop(0)
        items = [{kind: {"_id": spec["_id"], "status": status,
                         **({"error": {"type": "x", "reason": "y"}} if status >= 300 else {})}}
                 for action, status in zip(actions, statuses, strict=True)
                 for kind, spec in action.items()]
        return {"errors": any(s >= 300 for s in statuses), "items": items}


def actions(*ids: str, kind: str = "index") -> list:
    return [({kind: {"_id": i}}, {"terms": "x"} if kind != "delete" else None) for i in ids]


def sender(client: FakeClient, attempts: int = 4) -> tuple[BulkSender, list[float]]:
    waits: list[float] = []
    built = BulkSender(client, ADDRESS, Retry(attempts, 0.5, 2.0),  # type: ignore[arg-type]
                       sleep=waits.append)
    return built, waits


def test_refused_items_alone_are_retried_with_growing_waits() -> None:
    client = FakeClient([201, 429, 503], [429, 201], [201])
    bulk, waits = sender(client)
    bulk.send("idx", actions("a:0", "a:1", "a:2"))
    assert client.calls == [["a:0", "a:1", "a:2"], ["a:1", "a:2"], ["a:1"]]
    assert waits == [0.5, 1.0]


def test_missing_documents_need_no_retry() -> None:
    """A delete of a passage already gone, a vector for a passage no longer there."""
    client = FakeClient([404], [404])
    bulk, _ = sender(client)
    bulk.send("idx", actions("a:0", kind="delete"))
    bulk.send("idx", actions("a:0", kind="update"))
    assert len(client.calls) == 2


def test_a_refusal_that_will_not_pass_fails_at_once_without_the_password() -> None:
    bulk, _ = sender(FakeClient([201, 400]))
    with pytest.raises(ClusterError, match="a:1") as caught:
        bulk.send("idx", actions("a:0", "a:1"))
    assert "hunter2" not in str(caught.value)


def test_a_cluster_that_stays_busy_fails_after_the_attempts() -> None:
    bulk, waits = sender(FakeClient([429], [429], [429]), attempts=3)
    with pytest.raises(ClusterError, match="after 3 attempts"):
        bulk.send("idx", actions("a:0"))
    assert waits == [0.5, 1.0]


def test_background_chunks_report_their_failure_on_drain() -> None:
    bulk, _ = sender(FakeClient([201], [400]))
    bulk.submit("idx", actions("a:0"))
    bulk.submit("idx", actions("a:1"))
    with pytest.raises(ClusterError):
        bulk.drain()
    bulk.close()
