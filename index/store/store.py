"""The store, the source of truth: articles, passages, an ingestion log, the index ledger.

SQLAlchemy Core over an async driver: ``aiosqlite`` for the default SQLite file (WAL mode), or
``asyncpg`` for PostgreSQL when several bot processes share one corpus. Both run the same
statements against the tables of ``index/store/schema.py``, and ``migrate.upgrade`` brings either
up to date on open. Every article is written in its own transaction, so a failure or a crash
never leaves an article half-stored.

Each derived index (the search index, the vector index) has a ledger table of the article
versions it holds (``index_state``, ``vector_state``); comparing it with ``articles`` tells what
the index is missing after a crash, and ``claims`` which of those articles a process is working
on.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    delete,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from index.errors import StoreError
from index.models import SHARED, Article, Passage, PreparedArticle, SourceSummary
from index.store import migrate
from index.store.schema import articles, claims, guilds, ingest_log, meta, passages

__all__ = ["Store", "content_hash"]

log = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 6  # about 15 s of retries for a database server that is starting
_KEYS_PER_QUERY = 400
# How an article's outlet is shown and grouped: its registered domain, else the name it gave.
_OUTLET = func.coalesce(articles.c.domain, articles.c.source, "")
_IDS_PER_QUERY = 500


def content_hash(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# An article's metadata without its texts, for citing and listing.
_HEAD = (
    articles.c.id, articles.c.title, articles.c.source, articles.c.url, articles.c.lang,
    articles.c.published, articles.c.content_hash, articles.c.domain, articles.c.collection,
)
_PASSAGE = (
    passages.c.article_id, passages.c.position, passages.c.text, passages.c.start,
    passages.c.end, passages.c.lang,
)


def _head(
    row: Sequence[Any], original: str = "", clean: str = "", passage_count: int = 0
) -> Article:
    """An article from the ``_HEAD`` columns of a row (its texts left empty unless given)."""
    return Article(
        id=row[0], title=row[1], source=row[2], url=row[3], lang=row[4], published=row[5],
        original_text=original, clean_text=clean, content_hash=row[6],
        passage_count=passage_count, domain=row[7], collection=row[8],
    )


def _passage(row: Sequence[Any]) -> Passage:
    article_id, position = str(row[0]), int(row[1])
    return Passage(
        id=f"{article_id}:{position}", article_id=article_id, position=position,
        text=row[2], start=int(row[3]), end=int(row[4]), lang=row[5],
    )


def database_url(path_or_url: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file path, or of a ``postgresql://`` URL."""
    value = str(path_or_url)
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return f"sqlite+aiosqlite:///{value}"


