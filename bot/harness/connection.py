"""A simulated Discord connection around the real bot: servers, people, actions, replies.

Nothing is mocked on our side. simcord replaces only Discord itself: the gateway feeding
events to discord.py and the REST API it calls. A :class:`Session` holds servers (each with a
``#general`` channel and an admin role) and members created by name on first use; it turns
actions (slash commands, messages mentioning the bot, button clicks) into what a real user
would do, and records what the bot sent back, as Discord API JSON, with the time to first
response.

simcord runs the bot on a simulated clock; the session moves it forward by the real time that
passed between actions, so cooldowns and view timeouts behave as a person at a keyboard
expects, and ``wait`` moves it further. After every action the session hands the simulated time
to the library's background jobs (``tick``): feed polls, alert scans and purges then happen
when a bot running for real would have done them. Long background work (computing vectors) is
not the session's: it runs on its own, in real time, and never holds an action up.
"""

from __future__ import annotations

import logging
import re
import time
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

__all__ = [
    "ACK_LIMIT_MS",
    "DEFAULT_GUILD",
    "Outcome",
    "Place",
    "Session",
    "buttons",
    "open_session",
    "parse_duration",
]

ACK_LIMIT_MS = 3000.0  # Discord drops an interaction that is not acknowledged in 3 s
# How long simcord may wait for the bot to finish what an action set off (a purge, an ingest)
# on a loaded machine. Not the 3-second rule: acknowledgement times are measured apart.
SETTLE_TIMEOUT_S = 60.0
ADMIN_ROLE = "storybot admins"
CHANNEL = "general"
DEFAULT_GUILD = "main"  # the server actions happen in when they name none
_NOT_OFFERED = "a real user could not run it"  # simcord: hidden by the command's permissions
_ACK_PATH = re.compile(r"^/(interactions/\d+/[^/]+/callback|channels/\d+/messages)$")


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence warnings from these loggers for a moment."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


with _quiet("discord.state", "discord.client"):  # simcord's import-time probe client
    import simcord
from simcord import SetupError  # noqa: E402
from simcord._dpy_internals import real_monotonic  # noqa: E402 - the clock simcord leaves real

from bot.client import StorybotBot, create_bot  # noqa: E402
from bot.harness.localsite import LocalSite  # noqa: E402
from bot.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from index import Library


@dataclass(slots=True)
class Outcome:
    """What one action produced."""

    action: int
    ack_ms: float | None = None
    ephemeral: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    error: str | None = None
    raised: list[str] = field(default_factory=list)  # exceptions the bot handled
    waited: float | None = None
    left: str | None = None  # the server the bot was removed from
    served: str | None = None  # the URL the local site now serves
    restarted: bool = False
    posted: list[dict[str, Any]] = field(default_factory=list)  # bot posts besides the reply
    interaction: bool = False  # the 3-second rule applies to interactions only
    hidden: str | None = None  # Discord does not offer this command to this member, and why
    before: dict[str, set[int]] = field(default_factory=dict, repr=False)  # bot messages then

    @property
    def late(self) -> bool:
        """An interaction acknowledged after 3 s, or never: Discord shows it as failed."""
        if not self.interaction or self.error is not None or self.hidden is not None:
            return False
        return self.ack_ms is None or self.ack_ms > ACK_LIMIT_MS

    @property
    def ok(self) -> bool:
        return self.error is None and not self.late

    def to_json(self) -> dict[str, Any]:
        extra = {"posted": self.posted} if self.posted else {}
        if self.error is not None:
            return {"action": self.action, "error": self.error}
        if self.waited is not None:
            return {"action": self.action, "waited": self.waited, **extra}
        if self.served is not None:
            return {"action": self.action, "served": self.served}
        if self.restarted:
            return {"action": self.action, "restarted": True, **extra}
        if self.left is not None:
            return {"action": self.action, "left": self.left, **extra}
        if self.hidden is not None:
            return {"action": self.action, "hidden": self.hidden}
        out: dict[str, Any] = {
            "action": self.action,
            "ack_ms": None if self.ack_ms is None else round(self.ack_ms, 2),
            "ephemeral": self.ephemeral,
            "messages": self.messages,
        }
        if self.late:
            out["late"] = (
                "never acknowledged"
                if self.ack_ms is None
                else f"first response after {self.ack_ms:.0f} ms (limit {ACK_LIMIT_MS:.0f} ms)"
            )
        if self.choices is not None:
            out["choices"] = self.choices
        if self.raised:
            out["raised"] = self.raised
        return out | extra


