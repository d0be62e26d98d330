"""The per-server isolation tests of tests/index/test_collections.py, run on OpenSearch.

The tests are those very functions, collected here where the ``library`` fixture (this
folder's conftest) opens the library on the cluster: a server's few articles win beside
100,000 shared passages, a server without the shared collection sees only its own, listings,
lookups and purges stay within a server.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[1] / "index" / "test_collections.py"
_spec = importlib.util.spec_from_file_location("_collections_tests", _SOURCE)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

globals().update({
    name: test for name, test in vars(_module).items()
    if name.startswith("test_") and callable(test)
})


def test_these_run_on_the_cluster(library) -> None:
    """The library these tests get is the OpenSearch one."""
    assert library.engine.name == "opensearch"
