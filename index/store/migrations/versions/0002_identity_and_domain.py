"""Articles get an identity key and a registered domain.

``key`` is what makes two ingests the same article: ``url:<address>`` for an address given by
whoever ingested it, ``sha:<content hash>`` otherwise. ``url`` becomes a plain link (an HTML
page's claimed address may equal another article's), so its index is no longer unique.
Every article gets a key here and the store always writes one (the column stays nullable so
SQLite can add it without rebuilding the table). ``domain`` (``detik.com`` for
``news.detik.com``) groups an outlet's sites in ``sources``, and stored dates are rewritten in
ISO 8601 form.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("key", sa.Text))
        batch.add_column(sa.Column("domain", sa.Text))
        batch.drop_index("articles_url")
    op.execute(
        "UPDATE articles SET key = CASE WHEN url IS NOT NULL THEN 'url:' || url"
        " ELSE 'sha:' || content_hash END"
    )
    _fill_domains()
    op.create_index("articles_key", "articles", ["key"], unique=True)
    op.create_index("articles_url", "articles", ["url"])
    op.create_index("articles_domain", "articles", ["domain", "lang"])


def _fill_domains() -> None:
    """Domains of the stored articles, and their dates in the ISO form new ingests use."""
    from index.ingest.readers import iso_date
    from index.ingest.urls import registered_domain

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, url, published FROM articles")).all()
    for article_id, url, published in rows:
        bind.execute(
            sa.text("UPDATE articles SET domain = :d, published = :p WHERE id = :i"),
            {"d": registered_domain(url), "p": iso_date(published), "i": article_id},
        )


def downgrade() -> None:
    op.drop_index("articles_domain", "articles")
    op.drop_index("articles_url", "articles")
    op.drop_index("articles_key", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("domain")
        batch.drop_column("key")
    op.create_index(
        "articles_url", "articles", ["url"], unique=True,
        sqlite_where=sa.text("url IS NOT NULL"), postgresql_where=sa.text("url IS NOT NULL"),
    )
