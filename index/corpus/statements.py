"""Who said what, kept in step with the store: each article's statements and the aliases it
defines, extracted when it is stored (``index.statements``) and kept like the search index.

Statements are derived from an article's title and passages, so they follow the same catch-up
(``index.corpus.catchup``) with a ledger of their own (``statement_state``): an ingest, an
update, a removal, a crash or a new extractor (its version, or its data files, changed) is
caught up by ``sync``, which the ingestor runs after every ingest, before the alert scan reads
them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from index.corpus.catchup import Batch, CatchUp
from index.progress import ProgressFactory, no_progress
from index.statements import EXTRACTOR_VERSION, Statement, extract_statements, learn_aliases
from index.store import Store
from index.store.schema import statement_state
from index.store.statements import StatementStore
from index.workers import run_cpu

__all__ = ["StatementIndex", "extractor_version"]

_VERSION_KEY = "statements_version"  # meta key: the extractor the ledger's statements came from

Found = tuple[str, list[Statement], list[tuple[str, str]]]


@cache
def extractor_version() -> str:
    """The extractor's version and a digest of its data files: statements extracted by another
    are extracted again."""
    digest = hashlib.sha256()
    folder = files("index").joinpath("data", "statements")
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return f"{EXTRACTOR_VERSION}:{digest.hexdigest()[:12]}"


class StatementIndex:
    """The statements and aliases of every article, as a derived index of the store."""

    ledger = statement_state
    label = "statements"
    batch_size = 200
    flush_every_s = 0.0  # each batch is written by ``replace``, in one transaction

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rows = StatementStore(store)

    async def sync(self, progress: ProgressFactory = no_progress) -> int:
        """Extract what the store changed (everything, after a new extractor); returns how
        many articles."""
        async with self.store.exclusive("statements sync"):
            if await self.store.get_meta(_VERSION_KEY) != extractor_version():
                await self.store.reset_ledger(self.ledger, _VERSION_KEY, extractor_version())
            return await CatchUp(self.store, self).run(progress)

    async def reset(self) -> None:
        """Extract everything again at the next ``sync`` (``storybot reindex``)."""
        await self.store.reset_ledger(self.ledger, _VERSION_KEY, extractor_version())

    async def remove(self, article_ids: Sequence[str]) -> None:
        """Nothing to do: an article's statements and aliases go with it (a foreign key)."""

    async def replace(self, batch: Batch) -> None:
        await self.rows.replace(await run_cpu(_extract, batch))

    async def flush(self) -> None:
        return None


def _extract(batch: Batch) -> list[Found]:
    """Each article's statements and the (name, alias) pairs it defines (the CPU pool)."""
    by_article: dict[str, list[tuple[int, str, str]]] = {}
    for passage in batch.passages:
        by_article.setdefault(passage.article_id, []).append(
            (passage.position, passage.text, passage.lang)
        )
    found: list[Found] = []
    for article_id, _version in batch.versions:
        passages = sorted(by_article.get(article_id, []))
        head = batch.articles.get(article_id)
        title = head.title if head is not None else None
        defined = [pair for _p, text, lang in passages for pair in learn_aliases(text, lang)]
        found.append((article_id, extract_statements(title, passages), defined))
    return found
