"""BM25 engines behind one small interface: tantivy (default, on disk) and rank-bm25 (reference)."""

from __future__ import annotations

from pathlib import Path

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
    "make_engine",
]

ENGINES = ("tantivy", "rank-bm25")


def make_engine(name: str, path: Path | None) -> Engine:
    """An engine by name; ``path`` is where tantivy keeps its index (None: in memory)."""
    if name == "tantivy":
        return TantivyEngine(path)
    if name == "rank-bm25":
        return RankBM25Engine()
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
