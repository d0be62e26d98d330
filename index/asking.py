"""Asking: a question in, an answer out; and what someone said, newest first.

The steps of ``Asker.ask``, each where it belongs: parse and plan (the CPU pool), the BM25
searches and the semantic stage's nearest passages (worker threads, at once), X's statements
for "what did X say?" (the statement index), the candidates' passages and articles (the store,
only those), the corpus figures ranking reads (the engine), then ranking itself, a pure
function (``index.search.answer.assemble``) in the CPU pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from index.analysis.tokenizers import words
from index.corpus.indexing import SearchIndex
from index.corpus.speakers import Speakers
from index.errors import BadQuestion
from index.ingest.readers import iso_date
from index.lang.identify import normalize_lang
from index.models import Answer, Scope, Timeline
from index.search.answer import Plan, Ranking, assemble, plan_searches
from index.search.engines import Hit
from index.search.query import Question, parse_question
from index.search.statistics import Statistics, fetch_statistics
from index.semantic.stage import SemanticStage
from index.statements import Statement
from index.store import Store
from index.workers import run_cpu

__all__ = ["Asker"]

_LOAD_WAIT_S = 5.0  # how long a question waits for the vector index to load after start
_SAID_ROWS = 1000  # "what did X say?": statements of the scope's newest articles read


class Asker:
    """Questions and timelines over one library's indexes."""

    def __init__(
        self, store: Store, search: SearchIndex, semantic: SemanticStage | None,
        speakers: Speakers, ranking: Ranking,
    ) -> None:
        self.store = store
        self.search = search
        self.semantic = semantic
        self.speakers = speakers
        self.ranking = ranking


    async def ask(
        self,
        question: str,
        *,
        k: int = 5,
        source: str | None = None,
        lang: str | None = None,
        scope: Scope,
        depth: int | None = None,
        ranking: Ranking | None = None,
    ) -> Answer:
        """Answer ``question`` with up to ``k`` verbatim quotes, best first.

        Raises ``BadQuestion`` for an empty or over-long question. ``scope`` says which
        collections are searched; ``lang`` limits the articles searched to one language,
        ``source`` to one outlet.
        """
        if k < 1:
            raise BadQuestion(f"ask for at least one quote (k={k})")
        ranking = ranking or self.ranking
        await self._check_filters(source, lang, scope)
        langs = [normalize_lang(lang) or lang] if lang else list(self.search.langs)
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
        found = [(h.article_id, h.position) for hs in hits.values() for h in hs]
        near = [(h.article_id, h.position) for h in dense]
        said, speaker = await self._said(parsed, scope, {a for a, _p in found + near})
        passages, articles = await self.store.quotable(list(dict.fromkeys(found + near + [*said])))
        if lang or source:  # the semantic stage and the statements span every language, outlet
            passages = {key: p for key, p in passages.items()
                        if (not lang or p.lang in langs)
                        and (not source or source.lower() in articles[p.article_id].outlets)}
        stats, extra_bm25, cosines = await asyncio.to_thread(
            self._figures, parsed, plans, set(found), near, [*said], passages, semantic
        )
        return await run_cpu(
            assemble, parsed, plans, hits, dense, passages, articles, stats, extra_bm25,
            cosines, ranking, k, scope.home, said, speaker,
        )

    async def _said(
        self, question: Question, scope: Scope, candidates: set[str]
    ) -> tuple[dict[tuple[str, int], list[Statement]], str | None]:
        """For "what did X say?": X's statements, by passage, among the candidates' articles
        and the newest of the scope's; and who X resolved to."""
        if not question.speaker_text:
            return {}, None
        entity = await self.speakers.resolve(question.speaker_text, scope, scope.guild_id)
        said: dict[tuple[str, int], list[Statement]] = {}
        in_candidates = await self.speakers.of_articles(sorted(candidates))
        own = await self.speakers.statements(entity, scope, limit=_SAID_ROWS)
        for article_id, statement in [(a, s) for a, ss in in_candidates.items() for s in ss
                                      if entity.said(s)] + own:
            if statement.position >= 0:
                found = said.setdefault((article_id, statement.position), [])
                if statement not in found:
                    found.append(statement)
        return said, entity.name

    async def quotes(
        self, who: str, *, scope: Scope, about: str | None = None, since: str | None = None,
    ) -> Timeline:
        """What ``who`` said (a speaker timeline), newest first, in what ``scope`` sees:
        ``about`` words narrow it, ``since`` ("2025-10-01", "30d") starts it."""
        if not words(who):
            raise BadQuestion("name someone, e.g. who:Microsoft")
        entity = await self.speakers.resolve(who, scope, scope.guild_id)
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
        self, question: Question, plans: Sequence[Plan], found: set[tuple[str, int]],
        near: Sequence[tuple[str, int]], said: Sequence[tuple[str, int]],
        passages: Mapping[tuple[str, int], Any], semantic: SemanticStage | None,
    ) -> tuple[Statistics, dict[tuple[str, int], float], dict[tuple[str, int], float]]:
        """What ranking needs besides the candidates, from the engine and the vector index (a
        worker thread): corpus statistics, the BM25 scores of the candidates the BM25 search
        did not return (found by meaning, ``near``, or by the statement index, ``said``), and
        the cosines of the candidates the semantic stage did not return (only when it returned
        some: without them ranking uses no cosine at all)."""
        engine = self.search.engine
        stats = fetch_statistics(engine, plans, [question.lang])
        by_lang = {plan.lang: plan for plan in plans}
        missing: dict[str, list[tuple[str, int]]] = {}
        for key in dict.fromkeys([*near, *said]):
            passage = passages.get(key)
            if key not in found and passage is not None and passage.lang in by_lang:
                missing.setdefault(passage.lang, []).append(key)
        extra: dict[tuple[str, int], float] = {}
        for lang, keys in missing.items():
            extra.update(engine.scores(by_lang[lang].query, keys))
        cosines: dict[tuple[str, int], float] = {}
        if semantic is not None and near:
            nearest = set(near)
            cosines = semantic.cosines_for(question.text)(
                [key for key in dict.fromkeys([*found, *said])
                 if key in passages and key not in nearest]
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
        scope: Scope,
    ) -> None:
        """Raise ``BadQuestion`` now if ``ask`` would refuse this question or these filters."""
        await run_cpu(parse_question, question)
        await self._check_filters(source, lang, scope)

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


async def _nothing() -> list[Hit]:
    return []
