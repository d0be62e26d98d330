"""Per-server corpora, end to end through the real bot: nothing of one server reaches another.

Each test drives two simulated servers (the default one, "main", and "other") and a DM against
one real SQLite file and tantivy index.
"""

from __future__ import annotations

import pytest

from bot.harness import perform
from bot.settings import Settings
from index.models import Scope, guild_collection

# An article only server "main" ingests: its words appear nowhere else in the corpus.
SECRET = (
    "The Quillhaven harbour board approved the secret lighthouse budget on Tuesday.\n"
    "Board members said the Quillhaven lighthouse would get new lamps before winter."
)
QUESTION = "What did the Quillhaven harbour board approve?"


async def ingest_secret(session, guild: str = "main") -> str:
    outcome = await session.slash(
        "admin", "ingest", {"file": ("quillhaven.txt", SECRET.encode())}, admin=True,
        guild=guild,
    )
    assert "added 1" in outcome.messages[0]["content"], outcome.messages
    own = Scope((guild_collection(session.place(guild).guild.id),))
    [article] = await session.bot.library.find_articles("", 50, scope=own)
    return article.id


def texts(outcome) -> str:
    """Everything the bot sent: message text and embeds."""
    return " ".join(m["content"] + " " + quoted(outcome) for m in outcome.messages)


def quoted(outcome) -> str:
    """What the bot quoted or listed: embed titles and bodies (not the echoed question)."""
    return " ".join(
        f"{e.get('title', '')} {e.get('description', '')}"
        for m in outcome.messages for e in m["embeds"]
    )


async def test_a_servers_article_is_quoted_there_and_nowhere_else(session) -> None:
    """Server main's upload answers in main; in "other" and in a DM the same question finds
    nothing of it, and neither /sources, autocomplete nor /article shows it there."""
    article_id = await ingest_secret(session)
    here = await session.slash("alice", "ask", {"question": QUESTION})
    assert "Quillhaven" in quoted(here)
    assert here.messages[0]["embeds"][0]["footer"]["text"].endswith(article_id)

    for where in ({"guild": "other"}, {"dm": True}):
        there = await session.slash("bob", "ask", {"question": QUESTION}, **where)
        assert "Quillhaven" not in quoted(there) and "couldn't find" in texts(there), where
        listed = await session.slash("bob", "sources", **where)
        assert "quillhaven" not in texts(listed).lower()
        choices = await session.autocomplete("bob", "article", "id", "", **where)
        assert article_id not in [c["value"] for c in choices.choices]
        read = await session.slash("bob", "article", {"id": article_id}, **where)
        assert read.ephemeral and "can't find any article" in texts(read)
        mention = await session.message("bob", f"@storybot {QUESTION}", **where)
        assert "Quillhaven" not in quoted(mention)


async def test_the_same_url_in_two_servers_is_two_articles(session) -> None:
    """Dedup works within a collection: two servers ingesting one URL get one article each."""
    first = await ingest_secret(session, "main")
    second = await ingest_secret(session, "other")
    assert first != second
    again = await session.slash(
        "admin", "ingest", {"file": ("quillhaven.txt", SECRET.encode())}, admin=True
    )
    assert "skipped 1" in again.messages[0]["content"]


async def test_a_server_without_the_shared_collection_sees_only_its_own(session) -> None:
    """/settings shared:false: the shared seed articles stop answering there, its own stay."""
    await ingest_secret(session)
    before = await session.slash("alice", "ask", {"question": "what did Microsoft say?"})
    assert "Microsoft" in quoted(before)
    changed = await session.slash("admin", "settings", {"shared": False}, admin=True)
    assert changed.ephemeral and "own articles only" in texts(changed)
    after = await session.slash("alice", "ask", {"question": "what did Microsoft say?"})
    assert "Microsoft" not in quoted(after) and "couldn't find" in texts(after)
    assert "Quillhaven" in quoted(await session.slash("alice", "ask", {"question": QUESTION}))
    elsewhere = await session.slash("bob", "ask", {"question": "what did Microsoft say?"},
                                    guild="other")
    assert "Microsoft" in quoted(elsewhere)


async def test_members_cannot_change_settings_or_remove(session) -> None:
    """/settings and /remove are for Manage Server only."""
    for command in ("settings", "remove"):
        outcome = await perform(session, {"as": "carol", "slash": command, "options": {}})
        assert outcome.hidden and "Manage Server" in outcome.hidden


async def test_remove_deletes_only_the_servers_own_article(session) -> None:
    """/remove takes one of the server's articles out of answers; a shared article's id is
    "not found" there."""
    article_id = await ingest_secret(session)
    removed = await session.slash("admin", "remove", {"article": article_id}, admin=True)
    assert removed.ephemeral and "Removed" in texts(removed)
    assert "Quillhaven" not in quoted(await session.slash("alice", "ask", {"question": QUESTION}))
    shared_id = (await session.bot.library.find_articles("", 1))[0].id
    refused = await session.slash("admin", "remove", {"article": shared_id}, admin=True)
    assert "can't find any article" in texts(refused)
    assert await session.bot.library.article(shared_id)


@pytest.mark.parametrize("settings", [Settings(ask_cooldown=0, purge_after_days=3)])
async def test_leaving_a_server_purges_its_collection_after_the_grace_period(session) -> None:
    """When the bot is removed, the server's articles stay for the grace period (3 days here;
    30 by default), then everything of them goes: store rows, index entries, its settings."""
    await ingest_secret(session, "other")
    other_id = session.place("other").guild.id
    library = session.bot.library
    collection = f"guild:{other_id}"
    assert await library.store.count_articles(collection) == 1
    await perform(session, {"leave": "other"})
    await perform(session, {"advance": "2d"})
    assert await library.store.count_articles(collection) == 1
    await perform(session, {"advance": "2d"})
    assert await library.store.count_articles(collection) == 0
    assert library.engine.num_docs() == await library.store.count_passages()
    assert await library.store.guild_settings(str(other_id)) == (True, None)
