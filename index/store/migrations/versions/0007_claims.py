"""Claims: articles a process is working on for a derived index (computing their vectors).

Several processes sharing one store each claim a different batch of the vector backlog, so they
embed side by side instead of one at a time; a claim lapses at its time (wall clock) if its
holder dies. ``passage_vectors`` goes: nothing read it (the vector index keeps its own vectors,
and the cache is keyed by text).

The bundled sample articles get a collection of their own ("sample", seen by whoever has no
articles yet) instead of sitting in the shared one until the corpus's first own article.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("until", sa.Text, nullable=False),
    )
    op.drop_table("passage_vectors")
    _sample_to_its_collection()


def _sample_to_its_collection() -> None:
    """Move the sample articles of a store that still holds them to their own collection (a
    new version, so the indexes take the change)."""
    meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))
    articles = sa.table("articles", sa.column("id", sa.Text), sa.column("collection", sa.Text),
                        sa.column("version", sa.Integer))
    conn = op.get_bind()
    ids = conn.scalar(sa.select(meta.c.value).where(meta.c.key == "sample_articles"))
    retired = conn.scalar(sa.select(meta.c.value).where(meta.c.key == "sample_retired"))
    if ids and not retired:
        conn.execute(articles.update().where(articles.c.id.in_(ids.split(","))).values(
            collection="sample", version=articles.c.version + 1))
        conn.execute(meta.insert().values(key="sample_loaded", value="1"))
    conn.execute(meta.delete().where(meta.c.key.in_(("sample_articles", "sample_retired"))))


def downgrade() -> None:
    op.create_table(
        "passage_vectors",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("digest", sa.Text, nullable=False),
    )
    op.drop_table("claims")
