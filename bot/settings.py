"""Bot settings read from the environment (and a ``.env`` file), validated in one place.

Every problem is reported at once, each naming its variable. The Discord token and the
OpenSearch URL (which may carry a password) are wrapped in :class:`Secret`, whose ``repr`` and
``str`` never show it, so it cannot leak through a log line or a traceback that prints the
settings.

Example::

    settings = load_settings()
    settings.data_dir, settings.engine
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from index import ClusterAddress

__all__ = ["ENGINES", "VARIABLES", "Secret", "Settings", "SettingsError", "load_settings"]

ENGINES = ("tantivy", "rank-bm25", "opensearch")
# Every variable load_settings reads; .env.example documents each one (a test checks).
VARIABLES = (
    "DISCORD_TOKEN", "STORYBOT_DATA_DIR", "STORYBOT_ENGINE", "STORYBOT_DEV_GUILD",
    "STORYBOT_OWNER_IDS", "STORYBOT_ASK_COOLDOWN", "STORYBOT_MAX_UPLOAD_BYTES",
    "STORYBOT_LOG_LEVEL", "STORYBOT_PURGE_AFTER_DAYS", "STORYBOT_ALERTS_PER_HOUR",
    "STORYBOT_CLAIM_SECONDS",
    "STORYBOT_FETCH_ALLOW_HOSTS", "STORYBOT_DATABASE_URL", "STORYBOT_SHARDS",
    "STORYBOT_SHARD_COUNT", "STORYBOT_OPENSEARCH_URL", "STORYBOT_OPENSEARCH_PREFIX",
    "STORYBOT_SEMANTIC",
)
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
DEFAULT_MAX_UPLOAD_BYTES = 5_000_000
# Discord's own attachment ceiling for bots without boosts; larger values make no sense.
UPLOAD_CEILING_BYTES = 25 * 1024 * 1024


class SettingsError(ValueError):
    """One or more settings are missing or malformed; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))


class Secret:
    """A string that never shows itself in ``repr``, ``str`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value; call only where it is handed to Discord."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the Discord front end needs to start."""

    token: Secret = field(default_factory=lambda: Secret(""))
    data_dir: Path = Path("./data")
    engine: str = "tantivy"
    dev_guild: int | None = None
    owner_ids: frozenset[int] = frozenset()
    ask_cooldown: float = 10.0
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    log_level: str = "INFO"
    purge_after_days: float = 30.0
    claim_seconds: float = 600.0  # before a dead process's claimed work is taken over
    alerts_per_hour: int = 5
    database_url: Secret = field(default_factory=lambda: Secret(""))  # postgresql://…, or SQLite
    shard_ids: tuple[int, ...] | None = None  # this process's shards (None: not sharded)
    shard_count: int | None = None
    # host:port of local test servers the fetcher may reach; tests and the offline harness only
    fetch_allow_hosts: frozenset[str] = frozenset()
    opensearch_url: Secret = field(default_factory=lambda: Secret(""))
    opensearch_prefix: str = ""  # the index alias (several bots on one cluster); "" = default
    semantic: bool = True  # passage vectors beside BM25 (STORYBOT_SEMANTIC=off: BM25 alone)

    def engine_options(self) -> dict[str, Any]:
        """What ``Library.open`` hands the engine: the cluster's URL for opensearch."""
        if self.engine == "opensearch":
            options = {"url": self.opensearch_url.reveal()}
            if self.opensearch_prefix:
                options["prefix"] = self.opensearch_prefix
            return options
        return {}

    @property
    def discord_token(self) -> Secret | None:
        """The token, still wrapped, or None when ``DISCORD_TOKEN`` is unset."""
        return self.token if self.token else None

    def library_options(self) -> dict[str, Any]:
        """How to open the corpus these settings name: ``Library.open(data_dir, **this)``."""
        from index import Schedule

        return {
            "engine": self.engine,
            "database_url": self.database_url.reveal() or None,
            "engine_options": self.engine_options(),
            "semantic": self.semantic,
            "schedule": Schedule(claim_for=timedelta(seconds=self.claim_seconds)),
        }

    def require_token(self) -> str:
        """The token, or a :class:`SettingsError` explaining how to provide one."""
        if not self.token:
            raise SettingsError(
                ["DISCORD_TOKEN is not set: copy .env.example to .env and paste the bot token"]
            )
        return self.token.reveal()


