"""Alembic's entry point for storybot's store: run on a connection ``Store.open`` hands over.

storybot never runs the ``alembic`` command line against a URL; ``index.store.migrate`` calls
Alembic's API with an open connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from index.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it; Alembic's batch mode does that
)
with context.begin_transaction():
    context.run_migrations()
