"""/ingest (Manage Server, checked twice) and /sync (owners only)."""

from __future__ import annotations

import pytest

from bot.harness import perform
from bot.settings import Settings

ARTICLE = (
    "Zanzibar spice growers said on Tuesday that the clove harvest doubled.\n"
    "The growers' cooperative said exports to India would rise next year.\n"
)


async def test_ingest_is_hidden_from_members_without_manage_server(session) -> None:
    """Without Manage Server, /ingest is not even offered (default_permissions)."""
    outcome = await perform(session, {"as": "carol", "slash": "ingest", "options": {"url": "x"}})
    assert outcome.hidden and "Manage Server" in outcome.hidden
    assert "ingest" not in session.member("carol").available_commands(session.channel)


async def test_runtime_check_refuses_when_an_override_shows_the_command(session) -> None:
    """A server override can show /ingest to anyone; the runtime check still refuses them."""
    carol = session.member("carol")
    session.guild.set_command_permissions(session.commands["ingest"], {carol: True})
    outcome = await session.slash("carol", "ingest", {"url": "https://example.com/a"})
    assert outcome.ephemeral
    assert "Manage Server" in outcome.messages[0]["content"]
    assert outcome.raised == ["MissingPermissions"]


async def test_admin_ingests_an_attached_text_file_and_it_becomes_searchable(session) -> None:
    """An admin attaches a .txt; the report lists it and /ask then quotes it."""
    before = await session.slash("dave", "ask", {"question": "Zanzibar clove harvest"}, admin=True)
    assert "couldn't find" in before.messages[0]["content"]
    outcome = await session.slash(
        "dave", "ingest", {"file": ("cloves.txt", ARTICLE.encode())}, admin=True
    )
    assert outcome.ephemeral and outcome.ack_ms is not None
    assert "added 1" in outcome.messages[0]["content"]
    after = await session.slash("dave", "ask", {"question": "Zanzibar clove harvest"})
    assert after.messages[0]["content"].startswith("**Results")
    assert "**Zanzibar**" in after.messages[0]["embeds"][0]["description"]


async def test_ingest_of_a_loopback_url_is_refused(session) -> None:
    """/ingest url:http://127.0.0.1/ reports the refusal and fetches nothing."""
    outcome = await session.slash("dave", "ingest", {"url": "http://127.0.0.1/"}, admin=True)
    text = outcome.messages[0]["content"]
    assert "failed 1" in text and "loopback" in text


async def test_ingest_needs_a_file_or_url(session) -> None:
    """/ingest with nothing to ingest explains what to give it."""
    outcome = await session.slash("dave", "ingest", {}, admin=True)
    assert "Attach a file" in outcome.messages[0]["content"]


@pytest.mark.parametrize("settings", [Settings(ask_cooldown=0, max_upload_bytes=10)])
async def test_ingest_refuses_files_over_the_upload_limit(session) -> None:
    """A file larger than STORYBOT_MAX_UPLOAD_BYTES is refused before it is read."""
    outcome = await session.slash("dave", "ingest", {"file": ("big.txt", b"x" * 100)}, admin=True)
    assert "the limit is 10 bytes" in outcome.messages[0]["content"]


async def test_ingest_reports_unsupported_files(session) -> None:
    """A file the library cannot read lands in the report's failures, not an exception."""
    outcome = await session.slash(
        "dave", "ingest", {"file": ("photo.png", b"\x89PNG....")}, admin=True
    )
    assert "failed 1" in outcome.messages[0]["content"]


async def test_sync_is_refused_to_non_owners(session) -> None:
    """An administrator who is not an owner cannot run /sync."""
    erin = session.member("erin", admin=True)
    session.guild.set_command_permissions(session.commands["sync"], {erin: True})
    outcome = await session.slash("erin", "sync", {"scope": "here"})
    assert "Only the bot's owner" in outcome.messages[0]["content"]


async def test_sync_works_for_an_owner(session) -> None:
    """A user listed in STORYBOT_OWNER_IDS can sync commands to the server."""
    frank = session.member("frank", admin=True)
    session.bot.owner_ids = {frank.id}
    session.guild.set_command_permissions(session.commands["sync"], {frank: True})
    outcome = await session.slash("frank", "sync", {"scope": "here"})
    assert "Synced" in outcome.messages[0]["content"]
