"""One error handler: every failure gets a private, readable reply; surprises are logged."""

from __future__ import annotations

import logging

import pytest
from discord import app_commands

from bot.errors import GENERIC, NotOwner, user_message
from index.errors import BadInput, BadQuestion, FetchRefused, NotFound


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (app_commands.CommandOnCooldown(app_commands.Cooldown(1, 10), 4.2), "again in 4 s"),
        (app_commands.MissingPermissions(["manage_guild"]), "Manage Server"),
        (app_commands.NoPrivateMessage(), "inside a server"),
        (NotOwner(), "owner"),
        (BadQuestion("the question is empty"), "the question is empty"),
        (NotFound("article", "x*y"), "x\\*y"),
        (FetchRefused("http://10.0.0.1/", "10.0.0.1 is a private address"), "won't fetch"),
        (BadInput("a.bin", "unsupported file type"), "unsupported file type"),
    ],
)
def test_user_message_explains_known_errors(error: Exception, expected: str) -> None:
    """Each known error maps to a sentence naming the problem, untrusted parts escaped."""
    assert expected in (user_message(error) or "")


def test_unknown_errors_get_no_specific_message() -> None:
    """A bug is not explained to the user (they get the generic apology)."""
    assert user_message(RuntimeError("boom")) is None


async def test_unexpected_failure_answers_user_and_logs_traceback(
    session, library, monkeypatch, caplog
) -> None:
    """If the library blows up, the asker gets a private apology and the traceback is logged."""

    async def broken(*args, **kwargs):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(library, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        outcome = await session.slash("alice", "ask", {"question": "anything"})
    assert outcome.messages[-1]["content"] == GENERIC
    assert "index on fire" in caplog.text and "Traceback" in caplog.text


async def test_unexpected_failure_on_mention_is_answered_and_logged(
    session, library, monkeypatch, caplog
) -> None:
    """The mention path apologises in a reply and logs the traceback too."""

    async def broken(*args, **kwargs):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(library, "ask", broken)
    with caplog.at_level(logging.ERROR):
        outcome = await session.message("alice", "@storybot anything")
    assert outcome.messages[0]["content"] == GENERIC
    assert "index on fire" in caplog.text
