"""/sources, /article and its autocomplete, /help."""

from __future__ import annotations


async def test_sources_lists_outlets(session, library) -> None:
    """/sources shows every outlet with its language and article count."""
    outcome = await session.slash("alice", "sources")
    [embed] = outcome.messages[0]["embeds"]
    shown = embed["description"].replace("\u200b", "")
    for summary in await library.sources():
        assert summary.source.split(".")[0] in shown


async def test_article_is_shown_privately_passage_by_passage(session, library) -> None:
    """/article id shows the article's passages, numbered, only to the asker."""
    [first, *_] = await library.find_articles("", limit=1)
    outcome = await session.slash("alice", "article", {"id": first.id})
    assert outcome.ephemeral
    embed = outcome.messages[0]["embeds"][0]
    assert embed["description"].startswith("`0`")
    assert first.id in embed["footer"]["text"]


async def test_unknown_article_gets_a_clear_private_error(session) -> None:
    """An id that does not exist is answered with 'can't find', privately."""
    outcome = await session.slash("alice", "article", {"id": "no-such-id"})
    assert outcome.ephemeral
    assert "can't find any article" in outcome.messages[0]["content"]


async def test_article_autocomplete_offers_ids(session, library) -> None:
    """Typing part of an id offers matching articles, labelled with their title."""
    [first, *_] = await library.find_articles("", limit=1)
    outcome = await session.autocomplete("alice", "article", "id", first.id[:3])
    assert first.id in [choice["value"] for choice in outcome.choices]
    assert all(len(choice["name"]) <= 100 for choice in outcome.choices)


async def test_help_lists_the_commands_privately(session) -> None:
    """/help answers at once, privately, naming every command."""
    outcome = await session.slash("alice", "help")
    assert outcome.ephemeral
    names = [f["name"] for f in outcome.messages[0]["embeds"][0]["fields"]]
    assert any(n.startswith("/ask") for n in names) and any(n.startswith("/ingest") for n in names)
