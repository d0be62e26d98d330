"""The store's part for a live corpus: feeds and their polling state, follows and their alerts.

Work that must happen once, whichever process does it, is *claimed* with a conditional update:
a feed poll by setting its lease (``lease_until``) only where no live lease is, an alert post by
moving it from ``pending`` to ``posted`` only where it is still pending. Whoever's update
changed the row owns the work; a process that dies holding a lease loses it when it expires.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from index.models import Feed, Follow, FoundAlert
from index.store.schema import (
    alert_cursor,
    alerts,
    articles,
    feed_items,
    feeds,
    follows,
    ingest_log,
    leases,
)
from index.store.store import Store

__all__ = ["LiveStore", "iso"]


def iso(when: datetime) -> str:
    """A time as stored: ISO 8601 in UTC, to the second (so times compare as strings)."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _feed(row: Any) -> Feed:
    return Feed(
        id=int(row.id), guild_id=int(row.guild_id), url=row.url, title=row.title,
        interval_minutes=int(row.interval_minutes), next_poll_at=row.next_poll_at,
        failures=int(row.failures), failing_since=row.failing_since, last_error=row.last_error,
        last_ok_at=row.last_ok_at,
    )


def _follow(row: Any) -> Follow:
    return Follow(int(row.id), int(row.guild_id), int(row.channel_id), row.who, row.about)


