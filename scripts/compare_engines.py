#!/usr/bin/env python3
"""Compare two engines on QA sets: R@1 of each, and the share of questions whose top 10 is
identical (same passages in the same order).

Usage (with a cluster for opensearch, e.g. ``eval "$(scripts/cluster up)"``)::

    .venv/bin/python scripts/compare_engines.py /work/shared/eval/xquad-en [more sets…]
        [--engines tantivy opensearch] [--limit N] [--no-semantic] [--json]

Each set is evaluated by ``index.evaluate.evaluate`` once per engine, exactly as
``storybot eval`` does; the opensearch engine's URL comes from ``STORYBOT_OPENSEARCH_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.evaluate import evaluate

TOP = 10


async def ranked_by_engine(
    folder: Path, engine: str, limit: int | None, semantic: bool = True
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The eval metrics of ``engine`` on ``folder`` and each question's top ``TOP`` ids."""
    tops: dict[str, list[str]] = {}

    def keep(record: dict[str, Any], ranked: list[str]) -> None:
        tops[str(record.get("id", record["text"]))] = ranked[:TOP]

    options = {"url": os.environ["STORYBOT_OPENSEARCH_URL"]} if engine == "opensearch" else {}
    metrics = await evaluate(folder, engine=engine, engine_options=options, limit=limit,
                             semantic=semantic, on_ranked=keep)
    return metrics, tops


def compare(
    base: tuple[dict[str, Any], dict[str, list[str]]],
    other: tuple[dict[str, Any], dict[str, list[str]]],
) -> dict[str, Any]:
    """R@1 of both, their difference, and the share of questions with an identical top 10."""
    (base_metrics, base_tops), (other_metrics, other_tops) = base, other
    same = sum(base_tops[q] == other_tops.get(q) for q in base_tops)
    same_set = sum(set(base_tops[q]) == set(other_tops.get(q, ())) for q in base_tops)
    n = len(base_tops)
    return {
        "set": base_metrics["set"], "n": n,
        "R@1_base": base_metrics["R@1"], "R@1_other": other_metrics["R@1"],
        "R@1_diff": round(float(other_metrics["R@1"]) - float(base_metrics["R@1"]), 4),
        "same_top10": round(same / n, 4) if n else 0.0,
        "same_top10_set": round(same_set / n, 4) if n else 0.0,
    }


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--engines", nargs=2, default=["tantivy", "opensearch"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-semantic", action="store_true",
                        help="BM25 alone (the engines' vector searches are approximate)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    base_name, other_name = args.engines
    for folder in args.sets:
        semantic = not args.no_semantic
        base = await ranked_by_engine(folder, base_name, args.limit, semantic)
        other = await ranked_by_engine(folder, other_name, args.limit, semantic)
        row = compare(base, other)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{row['set']}: n={row['n']}  R@1 {base_name} {row['R@1_base']:.4f}  "
                  f"{other_name} {row['R@1_other']:.4f}  (diff {row['R@1_diff']:+.4f})  "
                  f"identical top {TOP}: {row['same_top10']:.1%} "
                  f"(same passages, any order: {row['same_top10_set']:.1%})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
