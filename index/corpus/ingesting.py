"""Ingesting: files, uploads, fetched pages and ready drafts into the store, then the indexes.

Every item lands or is reported under its name with the reason, whatever the others do: one
transaction per article, so a failure (or a crash) never leaves an article half-stored. After
each ingest the derived indexes kept in step at once (the search index, the statements) catch
up, and the ``articles_added`` signal tells whoever listens (the alert scan, the embedding job)
that there is something new.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from index.errors import BadInput, FetchRefused
from index.ingest.fetch import fetch_url
from index.ingest.prepare import prepare_article, prepare_passage
from index.ingest.readers import DEFAULT_MAX_BYTES, iter_files, read_bytes, read_path
from index.models import SHARED, ArticleDraft, IngestFailure, IngestReport, PreparedArticle
from index.progress import ProgressFactory, no_progress
from index.signals import ArticlesAdded, Signal
from index.store import Store
from index.workers import run_cpu

__all__ = ["Ingestor"]

log = logging.getLogger(__name__)

_Item = ArticleDraft | IngestFailure
_READ_AT_ONCE = 256  # articles read off the event loop at a time


class Synced(Protocol):
    """A derived index brought up to date right after every write (``SearchIndex``,
    ``StatementIndex``)."""

    async def sync(self, progress: ProgressFactory = no_progress) -> int: ...


class Ingestor:
    """Adds articles to a library's store and keeps the derived indexes in step."""

    def __init__(
        self, store: Store, indexes: Sequence[Synced], added: Signal[ArticlesAdded],
        write_lock: asyncio.Lock,
    ) -> None:
        self.store = store
        self.indexes = indexes
        self.added = added
        self.write_lock = write_lock
        self.max_bytes = DEFAULT_MAX_BYTES  # largest file, line or page accepted
        # host:port of test servers the fetcher may reach (tests and the offline harness only)
        self.allow_hosts: frozenset[str] = frozenset()

    async def paths(
        self, paths: Sequence[Path | str], *, collection: str = SHARED,
        progress: ProgressFactory = no_progress,
    ) -> IngestReport:
        """Ingest files and folders; every item lands or is reported, whatever the others do."""
        report = IngestReport()
        files = list(iter_files([Path(p) for p in paths]))
        total = sum(_size(f) for f in files if isinstance(f, Path))
        bar = progress("reading", total, "B")
        try:
            found = False
            for item in files:
                if isinstance(item, IngestFailure):
                    await self._fail(report, item)
                    continue
                found = True
                async for draft in self._read(item, bar.update):
                    await self._one(draft, report, collection)
                    bar.note(report.summary())
            if not found and not report.failed:
                for path in paths:
                    await self._fail(report, IngestFailure(
                        str(path), "no .txt, .md, .html, .htm or .jsonl files (or .gz of them)"
                    ))
        finally:
            bar.close()
            await self._done(report, progress)
        return report

    async def _read(
        self, path: Path, on_read: Callable[[int], None]
    ) -> AsyncIterator[ArticleDraft | IngestFailure]:
        """Read a file off the event loop, a few hundred articles at a time."""
        reader = read_path(path, max_bytes=self.max_bytes, on_read=on_read)
        while True:
            chunk = await asyncio.to_thread(_take, reader, _READ_AT_ONCE)
            if not chunk:
                return
            for item in chunk:
                yield item

    async def upload(
        self, filename: str, data: bytes, *, collection: str = SHARED
    ) -> IngestReport:
        """Ingest an uploaded file's bytes (``.txt``, ``.md``, ``.html``, ``.jsonl``)."""
        report = IngestReport()
        items = await asyncio.to_thread(
            lambda: list(read_bytes(filename, data, max_bytes=self.max_bytes))
        )
        try:
            for item in items:
                await self._one(item, report, collection)
        finally:
            await self._done(report)
        return report

    async def url(
        self, url: str, *, collection: str = SHARED, meta: dict[str, str | None] | None = None
    ) -> IngestReport:
        """Fetch a page (public http(s) addresses only, size and time capped) and ingest it.

        ``meta`` gives what a feed says of the page (its link, date, title), which wins over
        what the page says of itself.
        """
        report = IngestReport()
        try:
            fetched = await fetch_url(url, max_bytes=self.max_bytes, allow_hosts=self.allow_hosts)
        except FetchRefused as exc:
            await self._fail(report, IngestFailure(url, exc.reason))
            return report
        report.bytes_read = len(fetched.data)
        is_html = "html" in (fetched.content_type or "") or not fetched.content_type
        name = "page.html" if is_html else "page.txt"
        given = {k: v for k, v in (meta or {}).items() if v}
        items = await run_cpu(
            lambda: list(read_bytes(name, fetched.data, origin=url, max_bytes=self.max_bytes,
                                    page_url=fetched.final_url, meta=given))
        )
        try:
            for item in items:
                await self._one(item, report, collection)
        finally:
            await self._done(report)
        return report

    async def drafts(
        self, drafts: Iterable[ArticleDraft], *, collection: str = SHARED,
        whole_passages: bool = False, announce: bool = True,
    ) -> tuple[IngestReport, dict[str, str]]:
        """Ingest ready drafts; with ``whole_passages`` each text is one passage, uncleaned.

        Returns the report and, per draft origin, the id of the article it became.
        """
        report = IngestReport()
        ids: dict[str, str] = {}
        try:
            for draft in drafts:
                article_id = await self._one(draft, report, collection, whole=whole_passages)
                if article_id is not None:
                    ids[draft.origin] = article_id
        finally:
            await self._done(report, announce=announce)
        return report, ids

    async def _one(
        self, item: _Item, report: IngestReport, collection: str, *, whole: bool = False
    ) -> str | None:
        """Store one article in its own transaction; any failure is reported under its name and
        the batch goes on (a storage error rolls back only this article)."""
        if isinstance(item, IngestFailure):
            await self._fail(report, item)
            return None
        prepare = prepare_passage if whole else prepare_article
        try:
            stored: PreparedArticle = replace(await run_cpu(prepare, item), collection=collection)
            async with self.write_lock:
                action, article_id, note = await self.store.upsert(stored, item.origin)
        except BadInput as exc:
            await self._fail(report, IngestFailure(exc.origin, exc.reason))
            return None
        except Exception as exc:
            log.exception("storing %s failed", item.origin)
            await self._fail(report, IngestFailure(
                item.origin, f"could not be stored ({type(exc).__name__}: {exc}); nothing of it"
                " was kept, try again",
            ))
            return None
        getattr(report, action).append(article_id)
        report.notes.extend(item.warnings)
        if note:
            report.notes.append(note)
        return article_id

    async def _fail(self, report: IngestReport, failure: IngestFailure) -> None:
        """Report a failure (the caller shows the report; the log keeps it too, quietly)."""
        report.failed.append(failure)
        log.info("not ingested: %s: %s", failure.origin, failure.reason)
        try:
            await self.store.log_failure(failure.origin, failure.reason)
        except Exception:
            log.exception("could not log the failure of %s", failure.origin)

    async def _done(
        self, report: IngestReport, progress: ProgressFactory = no_progress, *,
        announce: bool = True,
    ) -> None:
        """Bring the indexes up to date, then tell whoever listens what is new."""
        for index in self.indexes:
            await index.sync(progress)
        changed = report.added + report.updated
        if changed and announce:
            heads = await self.store.citations(changed)
            await self.added.emit(ArticlesAdded(
                tuple(changed), frozenset(a.collection for a in heads.values())
            ))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _take(iterator: Iterable[_Item], n: int) -> list[_Item]:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) >= n:
            break
    return out
