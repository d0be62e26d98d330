"""The SQLite store, the source of truth: articles, passages, an ingestion log.

One aiosqlite connection in WAL mode. The schema is versioned with ``PRAGMA user_version`` and
brought up to date by the ordered ``_MIGRATIONS`` on open. Every article is written in its own
transaction, so a failure or a crash never leaves an article half-stored.

The ``index_state`` table is the ledger of what the derived search index holds (article id and
version); comparing it with ``articles`` tells what the index is missing after a crash.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from index.models import Article, Passage, SourceSummary

__all__ = ["SCHEMA_VERSION", "Store", "StoredArticle", "content_hash"]

_MIGRATIONS: tuple[str, ...] = (
    # 1: articles, passages, ingestion log, index ledger
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT,
        source TEXT,
        url TEXT,
        lang TEXT NOT NULL,
        published TEXT,
        original_text TEXT NOT NULL,
        clean_text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        ingested_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_source ON articles(source, lang);
    CREATE TABLE passages (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        lang TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE ingest_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        origin TEXT NOT NULL,
        article_id TEXT,
        action TEXT NOT NULL,
        reason TEXT
    );
    CREATE TABLE index_state (
        article_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: key/value settings of the store itself (which search index the ledger describes)
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3: passage languages by index, so listing them does not read every passage
    """
    CREATE INDEX passages_lang ON passages(lang);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)
