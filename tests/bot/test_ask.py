"""/ask and the mention path, driven through the harness against the real bot."""

from __future__ import annotations

import dataclasses

import pytest

from bot.cogs.ask import question_from_mention
from bot.render import EMBED_TOTAL_LIMIT
from bot.settings import Settings

QUESTION = "what did Microsoft say?"


def embeds_of(outcome) -> list[dict]:
    return [embed for message in outcome.messages for embed in message["embeds"]]


async def test_ask_answers_with_quoted_linked_passages(session) -> None:
    """/ask defers at once and answers with one embed per article, quotes bolded and linked."""
    outcome = await session.slash("alice", "ask", {"question": QUESTION})
    assert outcome.error is None and outcome.ack_ms is not None and outcome.ack_ms < 3000
    assert not outcome.ephemeral
    [message] = outcome.messages
    assert message["content"].startswith("**Results 1–")
    embeds = message["embeds"]
    assert embeds and all(e["description"].startswith("> **[") for e in embeds)
    assert any(
        "**Microsoft**" in e["description"] or "**माइक्रोसॉफ्ट**" in e["description"] for e in embeds
    )
    assert any(e.get("url", "").startswith("https://wire.example/") for e in embeds)
    assert all(e["author"]["name"] and e["footer"]["text"] for e in embeds)


async def test_ask_private_answer_is_ephemeral(session) -> None:
    """private:true makes the deferred answer visible to the asker only."""
    outcome = await session.slash("alice", "ask", {"question": QUESTION, "private": True})
    assert outcome.ephemeral and outcome.messages
    assert outcome.messages[0]["content"].startswith("**Results")


async def test_ask_nothing_found_says_so_plainly(session) -> None:
    """A question matching nothing gets a plain 'couldn't find' message, no embeds."""
    outcome = await session.slash("alice", "ask", {"question": "zzyzx qwxv"})
    [message] = outcome.messages
    assert "couldn't find" in message["content"] and message["embeds"] == []


async def test_ask_filters_by_source_and_language(session) -> None:
    """source and language options reach the library; an unknown source is refused privately,
    naming outlets that exist."""
    outcome = await session.slash(
        "alice", "ask", {"question": QUESTION, "source": "no-such-outlet.example"}
    )
    assert outcome.ephemeral
    assert "no outlet is called" in outcome.messages[0]["content"]
    assert "Malang Terkini" in outcome.messages[0]["content"]
    outcome = await session.slash("alice", "ask", {"question": QUESTION, "language": "hi"})
    assert outcome.error is None and outcome.messages


async def test_ask_source_autocomplete_offers_outlets(session, library) -> None:
    """Typing in the source option offers the stored outlet names."""
    names = await library.source_names("", limit=25)
    outcome = await session.autocomplete("alice", "ask", "source", names[0][:3])
    assert names[0] in [choice["value"] for choice in outcome.choices]


async def test_mention_gets_the_same_answer_as_ask(session) -> None:
    """'@storybot question' is answered like /ask, in a reply that pings nobody."""
    slash = await session.slash("alice", "ask", {"question": QUESTION})
    mention = await session.message("bob", f"@storybot {QUESTION}")
    assert mention.ack_ms is not None and len(mention.messages) == 1
    assert mention.messages[0]["content"] == slash.messages[0]["content"]
    assert embeds_of(mention) == embeds_of(slash)


async def test_mention_without_question_explains_usage(session) -> None:
    """A bare mention gets a hint on how to ask."""
    outcome = await session.message("alice", "@storybot")
    assert "Ask me a question" in outcome.messages[0]["content"]


async def test_message_without_mention_is_ignored(session) -> None:
    """Ordinary chat does not trigger the bot."""
    outcome = await session.message("alice", "what did Microsoft say?")
    assert outcome.messages == []


async def test_mention_with_overlong_question_is_refused_politely(session) -> None:
    """A question over 1000 characters gets the library's reason, not a crash."""
    outcome = await session.message("alice", "@storybot " + "word " * 300)
    assert "can't search" in outcome.messages[0]["content"]


