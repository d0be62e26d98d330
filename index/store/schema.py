"""The store's tables, one SQLAlchemy Core definition for SQLite and PostgreSQL alike.

This is the schema as the newest migration leaves it (``index/store/migrations/versions``);
queries are written against these ``Table`` objects so one text serves both databases.

* ``articles``: one row per stored article, its texts and where it came from;
* ``passages``: whole-sentence spans of an article's clean text, the units that are searched;
* ``ingest_log``: what every ingest did, item by item, failures with their reasons;
* ``index_state``: the ledger of which article versions the derived search index holds;
* ``guilds``: each Discord server's settings, and when the bot left it;
* ``meta``: the store's own key/value settings (which search index the ledger describes, …).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
    true,
)

__all__ = ["articles", "index_state", "ingest_log", "meta", "metadata", "passages"]

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("collection", Text, nullable=False, server_default="shared"),  # shared or guild:<id>
    # Always set; the identity within the collection: "url:<given address>" or "sha:<hash>".
    Column("key", Text),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),  # the link shown: the given address, else the page's own claim
    Column("domain", Text),  # registered domain of the url ("detik.com"), grouping outlets
    Column("lang", Text, nullable=False),
    Column("published", Text),
    Column("original_text", Text, nullable=False),
    Column("clean_text", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default=text("1")),
    Column("ingested_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Index("articles_key", "collection", "key", unique=True),
    Index("articles_collection", "collection", "domain", "lang"),
    Index("articles_url", "url"),
    Index("articles_hash", "content_hash"),
    Index("articles_source", "source", "lang"),
    Index("articles_domain", "domain", "lang"),
)

passages = Table(
    "passages",
    metadata,
    Column(
        "article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("lang", Text, nullable=False),
    Index("passages_lang", "lang"),
    sqlite_with_rowid=False,
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("article_id", Text),
    Column("action", Text, nullable=False),
    Column("reason", Text),
)

index_state = Table(
    "index_state",
    metadata,
    Column("article_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    sqlite_with_rowid=False,
)

guilds = Table(
    "guilds",
    metadata,
    Column("guild_id", Text, primary_key=True),
    Column("search_shared", Boolean, nullable=False, server_default=true()),
    Column("left_at", Text),  # when the bot left the server; its collection is purged later
    Column("updated_at", Text, nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    sqlite_with_rowid=False,
)
