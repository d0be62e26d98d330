"""The store's schema history: new stores, stores made before Alembic, and newer stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from index.errors import StoreError
from index.models import PreparedArticle
from index.store import Store
from index.store.migrate import HEAD

# The tables storybot 0.1 made by hand (PRAGMA user_version 3), trimmed to what the test reads.
_LEGACY_SCHEMA = """
CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, lang TEXT NOT NULL,
    published TEXT, original_text TEXT NOT NULL, clean_text TEXT NOT NULL,
    content_hash TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_source ON articles(source, lang);
CREATE TABLE passages (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    lang TEXT NOT NULL, PRIMARY KEY (article_id, position)) WITHOUT ROWID;
CREATE TABLE ingest_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, origin TEXT NOT NULL,
    article_id TEXT, action TEXT NOT NULL, reason TEXT);
CREATE TABLE index_state (article_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX passages_lang ON passages(lang);
INSERT INTO articles VALUES ('a0123456789a', 'Old news', 'Wire', 'https://x.example/old', 'en',
    '2023-01-02', 'Old text here.', 'Old text here.', 'h', 1, '2023-01-02', '2023-01-02');
INSERT INTO passages VALUES ('a0123456789a', 0, 'Old text here.', 0, 14, 'en');
PRAGMA user_version = 3;
"""


def _article(text_: str, url: str | None = None) -> PreparedArticle:
    return PreparedArticle(
        title="T", source="S", url=url, lang="en", published=None, original_text=text_,
        clean_text=text_, passages=[(0, len(text_), "en")],
    )


async def test_a_new_store_is_at_the_newest_revision(database_url: str) -> None:
    """Opening an empty store (SQLite or PostgreSQL) creates every table and records the newest
    schema revision."""
    store = await Store.open(database_url)
    try:
        async with store.engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
        action, _id, _note = await store.upsert(_article("One sentence of text."), "x.txt")
        assert action == "added" and await store.count_passages() == 1
    finally:
        await store.close()


async def test_a_store_made_before_migrations_is_adopted_with_its_articles(
    tmp_path: Path,
) -> None:
    """A 0.1 store (hand-made schema, user_version 3) opens, keeps its articles, and upgrades."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(_LEGACY_SCHEMA)
    store = await Store.open(path)
    try:
        article = await store.article("a0123456789a")
        assert article is not None and article.title == "Old news" and article.passage_count == 1
        async with store.engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    finally:
        await store.close()


async def test_a_store_from_a_newer_storybot_is_refused_untouched(database_url: str) -> None:
    """A schema revision this code does not know is an error naming the store, not a rewrite."""
    store = await Store.open(database_url)
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    where = store.where
    await store.close()
    with pytest.raises(StoreError, match=r"9999.*newer") as refused:
        await Store.open(database_url)
    assert where in str(refused.value)
    assert await _stored_revision(database_url) == "9999"


async def _stored_revision(database_url: str) -> str:
    """The revision a store records, read without Store (which would refuse to open it)."""
    from index.store.store import _engine_for
    from index.store.store import database_url as to_url

    engine, _schema = _engine_for(to_url(database_url))
    try:
        async with engine.connect() as conn:
            return str(await conn.scalar(text("SELECT version_num FROM alembic_version")))
    finally:
        await engine.dispose()


async def test_an_unreachable_server_is_named_without_its_password() -> None:
    """A database that does not answer is retried, then reported by address, password hidden."""
    with pytest.raises(StoreError) as refused:
        await Store.open("postgresql://storybot:hunter2@127.0.0.1:9/storybot", connect_attempts=2)
    message = str(refused.value)
    assert "127.0.0.1:9/storybot" in message and "hunter2" not in message and "2 tries" in message
