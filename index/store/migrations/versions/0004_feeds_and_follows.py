"""Feeds a server polls, the items already seen, quote alerts it follows, and what was posted.

* ``feeds``: one feed per server and URL, with its polling state (conditional-GET validators,
  next poll, consecutive failures since when) so a restart resumes where it stopped;
* ``feed_items``: the entries of each feed already taken (by guid or link), never taken twice;
* ``follows``: "tell #channel when <who> is quoted [about <words>]";
* ``alerts``: each quote found for a follow, keyed by the quote's normalised text so a quote
  syndicated by several outlets is one alert ("also in: …"), with its state (pending, posted,
  summarised) and the Discord message it went out as;
* ``alert_cursor``: per server, the last ingest-log entry already looked at for its alerts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guild_id", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("interval_minutes", sa.Integer, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_poll_at", sa.Text, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failing_since", sa.Text),
        sa.Column("last_error", sa.Text),
        sa.Column("last_ok_at", sa.Text),
        sa.Column("lease_until", sa.Text),
        sa.Column("leased_by", sa.Text),
        sa.Column("added_by", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.UniqueConstraint("guild_id", "url", name="feeds_guild_url"),
    )
    op.create_index("feeds_due", "feeds", ["next_poll_at"])
    op.create_table(
        "feed_items",
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Text),
        sa.Column("seen_at", sa.Text, nullable=False),
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guild_id", sa.Text, nullable=False),
        sa.Column("channel_id", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("about", sa.Text),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.UniqueConstraint("guild_id", "channel_id", "who", "about", name="follows_unique"),
    )
    op.create_table(
        "alerts",
        sa.Column("follow_id", sa.Integer, sa.ForeignKey("follows.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("quote_key", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("passage_position", sa.Integer, nullable=False),
        sa.Column("sentences", sa.Text, nullable=False),  # JSON list of [start, end] in passage
        sa.Column("also_in", sa.Text, nullable=False, server_default="[]"),  # JSON article ids
        sa.Column("state", sa.Text, nullable=False),  # pending | posted | summarised
        sa.Column("found_at", sa.Text, nullable=False),
        sa.Column("posted_at", sa.Text),
        sa.Column("message_id", sa.Text),
        sa.Column("needs_edit", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("alerts_state", "alerts", ["state", "follow_id"])
    with op.batch_alter_table("guilds") as batch:
        # A role whose members may also manage follows (besides Manage Server).
        batch.add_column(sa.Column("follow_role", sa.Text))
    op.create_table(
        "alert_cursor",
        sa.Column("guild_id", sa.Text, primary_key=True),
        sa.Column("last_log_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("alert_cursor", "alerts", "follows", "feed_items", "feeds"):
        op.drop_table(table)
    with op.batch_alter_table("guilds") as batch:
        batch.drop_column("follow_role")
