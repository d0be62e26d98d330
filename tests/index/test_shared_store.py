"""Several bot processes on one store: leases, claimed work done once, lost connections, copy.

Each test runs against SQLite and against PostgreSQL (when a server is at hand; see
``database_url`` in tests/conftest.py). "Processes" are separate ``Store`` objects with their
own connection pools on the same database, which is what separate processes have.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from index.library import Library
from index.models import FoundAlert
from index.store import Store
from index.store.copy import COPIED, copy_store
from index.store.live import LiveStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def test_a_lease_is_held_by_one_process_until_it_lapses(database_url: str) -> None:
    """The first claimer holds the lease and may renew it; another gets it only once it lapsed."""
    a, b = await Store.open(database_url), await Store.open(database_url)
    try:
        one, two = LiveStore(a), LiveStore(b)
        until = NOW + timedelta(minutes=10)
        assert await one.claim("embed", "a", until, NOW)
        assert not await two.claim("embed", "b", until, NOW)
        assert await one.claim("embed", "a", until + timedelta(minutes=5), NOW)  # renewed
        later = until + timedelta(minutes=6)  # a died holding it
        assert await two.claim("embed", "b", later + timedelta(minutes=10), later)
        assert not await one.claim("embed", "a", later + timedelta(minutes=10), later)
    finally:
        await a.close()
        await b.close()


async def test_processes_polling_at_once_take_each_feed_once(database_url: str) -> None:
    """Three processes claiming due feeds at the same moment never get the same feed."""
    stores = [await Store.open(database_url) for _ in range(3)]
    try:
        lives = [LiveStore(store) for store in stores]
        for n in range(9):
            await lives[0].add_feed(1234, f"https://feeds.example/{n}.xml", None, 15, NOW)

        async def claim_all(live: LiveStore, me: str) -> list[int]:
            taken = []
            while (feed := await live.claim_due_feed(NOW, NOW + timedelta(minutes=10), me, NOW)):
                taken.append(feed.id)
            return taken

        taken = await asyncio.gather(*(claim_all(live, f"p{i}") for i, live in enumerate(lives)))
        every = [feed for part in taken for feed in part]
        assert sorted(every) == sorted(set(every)) and len(every) == 9
        later = NOW + timedelta(minutes=11)  # a poller died: its feeds' leases lapse
        assert await lives[1].claim_due_feed(later, later + timedelta(minutes=10), "p1", later)
    finally:
        for store in stores:
            await store.close()


async def test_an_alert_is_claimed_by_one_process(database_url: str) -> None:
    """Of two processes claiming the same pending alert, exactly one gets it."""
    a, b = await Store.open(database_url), await Store.open(database_url)
    try:
        one, two = LiveStore(a), LiveStore(b)
        follow = await one.add_follow(1234, 5678, "Microsoft", None, NOW)
        assert follow is not None
        found = FoundAlert(follow.id, "k1", "a0000000000a", 0, ((0, 5),), "Microsoft", (0, 9))
        await one.record_alerts(1234, [found], 0, NOW)
        got = await asyncio.gather(one.claim_alert(follow.id, "k1", "posted", NOW),
                                   two.claim_alert(follow.id, "k1", "posted", NOW))
        assert sorted(got) == [False, True]
    finally:
        await a.close()
        await b.close()


async def test_a_lost_connection_rolls_back_one_article_and_the_batch_goes_on(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection drops while one article is stored: that article is reported and rolled
    back, the others land, and ingesting again adds it."""
    from sqlalchemy.ext.asyncio import AsyncConnection

    library = await Library.open(tmp_path, sample=False, semantic=False,
                                 database_url=database_url)
    try:
        real = AsyncConnection.execute
        calls = {"n": 0}

        async def drop_once(self, statement, *args, **kwargs):
            table = getattr(statement, "table", None)
            if table is not None and table.name == "passages" and statement.is_insert:
                calls["n"] += 1
                if calls["n"] == 2:
                    raise OperationalError("INSERT", {}, ConnectionResetError("connection lost"))
            return await real(self, statement, *args, **kwargs)

        monkeypatch.setattr(AsyncConnection, "execute", drop_once)
        lines = "\n".join(json.dumps({"text": f"Story number {n} about the harbour ferry.",
                                      "url": f"https://news.example/{n}"}) for n in range(4))
        first = await library.ingest.upload("batch.jsonl", lines.encode())
        assert len(first.added) == 3 and "connection lost" in first.failed[0].reason
        assert await library.store.count_articles() == 3
        monkeypatch.setattr(AsyncConnection, "execute", real)
        again = await library.ingest.upload("batch.jsonl", lines.encode())
        assert len(again.added) == 1 and len(again.skipped) == 3
    finally:
        await library.close()


async def test_a_store_is_copied_whole_and_a_copy_resumes(
    database_url: str, tmp_path: Path
) -> None:
    """store copy moves articles, passages, settings, feeds, follows and vectors; copying again
    adds nothing twice; the counts match; the copy answers questions."""
    source_dir = tmp_path / "source"
    library = await Library.open(source_dir, sample=True)
    try:
        await library.servers.set_search_shared(1234, False)
        await library.live.add_feed(1234, "https://feeds.example/a.xml", "A", 15, NOW)
        await library.alerts.follow(1234, 5678, "Microsoft", None, NOW)
    finally:
        await library.close()
    source = await Store.open(source_dir / "storybot.sqlite3")
    target = await Store.open(database_url)
    try:
        counts = await copy_store(source, target)
        assert [name for name, _a, _b in counts] == [t.name for t in COPIED]
        assert all(here == there for _n, here, there in counts), counts
        assert dict((n, a) for n, a, _b in counts)["embeddings"] > 0
        again = await copy_store(source, target)
        assert again == counts
    finally:
        await source.close()
        await target.close()
    copied = await Library.open(tmp_path / "copy", sample=False, database_url=database_url)
    try:
        answer = await copied.ask("what did Microsoft say?")
        assert answer.quotes and await copied.store.guild_settings("1234") == (False, None)
    finally:
        await copied.close()