_KEYS_PER_QUERY = 400


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article ready to store: cleaned, split, its language known."""

    title: str | None
    source: str | None
    url: str | None
    lang: str
    published: str | None
    original_text: str
    clean_text: str
    passages: Sequence[tuple[int, int, str]]  # (start, end, lang) into clean_text


_ARTICLE_COLUMNS = (
    "id, title, source, url, lang, published, original_text, clean_text, content_hash, "
    "(SELECT COUNT(*) FROM passages p WHERE p.article_id = articles.id)"
)


# An article's metadata without its texts, for citing and listing.
_HEAD_COLUMNS = "id, title, source, url, lang, published, '', '', content_hash, 0"


def _article(row: sqlite3.Row | tuple) -> Article:
    return Article(*row)


class Store:
    """Async access to the SQLite file: ``await Store.open(path)``, ``await store.close()``."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        # One connection, so one writer at a time: a commit from one task must never end a
        # transaction another task has open.
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
        store = cls(db, path)
        try:
            await store._migrate()
        except BaseException:
            await db.close()  # or its worker thread keeps the process alive
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def _migrate(self) -> None:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} has schema version {current}, newer than this storybot "
                f"({SCHEMA_VERSION}); upgrade storybot"
            )
        for version in range(current, SCHEMA_VERSION):
            await self._db.executescript(
                f"BEGIN;\n{_MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
            )

    # --- writing -------------------------------------------------------------------------

    async def upsert(self, article: StoredArticle, origin: str) -> tuple[str, str]:
        """Store one article in one transaction; returns ``(action, article id)``.

        The same URL, or for articles without one the same content, updates the stored article
        instead of adding a second copy; unchanged articles are skipped.
        """
        async with self._write:
            return await self._upsert(article, origin)

    async def _upsert(self, article: StoredArticle, origin: str) -> tuple[str, str]:
        digest = content_hash(article.clean_text)
        db = self._db
        now = _now()
        await db.execute("BEGIN IMMEDIATE")
        try:
            existing = await self._find_existing(article.url, digest)
            if existing is None:
                article_id = await self._new_id(article.url or digest)
                await db.execute(
                    "INSERT INTO articles (id, title, source, url, lang, published, original_text,"
                    " clean_text, content_hash, version, ingested_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (article_id, article.title, article.source, article.url, article.lang,
                     article.published, article.original_text, article.clean_text, digest,
                     now, now),
                )
                action = "added"
            else:
                article_id, old_hash, old_meta = existing
                new_meta = (article.title, article.source, article.url, article.lang,
                            article.published)
                if old_hash == digest and old_meta == new_meta:
                    await db.execute("ROLLBACK")
                    await self._log(origin, article_id, "skipped", "unchanged")
                    return "skipped", article_id
                # A copy without a URL (a saved file) never erases the URL already known.
                await db.execute(
                    "UPDATE articles SET title=?, source=?, url=COALESCE(?, url), lang=?,"
                    " published=?,"
                    " original_text=?, clean_text=?, content_hash=?, version=version+1,"
                    " updated_at=? WHERE id=?",
                    (*new_meta, article.original_text, article.clean_text, digest, now,
                     article_id),
                )
                await db.execute("DELETE FROM passages WHERE article_id=?", (article_id,))
                action = "updated"
            await db.executemany(
                "INSERT INTO passages (article_id, position, text, start, end, lang)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (article_id, pos, article.clean_text[start:end], start, end, lang)
                    for pos, (start, end, lang) in enumerate(article.passages)
                ],
            )
            await db.execute(
                "INSERT INTO ingest_log (at, origin, article_id, action) VALUES (?, ?, ?, ?)",
                (now, origin, article_id, action),
            )
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
        return action, article_id

    async def _new_id(self, seed: str) -> str:
        """A new article id derived from ``seed``, re-derived while it is taken."""
        candidate = seed
        while True:
            article_id = "a" + hashlib.sha256(candidate.encode("utf-8")).hexdigest()[:11]
            async with self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)) as cur:
                if await cur.fetchone() is None:
                    return article_id
            candidate += "'"

    async def _find_existing(
        self, url: str | None, digest: str
    ) -> tuple[str, str, tuple[str | None, ...]] | None:
        query = (
            "SELECT id, content_hash, title, source, url, lang, published FROM articles WHERE "
        )
        if url:
            async with self._db.execute(query + "url=?", (url,)) as cur:
                row = await cur.fetchone()
            if row is not None:
                return row[0], row[1], tuple(row[2:])
        async with self._db.execute(
            query + "content_hash=? AND (url IS NULL OR ? IS NULL)", (digest, url)
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1], tuple(row[2:])) if row is not None else None

    async def log_failure(self, origin: str, reason: str) -> None:
        async with self._write:
            await self._log(origin, None, "failed", reason)

    async def _log(self, origin: str, article_id: str | None, action: str, reason: str) -> None:
        await self._db.execute(
            "INSERT INTO ingest_log (at, origin, article_id, action, reason)"
            " VALUES (?, ?, ?, ?, ?)",
            (_now(), origin, article_id, action, reason),
        )
        await self._db.commit()

    async def delete_article(self, article_id: str) -> bool:
        async with self._write:
            cur = await self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))
            await self._db.commit()
        return cur.rowcount > 0

    # --- the index ledger ------------------------------------------------------------------

    async def index_backlog(self) -> tuple[list[tuple[str, int]], list[str]]:
        """Articles the index lacks or holds an old version of, and ids it holds but should not."""
        async with self._db.execute(
            "SELECT a.id, a.version FROM articles a LEFT JOIN index_state s ON s.article_id = a.id"
            " WHERE s.version IS NULL OR s.version != a.version ORDER BY a.rowid"
        ) as cur:
            stale = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
        async with self._db.execute(
            "SELECT article_id FROM index_state WHERE article_id NOT IN (SELECT id FROM articles)"
        ) as cur:
            gone = [str(r[0]) for r in await cur.fetchall()]
        return stale, gone

    async def mark_indexed(self, versions: Iterable[tuple[str, int]], gone: Iterable[str]) -> None:
        """Record, after the index committed, which article versions it now holds."""
        async with self._write:
            await self._db.execute("BEGIN")
            await self._db.executemany(
                "INSERT INTO index_state (article_id, version) VALUES (?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET version=excluded.version",
                list(versions),
            )
            await self._db.executemany(
                "DELETE FROM index_state WHERE article_id=?", [(g,) for g in gone]
            )
            await self._db.commit()

    async def reset_index_state(self, index_id: str) -> None:
        """Start a new ledger for the index ``index_id``, which holds nothing yet."""
        async with self._write:
            await self._db.execute("BEGIN")
            await self._db.execute("DELETE FROM index_state")
            await self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('index_id', ?)"
                " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (index_id,),
            )
            await self._db.commit()

    async def index_id(self) -> str | None:
        """Which search index the ledger describes (see ``reset_index_state``)."""
        async with self._db.execute("SELECT value FROM meta WHERE key='index_id'") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    # --- reading ---------------------------------------------------------------------------

    async def count_articles(self) -> int:
        async with self._db.execute("SELECT COUNT(*) FROM articles") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def count_passages(self) -> int:
        async with self._db.execute("SELECT COUNT(*) FROM passages") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def article(self, article_id: str) -> Article | None:
        async with self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id=?", (article_id,)
        ) as cur:
            row = await cur.fetchone()
        return _article(row) if row else None

    async def passages(self, article_id: str) -> list[Passage]:
        async with self._db.execute(
            "SELECT article_id, position, text, start, end, lang FROM passages"
            " WHERE article_id=? ORDER BY position",
            (article_id,),
        ) as cur:
            return [_passage(r) for r in await cur.fetchall()]

    async def passages_by_key(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], Passage]:
        """Passages by ``(article id, position)``, in one query."""
        passages, _articles = await self.quotable(keys)
        return passages

    async def quotable(
        self, keys: Sequence[tuple[str, int]]
    ) -> tuple[dict[tuple[str, int], Passage], dict[str, Article]]:
        """Passages by ``(article id, position)`` and their articles' metadata, in one query.

        The articles come without their texts (left empty): enough to cite them.
        """
        passages: dict[tuple[str, int], Passage] = {}
        articles: dict[str, Article] = {}
        rows: list[Any] = []
        # One primary-key lookup per pair (SQLite plans row-value IN lists as a scan), in
        # chunks that stay under its expression-depth limit of 1000.
        for i in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[i : i + _KEYS_PER_QUERY]
            clause = " OR ".join("(p.article_id=? AND p.position=?)" for _ in chunk)
            async with self._db.execute(
                "SELECT p.article_id, p.position, p.text, p.start, p.end, p.lang,"
                " a.title, a.source, a.url, a.lang, a.published, a.content_hash"
                " FROM passages p JOIN articles a ON a.id = p.article_id WHERE " + clause,
                [v for key in chunk for v in key],
            ) as cur:
                rows += await cur.fetchall()
        for row in rows:
            passage = _passage(row)
            passages[(passage.article_id, passage.position)] = passage
            if passage.article_id not in articles:
                articles[passage.article_id] = Article(
                    passage.article_id, row[6], row[7], row[8], row[9], row[10], "", "", row[11]
                )
        return passages, articles

    async def citations(self, ids: Iterable[str]) -> dict[str, Article]:
        """Articles by id with their metadata only (texts left empty): enough to cite them."""
        ids = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            async with self._db.execute(
                f"SELECT {_HEAD_COLUMNS} FROM articles WHERE id IN ({marks})",
                chunk,
            ) as cur:
                found.update({str(r[0]): _article(r) for r in await cur.fetchall()})
        return found

    async def iter_passages(
        self, article_ids: Sequence[str] | None = None, batch: int = 5000
    ) -> AsyncIterator[list[Passage]]:
        """All passages (or those of ``article_ids``), in batches, for (re)building the index."""
        if article_ids is not None:
            for i in range(0, len(article_ids), 500):
                chunk = list(article_ids[i : i + 500])
                marks = ",".join("?" * len(chunk))
                async with self._db.execute(
                    "SELECT article_id, position, text, start, end, lang FROM passages"
                    f" WHERE article_id IN ({marks})",
                    chunk,
                ) as cur:
                    rows = await cur.fetchall()
                if rows:
                    yield [_passage(r) for r in rows]
            return
        async with self._db.execute(
            "SELECT article_id, position, text, start, end, lang FROM passages"
        ) as cur:
            while rows := await cur.fetchmany(batch):
                yield [_passage(r) for r in rows]

    async def sources(self) -> list[SourceSummary]:
        async with self._db.execute(
            "SELECT COALESCE(source, ''), lang, COUNT(*), MAX(COALESCE(published, ingested_at))"
            " AS newest FROM articles GROUP BY 1, 2 ORDER BY newest DESC, 1"
        ) as cur:
            return [SourceSummary(r[0], r[1], int(r[2]), r[3]) for r in await cur.fetchall()]

    async def source_names(self, prefix: str, limit: int) -> list[str]:
        async with self._db.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL AND source LIKE ?"
            " ESCAPE '\\' ORDER BY source LIMIT ?",
            (_like_prefix(prefix), limit),
        ) as cur:
            return [str(r[0]) for r in await cur.fetchall()]

    async def languages(self) -> list[str]:
        """The languages of the stored passages. Asked after every sync and at start-up, so it
        hops through the ``passages_lang`` index one language at a time instead of scanning."""
        async with self._db.execute(
            "WITH RECURSIVE l(lang) AS (SELECT MIN(lang) FROM passages UNION ALL"
            " SELECT (SELECT MIN(lang) FROM passages WHERE lang > l.lang) FROM l"
            " WHERE l.lang IS NOT NULL) SELECT lang FROM l WHERE lang IS NOT NULL"
        ) as cur:
            return [str(r[0]) for r in await cur.fetchall()]

    async def find_articles(self, prefix: str, limit: int) -> list[Article]:
        """Articles whose id starts with, or title contains, ``prefix``; metadata only."""
        like = _like_prefix(prefix)
        async with self._db.execute(
            f"SELECT {_HEAD_COLUMNS} FROM articles WHERE id LIKE ? ESCAPE '\\'"
            " OR title LIKE ? ESCAPE '\\' ORDER BY COALESCE(published, ingested_at) DESC LIMIT ?",
            (like, "%" + like, limit),
        ) as cur:
            return [_article(r) for r in await cur.fetchall()]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _passage(row: sqlite3.Row | tuple) -> Passage:
    article_id, position = str(row[0]), int(row[1])
    return Passage(
        id=f"{article_id}:{position}", article_id=article_id, position=position,
        text=row[2], start=int(row[3]), end=int(row[4]), lang=row[5],
    )
