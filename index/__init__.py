"""storybot's library: news articles in, quoted and source-linked answers out. No Discord here.

The pipeline runs one way, one package a step:

* ``ingest``: files, uploads, pages and feeds → cleaned articles → passages of whole sentences;
* ``analysis``: words, stems, phonetic keys, the glossary; ``lang``: facts about languages;
* ``store``: the source of truth (SQLite, or PostgreSQL for several processes);
* ``search.engines`` (BM25: tantivy, OpenSearch, rank-bm25) and ``semantic`` (passage vectors),
  both derived from the store; ``search``: questions → plans → scored, quoted answers;
* ``corpus``: keeping the derived indexes in step, ingesting, servers' collections, reading;
* ``live``: feeds and quote alerts; ``jobs``: the background work that runs them;
* ``library``: the front door that puts it all together.

What a front end needs is importable from here::

    from index import Library, Scope

    library = await Library.open("data")
    answer = await library.ask("what did Microsoft say?")

Names load on first use, so importing one part never loads the rest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.corpus.speakers import Entity, SpeakerSummary
    from index.errors import (
        BadInput,
        BadQuestion,
        ClusterError,
        FetchRefused,
        NotFound,
        StoreError,
        StorybotError,
    )
    from index.ingest.urls import is_web_url
    from index.lang import language, served
    from index.library import DB_NAME, Library, Schedule
    from index.live.alerts import MAX_FOLLOW_CHARS
    from index.live.feeds import (
        DEFAULT_INTERVAL_MINUTES,
        MIN_INTERVAL_MINUTES,
        PollResult,
        failing_for_a_day,
    )
    from index.models import (
        SAMPLE,
        SHARED,
        SHARED_SCOPE,
        AlertPost,
        Answer,
        Article,
        Feed,
        Follow,
        IngestFailure,
        IngestReport,
        Passage,
        Quote,
        Said,
        Scope,
        SourceSummary,
        Timeline,
        guild_collection,
    )
    from index.progress import Progress, ProgressFactory, no_progress, terminal_progress
    from index.search.answer import Ranking
    from index.search.engines import ENGINES
    from index.search.engines.opensearch_address import ClusterAddress
    from index.search.links import text_fragment_link
    from index.signals import AlertsQueued, ArticlesAdded
    from index.text import strip_controls
    from index.workers import run_cpu

_WHERE = {
    "index.corpus.speakers": ("Entity", "SpeakerSummary"),
    "index.errors": ("BadInput", "BadQuestion", "ClusterError", "FetchRefused", "NotFound",
                     "StoreError", "StorybotError"),
    "index.ingest.urls": ("is_web_url",),
    "index.lang": ("language", "served"),
    "index.library": ("DB_NAME", "Library", "Schedule"),
    "index.live.alerts": ("MAX_FOLLOW_CHARS",),
    "index.live.feeds": ("DEFAULT_INTERVAL_MINUTES", "MIN_INTERVAL_MINUTES", "PollResult",
                         "failing_for_a_day"),
    "index.models": ("SAMPLE", "SHARED", "SHARED_SCOPE", "AlertPost", "Answer", "Article", "Feed",
                     "Follow", "IngestFailure", "IngestReport", "Passage", "Quote", "Scope",
                     "Said", "SourceSummary", "Timeline", "guild_collection"),
    "index.progress": ("Progress", "ProgressFactory", "no_progress", "terminal_progress"),
    "index.search.answer": ("Ranking",),
    "index.search.engines": ("ENGINES",),
    "index.search.engines.opensearch_address": ("ClusterAddress",),
    "index.search.links": ("text_fragment_link",),
    "index.signals": ("AlertsQueued", "ArticlesAdded"),
    "index.text": ("strip_controls",),
    "index.workers": ("run_cpu",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "DB_NAME",
    "DEFAULT_INTERVAL_MINUTES",
    "ENGINES",
    "MAX_FOLLOW_CHARS",
    "MIN_INTERVAL_MINUTES",
    "SAMPLE",
    "SHARED",
    "SHARED_SCOPE",
    "AlertPost",
    "AlertsQueued",
    "Answer",
    "Article",
    "ArticlesAdded",
    "BadInput",
    "BadQuestion",
    "ClusterAddress",
    "ClusterError",
    "Entity",
    "Feed",
    "FetchRefused",
    "Follow",
    "IngestFailure",
    "IngestReport",
    "Library",
    "NotFound",
    "Passage",
    "PollResult",
    "Progress",
    "ProgressFactory",
    "Quote",
    "Ranking",
    "Said",
    "Schedule",
    "Scope",
    "SourceSummary",
    "SpeakerSummary",
    "StoreError",
    "StorybotError",
    "Timeline",
    "failing_for_a_day",
    "guild_collection",
    "is_web_url",
    "language",
    "no_progress",
    "run_cpu",
    "served",
    "strip_controls",
    "terminal_progress",
    "text_fragment_link",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
