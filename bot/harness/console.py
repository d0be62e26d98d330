"""The offline console: chat with the real bot in a terminal, as a simulated Discord user.

Each line you type becomes what a Discord user would do (a mention of the bot, a slash
command, a button click) through the harness (``bot.harness``), and the bot's replies are drawn
the way Discord shows them: embeds as coloured panels, Markdown rendered (bold, block quotes,
links), buttons listed under the message. Rendering is done with ``rich``; when the output is
not a terminal (a pipe, a test) it degrades to plain text.

Input is read by a daemon thread, so Ctrl+C (or end of input) ends the console at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import discord
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text
from simcord import BackendError, SetupError

from bot.harness.connection import Outcome, Session, buttons, open_session, parse_duration
from bot.settings import Settings
from index import strip_controls

if TYPE_CHECKING:
    from index import Library

__all__ = ["CONSOLE_HELP", "console", "format_outcome", "parse_slash", "render_outcome"]

_OPTION = re.compile(r"(\w+):")
_QUIT = ("quit", "exit", ":quit", ":q")
_HELP = ("help", ":help", "?")
CONSOLE_HELP = """\
Type a question to ask @storybot, or a slash command:
  /ask <question>   /sources   /help   /article id:<id>
  /ingest url:<url> or file:<path>   /follow who:<name>   /quotes who:<name>
Options look like name:value. Console commands:
  :click <label>    click a button of the last reply
  :as <name> [admin]  act as someone else (admin: with Manage Server)
  :wait <time>      let time pass (30, 20m, 6h): feeds, alerts and purges move on
  help              this text;  quit  leaves"""


def parse_slash(line: str, session: Session) -> tuple[str, dict[str, Any]]:
    """``/ask what now? private:true`` → ``("ask", {"question": "what now?", "private": True})``.

    Text before the first ``name:`` goes to the command's first parameter.
    """
    name, _, rest = line[1:].strip().partition(" ")
    command = session.bot.tree.get_command(name)
    if command is None or not isinstance(command, discord.app_commands.Command):
        raise ValueError(f"no command /{name}; try /help")
    params = {p.name: p for p in command.parameters}
    options: dict[str, Any] = {}
    matches = [m for m in _OPTION.finditer(rest) if m.group(1) in params]
    free = rest[: matches[0].start()] if matches else rest
    if free.strip() and command.parameters:
        options[command.parameters[0].name] = free.strip()
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        options[match.group(1)] = rest[match.end() : end].strip()
    for key, value in list(options.items()):
        kind = params[key].type
        if kind is discord.AppCommandOptionType.boolean:
            options[key] = value.lower() in ("1", "true", "yes", "on")
        elif kind is discord.AppCommandOptionType.attachment:
            path = Path(value).expanduser()
            options[key] = (path.name, path.read_bytes())
    return name, options


# --------------------------------------------------------------------------- rendering


def _markdown(text: str) -> Markdown:
    """Discord Markdown as rich renders it (bold, quotes, links; backslash escapes undone).
    Discord breaks the line at every newline, where Markdown would join the lines."""
    return Markdown(strip_controls(text).replace("\n", "  \n"), hyperlinks=True)


def _embed(embed: dict[str, Any]) -> Panel:
    author = (embed.get("author") or {}).get("name")
    title = embed.get("title")
    body: list[RenderableType] = []
    if title:
        heading = Text(strip_controls(title), style="bold")
        if embed.get("url"):
            heading.stylize(f"link {embed['url']}")
        body.append(heading)
    if embed.get("description"):
        body.append(_markdown(embed["description"]))
    for field in embed.get("fields", []):
        body.append(_markdown(f"**{field['name']}**\n{field['value']}"))
    if embed.get("url"):
        body.append(Text(strip_controls(embed["url"]), style="dim"))
    footer = (embed.get("footer") or {}).get("text")
    colour = embed.get("color")
    return Panel(
        Group(*body),
        title=strip_controls(author) if author else None,
        title_align="left",
        subtitle=strip_controls(footer) if footer else None,
        subtitle_align="left",
        border_style=f"#{colour:06x}" if isinstance(colour, int) else "blue",
    )


def _message(payload: dict[str, Any]) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if payload.get("content"):
        parts.append(_markdown(payload["content"]))
    parts.extend(_embed(embed) for embed in payload.get("embeds", []))
    shown = []
    for button in buttons(payload.get("components")):
        label = f"[{button.get('label')}{' (off)' if button.get('disabled') else ''}]"
        shown.append(f"{label}({button['url']})" if button.get("url") else label)
    if shown:
        parts.append(Text(" ".join(shown), style="cyan"))
    return parts


def render_outcome(outcome: Outcome) -> list[RenderableType]:
    """One action's result as rich renderables: what a Discord user would see."""
    if outcome.error:
        return [Text(f"! {outcome.error}", style="red")]
    if outcome.hidden:
        return [Text(f"({outcome.hidden})", style="dim italic")]
    parts: list[RenderableType] = []
    if outcome.ephemeral:
        parts.append(Text("(only you can see this)", style="dim italic"))
    if outcome.choices is not None:
        names = ", ".join(str(c.get("name")) for c in outcome.choices)
        parts.append(Text(f"choices: {names}"))
    for payload in outcome.messages:
        parts.extend(_message(payload))
    if outcome.late:
        when = "never" if outcome.ack_ms is None else f"after {outcome.ack_ms:.0f} ms"
        parts.append(Text(
            f"! acknowledged {when}: Discord would show this interaction as failed", style="red"
        ))
    return parts or [Text("(no reply)", style="dim")]


