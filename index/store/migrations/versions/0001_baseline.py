"""The store as storybot 0.1 left it: articles, passages, ingest log, index ledger, meta.

Stores made before Alembic (``PRAGMA user_version`` 3) already have exactly these tables and are
stamped with this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("published", sa.Text),
        sa.Column("original_text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("ingested_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index(
        "articles_url", "articles", ["url"], unique=True,
        sqlite_where=sa.text("url IS NOT NULL"), postgresql_where=sa.text("url IS NOT NULL"),
    )
    op.create_index("articles_hash", "articles", ["content_hash"])
    op.create_index("articles_source", "articles", ["source", "lang"])
    op.create_table(
        "passages",
        sa.Column(
            "article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("lang", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("passages_lang", "passages", ["lang"])
    op.create_table(
        "ingest_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("article_id", sa.Text),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "index_state",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("meta", "index_state", "ingest_log", "passages", "articles"):
        op.drop_table(table)