@pytest.mark.parametrize("settings", [Settings(ask_cooldown=30)])
async def test_ask_cooldown_refuses_then_recovers(session) -> None:
    """A second /ask within the cooldown is refused privately; after it passes, it works."""
    first = await session.slash("alice", "ask", {"question": QUESTION})
    second = await session.slash("alice", "ask", {"question": QUESTION})
    assert first.messages[0]["content"].startswith("**Results")
    assert second.ephemeral and "Slow down" in second.messages[0]["content"]
    other = await session.slash("bob", "ask", {"question": QUESTION})
    assert other.messages[0]["content"].startswith("**Results")  # per user
    await session.wait(31)
    third = await session.slash("alice", "ask", {"question": QUESTION})
    assert third.messages[0]["content"].startswith("**Results")


@pytest.mark.parametrize("settings", [Settings(ask_cooldown=30)])
async def test_mention_cooldown_applies_too(session) -> None:
    """The mention path has the same per-user cooldown."""
    await session.message("alice", f"@storybot {QUESTION}")
    again = await session.message("alice", f"@storybot {QUESTION}")
    assert "Slow down" in again.messages[0]["content"]


async def test_every_send_disables_mentions(session) -> None:
    """Every message-creating request the bot makes carries allowed_mentions parse=[]."""
    await session.slash("alice", "ask", {"question": QUESTION})
    await session.message("alice", f"@storybot {QUESTION}")
    await session.slash("alice", "help")
    checked = 0
    for entry in session.env.http_requests:
        body = entry.json if isinstance(entry.json, dict) else None
        if body is None or entry.method not in ("POST", "PATCH"):
            continue
        data = body.get("data", body) if "type" in body else body
        if not isinstance(data, dict) or not ({"content", "embeds"} & data.keys()):
            continue
        assert data.get("allowed_mentions", {}).get("parse") == [], entry.path
        checked += 1
    assert checked >= 3


async def test_answer_payloads_respect_the_total_limit(session) -> None:
    """A real answer stays within 6000 characters of embed text and 10 embeds."""
    outcome = await session.slash("alice", "ask", {"question": "Twitter Microsoft data Musk"})
    for message in outcome.messages:
        assert len(message["embeds"]) <= 10
        import discord

        total = sum(len(discord.Embed.from_dict(e)) for e in message["embeds"])
        assert total <= EMBED_TOTAL_LIMIT


def test_question_from_mention_strips_only_the_bot() -> None:
    """Both mention forms of the bot are removed; other text stays."""
    assert question_from_mention("<@42> hi <@!42> there", 42) == "hi   there"
    assert question_from_mention("<@7> hi", 42) == "<@7> hi"


async def test_hostile_article_is_quoted_harmlessly(session) -> None:
    """Quotes from an article full of mentions and Markdown arrive escaped and within limits."""
    import json

    import discord

    outcome = await session.slash("alice", "ask", {"question": "zebra council"})
    [message] = outcome.messages
    assert message["embeds"], message["content"]
    dumped = json.dumps(message, ensure_ascii=False)
    assert "@everyone" not in dumped and "@here" not in dumped and "<@&123>" not in dumped
    for embed in message["embeds"]:
        assert len(discord.Embed.from_dict(embed)) <= EMBED_TOTAL_LIMIT
        assert len(embed.get("url", "")) <= 2048
    links = [b for row in message["components"] for b in row["components"] if b.get("url")]
    assert all(len(b["url"]) <= 512 for b in links)


@pytest.mark.parametrize("question", ["?", "  ...  "])
async def test_a_question_with_nothing_to_search_is_refused_privately(session, question) -> None:
    """A question without words gets its reason in a private reply, not a public one."""
    outcome = await session.slash("alice", "ask", {"question": question})
    assert outcome.ephemeral
    [message] = outcome.messages
    assert "no words to search" in message["content"]


async def test_the_cooldown_runs_on_real_time_between_actions(session, monkeypatch) -> None:
    """The harness moves simcord's clock by the real time that passed, so a person who waits
    out the cooldown can ask again without any explicit wait."""
    import time as real_time

    session.bot.settings = dataclasses.replace(session.bot.settings, ask_cooldown=0.5)
    first = await session.slash("alice", "ask", {"question": QUESTION})
    assert not first.ephemeral
    real_time.sleep(0.6)  # a person thinking, in real time (the loop is idle meanwhile)
    second = await session.slash("alice", "ask", {"question": QUESTION})
    assert not second.ephemeral and second.messages[0]["content"].startswith("**Results")