def _snowflake(name: str, raw: str, problems: list[str]) -> int | None:
    raw = raw.strip()
    if not raw.isdigit() or not 15 <= len(raw) <= 21:
        problems.append(f"{name} must be a Discord id (15-21 digits), got {raw!r}")
        return None
    return int(raw)


def _number(name: str, raw: str, problems: list[str], *, minimum: float) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number, got {raw!r}")
        return None
    if not value >= minimum or value != value or value == float("inf"):
        problems.append(f"{name} must be a finite number >= {minimum:g}, got {raw!r}")
        return None
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, *, dotenv: str | Path | None = ".env"
) -> Settings:
    """Read and validate settings from ``environ`` (default: ``os.environ`` plus ``.env``).

    Parameters
    ----------
    environ:
        Variables to read; when None, ``.env`` is loaded (without overriding variables that
        are already set) and ``os.environ`` is used.
    dotenv:
        Path of the ``.env`` file, or None to skip it. Ignored when ``environ`` is given.

    Raises
    ------
    SettingsError
        Listing every malformed variable. A missing token is not an error here
        (the offline harness needs none); :meth:`Settings.require_token` checks it.
    """
    if environ is None:
        if dotenv is not None and Path(dotenv).is_file():
            from dotenv import load_dotenv

            load_dotenv(dotenv, override=False)
        environ = os.environ
    problems: list[str] = []
    values: dict[str, object] = {}

    values["token"] = Secret(environ.get("DISCORD_TOKEN", "").strip())
    if data_dir := environ.get("STORYBOT_DATA_DIR", "").strip():
        values["data_dir"] = Path(data_dir).expanduser()

    engine = environ.get("STORYBOT_ENGINE", "tantivy").strip().lower() or "tantivy"
    if engine not in ENGINES:
        problems.append(f"STORYBOT_ENGINE must be one of {', '.join(ENGINES)}, got {engine!r}")
    values["engine"] = engine

    url = environ.get("STORYBOT_OPENSEARCH_URL", "").strip()
    values["opensearch_url"] = Secret(url)
    if url:
        try:
            ClusterAddress.parse(url)
        except ValueError as exc:  # the message shows the URL with its password masked
            problems.append(f"STORYBOT_OPENSEARCH_URL: {exc}")
    elif engine == "opensearch":
        problems.append(
            "STORYBOT_OPENSEARCH_URL must name the cluster's nodes when STORYBOT_ENGINE is"
            " opensearch (e.g. http://127.0.0.1:9200,http://127.0.0.1:9201)"
        )

    if prefix := environ.get("STORYBOT_OPENSEARCH_PREFIX", "").strip():
        values["opensearch_prefix"] = prefix

    semantic = environ.get("STORYBOT_SEMANTIC", "on").strip().lower() or "on"
    if semantic not in ("on", "off"):
        problems.append(f"STORYBOT_SEMANTIC must be on or off, got {semantic!r}")
    values["semantic"] = semantic != "off"

    if guild := environ.get("STORYBOT_DEV_GUILD", "").strip():
        values["dev_guild"] = _snowflake("STORYBOT_DEV_GUILD", guild, problems)

    owners = [part for part in environ.get("STORYBOT_OWNER_IDS", "").split(",") if part.strip()]
    owner_ids = (_snowflake("STORYBOT_OWNER_IDS", part, problems) for part in owners)
    values["owner_ids"] = frozenset(owner for owner in owner_ids if owner is not None)

    if cooldown := environ.get("STORYBOT_ASK_COOLDOWN", "").strip():
        values["ask_cooldown"] = _number("STORYBOT_ASK_COOLDOWN", cooldown, problems, minimum=0)

    if upload := environ.get("STORYBOT_MAX_UPLOAD_BYTES", "").strip():
        size = _number("STORYBOT_MAX_UPLOAD_BYTES", upload, problems, minimum=1)
        if size is not None and size > UPLOAD_CEILING_BYTES:
            problems.append(
                f"STORYBOT_MAX_UPLOAD_BYTES must be at most {UPLOAD_CEILING_BYTES} "
                f"(Discord's attachment limit), got {upload!r}"
            )
        elif size is not None:
            values["max_upload_bytes"] = int(size)

    if days := environ.get("STORYBOT_PURGE_AFTER_DAYS", "").strip():
        values["purge_after_days"] = _number("STORYBOT_PURGE_AFTER_DAYS", days, problems, minimum=0)

    if claim := environ.get("STORYBOT_CLAIM_SECONDS", "").strip():
        values["claim_seconds"] = _number("STORYBOT_CLAIM_SECONDS", claim, problems, minimum=1)

    if per_hour := environ.get("STORYBOT_ALERTS_PER_HOUR", "").strip():
        count = _number("STORYBOT_ALERTS_PER_HOUR", per_hour, problems, minimum=1)
        if count is not None:
            values["alerts_per_hour"] = int(count)

    allowed = [h.strip() for h in environ.get("STORYBOT_FETCH_ALLOW_HOSTS", "").split(",")]
    if allowed := [h for h in allowed if h]:
        bad = [h for h in allowed if not re.fullmatch(r"(127\.0\.0\.1|localhost):\d{1,5}", h)]
        if bad:
            problems.append("STORYBOT_FETCH_ALLOW_HOSTS takes loopback test servers only "
                            f"(127.0.0.1:PORT), got {', '.join(bad)}")
        values["fetch_allow_hosts"] = frozenset(allowed)

    if database := environ.get("STORYBOT_DATABASE_URL", "").strip():
        if not database.startswith(("postgresql://", "postgres://")):
            problems.append("STORYBOT_DATABASE_URL must be a postgresql:// URL (leave it empty "
                            "for the SQLite file in STORYBOT_DATA_DIR)")
        values["database_url"] = Secret(database)

    shard_ids = environ.get("STORYBOT_SHARDS", "").strip()
    shard_count = environ.get("STORYBOT_SHARD_COUNT", "").strip()
    if shard_ids or shard_count:
        parsed = parse_shards(shard_ids, shard_count)
        if isinstance(parsed, str):
            problems.append(parsed)
        else:
            values["shard_ids"], values["shard_count"] = parsed
            if len(parsed[0]) < parsed[1] and (engine != "opensearch" or not database):
                # The other shards run elsewhere: every process must see one store and one index
                problems.append(
                    "running some of the shards (STORYBOT_SHARDS) needs the store and the index "
                    "every process shares: set STORYBOT_DATABASE_URL=postgresql://… and "
                    "STORYBOT_ENGINE=opensearch")

    level = environ.get("STORYBOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        problems.append(f"STORYBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    values["log_level"] = level

    if problems:
        raise SettingsError(problems)
    clean = {key: value for key, value in values.items() if value is not None}
    return Settings(**clean)  # type: ignore[arg-type]


def parse_shards(shards: str, count: str) -> tuple[tuple[int, ...], int] | str:
    """``("0-1", "4")`` → ``((0, 1), 4)``; ``"2,3"`` works too. A problem comes back as text."""
    if not shards or not count.isdigit() or int(count) < 1:
        return ("STORYBOT_SHARDS and STORYBOT_SHARD_COUNT go together: e.g. 0-1 and 4 "
                f"(got {shards!r} and {count!r})")
    ids: list[int] = []
    for part in shards.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return f"STORYBOT_SHARDS must look like 0-1 or 0,2, got {shards!r}"
        ids.extend(range(int(low), int(high or low) + 1))
    if not ids or max(ids) >= int(count):
        return f"STORYBOT_SHARDS {shards!r} must lie within 0-{int(count) - 1}"
    return tuple(sorted(set(ids))), int(count)


class TokenFilter(logging.Filter):
    """Replaces the token anywhere in a log record's message or arguments."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "[token]")
            record.args = None
        return True
