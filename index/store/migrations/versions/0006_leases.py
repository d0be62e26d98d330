"""Leases: work that one bot process must do at a time (embedding, purges), claimed in the store.

A process claims a lease by name until a time; another may take it over once that time has
passed (the holder died or hung). Feed polls and alert posts are claimed on their own rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("until", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