class _AckClock(list[Any]):
    """Replaces simcord's request log; notes when the bot first answered since ``arm``."""

    def __init__(self, entries: Iterable[Any]) -> None:
        super().__init__(entries)
        self.first: float | None = None

    def arm(self) -> float:
        self.first = None
        return time.perf_counter()

    def append(self, entry: Any) -> None:
        if self.first is None and entry.method == "POST" and _ACK_PATH.match(entry.path):
            self.first = time.perf_counter()
        super().append(entry)


@dataclass(slots=True)
class Place:
    """One simulated Discord server: its #general channel, an admin role and its members."""

    name: str
    guild: Any  # simcord.GuildHandle
    channel: Any  # simcord.ChannelHandle
    admin_role: Any  # simcord.RoleHandle
    members: dict[str, tuple[Any, bool]] = field(default_factory=dict)  # name: (actor, admin)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def sharded_guild_id(name: str, shard: int, shard_count: int) -> int:
    """The id the harness gives server ``name`` when the bot runs ``shard`` of
    ``shard_count``: Discord routes a server to shard ``(id >> 22) % shard_count``."""
    return ((zlib.crc32(name.encode("utf-8")) % (1 << 20) + 1) * shard_count + shard) << 22


def parse_duration(value: Any) -> float:
    """Seconds in ``90``, ``"90s"``, ``"20m"``, ``"6h"`` or ``"31d"``."""
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"not a duration: {value!r} (use e.g. 30, \"20m\", \"6h\", \"31d\")")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if not seconds >= 0:
        raise ValueError(f"a duration must not be negative: {value!r}")
    return seconds


