"""Passage vectors for the semantic stage: a cache by model and text, and a ledger.

``embeddings`` keeps each embedded text's vector (float16, L2-normalised) under the model that
made it and the SHA-256 of the text, so a passage stored again, in another collection, or
re-ingested by an evaluation, is never embedded twice. ``vector_state`` is the ledger of the
derived vector index, like ``index_state`` is of the search index: which article versions it
holds vectors for; ``passage_vectors`` says which embedding each of their passages has, so the
index is loaded with one join.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "embeddings",
        sa.Column("model", sa.Text, primary_key=True),
        sa.Column("digest", sa.Text, primary_key=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "vector_state",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "passage_vectors",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("digest", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("passage_vectors")
    op.drop_table("vector_state")
    op.drop_table("embeddings")
