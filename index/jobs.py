"""Background work in one home: feed polls, alert scans, purges, catching up, embedding.

A :class:`Job` is a coroutine run on a schedule. Two clocks are kept apart:

* the **schedule clock** says when a job is due: what users see (a feed polled every 15
  minutes, a server purged 30 days after the bot left). In production it is the wall clock; in
  the offline harness it is the simulated Discord clock, which the harness hands to ``tick``
  after every action, so ``{"wait": "31d"}`` runs the purge once, at the end of the wait.
* the **wall clock** times every claim a process makes in the store (a job's lease, a feed's
  poll, a batch of the vector backlog), so work a dead process held is taken over after minutes
  of real time, whatever any simulated clock says.

Jobs of two kinds:

* *scheduled* jobs are short; ``tick(now)`` runs those due at ``now`` (again while one wakes
  another: a feed poll's new articles wake the alert scan). A job with a ``lease`` runs in one
  process at a time among those sharing the store.
* *background* jobs are long (computing vectors takes hours for a big corpus): each runs in its
  own task, step after step while there is work, then sleeps until woken or until ``every``
  has passed. A question asked meanwhile is answered at once: a step's heavy part runs in a
  worker thread.

``start`` runs the background jobs (and, with ``serve``, a loop that ticks the scheduled ones
on the wall clock, for ``storybot run``); ``stop`` ends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["CLAIM_FOR", "Job", "Jobs", "Leases", "wall_clock"]

log = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=10)  # real time a process's claim on shared work lasts, unrenewed
MAX_ROUNDS = 5  # ticks within one tick while jobs wake each other
IDLE_SLEEP = timedelta(hours=1)  # the longest the serve loop sleeps
MIN_SLEEP = timedelta(seconds=1)


def wall_clock() -> datetime:
    """The real time, for claims and leases (never a simulated clock)."""
    return datetime.now(UTC)


class Leases(Protocol):
    async def claim(self, name: str, holder: str, until: datetime, now: datetime) -> bool: ...

    async def unclaim(self, name: str, holder: str) -> None: ...


@dataclass(slots=True)
class Job:
    """Background work: ``run(now)`` does what is due at ``now`` and returns how much."""

    name: str
    run: Callable[[datetime], Awaitable[int]]
    every: timedelta  # due this long after its last run (sooner when woken)
    lease: timedelta | None = None  # one process at a time, claimed in the store this long
    background: bool = False  # a long job: step after step in its own task
    next_at: datetime | None = None  # on the schedule clock; None: at the next tick
    woken: bool = False
    runs: int = 0
    done: int = 0  # what its runs returned, summed
    failures: int = 0
    last_error: str | None = None
    _event: asyncio.Event = field(default_factory=asyncio.Event)


class Jobs:
    """The jobs of one library (one process; several processes share the store's claims)."""

    def __init__(self, leases: Leases, holder: str) -> None:
        self.leases = leases
        self.holder = holder  # who this process is, in claims
        self._jobs: dict[str, Job] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._wakeup = asyncio.Event()
        self._ticking = asyncio.Lock()

    def add(self, job: Job) -> Job:
        if job.name in self._jobs:
            raise ValueError(f"a job called {job.name!r} is already added")
        self._jobs[job.name] = job
        return job

    def __getitem__(self, name: str) -> Job:
        return self._jobs[name]

    def __iter__(self) -> Iterator[Job]:
        return iter(self._jobs.values())

    def wake(self, name: str) -> None:
        """Run ``name`` at the next tick (a background job: now)."""
        job = self._jobs[name]
        job.woken = True
        job._event.set()
        self._wakeup.set()

    # --- scheduled jobs ------------------------------------------------------------------------

    async def tick(self, now: datetime) -> dict[str, int]:
        """Run the scheduled jobs due at ``now`` (schedule clock), and those they wake; returns
        what each did."""
        done: dict[str, int] = {}
        async with self._ticking:
            for _round in range(MAX_ROUNDS):
                due = [job for job in self._jobs.values() if not job.background and (
                    job.woken or job.next_at is None or job.next_at <= now)]
                if not due:
                    break
                for job in due:
                    job.woken = False
                    job.next_at = now + job.every
                    done[job.name] = done.get(job.name, 0) + await self._run(job, now)
        return done

    def next_due(self) -> datetime | None:
        """When the next scheduled job is due (None: no scheduled jobs)."""
        soon = datetime.min.replace(tzinfo=UTC)  # woken, or never run: due at once
        return min((soon if job.woken or job.next_at is None else job.next_at
                    for job in self._jobs.values() if not job.background), default=None)

    async def _run(self, job: Job, now: datetime) -> int:
        """One run, under its lease when it has one; a failure is logged and counted."""
        if job.lease is not None:
            wall = wall_clock()
            if not await self.leases.claim(job.name, self.holder, wall + job.lease, wall):
                return 0  # another process does it
        try:
            done = await job.run(now)
        except Exception as error:
            job.failures += 1
            job.last_error = f"{type(error).__name__}: {error}"
            log.exception("background job %s failed; it runs again later", job.name)
            return 0
        job.runs += 1
        job.done += done
        return done

    # --- running ------------------------------------------------------------------------------

    def start(self, *, serve: bool = False, clock: Callable[[], datetime] = wall_clock) -> None:
        """Run the background jobs in tasks of their own; with ``serve``, also tick the
        scheduled jobs on ``clock`` (otherwise whoever owns the schedule clock calls ``tick``)."""
        if self._tasks:
            return
        for job in self._jobs.values():
            if job.background:
                self._tasks.append(asyncio.create_task(self._steps(job), name=f"job:{job.name}"))
        if serve:
            self._tasks.append(asyncio.create_task(self._serve(clock), name="jobs:schedule"))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def running(self) -> bool:
        return bool(self._tasks)

    async def _steps(self, job: Job) -> None:
        """A background job: step while there is work, then wait to be woken (or ``every``)."""
        while True:
            job.woken = False
            job._event.clear()
            if await self._run(job, wall_clock()):
                await asyncio.sleep(0)  # let others in between steps
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job._event.wait(), job.every.total_seconds())

    async def _serve(self, clock: Callable[[], datetime]) -> None:
        while True:
            self._wakeup.clear()
            await self.tick(clock())
            due = self.next_due()
            delay = IDLE_SLEEP if due is None else min(max(due - clock(), MIN_SLEEP), IDLE_SLEEP)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), delay.total_seconds())
