"""Collections: every article belongs to the shared collection or to one Discord server's.

Existing articles become shared. Identity keys are unique within a collection (the same URL in
two servers is two articles). ``guilds`` holds each server's settings (does it also search the
shared collection?) and, once the bot has left it, when, so its collection can be purged after
a grace period.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(
            sa.Column("collection", sa.Text, nullable=False, server_default="shared")
        )
    op.drop_index("articles_key", "articles")
    op.create_index("articles_key", "articles", ["collection", "key"], unique=True)
    op.create_index("articles_collection", "articles", ["collection", "domain", "lang"])
    op.create_table(
        "guilds",
        sa.Column("guild_id", sa.Text, primary_key=True),
        sa.Column("search_shared", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("left_at", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("guilds")
    op.drop_index("articles_collection", "articles")
    op.drop_index("articles_key", "articles")
    op.create_index("articles_key", "articles", ["key"], unique=True)
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("collection")