class Session:
    """Simulated servers (and DMs) around the real bot. Create it with :func:`open_session`.

    Servers are created by name on first use; actions without ``guild`` happen in
    :data:`DEFAULT_GUILD`. A person is one Discord user everywhere: "alice" in two servers
    and in a DM is the same account.
    """

    def __init__(self, env: simcord.Env, bot: StorybotBot) -> None:
        self.env = env
        self.bot = bot
        self.places: dict[str, Place] = {}
        self.users: dict[str, Any] = {}
        # simcord internals (hence the version pin): the backend's request log, to time the
        # first response, and its stored messages, to report payloads as Discord API JSON.
        self._clock = _AckClock(env.backend.http_requests)
        env.backend.http_requests = self._clock
        self._count = 0
        self.commands: dict[str, discord.app_commands.AppCommand] = {}
        self._real_time = real_monotonic()
        self.site: LocalSite | None = None  # the local web site scripts serve feeds from
        self.place(DEFAULT_GUILD)

    @classmethod
    async def attach(cls, env: simcord.Env) -> Session:
        """A session on a running env whose bot came from :func:`bot.client.create_bot`."""
        if not isinstance(env.bot, StorybotBot):
            raise SetupError("the harness drives storybot's own bot (bot.client.create_bot)")
        session = cls(env, env.bot)
        session.commands = {command.name: command for command in await env.bot.tree.sync()}
        await env.settle()
        return session

    # ------------------------------------------------------------------ places and people

    def place(self, name: str) -> Place:
        """The server called ``name``, created (with #general and an admin role) on first use."""
        found = self.places.get(name)
        if found is None:
            title = "storybot harness" if name == DEFAULT_GUILD else name
            # A bot running some shards (--shards) is in servers of its own first shard, each
            # with the same id in every run, so a restarted process finds its servers' data.
            shards = getattr(self.bot, "shard_ids", None)
            if shards:
                guild = self.env.create_guild(
                    title, id=sharded_guild_id(name, shards[0], self.bot.shard_count or 1))
            else:
                guild = self.env.create_guild(title)
            found = Place(
                name, guild, guild.create_text_channel(CHANNEL),
                guild.create_role(ADMIN_ROLE, permissions=discord.Permissions(manage_guild=True)),
            )
            self.places[name] = found
        return found

    @property
    def guild(self) -> Any:
        return self.place(DEFAULT_GUILD).guild

    @property
    def channel(self) -> Any:
        return self.place(DEFAULT_GUILD).channel

    def user(self, name: str) -> Any:
        """The Discord user called ``name`` (one account across servers and DMs)."""
        if name not in self.users:
            self.users[name] = self.env.create_user(name)
        return self.users[name]

    def member(
        self, name: str, *, admin: bool = False, guild: str = DEFAULT_GUILD
    ) -> simcord.MemberActor:
        """``name`` in the server ``guild``, joined on first use (with Manage Server if
        ``admin``)."""
        place = self.place(guild)
        if name in place.members:
            actor, is_admin = place.members[name]
            if admin and not is_admin:
                raise SetupError(f'{name!r} already joined {guild!r} without "admin"')
            return actor
        roles = [place.admin_role] if admin else []
        actor = place.guild.add_member(self.user(name), roles=roles)
        place.members[name] = (actor, admin)
        return actor

    async def leave(self, guild: str) -> Outcome:
        """The bot is removed from the server ``guild`` (its admins kicked it)."""
        outcome = await self._start()
        place = self.places.pop(guild, None)
        if place is None:
            raise SetupError(f"the bot is not in a server called {guild!r}")
        self.env.backend.remove_guild(place.guild.id)
        await self.env.settle()
        outcome.left = guild
        return await self._end(outcome)

    async def restart(self, library: Library | None = None) -> Outcome:
        """The bot process restarts: a fresh bot (nothing in memory) on the same corpus, or on
        ``library``, the corpus opened again (as a new process would), in the same servers."""
        outcome = await self._start()
        fresh = create_bot(library or self.bot.library, self.bot.settings, close_library=False)
        await self.env.restart_bot(fresh)
        self.bot = fresh
        await self.env.settle()
        outcome.restarted = True
        return await self._end(outcome)

    # ------------------------------------------------------------------ time

    async def catch_up(self) -> None:
        """Move the simulated clock forward by the real time passed since the last action."""
        now = real_monotonic()
        elapsed, self._real_time = now - self._real_time, now
        if elapsed > 0:
            await self.env.advance_time(elapsed)

    async def wait(self, seconds: float) -> Outcome:
        """Let simulated time pass: cooldowns, view timeouts, feed polls and alert posts all move
        on (what the bot posted meanwhile comes back in ``posted``)."""
        outcome = await self._start()
        await self.env.advance_time(seconds)
        outcome.waited = seconds
        return await self._end(outcome)

    def _snapshot(self) -> dict[str, set[int]]:
        return {name: set(self._bot_message_ids(p.channel)) for name, p in self.places.items()}

    def _posts_since(self, before: dict[str, set[int]], outcome: Outcome) -> None:
        """Bot messages that appeared in the servers' channels during an action and are not its
        reply (alerts, announcements): ``outcome.posted``, each marked with its server."""
        replied = {m["id"] for m in outcome.messages}
        for name, known in before.items():
            place = self.places.get(name)
            if place is None:
                continue
            for mid in self._bot_message_ids(place.channel):
                if mid not in known and str(mid) not in replied:
                    outcome.posted.append({"guild": name, **self._payload(place.channel.id, mid)})

    # ------------------------------------------------------------------ the local web site

    def serve(
        self, path: str, body: str | bytes, *, content_type: str | None = None, status: int = 200
    ) -> Outcome:
        """Serve a feed or page on the local site (started on first use) for the bot to fetch."""
        outcome = self._next()
        if self.site is None:
            self.site = LocalSite().start()
            self.bot.library.ingest.allow_hosts |= {self.site.host}
        outcome.served = self.site.serve(path, body, content_type=content_type, status=status)
        return outcome

    def with_site(self, value: Any) -> Any:
        """``{site}`` in a script's strings becomes the local site's address."""
        if isinstance(value, str) and "{site}" in value:
            if self.site is None:
                raise SetupError('"{site}" is used before anything was served')
            return value.replace("{site}", self.site.url())
        return value

    # ------------------------------------------------------------------ actions

    @property
    def actions(self) -> int:
        """How many actions the session has performed."""
        return self._count

    def _next(self) -> Outcome:
        self._count += 1
        return Outcome(action=self._count)

    async def _start(self) -> Outcome:
        await self.catch_up()
        outcome = self._next()
        outcome.before = self._snapshot()
        return outcome

    async def _end(self, outcome: Outcome) -> Outcome:
        """What follows every action: the background jobs catch up with the simulated time,
        and whatever the bot posted meanwhile besides its reply goes into ``posted``."""
        await self.tick()
        self._posts_since(outcome.before, outcome)
        return outcome

    async def tick(self) -> None:
        """Run the library's background jobs due at the simulated time (feed polls, alert
        scans, purges), as a bot running for real would have by now."""
        with self.env.time_context():
            await self.bot.library.jobs.tick(self.env.now())

    def _where(
        self, name: str, admin: bool, guild: str | None, dm: bool
    ) -> tuple[Any, Any]:
        """Who acts and in which channel: a member in a server's #general, or a user's DM."""
        if dm:
            user = self.user(name)
            return user, user.dm_channel
        where = guild or DEFAULT_GUILD
        return self.member(name, admin=admin, guild=where), self.place(where).channel

    def _payload(self, channel_id: int, message_id: int) -> dict[str, Any]:
        stored = self.env.backend.get_message(channel_id, message_id)
        return {
            "id": str(stored.id),
            "content": stored.content,
            "embeds": [dict(embed) for embed in stored.embeds],
            "components": list(stored.components),
        }

    def _bot_message_ids(self, channel: Any) -> list[int]:
        me = self.bot.user
        assert me is not None
        return [m.id for m in channel.history() if m.author.id == me.id]

    async def _interaction(
        self, outcome: Outcome, start: float, run: Any, channel: Any
    ) -> Outcome:
        cursor = self.env.error_cursor
        outcome.interaction = True
        result = await run
        outcome.ack_ms = self._elapsed(start)
        outcome.ephemeral = result.ephemeral
        seen: set[int] = set()
        for message in [result.response, *result.followups]:
            if message is not None and message.id not in seen:
                seen.add(message.id)
                outcome.messages.append(self._payload(channel.id, message.id))
        if result.autocomplete_choices is not None:
            outcome.choices = result.autocomplete_choices
        outcome.raised = [type(e).__name__ for e in self.env.errors_since(cursor)]
        return outcome

    def _elapsed(self, start: float) -> float | None:
        first = self._clock.first
        return None if first is None else (first - start) * 1000

    async def slash(
        self, name: str, command: str, options: dict[str, Any] | None = None, *,
        admin: bool = False, guild: str | None = None, dm: bool = False,
    ) -> Outcome:
        """``name`` runs ``/command`` with ``options`` in a server's #general (or a DM)."""
        outcome = await self._start()
        actor, channel = self._where(name, admin, guild, dm)
        start = self._clock.arm()
        run = (actor.slash(command, **(options or {})) if dm
               else actor.slash(channel, command, **(options or {})))
        try:
            return await self._end(await self._interaction(outcome, start, run, channel))
        except SetupError as error:
            if _NOT_OFFERED not in str(error):
                raise
            # What a member sees in Discord: the command is not in their list at all.
            outcome.hidden = (f"Discord does not offer /{command} to {name} here: it needs "
                              "Manage Server (or a role an admin allowed)")
            return await self._end(outcome)

    async def autocomplete(
        self, name: str, command: str, option: str, value: str, *, guild: str | None = None,
        dm: bool = False, **filled: Any,
    ) -> Outcome:
        """``name`` types ``value`` into an autocomplete option; the choices come back."""
        outcome = await self._start()
        actor, channel = self._where(name, False, guild, dm)
        start = self._clock.arm()
        outcome.interaction = True
        if dm:
            choices = await actor.autocomplete(command, option, value, **filled)
        else:
            choices = await actor.autocomplete(channel, command, option, value, **filled)
        outcome.ack_ms = self._elapsed(start)
        outcome.choices = choices
        return await self._end(outcome)

    async def message(
        self, name: str, text: str, *, admin: bool = False, guild: str | None = None,
        dm: bool = False,
    ) -> Outcome:
        """``name`` posts ``text``; a leading ``@storybot`` becomes a real mention of the bot."""
        outcome = await self._start()
        actor, channel = self._where(name, admin, guild, dm)
        me = self.bot.user
        assert me is not None
        text = re.sub(r"^\s*@storybot\b", me.mention, text)
        before = set(self._bot_message_ids(channel))
        cursor = self.env.error_cursor
        start = self._clock.arm()
        if dm:
            await actor.send_dm(text)
        else:
            await actor.send(channel, text)
        outcome.ack_ms = self._elapsed(start)
        outcome.messages = [
            self._payload(channel.id, mid)
            for mid in self._bot_message_ids(channel) if mid not in before
        ]
        outcome.raised = [type(e).__name__ for e in self.env.errors_since(cursor)]
        return await self._end(outcome)

    def _find_button(self, actor: Any, channel: Any, target: str) -> tuple[Any, str]:
        """The newest bot message ``actor`` can see with a button matching ``target``.

        ``target`` is a label ("More results"), a custom id, or a custom id without its
        per-message nonce ("storybot:next").
        """
        me = self.bot.user
        assert me is not None
        for message in reversed(channel.history(viewer=actor)):
            if message.author.id != me.id:
                continue
            stored = self.env.backend.get_message(channel.id, message.id)
            for button in buttons(stored.components):
                custom_id = button.get("custom_id") or ""
                names = (button.get("label"), custom_id, custom_id.rpartition(":")[0])
                if custom_id and target in names:
                    return message, custom_id
        raise SetupError(f"no bot message here has a button {target!r}")

    async def click(
        self, name: str, target: str, *, admin: bool = False, guild: str | None = None,
        dm: bool = False,
    ) -> Outcome:
        """``name`` clicks the button labelled (or with custom id) ``target``."""
        outcome = await self._start()
        actor, channel = self._where(name, admin, guild, dm)
        message, custom_id = self._find_button(actor, channel, target)
        start = self._clock.arm()
        return await self._end(await self._interaction(
            outcome, start, actor.click(message, custom_id=custom_id), channel
        ))

def buttons(components: Any) -> Iterable[dict[str, Any]]:
    """Every button in a message's component rows (Discord API JSON)."""
    for component in components or ():
        if isinstance(component, dict):
            if component.get("type") == 2:
                yield component
            yield from buttons(component.get("components"))


@asynccontextmanager
async def open_session(
    library: Library, settings: Settings | None = None
) -> AsyncIterator[Session]:
    """Start the real bot in simcord around ``library`` (which the caller keeps and closes).

    Commands are synced globally once at start, as an owner would with ``/sync``.
    """
    await library.warm_up()  # here, not as the bot's own work: simcord gives its start 5 s
    bot = create_bot(library, settings or Settings(), close_library=False)
    async with simcord.run(bot, check_errors=False, settle_timeout=SETTLE_TIMEOUT_S) as env:
        session = await Session.attach(env)
        try:
            yield session
        finally:
            if session.site is not None:
                session.site.close()
