"""The client: no privileged intents, syncing only when told, closing the library it owns."""

from __future__ import annotations

import pytest
import simcord

from bot.client import create_bot, intents
from bot.runner import run_discord
from bot.settings import Settings, SettingsError

DEV_GUILD = 123456789012345678


def test_no_privileged_intents() -> None:
    """Members, presences and message content are not requested."""
    chosen = intents()
    assert not (chosen.message_content or chosen.members or chosen.presences)
    assert chosen.guilds and chosen.guild_messages


async def test_commands_are_not_synced_automatically(library) -> None:
    """Without a dev guild, starting the bot registers no commands anywhere."""
    bot = create_bot(library, Settings(), close_library=False)
    async with simcord.run(bot) as env:
        assert not [r for r in env.http_requests if r.path.endswith("/commands")]
        assert {c.name for c in bot.tree.get_commands()} >= {"ask", "sources", "ingest", "help"}


async def test_dev_guild_gets_the_commands_at_start(library) -> None:
    """With STORYBOT_DEV_GUILD, the commands are synced to that guild only, at start."""
    bot = create_bot(library, Settings(dev_guild=DEV_GUILD), close_library=False)
    async with simcord.run(bot) as env:
        guild = env.create_guild("dev", id=DEV_GUILD)
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        puts = [r.path for r in env.http_requests if r.method == "PUT"]
        assert puts and all(f"/guilds/{DEV_GUILD}/commands" in p for p in puts)
        assert "ask" in alice.available_commands(channel)


async def test_closing_the_bot_closes_its_library(library, monkeypatch) -> None:
    """A bot that owns the library closes it exactly once on close."""
    calls = []
    original = library.close

    async def close() -> None:
        calls.append(1)
        await original()

    monkeypatch.setattr(library, "close", close)
    bot = create_bot(library, Settings())
    await bot.close()
    await bot.close()
    assert calls == [1]


async def test_run_discord_needs_a_token() -> None:
    """Running for real without DISCORD_TOKEN fails with a clear settings error."""
    with pytest.raises(SettingsError, match="DISCORD_TOKEN"):
        await run_discord(Settings())


def test_upload_limit_setting_reaches_the_library(library) -> None:
    """STORYBOT_MAX_UPLOAD_BYTES is the limit the library applies to every ingested file."""
    create_bot(library, Settings(max_upload_bytes=20_000_000), close_library=False)
    assert library.ingest.max_bytes == 20_000_000