def _engine_for(url: str) -> tuple[AsyncEngine, str | None]:
    """An async engine, and the schema a PostgreSQL URL names (``?schema=storybot``) for its
    tables, if any."""
    parsed = make_url(url)
    schema = parsed.query.get("schema")
    if parsed.get_backend_name() != "postgresql" or not schema:
        return create_async_engine(url), None
    if not isinstance(schema, str) or not schema.isidentifier():
        raise StoreError(f"the schema in the database URL must be a plain name, got {schema!r}")
    engine = create_async_engine(
        parsed.difference_update_query(["schema"]),
        connect_args={"server_settings": {"search_path": schema}},
    )
    return engine, schema


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Store:
    """Async access to the database: ``await Store.open(path)``, ``await store.close()``."""

    def __init__(self, engine: AsyncEngine, where: str) -> None:
        self.engine = engine
        self.where = where  # the file or server, for messages (never a password)
        # Writes from this process go one at a time: SQLite has one writer anyway, and an
        # article's transaction never interleaves with another's.
        self._write = asyncio.Lock()

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a database server."""
        database = self.engine.url.database
        return Path(database) if self.engine.dialect.name == "sqlite" and database else None

    @classmethod
    async def open(
        cls, path_or_url: Path | str, *, connect_attempts: int = CONNECT_ATTEMPTS
    ) -> Store:
        """Open a SQLite file or a database server, bring its schema up to date.

        A server that cannot be reached is tried ``connect_attempts`` times with growing
        pauses (it may be starting), then a ``StoreError`` names it (without its password).
        """
        url = database_url(path_or_url)
        if url.startswith("sqlite"):
            Path(str(path_or_url)).parent.mkdir(parents=True, exist_ok=True)
        engine, schema = _engine_for(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        where = engine.url.render_as_string(hide_password=True)
        store = cls(engine, where.removeprefix("sqlite+aiosqlite:///"))
        try:
            await store._connect(connect_attempts)
            if schema:
                async with engine.begin() as conn:  # processes starting together take turns
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": migrate.MIGRATION_LOCK})
                    await conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            await store._migrate()
        except BaseException:
            await engine.dispose()  # or its connection threads keep the process alive
            raise
        return store

    async def close(self) -> None:
        await self.engine.dispose()

    async def _connect(self, attempts: int) -> None:
        pause = 0.5
        for attempt in range(1, attempts + 1):
            try:
                async with self.engine.connect() as conn:
                    await conn.exec_driver_sql("SELECT 1")
                return
            except (OSError, DBAPIError) as error:
                if attempt == attempts:
                    reason = getattr(error, "orig", None) or error
                    raise StoreError(
                        f"cannot reach the database at {self.where} after {attempts} tries "
                        f"({type(reason).__name__}: {str(reason).splitlines()[0][:200]})"
                    ) from None
                log.warning("the database at %s is not answering (%s); trying again in %.1f s",
                            self.where, type(error).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 8.0)

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[None]:
        """Run the block in one process at a time among those sharing a PostgreSQL store (an
        advisory lock named ``name``, held until the block ends); SQLite has one process."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        async with self.engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                               {"name": f"storybot:{name}"})
            yield

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction (committed at the end, rolled back on error), one at a time."""
        async with self._write, self.engine.begin() as conn:
            yield conn

    async def _migrate(self) -> None:
        """Upgrade the schema in one transaction. SQLite rebuilds a table to alter it, and
        dropping the old copy would cascade to its passages: foreign keys are off meanwhile,
        and checked before the upgrade commits."""
        sqlite = self.engine.dialect.name == "sqlite"
        async with self.engine.connect() as conn:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                await conn.run_sync(migrate.upgrade, self.where)
                if sqlite and (await conn.exec_driver_sql("PRAGMA foreign_key_check")).first():
                    raise StoreError(f"{self.where}: the schema upgrade broke a reference")
                await conn.commit()
            finally:
                if sqlite:
                    await conn.rollback()
                    await conn.exec_driver_sql("PRAGMA foreign_keys=ON")

    # --- writing -------------------------------------------------------------------------

    async def upsert(
        self, article: PreparedArticle, origin: str
    ) -> tuple[str, str, str | None]:
        """Store one article in one transaction; returns ``(action, article id, note)``.

        The same URL, or for articles without one the same content, updates the stored article
        instead of adding a second copy; unchanged articles are skipped. A page's claim about
        its own address (its canonical link) is only a link: one naming an article stored with
        other text is dropped, and the page kept apart, so invented text is never shown under a
        real article's link (``note`` says so).
        """
        async with self._write, self.engine.begin() as conn:
            note = None
            if article.url is None and article.page_url and await self._claims_other_text(
                conn, article
            ):
                note = (f"{origin}: the page calls itself {article.page_url}, an address stored "
                        "with other text; kept as an article of its own, without that link")
                article = replace(article, page_url=None, domain=None)
            action, article_id = await self._upsert(conn, article, origin)
            return action, article_id, note

    async def _claims_other_text(self, conn: AsyncConnection, article: PreparedArticle) -> bool:
        """Whether the address a page claims is, where its reader looks (its own collection and
        the shared one), an article with other text."""
        found = await conn.scalar(
            select(articles.c.id).where(
                articles.c.url == article.page_url,
                articles.c.collection.in_({article.collection, SHARED}),
                articles.c.content_hash != content_hash(article.clean_text),
            ).limit(1)
        )
        return found is not None

    async def _upsert(
        self, conn: AsyncConnection, article: PreparedArticle, origin: str
    ) -> tuple[str, str]:
        digest = content_hash(article.clean_text)
        now = _now()
        key = f"url:{article.url}" if article.url else f"sha:{digest}"
        existing = await self._find_existing(
            conn, article.collection, key, digest, trusted_url=bool(article.url)
        )
        fields = {
            "title": article.title, "source": article.source, "url": article.link,
            "domain": article.domain, "lang": article.lang, "published": article.published,
        }
        if existing is None:
            article_id = await self._new_id(conn, article.url or digest)
            await conn.execute(insert(articles).values(
                id=article_id, collection=article.collection, key=key, **fields,
                original_text=article.original_text, clean_text=article.clean_text,
                content_hash=digest, version=1,
                ingested_at=now, updated_at=now,
            ))
            action = "added"
        else:
            article_id, old_key, old_hash, old_meta = existing
            if article.url is None and old_key.startswith("url:"):
                # A copy without an address (a saved file) never erases the one known.
                key = old_key
                fields |= {"url": old_meta["url"], "domain": old_meta["domain"]}
            if old_hash == digest and old_meta == fields and old_key == key:
                await self._log(conn, origin, article_id, "skipped", "unchanged")
                return "skipped", article_id
            await conn.execute(
                update(articles).where(articles.c.id == article_id).values(
                    key=key, **fields, original_text=article.original_text,
                    clean_text=article.clean_text, content_hash=digest,
                    version=articles.c.version + 1, updated_at=now,
                )
            )
            await conn.execute(delete(passages).where(passages.c.article_id == article_id))
            action = "updated"
        rows = [
            {"article_id": article_id, "position": pos, "text": article.clean_text[start:end],
             "start": start, "end": end, "lang": lang}
            for pos, (start, end, lang) in enumerate(article.passages)
        ]
        if rows:
            await conn.execute(insert(passages), rows)
        await self._log(conn, origin, article_id, action)
        return action, article_id

    async def _new_id(self, conn: AsyncConnection, seed: str) -> str:
        """A new article id derived from ``seed``, re-derived while it is taken."""
        candidate = seed
        while True:
            article_id = "a" + hashlib.sha256(candidate.encode("utf-8")).hexdigest()[:11]
            taken = await conn.scalar(select(articles.c.id).where(articles.c.id == article_id))
            if taken is None:
                return article_id
            candidate += "'"

    async def _find_existing(
        self, conn: AsyncConnection, collection: str, key: str, digest: str, *, trusted_url: bool
    ) -> tuple[str, str, str, dict[str, Any]] | None:
        """The article of ``collection`` an ingest is a new copy of: the one with the same
        identity key, else one with the same text (for an article with an address, only one
        stored without)."""
        columns = (articles.c.id, articles.c.key, articles.c.content_hash, articles.c.title,
                   articles.c.source, articles.c.url, articles.c.domain, articles.c.lang,
                   articles.c.published)
        mine = articles.c.collection == collection
        row = (await conn.execute(select(*columns).where(mine, articles.c.key == key))).first()
        if row is None:
            same_text = select(*columns).where(mine, articles.c.content_hash == digest)
            if trusted_url:
                same_text = same_text.where(articles.c.key.like("sha:%"))
            row = (await conn.execute(same_text.limit(1))).first()
        if row is None:
            return None
        names = ("title", "source", "url", "domain", "lang", "published")
        return row[0], row[1], row[2], dict(zip(names, row[3:], strict=True))

    async def log_failure(self, origin: str, reason: str) -> None:
        async with self._write, self.engine.begin() as conn:
            await self._log(conn, origin, None, "failed", reason)

    async def _log(
        self, conn: AsyncConnection, origin: str, article_id: str | None, action: str,
        reason: str | None = None,
    ) -> None:
        await conn.execute(insert(ingest_log).values(
            at=_now(), origin=origin, article_id=article_id, action=action, reason=reason
        ))

    async def delete_article(self, article_id: str) -> bool:
        async with self._write, self.engine.begin() as conn:
            result = await conn.execute(delete(articles).where(articles.c.id == article_id))
        return bool(result.rowcount)

    async def purge_collection(self, collection: str) -> int:
        """Delete every article of ``collection`` (their passages go with them)."""
        async with self._write, self.engine.begin() as conn:
            result = await conn.execute(
                delete(articles).where(articles.c.collection == collection)
            )
        return int(result.rowcount or 0)

    # --- servers ---------------------------------------------------------------------------

    async def guild_settings(self, guild_id: str) -> tuple[bool, str | None]:
        """``(search_shared, left_at)`` of a server (defaults for one never seen)."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(
                select(guilds.c.search_shared, guilds.c.left_at)
                .where(guilds.c.guild_id == guild_id)
            )).first()
        return (bool(row[0]), row[1]) if row else (True, None)

    async def update_guild(self, guild_id: str, **values: Any) -> None:
        """Set a server's ``search_shared`` and/or ``left_at``, creating its row if needed."""
        async with self._write, self.engine.begin() as conn:
            found = await conn.scalar(
                select(guilds.c.guild_id).where(guilds.c.guild_id == guild_id)
            )
            if found is None:
                await conn.execute(insert(guilds).values(
                    guild_id=guild_id, updated_at=_now(), **values
                ))
            else:
                await conn.execute(update(guilds).where(guilds.c.guild_id == guild_id).values(
                    updated_at=_now(), **values
                ))

    async def follow_role(self, guild_id: str) -> int | None:
        """The role whose members may manage follows in a server (besides Manage Server)."""
        async with self.engine.connect() as conn:
            value = await conn.scalar(
                select(guilds.c.follow_role).where(guilds.c.guild_id == guild_id)
            )
        return int(value) if value else None

    async def departed_guilds(self, before: str) -> list[str]:
        """Servers the bot left before the ISO time ``before``."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(guilds.c.guild_id).where(guilds.c.left_at.is_not(None))
                .where(guilds.c.left_at < before)
            )
            return [str(r[0]) for r in rows]

    async def forget_guild(self, guild_id: str) -> None:
        async with self._write, self.engine.begin() as conn:
            await conn.execute(delete(guilds).where(guilds.c.guild_id == guild_id))

    # --- ledgers of derived indexes -----------------------------------------------------------
    # A derived index (the search index, the vector index) has a ledger table of (article id,
    # version) rows saying what it holds; comparing it with ``articles`` says what it lacks.

    async def backlog(
        self, ledger: Table, *, limit: int | None = None
    ) -> tuple[list[tuple[str, int]], list[str]]:
        """What a derived index is behind on, from its ``ledger``: articles it lacks or holds an
        old version of (oldest first, at most ``limit``), and ids it holds but should not."""
        async with self.engine.connect() as conn:
            stale = select(articles.c.id, articles.c.version).outerjoin(
                ledger, ledger.c.article_id == articles.c.id
            ).where(_behind(ledger)).order_by(articles.c.ingested_at, articles.c.id)
            if limit is not None:
                stale = stale.limit(limit)
            gone = await conn.execute(
                select(ledger.c.article_id).where(ledger.c.article_id.not_in(select(articles.c.id)))
            )
            return (
                [(str(r[0]), int(r[1])) for r in await conn.execute(stale)],
                [str(r[0]) for r in gone],
            )

    async def count_behind(self, ledger: Table) -> tuple[int, int]:
        """``(passages the derived index lacks, passages in all)``: how far behind it is."""
        lacking = select(func.count()).select_from(passages).join(
            articles, articles.c.id == passages.c.article_id
        ).outerjoin(ledger, ledger.c.article_id == articles.c.id).where(_behind(ledger))
        async with self.engine.connect() as conn:
            behind = int(await conn.scalar(lacking) or 0)
            total = int(await conn.scalar(select(func.count()).select_from(passages)) or 0)
        return behind, total

    async def claim_backlog(
        self, ledger: Table, holder: str, until: datetime, now: datetime, limit: int
    ) -> list[tuple[str, int]]:
        """Claim up to ``limit`` articles of a derived index's backlog for ``holder`` until
        ``until`` (wall clock): articles nobody else holds a live claim on. Processes claiming
        at once get different articles (the claim is a conditional insert)."""
        kind = ledger.name
        live = and_(claims.c.kind == kind, claims.c.article_id == articles.c.id,
                    claims.c.until > _iso(now), claims.c.holder != holder)
        wanted = (
            select(articles.c.id, articles.c.version)
            .outerjoin(ledger, ledger.c.article_id == articles.c.id)
            .where(_behind(ledger), ~exists().where(live))
            .order_by(articles.c.ingested_at, articles.c.id).limit(limit)
        )
        async with self._write, self.engine.begin() as conn:
            rows = [(str(r[0]), int(r[1])) for r in await conn.execute(wanted)]
            if not rows:
                return []
            taken = set()
            for article_id, _version in rows:
                values = {"kind": kind, "article_id": article_id, "holder": holder,
                          "until": _iso(until)}
                upsert = _dialect_insert(conn)(claims).values(**values)
                upsert = upsert.on_conflict_do_update(
                    index_elements=[claims.c.kind, claims.c.article_id],
                    set_={"holder": holder, "until": _iso(until)},
                    where=or_(claims.c.until <= _iso(now), claims.c.holder == holder),
                ).returning(claims.c.article_id)
                if (await conn.execute(upsert)).first() is not None:
                    taken.add(article_id)
        return [row for row in rows if row[0] in taken]

    async def release(self, ledger: Table, holder: str, article_ids: Sequence[str]) -> None:
        """Drop ``holder``'s claims on these articles (their work is recorded, or given up)."""
        async with self._write, self.engine.begin() as conn:
            for i in range(0, len(article_ids), _IDS_PER_QUERY):
                await conn.execute(delete(claims).where(
                    claims.c.kind == ledger.name, claims.c.holder == holder,
                    claims.c.article_id.in_(list(article_ids[i : i + _IDS_PER_QUERY])),
                ))

    async def mark(
        self, ledger: Table, versions: Iterable[tuple[str, int]], gone: Iterable[str]
    ) -> None:
        """Record, after a derived index committed, which article versions it now holds and
        which articles it no longer holds."""
        rows = [{"article_id": a, "version": v} for a, v in versions]
        ids = [r["article_id"] for r in rows] + list(gone)
        async with self._write, self.engine.begin() as conn:
            for i in range(0, len(ids), _IDS_PER_QUERY):
                await conn.execute(
                    delete(ledger).where(ledger.c.article_id.in_(ids[i : i + _IDS_PER_QUERY]))
                )
            if rows:
                await conn.execute(insert(ledger), rows)

    async def reset_ledger(self, ledger: Table, meta_key: str, index_id: str) -> None:
        """Start a new ledger for the derived index ``index_id``, which holds nothing yet."""
        async with self._write, self.engine.begin() as conn:
            await conn.execute(delete(ledger))
            await conn.execute(delete(claims).where(claims.c.kind == ledger.name))
            await self._set_meta(conn, meta_key, index_id)

    # --- the store's own settings ------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        async with self.engine.connect() as conn:
            value = await conn.scalar(select(meta.c.value).where(meta.c.key == key))
        return str(value) if value is not None else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self._write, self.engine.begin() as conn:
            await self._set_meta(conn, key, value)

    async def _set_meta(self, conn: AsyncConnection, key: str, value: str) -> None:
        await conn.execute(delete(meta).where(meta.c.key == key))
        await conn.execute(insert(meta).values(key=key, value=value))

    # --- reading ---------------------------------------------------------------------------

    async def _scalar_int(self, statement: Any) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(statement) or 0)

    async def count_articles(self, collection: str | None = None) -> int:
        statement = select(func.count()).select_from(articles)
        if collection is not None:
            statement = statement.where(articles.c.collection == collection)
        return await self._scalar_int(statement)

    async def has_articles(self, collections: Sequence[str]) -> bool:
        """Whether any of these collections holds an article (one index lookup)."""
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(articles.c.id).where(articles.c.collection.in_(list(collections))).limit(1)
            )
        return found is not None

    async def count_passages(self) -> int:
        return await self._scalar_int(select(func.count()).select_from(passages))

    async def article(self, article_id: str) -> Article | None:
        count = (
            select(func.count()).where(passages.c.article_id == articles.c.id).scalar_subquery()
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(
                select(*_HEAD, articles.c.original_text, articles.c.clean_text, count)
                .where(articles.c.id == article_id)
            )).first()
        if row is None:
            return None
        return _head(row, row[9], row[10], int(row[11]))

    async def passages(self, article_id: str) -> list[Passage]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(*_PASSAGE).where(passages.c.article_id == article_id)
                .order_by(passages.c.position)
            )
            return [_passage(r) for r in rows]

    async def passages_by_key(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], Passage]:
        """Passages by ``(article id, position)``, in one query."""
        found, _articles = await self.quotable(keys)
        return found

    async def quotable(
        self, keys: Sequence[tuple[str, int]]
    ) -> tuple[dict[tuple[str, int], Passage], dict[str, Article]]:
        """Passages by ``(article id, position)`` and their articles' metadata, in one query.

        The articles come without their texts (left empty): enough to cite them.
        """
        found: dict[tuple[str, int], Passage] = {}
        heads: dict[str, Article] = {}
        async with self.engine.connect() as conn:
            # One primary-key lookup per pair (SQLite plans row-value IN lists as a scan), in
            # chunks that stay under its expression-depth limit of 1000.
            for i in range(0, len(keys), _KEYS_PER_QUERY):
                rows = await conn.execute(
                    _quotable_statement(len(keys[i : i + _KEYS_PER_QUERY])),
                    {f"{kind}{n}": value
                     for n, key in enumerate(keys[i : i + _KEYS_PER_QUERY])
                     for kind, value in zip("ap", key, strict=True)},
                )
                for row in rows:
                    passage = _passage(row)
                    found[(passage.article_id, passage.position)] = passage
                    if passage.article_id not in heads:
                        heads[passage.article_id] = _head((passage.article_id, *row[6:]))
        return found, heads

    async def citations(self, ids: Iterable[str]) -> dict[str, Article]:
        """Articles by id with their metadata only (texts left empty): enough to cite them."""
        ids = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        async with self.engine.connect() as conn:
            for i in range(0, len(ids), _IDS_PER_QUERY):
                rows = await conn.execute(
                    select(*_HEAD).where(articles.c.id.in_(ids[i : i + _IDS_PER_QUERY]))
                )
                found.update({str(r[0]): _head(r) for r in rows})
        return found

    async def iter_passages(
        self, article_ids: Sequence[str] | None = None, batch: int = 5000
    ) -> AsyncIterator[list[Passage]]:
        """All passages (or those of ``article_ids``), in batches, for (re)building the index."""
        async with self.engine.connect() as conn:
            if article_ids is not None:
                for i in range(0, len(article_ids), _IDS_PER_QUERY):
                    chunk = list(article_ids[i : i + _IDS_PER_QUERY])
                    rows = (await conn.execute(
                        select(*_PASSAGE).where(passages.c.article_id.in_(chunk))
                    )).all()
                    if rows:
                        yield [_passage(r) for r in rows]
                return
            result = await conn.stream(select(*_PASSAGE))
            async for rows in result.partitions(batch):
                yield [_passage(r) for r in rows]

    async def sources(self, collections: Sequence[str]) -> list[SourceSummary]:
        """Outlets with article counts per language and collection, newest first. An outlet is
        its registered domain (news.detik.com and finance.detik.com are one), else its name."""
        newest = func.max(func.coalesce(articles.c.published, articles.c.ingested_at))
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(_OUTLET, articles.c.lang, func.count(), newest, articles.c.collection)
                .where(articles.c.collection.in_(collections))
                .group_by(articles.c.collection, _OUTLET, articles.c.lang)
                .order_by(newest.desc(), _OUTLET)
            )
            return [SourceSummary(r[0], r[1], int(r[2]), r[3], r[4]) for r in rows]

    async def collections(self) -> list[tuple[str, int]]:
        """Every collection with its number of articles."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(articles.c.collection, func.count())
                .group_by(articles.c.collection).order_by(articles.c.collection)
            )
            return [(str(r[0]), int(r[1])) for r in rows]

    async def source_names(
        self, prefix: str, limit: int, collections: Sequence[str]
    ) -> list[str]:
        """Outlet names and domains (what the source filter takes) starting with ``prefix``,
        in any case."""
        like = _like_prefix(prefix.lower())
        names = [
            select(column.label("name")).distinct()
            .where(articles.c.collection.in_(collections))
            .where(column.is_not(None), func.lower(column).like(like, escape="\\"))
            for column in (articles.c.source, articles.c.domain)
        ]
        both = union(*names).subquery()
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(both.c.name).order_by(both.c.name).limit(limit))
            return [str(r[0]) for r in rows]

    async def has_source(self, name: str, collections: Sequence[str]) -> bool:
        """Whether any article comes from the outlet ``name`` (its name or its domain)."""
        lowered = name.strip().lower()
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(articles.c.id).where(articles.c.collection.in_(collections)).where(or_(
                    func.lower(articles.c.source) == lowered, articles.c.domain == lowered
                )).limit(1)
            )
        return found is not None

    async def languages(self) -> list[str]:
        """The languages of the stored passages. Asked after every sync and at start-up, so it
        hops through the ``passages_lang`` index one language at a time instead of scanning."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(text(
                "WITH RECURSIVE l(lang) AS (SELECT MIN(lang) FROM passages UNION ALL"
                " SELECT (SELECT MIN(lang) FROM passages WHERE lang > l.lang) FROM l"
                " WHERE l.lang IS NOT NULL) SELECT lang FROM l WHERE lang IS NOT NULL"
            ))
            return [str(r[0]) for r in rows]

    async def find_articles(
        self, prefix: str, limit: int, collections: Sequence[str]
    ) -> list[Article]:
        """Articles whose id starts with, or title contains, ``prefix``; metadata only."""
        like = _like_prefix(prefix)
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(*_HEAD)
                .where(articles.c.collection.in_(collections))
                .where(or_(articles.c.id.like(like, escape="\\"),
                           articles.c.title.like("%" + like, escape="\\")))
                .order_by(func.coalesce(articles.c.published, articles.c.ingested_at).desc())
                .limit(limit)
            )
            return [_head(r) for r in rows]


_quotable_cache: dict[int, Any] = {}


def _quotable_statement(n: int) -> Any:
    """``SELECT`` passages and their articles' heads for ``n`` (article, position) pairs."""
    statement = _quotable_cache.get(n)
    if statement is None:
        match = or_(*(
            and_(passages.c.article_id == bindparam(f"a{i}"),
                 passages.c.position == bindparam(f"p{i}"))
            for i in range(n)
        ))
        statement = (
            select(*_PASSAGE, *_HEAD[1:])
            .join(articles, articles.c.id == passages.c.article_id)
            .where(match)
        )
        _quotable_cache[n] = statement
    return statement


def _behind(ledger: Table) -> Any:
    """Where an article (joined with a derived index's ledger) is missing from that index."""
    return or_(ledger.c.version.is_(None), ledger.c.version != articles.c.version)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _dialect_insert(conn: AsyncConnection) -> Any:
    """The dialect's INSERT, which knows ``ON CONFLICT … DO UPDATE … WHERE``."""
    if conn.dialect.name == "postgresql":
        return postgresql_insert
    return sqlite_insert


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
