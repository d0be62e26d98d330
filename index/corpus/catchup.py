"""One way to keep a derived index in step with the store: read its ledger, catch up.

The search index and the vector index are both derived from the store. Each has a ledger (the
article versions it holds); what the ledger lacks is its backlog, what it holds that the store
no longer has is gone. ``CatchUp`` works through the backlog batch by batch: it hands the
batch's articles and passages to the derived index (``Derived.replace``), and records them in
the ledger only once the index has made them durable (``Derived.flush``), so after a crash the
backlog is exactly what was not recorded.

Several processes sharing one store can work through one backlog together: with a ``holder``,
each batch is first *claimed* in the store (until a wall-clock time), so two processes never
take the same articles and one that dies loses its claims when they lapse.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Table

from index.jobs import CLAIM_FOR
from index.models import Article, Passage
from index.progress import ProgressFactory, no_progress
from index.store import Store

__all__ = ["Batch", "CatchUp", "Derived"]


@dataclass(frozen=True, slots=True)
class Batch:
    """Articles (their current versions) with their metadata and passages."""

    versions: Sequence[tuple[str, int]]
    articles: Mapping[str, Article]  # metadata only: enough to cite, and for titles
    passages: Sequence[Passage]


class Derived(Protocol):
    """A derived index as ``CatchUp`` sees it."""

    ledger: Table  # (article_id, version) rows of what it holds
    label: str  # what progress bars call its work ("indexing", "vectors")
    batch_size: int  # articles per batch
    flush_every_s: float  # how long recorded work may wait for a flush (0: every batch)

    async def remove(self, article_ids: Sequence[str]) -> None:
        """Remove these articles from the index, durably."""

    async def replace(self, batch: Batch) -> None:
        """Replace these articles' passages in the index (durable at the next ``flush``)."""

    async def flush(self) -> None:
        """Make what ``replace`` did durable."""


class CatchUp:
    """Works through one derived index's backlog, alone or with other processes."""

    def __init__(
        self, store: Store, derived: Derived, holder: str | None = None,
        claim_for: timedelta = CLAIM_FOR,
    ) -> None:
        self.store = store
        self.derived = derived
        self.holder = holder  # claim batches in the store under this name (several processes)
        self.claim_for = claim_for  # a claimed batch not recorded by then is anyone's again
        self._unrecorded: list[Sequence[tuple[str, int]]] = []
        self._flushed_at = time.monotonic()

    async def run(self, progress: ProgressFactory = no_progress) -> int:
        """Catch up completely; returns how many articles were done."""
        await self.drop_gone()
        behind, _total = await self.store.count_behind(self.derived.ledger)
        if not behind:
            return 0
        bar = progress(self.derived.label, behind, " passages")
        done = 0
        try:
            while (batch := await self.step(record=False)) is not None:
                done += len(batch.versions)
                bar.update(len(batch.passages))
        finally:
            await self.record()
            bar.close()
        return done

    async def step(self, *, record: bool = True) -> Batch | None:
        """One batch of the backlog (claimed first when working beside other processes), or
        None when nothing is left that is not someone else's. Without ``record`` the ledger is
        written at the next flush (at most ``flush_every_s`` later, or by ``record``)."""
        versions = await self._next_batch()
        if not versions:
            return None
        ids = [article_id for article_id, _version in versions]
        articles = await self.store.citations(ids)
        passages: list[Passage] = []
        async for chunk in self.store.iter_passages(ids):
            passages.extend(chunk)
        batch = Batch(versions, articles, passages)
        await self.derived.replace(batch)
        self._unrecorded.append(versions)
        if record or time.monotonic() - self._flushed_at >= self.derived.flush_every_s:
            await self.record()
        return batch

    async def _next_batch(self) -> list[tuple[str, int]]:
        """The oldest articles of the backlog not replaced yet (the ledger still lists what
        waits for a flush as behind)."""
        pending = {version for batch in self._unrecorded for version in batch}
        size = self.derived.batch_size + len(pending)
        if self.holder is None:
            found, _gone = await self.store.backlog(self.derived.ledger, limit=size)
        else:
            now = datetime.now(UTC)
            found = await self.store.claim_backlog(
                self.derived.ledger, self.holder, now + self.claim_for, now, size
            )
        return [version for version in found if version not in pending][
            : self.derived.batch_size
        ]

    async def record(self) -> None:
        """Flush the index, then record in the ledger what it now holds (and drop claims)."""
        if not self._unrecorded:
            return
        await self.derived.flush()
        self._flushed_at = time.monotonic()
        done = [version for batch in self._unrecorded for version in batch]
        await self.store.mark(self.derived.ledger, done, [])
        if self.holder is not None:
            await self.store.release(self.derived.ledger, self.holder, [a for a, _v in done])
        self._unrecorded.clear()

    async def drop_gone(self) -> bool:
        """Remove what the index holds of articles no longer stored; True if there were any."""
        _stale, gone = await self.store.backlog(self.derived.ledger, limit=0)
        if gone:
            await self.derived.remove(gone)
            await self.store.mark(self.derived.ledger, [], gone)
        return bool(gone)