class LiveStore:
    """Feeds, follows and alerts, on the same database (and writer lock) as ``store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    # --- leases ----------------------------------------------------------------------------

    async def claim(self, name: str, holder: str, until: datetime, now: datetime) -> bool:
        """Claim (or renew) the lease ``name`` until ``until``; True if ``holder`` has it now.
        A lease whose time has passed goes to whoever asks next."""
        try:
            async with self.store.writing() as conn:
                await conn.execute(insert(leases).values(name=name, holder=holder,
                                                         until=iso(until)))
            return True
        except IntegrityError:
            pass
        async with self.store.writing() as conn:
            taken = await conn.execute(
                update(leases).where(
                    leases.c.name == name,
                    or_(leases.c.until < iso(now), leases.c.holder == holder),
                ).values(holder=holder, until=iso(until))
            )
        return bool(taken.rowcount)

    async def unclaim(self, name: str, holder: str) -> None:
        async with self.store.writing() as conn:
            await conn.execute(
                delete(leases).where(leases.c.name == name, leases.c.holder == holder)
            )

    # --- feeds -----------------------------------------------------------------------------

    async def add_feed(
        self, guild_id: int, url: str, title: str | None, interval_minutes: int, now: datetime,
        added_by: int | None = None,
    ) -> Feed | None:
        """Add a feed to a server; None when the server already has it."""
        try:
            async with self.store.writing() as conn:
                await conn.execute(insert(feeds).values(
                    guild_id=str(guild_id), url=url, title=title,
                    interval_minutes=interval_minutes, next_poll_at=iso(now), failures=0,
                    added_by=str(added_by) if added_by else None, created_at=iso(now),
                ))
        except IntegrityError:  # rolled back; on PostgreSQL the transaction is void anyway
            return None
        return await self.feed_by_url(guild_id, url)

    async def feed_by_url(self, guild_id: int, url: str) -> Feed | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(feeds).where(
                feeds.c.guild_id == str(guild_id), feeds.c.url == url
            ))).first()
        return _feed(row) if row else None

    async def feeds(self, guild_id: int | None = None) -> list[Feed]:
        statement = select(feeds).order_by(feeds.c.id)
        if guild_id is not None:
            statement = statement.where(feeds.c.guild_id == str(guild_id))
        async with self.engine.connect() as conn:
            return [_feed(r) for r in await conn.execute(statement)]

    async def remove_feed(self, guild_id: int, feed_id: int) -> Feed | None:
        async with self.store.writing() as conn:
            row = (await conn.execute(select(feeds).where(
                feeds.c.id == feed_id, feeds.c.guild_id == str(guild_id)
            ))).first()
            if row is None:
                return None
            await conn.execute(delete(feed_items).where(feed_items.c.feed_id == feed_id))
            await conn.execute(delete(feeds).where(feeds.c.id == feed_id))
        return _feed(row)

    async def claim_due_feed(
        self, now: datetime, lease_until: datetime, me: str, wall: datetime
    ) -> Feed | None:
        """Claim one feed due for a poll at ``now`` (the schedule's clock) that nobody holds a
        live lease on at ``wall`` (the real time), or None when none is due.

        On PostgreSQL the due row is locked with ``FOR UPDATE SKIP LOCKED``, so processes
        claiming at the same moment take different feeds; the lease set in the same
        transaction keeps the feed theirs until it lapses."""
        due = and_(feeds.c.next_poll_at <= iso(now),
                   or_(feeds.c.lease_until.is_(None), feeds.c.lease_until < iso(wall)))
        for _attempt in range(20):
            async with self.store.writing() as conn:
                row = (await conn.execute(
                    select(feeds).where(due).order_by(feeds.c.next_poll_at).limit(1)
                    .with_for_update(skip_locked=True)
                )).first()
                if row is None:
                    return None
                # Checked again in the update: SQLite has no row locks, and another process
                # may have claimed the row since it was read.
                claimed = await conn.execute(update(feeds).where(feeds.c.id == row.id, due)
                                             .values(lease_until=iso(lease_until), leased_by=me))
            if claimed.rowcount:
                return _feed(row)
        return None

    async def release(self, feed_id: int, now: datetime) -> None:
        """Make a feed due now (``storybot feeds poll --all``)."""
        async with self.store.writing() as conn:
            await conn.execute(update(feeds).where(feeds.c.id == feed_id).values(
                next_poll_at=iso(now), lease_until=None, leased_by=None
            ))

    async def validators(self, feed_id: int) -> tuple[str | None, str | None]:
        async with self.engine.connect() as conn:
            row = (await conn.execute(
                select(feeds.c.etag, feeds.c.last_modified).where(feeds.c.id == feed_id)
            )).first()
        return (row[0], row[1]) if row else (None, None)

    async def feed_polled(
        self, feed_id: int, now: datetime, next_poll: datetime, *, title: str | None = None,
        etag: str | None = None, last_modified: str | None = None,
    ) -> None:
        """A poll succeeded: failures reset, validators kept, the lease released."""
        values: dict[str, Any] = {
            "next_poll_at": iso(next_poll), "failures": 0, "failing_since": None,
            "last_error": None, "last_ok_at": iso(now), "lease_until": None, "leased_by": None,
        }
        if etag is not None or last_modified is not None:
            values |= {"etag": etag, "last_modified": last_modified}
        if title:
            values["title"] = title
        async with self.store.writing() as conn:
            await conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

    async def feed_failed(
        self, feed_id: int, now: datetime, next_poll: datetime, error: str
    ) -> None:
        """A poll failed: one more failure in a row, since when, and the lease released."""
        async with self.store.writing() as conn:
            await conn.execute(update(feeds).where(feeds.c.id == feed_id).values(
                failures=feeds.c.failures + 1,
                failing_since=func.coalesce(feeds.c.failing_since, iso(now)),
                last_error=error[:500], next_poll_at=iso(next_poll), lease_until=None,
                leased_by=None,
            ))

    async def unseen(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these entry keys the feed has not taken yet."""
        async with self.engine.connect() as conn:
            seen = {r[0] for r in await conn.execute(
                select(feed_items.c.item_key).where(
                    feed_items.c.feed_id == feed_id, feed_items.c.item_key.in_(list(keys))
                )
            )}
        return set(keys) - seen

    async def mark_seen(
        self, feed_id: int, key: str, article_id: str | None, now: datetime
    ) -> None:
        try:
            async with self.store.writing() as conn:
                await conn.execute(insert(feed_items).values(
                    feed_id=feed_id, item_key=key, article_id=article_id, seen_at=iso(now)
                ))
        except IntegrityError:
            pass  # another poller took it meanwhile

    # --- follows ---------------------------------------------------------------------------

    async def add_follow(
        self, guild_id: int, channel_id: int, who: str, about: str | None, now: datetime,
        created_by: int | None = None,
    ) -> Follow | None:
        """Add a follow; None when the channel already follows exactly that. A server's first
        follow starts its alert cursor at the newest ingest, so old articles are not posted."""
        try:
            async with self.store.writing() as conn:
                result = await conn.execute(insert(follows).values(
                    guild_id=str(guild_id), channel_id=str(channel_id), who=who, about=about,
                    created_by=str(created_by) if created_by else None, created_at=iso(now),
                ))
                assert result.inserted_primary_key is not None
                follow_id = int(result.inserted_primary_key[0])
                cursor = await conn.scalar(select(alert_cursor.c.last_log_id).where(
                    alert_cursor.c.guild_id == str(guild_id)
                ))
                if cursor is None:
                    newest = await conn.scalar(select(func.max(ingest_log.c.id)))
                    await conn.execute(insert(alert_cursor).values(
                        guild_id=str(guild_id), last_log_id=int(newest or 0)
                    ))
        except IntegrityError:
            return None
        return Follow(follow_id, guild_id, channel_id, who, about)

    async def follows(self, guild_id: int | None = None) -> list[Follow]:
        statement = select(follows).order_by(follows.c.id)
        if guild_id is not None:
            statement = statement.where(follows.c.guild_id == str(guild_id))
        async with self.engine.connect() as conn:
            return [_follow(r) for r in await conn.execute(statement)]

    async def remove_follow(self, guild_id: int, follow_id: int) -> Follow | None:
        async with self.store.writing() as conn:
            row = (await conn.execute(select(follows).where(
                follows.c.id == follow_id, follows.c.guild_id == str(guild_id)
            ))).first()
            if row is None:
                return None
            await conn.execute(delete(alerts).where(alerts.c.follow_id == follow_id))
            await conn.execute(delete(follows).where(follows.c.id == follow_id))
        return _follow(row)

    # --- alerts ----------------------------------------------------------------------------

    async def cursor(self, guild_id: int) -> int:
        async with self.engine.connect() as conn:
            value = await conn.scalar(select(alert_cursor.c.last_log_id).where(
                alert_cursor.c.guild_id == str(guild_id)
            ))
        return int(value or 0)

    async def new_articles(
        self, after_log_id: int, collections: Sequence[str], limit: int = 200
    ) -> list[tuple[int, str]]:
        """``(log id, article id)`` of articles added or updated after ``after_log_id`` in
        these collections, oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(ingest_log.c.id, ingest_log.c.article_id)
                .join(articles, articles.c.id == ingest_log.c.article_id)
                .where(ingest_log.c.id > after_log_id,
                       ingest_log.c.action.in_(("added", "updated")),
                       articles.c.collection.in_(list(collections)))
                .order_by(ingest_log.c.id).limit(limit)
            )
            return [(int(r[0]), str(r[1])) for r in rows]

    async def newest_log_id(self) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(select(func.max(ingest_log.c.id))) or 0)

    async def record_alerts(
        self, guild_id: int, found: Sequence[FoundAlert], cursor: int, now: datetime
    ) -> int:
        """Queue what a scan found and move the server's cursor to ``cursor``, in one
        transaction. A quote already known for the follow (the same words from another outlet)
        only adds the article to its "also in" list; an article already alerted for the follow
        (an update of it) adds nothing. Returns how many alerts are new."""
        new = 0
        async with self.store.writing() as conn:
            for item in found:
                mine = alerts.c.follow_id == item.follow_id
                row = (await conn.execute(
                    select(alerts.c.article_id, alerts.c.also_in, alerts.c.state)
                    .where(mine, alerts.c.quote_key == item.quote_key)
                )).first()
                if row is None:
                    known = await conn.scalar(
                        select(func.count()).select_from(alerts)
                        .where(mine, alerts.c.article_id == item.article_id))
                    if known:
                        continue
                    await conn.execute(insert(alerts).values(
                        follow_id=item.follow_id, quote_key=item.quote_key,
                        article_id=item.article_id, passage_position=item.position,
                        sentences=json.dumps([list(s) for s in item.sentences]), also_in="[]",
                        state="pending", found_at=iso(now), speaker=item.speaker,
                        mention=json.dumps(list(item.mention)), others=item.others,
                        matched=json.dumps(list(item.matched), ensure_ascii=False),
                    ))
                    new += 1
                    continue
                also = json.loads(row.also_in)
                if item.article_id != row.article_id and item.article_id not in also:
                    also.append(item.article_id)
                    await conn.execute(
                        update(alerts).where(mine, alerts.c.quote_key == item.quote_key)
                        .values(also_in=json.dumps(also), needs_edit=row.state == "posted")
                    )
            await conn.execute(
                update(alert_cursor).where(alert_cursor.c.guild_id == str(guild_id))
                .values(last_log_id=cursor)
            )
        return new

    async def pending_alerts(self) -> list[Any]:
        """Alerts waiting to be posted, oldest first (rows of the ``alerts`` table)."""
        async with self.engine.connect() as conn:
            return list(await conn.execute(
                select(alerts).where(alerts.c.state == "pending")
                .order_by(alerts.c.found_at, alerts.c.quote_key)
            ))

    async def posted_since(self, follow_id: int, since: datetime) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(
                select(func.count()).select_from(alerts).where(
                    alerts.c.follow_id == follow_id, alerts.c.state == "posted",
                    alerts.c.posted_at >= iso(since),
                )
            ) or 0)

    async def claim_alert(self, follow_id: int, key: str, state: str, now: datetime) -> bool:
        """Move a pending alert to ``state`` (posted or summarised); True if this caller did."""
        async with self.store.writing() as conn:
            result = await conn.execute(
                update(alerts).where(alerts.c.follow_id == follow_id, alerts.c.quote_key == key,
                                     alerts.c.state == "pending")
                .values(state=state, posted_at=iso(now))
            )
        return bool(result.rowcount)

    async def set_message(self, follow_id: int, key: str, message_id: int) -> None:
        async with self.store.writing() as conn:
            await conn.execute(
                update(alerts).where(alerts.c.follow_id == follow_id, alerts.c.quote_key == key)
                .values(message_id=str(message_id))
            )

    async def alerts_to_edit(self) -> list[Any]:
        async with self.engine.connect() as conn:
            return list(await conn.execute(
                select(alerts).where(alerts.c.needs_edit.is_(True),
                                     alerts.c.message_id.is_not(None))
            ))

    async def claim_edit(self, follow_id: int, key: str) -> bool:
        async with self.store.writing() as conn:
            result = await conn.execute(
                update(alerts).where(alerts.c.follow_id == follow_id, alerts.c.quote_key == key,
                                     alerts.c.needs_edit.is_(True))
                .values(needs_edit=False)
            )
        return bool(result.rowcount)

    async def follow(self, follow_id: int) -> Follow | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(follows).where(follows.c.id == follow_id))).first()
        return _follow(row) if row else None

