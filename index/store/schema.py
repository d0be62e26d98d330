"""The store's tables, one SQLAlchemy Core definition for SQLite and PostgreSQL alike.

This is the schema as the newest migration leaves it (``index/store/migrations/versions``);
queries are written against these ``Table`` objects so one text serves both databases.

* ``articles``: one row per stored article, its texts and where it came from;
* ``passages``: whole-sentence spans of an article's clean text, the units that are searched;
* ``ingest_log``: what every ingest did, item by item, failures with their reasons;
* ``index_state``: the ledger of which article versions the derived search index holds;
* ``guilds``: each Discord server's settings, and when the bot left it;
* ``feeds``, ``feed_items``: the feeds servers poll and the entries already taken;
* ``follows``, ``alerts``, ``alert_cursor``: quote alerts and how far they have looked;
* ``embeddings``, ``vector_state``: passage vectors by model and text, and the ledger of the
  derived vector index;
* ``claims``: articles a process is working on for a derived index (their vectors);
* ``statements``, ``aliases``, ``statement_state``: who said what in each article and the other
  names articles define, derived from the passages (with their ledger); ``guild_aliases``:
  names a server's admins added or struck out;
* ``leases``: work one process at a time does (embedding, purges), claimed until a time;
* ``meta``: the store's own key/value settings (which search index the ledger describes, …).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)

__all__ = [
    "alert_cursor", "alerts", "aliases", "articles", "claims", "embeddings", "feed_items",
    "feeds", "follows", "guild_aliases", "guilds", "index_state", "ingest_log", "leases", "meta",
    "metadata", "passages", "statement_state", "statements", "vector_state",
]

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
    Column("follow_role", Text),  # members with this role may manage follows, too
    Column("updated_at", Text, nullable=False),
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guild_id", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text),
    Column("interval_minutes", Integer, nullable=False),
    Column("etag", Text),  # conditional GET validators from the last 200 answer
    Column("last_modified", Text),
    Column("next_poll_at", Text, nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),  # consecutive
    Column("failing_since", Text),
    Column("last_error", Text),
    Column("last_ok_at", Text),
    Column("lease_until", Text),  # a poller claimed the feed until then (one poll at a time)
    Column("leased_by", Text),
    Column("added_by", Text),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("guild_id", "url", name="feeds_guild_url"),
    Index("feeds_due", "next_poll_at"),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("item_key", Text, primary_key=True),  # the entry's guid, else its link
    Column("article_id", Text),
    Column("seen_at", Text, nullable=False),
)

follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("guild_id", Text, nullable=False),
    Column("channel_id", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("about", Text),
    Column("created_by", Text),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("guild_id", "channel_id", "who", "about", name="follows_unique"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("follow_id", Integer, ForeignKey("follows.id", ondelete="CASCADE"), primary_key=True),
    Column("quote_key", Text, primary_key=True),  # the quote's normalised text, hashed
    Column("article_id", Text, nullable=False),
    Column("passage_position", Integer, nullable=False),
    Column("sentences", Text, nullable=False),  # JSON [[start, end], …] within the passage
    Column("also_in", Text, nullable=False, server_default="[]"),  # JSON ids of copies
    Column("state", Text, nullable=False),  # pending | posted | summarised
    Column("found_at", Text, nullable=False),
    Column("posted_at", Text),
    Column("message_id", Text),
    Column("needs_edit", Boolean, nullable=False, server_default=false()),  # also_in grew
    Column("speaker", Text),  # who spoke, as the article names them
    Column("mention", Text),  # JSON [start, end] of their name in the passage
    Column("others", Integer, nullable=False, server_default="0"),  # more statements of theirs
    Column("matched", Text, nullable=False, server_default="[]"),  # JSON: the follows answered
    Index("alerts_state", "state", "follow_id"),
)

alert_cursor = Table(
    "alert_cursor",
    metadata,
    Column("guild_id", Text, primary_key=True),
    Column("last_log_id", Integer, nullable=False),  # ingest_log entries up to it are done
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("model", Text, primary_key=True),
    Column("digest", Text, primary_key=True),  # SHA-256 of the embedded text
    Column("vector", LargeBinary, nullable=False),  # float16, L2-normalised
)

vector_state = Table(
    "vector_state",
    metadata,
    Column("article_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
)

statements = Table(
    "statements",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),  # its order in the article
    Column("position", Integer, nullable=False),  # the passage (-1: the title)
    Column("sentence_start", Integer, nullable=False),  # spans in that passage's text
    Column("sentence_end", Integer, nullable=False),
    Column("mention_start", Integer, nullable=False),
    Column("mention_end", Integer, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("speaker", Text, nullable=False),  # as the article names them, at their fullest
    Column("speaker_shape", Text, nullable=False),  # " trmp dnld ": the name's consonants
    Column("on_behalf", Text),  # the body an official speaks for
    Column("cue", Text, nullable=False),
    Column("lang", Text, nullable=False),
    Column("quoted", Boolean, nullable=False),
    Column("named", Boolean, nullable=False),
)

aliases = Table(
    "aliases",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, primary_key=True),  # "World Health Organization"
    Column("alias", Text, primary_key=True),  # "WHO"
)

statement_state = Table(
    "statement_state",
    metadata,
    Column("article_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
)

guild_aliases = Table(
    "guild_aliases",
    metadata,
    Column("guild_id", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("removed", Boolean, nullable=False),  # an admin struck out a learned alias
    Column("added_by", Text),
    Column("at", Text, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("kind", Text, primary_key=True),  # which derived index: "vectors"
    Column("article_id", Text, primary_key=True),
    Column("holder", Text, nullable=False),  # which process works on it
    Column("until", Text, nullable=False),  # ISO wall-clock time the claim lapses
)

leases = Table(
    "leases",
    metadata,
    Column("name", Text, primary_key=True),  # the work: "embed", "purge"
    Column("holder", Text, nullable=False),  # which process
    Column("until", Text, nullable=False),  # ISO time the claim lapses
)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    sqlite_with_rowid=False,
)
