"""Copy a store to another database (``storybot store copy --to postgresql://…``).

Everything that is not derived is copied, table by table in dependency order and in batches:
articles and passages, the ingest log, servers' settings and aliases, feeds and what they
took, follows and their alerts, and the embedding cache (vectors cost model time to make
again). Derived rows (statements), ledgers of derived indexes, claims and leases are not: the
target's indexes and statements are rebuilt from its own store.

Rows whose key the target already holds are left alone, so an interrupted copy is resumed by
running it again; at the end the row counts of both sides are compared, table by table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from index.progress import ProgressFactory, no_progress
from index.store.schema import (
    alert_cursor,
    alerts,
    articles,
    embeddings,
    feed_items,
    feeds,
    follows,
    guild_aliases,
    guilds,
    ingest_log,
    meta,
    passages,
)
from index.store.store import Store

__all__ = ["COPIED", "copy_store"]

COPIED: tuple[Table, ...] = (
    articles, passages, ingest_log, guilds, guild_aliases, feeds, feed_items, follows, alerts,
    alert_cursor, embeddings, meta,
)
_DERIVED_META = ("index_id", "vector_index_id", "analysis_version", "statements_version")
_BATCH = 2000


def _insert_missing(target: Store, table: Table) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` in the target's dialect."""
    dialect = postgresql if target.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def copy_store(
    source: Store, target: Store, progress: ProgressFactory = no_progress
) -> list[tuple[str, int, int]]:
    """Copy ``source`` into ``target``; returns ``(table, rows in source, rows in target)``."""
    counts = []
    for table in COPIED:
        where = [] if table is not meta else [meta.c.key.not_in(_DERIVED_META)]
        total = await _count(source, table, where)
        bar = progress(f"copying {table.name}", total, " rows")
        order = list(table.primary_key.columns)
        try:
            async with source.engine.connect() as conn:
                result = await conn.stream(select(table).where(*where).order_by(*order))
                async for rows in result.partitions(_BATCH):
                    batch = [dict(row._mapping) for row in rows]
                    async with target.writing() as out:
                        await out.execute(_insert_missing(target, table), batch)
                    bar.update(len(batch))
        finally:
            bar.close()
        counts.append((table.name, total, await _count(target, table, where)))
    await _advance_sequences(target)
    return counts


async def _count(store: Store, table: Table, where: Sequence[Any]) -> int:
    async with store.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


async def _advance_sequences(target: Store) -> None:
    """PostgreSQL hands out integer ids from sequences: start them after the copied ids."""
    if target.engine.dialect.name != "postgresql":
        return
    async with target.writing() as conn:
        for table in (ingest_log, feeds, follows):
            await conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ))
