"""Where CPU-bound work runs: off the event loop, on a small pool of its own.

Analysis, ranking and rendering are Python code holding the GIL. Spread over many threads they
do not finish sooner, and the event-loop thread has to win the GIL back from every one of them,
so under a burst of questions the loop stalls. ``run_cpu`` sends such work to a pool of
``CPU_WORKERS`` threads instead, which keeps the loop's wait for the GIL short; I/O waits
(reading files, SQLite) keep using ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["CPU_WORKERS", "run_cpu"]

P = ParamSpec("P")
T = TypeVar("T")

CPU_WORKERS = max(1, min(2, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=CPU_WORKERS, thread_name_prefix="storybot-cpu")
    return _pool


async def run_cpu(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` on the CPU pool, awaited from the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), functools.partial(fn, *args, **kwargs))
