"""The offline harness: the real bot, cogs and renderer in a simulated Discord (simcord).

* ``connection``: a :class:`Session` of simulated servers and people around the real bot;
  actions in, Discord API payloads out, the library's background jobs on the simulated clock.
* ``script``: JSONL scripts of actions (``storybot simulate``), ``perform`` for one action.
* ``console``: an interactive chat in the terminal (``storybot console``).
* ``localsite``: a real HTTP server on 127.0.0.1 serving the pages and feeds a script names.
* ``loadtest``: event-loop lag under a burst of questions, and feed-to-alert time.

The discord.py and simcord versions are checked before either is imported (``pins``).
"""

from __future__ import annotations

from bot.harness.pins import check_pins

check_pins()

from bot.harness.connection import (  # noqa: E402 - after the version check
    ACK_LIMIT_MS,
    DEFAULT_GUILD,
    SETTLE_TIMEOUT_S,
    Outcome,
    Place,
    Session,
    buttons,
    open_session,
    parse_duration,
)
from bot.harness.script import perform, simulate  # noqa: E402

__all__ = [
    "ACK_LIMIT_MS",
    "DEFAULT_GUILD",
    "SETTLE_TIMEOUT_S",
    "Outcome",
    "Place",
    "Session",
    "buttons",
    "check_pins",
    "open_session",
    "parse_duration",
    "perform",
    "simulate",
]
