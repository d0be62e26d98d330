"""The store: the source of truth every derived index is rebuilt from.

``schema`` defines the tables, ``migrations/`` their history (Alembic), ``migrate`` applies it
on open, and ``store`` holds :class:`Store`, the async API the library uses.
"""

from __future__ import annotations

from index.store.store import Store, content_hash, database_url

__all__ = ["Store", "content_hash", "database_url"]