def format_outcome(outcome: Outcome, width: int = 100) -> str:
    """``render_outcome`` as plain text (no colours), for logs and tests."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False).print(
        *render_outcome(outcome)
    )
    return buffer.getvalue()


# --------------------------------------------------------------------------- the chat


def _reader(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str]:
    """Lines of ``stdin`` as they are typed ("" at the end), read by a daemon thread: a thread
    blocked in ``readline`` never keeps Ctrl+C from ending the program."""
    queue: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        while True:
            line = stdin.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


async def console(
    library: Library,
    stdin: TextIO,
    stdout: TextIO,
    *,
    settings: Settings | None = None,
    user: str = "you",
) -> None:
    """Chat with the bot in the terminal as a simulated user; end of input or ``quit`` ends it.

    The ask cooldown is off: it keeps one member of a busy server from flooding it, and here
    there is only you.
    """
    settings = dataclasses.replace(settings or Settings(), ask_cooldown=0.0)
    out = Console(file=stdout, highlight=False, soft_wrap=False)
    out.print(CONSOLE_HELP, markup=False)
    lines = _reader(stdin, asyncio.get_running_loop())
    async with open_session(library, settings) as session:
        name, admin = user, True  # the console user may /ingest; ":as bob" is not an admin
        while True:
            out.print(f"{name}> ", end="", markup=False)
            stdout.flush()
            line = await lines.get()
            if not line or line.strip() in _QUIT:
                break
            line = line.strip()
            if not line:
                continue
            if line in _HELP:
                out.print(CONSOLE_HELP, markup=False)
                continue
            if line.startswith(":as "):
                words = line.split()[1:]
                name, admin = words[0], "admin" in words[1:]
                continue
            try:
                outcome = await _console_line(session, line, name, admin)
            except (SetupError, BackendError, ValueError, OSError) as error:
                out.print(Text(f"! {error}", style="red"))
                continue
            out.print(*render_outcome(outcome))
        out.print("bye", markup=False)


async def _console_line(session: Session, line: str, name: str, admin: bool) -> Outcome:
    if line.startswith(":click "):
        return await session.click(name, line[len(":click ") :].strip())
    if line.startswith(":wait "):
        return await session.wait(parse_duration(line.split(maxsplit=1)[1]))
    if line.startswith("/"):
        command, options = parse_slash(line, session)
        return await session.slash(name, command, options, admin=admin)
    if not line.startswith("@storybot"):
        line = f"@storybot {line}"
    return await session.message(name, line, admin=admin)
