#!/usr/bin/env python3
"""How fast vectors are computed by one process, and by several at once on one store.

Several bot processes sharing a PostgreSQL store and an OpenSearch cluster claim different
batches of the vector backlog, so they embed side by side. This measures it with the real
command: it ingests the first ``--articles`` articles of a news corpus into a fresh PostgreSQL
schema and OpenSearch index, then times ``storybot embed`` run by 1 process, and by N processes
at once, each time from an empty embedding cache; ``--threads`` model threads per process
(``OMP_NUM_THREADS``; 1 models one core per process, as separate machines would have).

Usage (with ``eval "$(scripts/cluster up)"`` for the servers)::

    .venv/bin/python scripts/embed_processes.py /work/shared/eval/news-detik-id/articles.jsonl
        [--articles 150] [--processes 2] [--threads 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import Store, database_url  # noqa: E402
from index.store.schema import embeddings, vector_state  # noqa: E402


def _env(store: str, prefix: str, data: Path, threads: int) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("STORYBOT_")},
            "STORYBOT_DATABASE_URL": store, "STORYBOT_ENGINE": "opensearch",
            "STORYBOT_OPENSEARCH_URL": os.environ["STORYBOT_OPENSEARCH_URL"],
            "STORYBOT_OPENSEARCH_PREFIX": prefix, "STORYBOT_DATA_DIR": str(data),
            "OMP_NUM_THREADS": str(threads), "PYTHONPATH": str(ROOT)}


def _storybot(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def _forget_vectors(store_url: str) -> int:
    """Empty the embedding cache and the vector ledger; returns the passages to embed."""
    store = await Store.open(store_url)
    try:
        async with store.writing() as conn:
            await conn.execute(delete(embeddings))
            await conn.execute(delete(vector_state))
        return await store.count_passages()
    finally:
        await store.close()


def _run(envs: list[dict[str, str]]) -> tuple[float, list[str]]:
    """Seconds until every process is done, and what each said it did."""
    started = time.perf_counter()
    running = [_storybot(env, "embed") for env in envs]
    said = []
    for process in running:
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"storybot embed failed: {err[-2000:]}")
        said.append(out.splitlines()[0] if out else "")
    return time.perf_counter() - started, said


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    base = os.environ["STORYBOT_DATABASE_URL"]
    schema = "embed" + uuid.uuid4().hex[:10]
    store = f"{base}{'&' if '?' in base else '?'}schema={schema}"
    prefix = "storybot-embed-" + uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as source, corpus.open("w") as target:
            for _n, line in zip(range(args.articles), source, strict=False):
                target.write(line)
        envs = [_env(store, prefix, folder / f"p{i}", args.threads)
                for i in range(args.processes)]
        try:
            ingest = _storybot(envs[0], "ingest", str(corpus))
            _out, err = ingest.communicate()
            if ingest.returncode != 0:
                raise SystemExit(f"ingest failed: {err[-2000:]}")
            rows = []
            for processes in (1, args.processes):
                passages = await _forget_vectors(store)
                seconds, said = _run(envs[:processes])
                rows.append({"processes": processes, "threads": args.threads,
                             "passages": passages, "seconds": round(seconds, 1),
                             "per_second": round(passages / seconds, 1), "each": said})
            rows.append({"speedup": round(rows[0]["seconds"] / rows[1]["seconds"], 2)})
            print(json.dumps(rows))
        finally:
            from index.search.engines import discard, make_engine

            discard(make_engine("opensearch", folder / "discard",
                                url=os.environ["STORYBOT_OPENSEARCH_URL"], prefix=prefix))
            engine = create_async_engine(database_url(base))
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
