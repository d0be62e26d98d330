"""Fixtures for the tests that need a real OpenSearch cluster (``scripts/cluster up``).

Every test in this folder carries the ``cluster`` marker (``pytest -m cluster`` runs only them,
``-m "not cluster"`` none of them). Without ``STORYBOT_OPENSEARCH_URL`` they are skipped on a
developer's machine; in CI (``CI`` set) a missing or unreachable cluster is a failure, never a
skip. Each test works under an index prefix of its own, deleted afterwards, so tests never see
each other's passages.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.library import Library
from tests.made_up_news import Feed

REPO = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.cluster)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs the test cluster: {reason} (run `scripts/cluster up` first)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cluster_url() -> str:
    """The cluster's node URLs; skip (or, in CI, fail) when there is no usable cluster."""
    url = os.environ.get("STORYBOT_OPENSEARCH_URL", "").strip()
    if not url:
        _unavailable("STORYBOT_OPENSEARCH_URL is not set")
    from index.search.engines.opensearch_address import ClusterAddress
    from index.search.engines.opensearch_client import connect

    address = ClusterAddress.parse(url)
    client = connect(address, timeout=40, max_retries=len(address.nodes))
    try:  # the server waits up to 30 s for yellow
        health = client.cluster.health(params={"wait_for_status": "yellow"})
    except Exception as exc:
        _unavailable(f"no cluster answers at {address.shown}: {type(exc).__name__}")
    finally:
        client.close()
    if health.get("status") not in ("green", "yellow"):
        _unavailable(f"the cluster at {address.shown} is {health.get('status')}")
    return url


@pytest.fixture
def prefix(cluster_url: str) -> Iterator[str]:
    """An index prefix of this test's own; its indices are deleted after the test."""
    name = f"storybot-test-{uuid.uuid4().hex[:12]}"
    yield name
    from index.search.engines.opensearch_engine import OpenSearchEngine

    engine = OpenSearchEngine(cluster_url, prefix=name)
    try:
        engine.destroy()
    finally:
        engine.close()


@pytest.fixture
def options(cluster_url: str, prefix: str) -> dict[str, str]:
    """``Library.open`` engine options for this test's own indices."""
    return {"url": cluster_url, "prefix": prefix}


@pytest.fixture
async def library(tmp_path: Path, options: dict[str, str]):
    """The real library (SQLite + OpenSearch) on a fresh data dir, without the sample, and
    without the semantic stage (BM25 on the cluster; test_vectors_* cover the vectors)."""
    lib = await Library.open(tmp_path / "data", sample=False, engine="opensearch",
                             engine_options=options, semantic=False)
    yield lib
    await lib.close()


@pytest.fixture
def feed() -> type[Feed]:
    return Feed
