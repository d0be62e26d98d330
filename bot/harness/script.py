"""Scripts of user actions: one JSON object a line, played against the real bot.

``perform`` turns one action into calls on a :class:`~bot.harness.connection.Session`;
``simulate`` plays a whole script and prints one JSON line per action (``storybot simulate``).

Example lines::

    {"as": "alice", "slash": "ask", "options": {"question": "what did Microsoft say?"}}
    {"as": "admin", "admin": true, "slash": "feed add", "options": {"url": "{site}/feed.xml"}}
    {"serve": "/feed.xml", "file": "feed.xml", "content_type": "application/rss+xml"}
    {"wait": "31d"}
    {"leave": "main"}
    {"restart": true}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simcord import BackendError, SetupError

from bot.harness.connection import Outcome, Session, open_session, parse_duration
from bot.settings import Settings

if TYPE_CHECKING:
    from index import Library

__all__ = ["perform", "simulate"]

_ACTIONS = ('"slash", "message", "click", "wait", "advance", "leave", "serve" or "restart"')


async def perform(session: Session, action: dict[str, Any]) -> Outcome:
    """Perform one script action; problems with the action itself (a user Discord would not
    let do this, an unknown button, a malformed line) become ``Outcome.error``."""
    try:
        return await _perform(session, action)
    except (SetupError, BackendError, ValueError, TypeError, KeyError, OSError) as error:
        return Outcome(action=session.actions, error=f"{type(error).__name__}: {error}")


async def _perform(session: Session, action: dict[str, Any]) -> Outcome:
    if not isinstance(action, dict):
        raise ValueError("each line must be a JSON object")
    if "wait" in action or "advance" in action:
        return await session.wait(parse_duration(action.get("wait", action.get("advance"))))
    if "leave" in action:
        return await session.leave(str(action["leave"]))
    if action.get("restart"):
        return await session.restart()
    if "serve" in action:
        body = action.get("body", "")
        if "file" in action:
            body = Path(str(action["file"])).read_bytes()
        return session.serve(
            str(action["serve"]), body, content_type=action.get("content_type"),
            status=int(action.get("status", 200)),
        )
    name = str(action.get("as", "alice"))
    where: dict[str, Any] = {"dm": bool(action.get("dm", False))}
    if "guild" in action:
        where["guild"] = str(action["guild"])
    admin = bool(action.get("admin", False))
    options = {k: session.with_site(v) for k, v in dict(action.get("options") or {}).items()}
    if "file" in options and isinstance(options["file"], str):
        path = Path(options["file"])
        options["file"] = (path.name, path.read_bytes())
    if "autocomplete" in action:
        option = str(action["autocomplete"])
        value = str(options.pop(option, ""))
        return await session.autocomplete(
            name, str(action["slash"]), option, value, **where, **options
        )
    if "slash" in action:
        return await session.slash(name, str(action["slash"]), options, admin=admin, **where)
    if "message" in action:
        return await session.message(name, str(action["message"]), admin=admin, **where)
    if "click" in action:
        return await session.click(name, str(action["click"]), admin=admin, **where)
    raise ValueError(f"an action needs one of {_ACTIONS}")


async def simulate(
    script_lines: Iterable[str],
    library: Library,
    out: TextIO,
    *,
    settings: Settings | None = None,
) -> int:
    """Run a JSONL script against the real bot; print one JSON line per action.

    Blank lines and lines starting with ``#`` are skipped.

    Returns
    -------
    int
        0 when every action ran and was acknowledged within 3 s; 1 otherwise.
    """
    status = 0
    number = 0
    async with open_session(library, settings) as session:
        for line in script_lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            number += 1
            try:
                action = json.loads(line)
            except json.JSONDecodeError as error:
                outcome = Outcome(action=number, error=f"action {number} is not JSON: {error}")
            else:
                outcome = await perform(session, action)
                outcome.action = number
            if not outcome.ok:
                status = 1
            out.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
            out.flush()
    return status
