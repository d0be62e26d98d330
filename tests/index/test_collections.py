"""Collections in the library: scoped search, listings and lookups, dedup per collection, purge.

The engines filter by collection inside the search, so a server's few articles are found even
beside a large shared collection using the same words.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index.errors import NotFound
from index.library import Library
from index.models import SHARED_SCOPE, Scope, guild_collection

GUILD = 123456789012345678
OTHER = 223456789012345678
HOME = guild_collection(GUILD)


def jsonl(*records: dict) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


@pytest.fixture
async def library(tmp_path: Path):
    lib = await Library.open(tmp_path / "data", sample=False)
    yield lib
    await lib.close()


async def test_a_tiny_collection_wins_beside_100k_shared_passages(library: Library) -> None:
    """A server's one article about the lighthouse budget is quoted first in that server, though
    the shared collection holds 100,000 passages with the same words; elsewhere it never shows."""
    paragraphs = [
        f"The harbour board discussed the lighthouse budget again in session {n} of the year."
        for n in range(100)
    ]
    shared = [{"text": "\n".join(paragraphs), "lang": "en", "url": f"https://wire.example/{a}"}
              for a in range(1000)]
    report = await library.ingest.upload("shared.jsonl", jsonl(*shared))
    assert len(report.added) == 1000 and await library.store.count_passages() == 100_000
    own = {"text": "The harbour board approved the lighthouse budget on Tuesday.", "lang": "en"}
    [article_id] = (await library.ingest.upload("own.jsonl", jsonl(own), collection=HOME)).added
    question = "harbour board lighthouse budget"
    in_server = await library.ask(question, scope=Scope.for_guild(GUILD))
    assert in_server.quotes[0].article_id == article_id
    assert len(in_server.quotes) >= 2  # shared passages follow it
    for scope in (SHARED_SCOPE, Scope.for_guild(OTHER)):
        answer = await library.ask(question, scope=scope)
        assert answer.quotes and all(q.article_id != article_id for q in answer.quotes)


async def test_a_collection_without_shared_sees_only_its_own(library: Library) -> None:
    """With the shared collection turned off for a server, only its own articles answer."""
    await library.ingest.upload("s.jsonl", jsonl({"text": "Shared news about the river ferry."}))
    await library.ingest.upload(
        "o.jsonl", jsonl({"text": "Our own news about the river bridge."}), collection=HOME
    )
    await library.servers.set_search_shared(GUILD, False)
    scope = await library.scope(GUILD)
    assert scope == Scope((HOME,), HOME)
    answer = await library.ask("river", scope=scope)
    assert [q.text for q in answer.quotes] == ["Our own news about the river bridge."]


async def test_listings_and_lookups_stay_in_scope(library: Library) -> None:
    """sources, source names, find_articles, article, passages and context are scoped."""
    record = {"text": "A private memo about the depot.", "source": "Depot Times",
              "url": "https://depot.example/memo"}
    [article_id] = (await library.ingest.upload("p.jsonl", jsonl(record), collection=HOME)).added
    home = Scope.for_guild(GUILD)
    assert [s.source for s in await library.sources(home)] == ["depot.example"]
    assert await library.source_names("dep", scope=home) == ["Depot Times", "depot.example"]
    assert [a.id for a in await library.find_articles("", scope=home)] == [article_id]
    assert await library.sources(SHARED_SCOPE) == []
    assert await library.source_names("dep") == []
    assert await library.find_articles("") == []
    for call in (library.article(article_id), library.passages(article_id),
                 library.context(f"{article_id}:0")):
        with pytest.raises(NotFound):
            await call
    assert (await library.article(article_id, home)).collection == HOME


async def test_the_same_url_is_one_article_per_collection(library: Library) -> None:
    """Dedup works within a collection; two collections get an article each."""
    record = {"text": "The same story in two servers.", "url": "https://same.example/story"}
    first = await library.ingest.upload("a.jsonl", jsonl(record), collection=HOME)
    elsewhere = guild_collection(OTHER)
    second = await library.ingest.upload("a.jsonl", jsonl(record), collection=elsewhere)
    again = await library.ingest.upload("a.jsonl", jsonl(record), collection=HOME)
    assert first.added and second.added and first.added != second.added
    assert again.skipped == first.added


async def test_purging_a_departed_server_removes_everything_of_it(library: Library) -> None:
    """After the grace period, a departed server's articles, index entries and settings go;
    before it, and for servers still present, nothing does."""
    await library.ingest.upload("s.jsonl", jsonl({"text": "Shared story about the harbour."}))
    await library.ingest.upload("o.jsonl", jsonl({"text": "Own story about the harbour."}),
                               collection=HOME)
    await library.servers.set_search_shared(GUILD, False)
    left = datetime(2026, 1, 1, tzinfo=UTC)
    await library.servers.guild_left(GUILD, left)
    grace = timedelta(days=30)
    assert await library.servers.purge_departed(left + timedelta(days=29), grace) == []
    assert await library.store.count_articles(HOME) == 1
    assert await library.servers.purge_departed(left + timedelta(days=31), grace) == [GUILD]
    assert await library.store.count_articles(HOME) == 0
    assert await library.store.count_articles() == 1
    assert library.engine.num_docs() == await library.store.count_passages()
    assert await library.scope(GUILD) == Scope.for_guild(GUILD)  # settings forgotten


async def test_a_server_that_comes_back_is_not_purged(library: Library) -> None:
    """Leaving and rejoining within the grace period keeps the collection."""
    await library.ingest.upload("o.jsonl", jsonl({"text": "Own story."}), collection=HOME)
    left = datetime(2026, 1, 1, tzinfo=UTC)
    await library.servers.guild_left(GUILD, left)
    await library.servers.guild_joined(GUILD)
    assert await library.servers.purge_departed(left + timedelta(days=60), timedelta(days=30)) == []
    assert await library.store.count_articles(HOME) == 1
