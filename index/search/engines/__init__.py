"""BM25 engines behind one small interface: tantivy (default, on disk), rank-bm25 (reference)
and opensearch (a cluster; also the vector index)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.search.engines.base import Doc, Engine, Hit, Query
from index.search.engines.rankbm25_engine import RankBM25Engine
from index.search.engines.tantivy_engine import TantivyEngine

__all__ = [
    "ENGINES",
    "Doc",
    "Engine",
    "Hit",
    "Query",
    "RankBM25Engine",
    "TantivyEngine",
    "discard",
    "make_engine",
    "throwaway_options",
]

ENGINES = ("tantivy", "rank-bm25", "opensearch")


def make_engine(name: str, path: Path | None, **options: Any) -> Engine:
    """An engine by name; ``path`` is where tantivy keeps its index (None: in memory).

    ``options`` go to the engine: ``url`` (required) and ``prefix``, ``shards``, ``replicas``
    for opensearch; the embedded engines take none.
    """
    if name == "opensearch":
        from index.search.engines.opensearch_engine import OpenSearchEngine

        if not options.get("url"):
            raise ValueError("the opensearch engine needs a url (STORYBOT_OPENSEARCH_URL)")
        return OpenSearchEngine(**options)
    if options:
        raise ValueError(f"the {name} engine takes no options, got {', '.join(options)}")
    if name == "tantivy":
        return TantivyEngine(path)
    if name == "rank-bm25":
        return RankBM25Engine()
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def throwaway_options(name: str, options: dict[str, Any] | None) -> dict[str, Any]:
    """Options for a short-lived corpus (eval, bench): on a cluster, an index prefix of its
    own, so it never replaces the index a bot is using."""
    options = dict(options or {})
    if name == "opensearch" and "prefix" not in options:
        import uuid

        options["prefix"] = f"storybot-tmp-{uuid.uuid4().hex[:12]}"
    return options


def discard(engine: Engine) -> None:
    """Delete what a short-lived corpus's engine keeps outside its data folder (a cluster's
    indices); the embedded engines keep nothing there."""
    if engine.name == "opensearch":
        from index.search.engines.opensearch_engine import OpenSearchEngine

        assert isinstance(engine, OpenSearchEngine)
        engine.destroy()
