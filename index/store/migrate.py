"""Bring a store's schema up to date with Alembic, on open.

The migration history lives in ``index/store/migrations/versions`` (revisions ``0001``,
``0002``, … in a line). A store already at the newest revision is recognised with one query,
without importing Alembic, so opening a corpus stays fast; otherwise Alembic upgrades it in one
transaction. A store from a newer storybot is refused rather than touched.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from index.errors import StoreError

__all__ = ["HEAD", "head_revision", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_LEGACY_BASELINE = 3  # PRAGMA user_version of stores made before Alembic: revision 0001


@cache
def _revisions() -> tuple[str, ...]:
    """Revision ids in order: each file in ``versions`` is named ``<id>_<slug>.py``."""
    names = sorted(p.name for p in (_MIGRATIONS / "versions").glob("[0-9]*_*.py"))
    return tuple(name.split("_", 1)[0] for name in names)


def head_revision() -> str:
    return _revisions()[-1]


HEAD = head_revision()


def _current(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _legacy_version(conn: Connection) -> int:
    if conn.dialect.name != "sqlite":
        return 0
    return int(conn.execute(text("PRAGMA user_version")).scalar() or 0)


MIGRATION_LOCK = 0x5707_B07  # the advisory lock storybot's migrations take turns on


def upgrade(conn: Connection, where: str) -> None:
    """Upgrade the database on ``conn`` (named ``where`` in errors) to the newest revision.

    Runs inside the caller's transaction (``conn.run_sync`` of ``engine.begin()``). On
    PostgreSQL, processes starting together take turns (an advisory lock held until the
    transaction ends), so the second finds the schema the first made.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    current = _current(conn)
    if current == HEAD:
        return
    if current is not None and current not in _revisions():
        raise StoreError(
            f"{where} has schema revision {current}, newer than this storybot knows "
            f"(newest {HEAD}); upgrade storybot before using this store"
        )
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = conn
    if current is None:
        legacy = _legacy_version(conn)
        if legacy == _LEGACY_BASELINE:
            command.stamp(config, "0001")
        elif legacy > 0:
            raise StoreError(
                f"{where} was made by a development build of storybot (schema {legacy}); "
                "move it aside and ingest again"
            )
    command.upgrade(config, "head")
