"""Statements: who said what in each article, with the names articles define for each other.

``statements`` holds each article's statements (``index.statements``: the speaker as the
article names them, the cue, the spans of the sentence, the mention and the content, in the
passage at ``position``); ``aliases`` the other names an article defines ("World Health
Organization (WHO)"); both are derived from the articles' passages like the search index, with
``statement_state`` as their ledger, so a crash, a re-ingest or a new extractor is caught up by
the same catch-up as the indexes. ``guild_aliases`` are the names a server's admins add (or
strike out) themselves. An alert now says who spoke as the article names them (``speaker``,
``mention``), how many more statements of theirs the article has (``others``) and which of the
channel's follows it answers (``matched``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
        sa.Column("mention_start", sa.Integer, nullable=False),
        sa.Column("mention_end", sa.Integer, nullable=False),
        sa.Column("content_start", sa.Integer, nullable=False),
        sa.Column("content_end", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("speaker_shape", sa.Text, nullable=False),
        sa.Column("on_behalf", sa.Text),
        sa.Column("cue", sa.Text, nullable=False),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("quoted", sa.Boolean, nullable=False),
        sa.Column("named", sa.Boolean, nullable=False),
    )
    op.create_table(
        "aliases",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("alias", sa.Text, primary_key=True),
    )
    op.create_table(
        "statement_state",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "guild_aliases",
        sa.Column("guild_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("added_by", sa.Text),
        sa.Column("at", sa.Text, nullable=False),
    )


    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("speaker", sa.Text))
        batch.add_column(sa.Column("mention", sa.Text))
        batch.add_column(sa.Column("others", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("matched", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        for column in ("matched", "others", "mention", "speaker"):
            batch.drop_column(column)
    for table in ("guild_aliases", "statement_state", "aliases", "statements"):
        op.drop_table(table)
