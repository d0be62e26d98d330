"""Who a typed name means, and what they said: the one rule answers, alerts and timelines share.

A name a user types ("Trump", "ट्रंप", "KPK", "Organisasi Kesehatan Dunia") resolves, within
what a server sees, to an entity: the fullest name the corpus's statements give it ("Donald
Trump"), with the other names the articles define for it (aliases: "World Health Organization
(WHO)"), plus those the server's admins added, minus those they struck out. A statement is the
entity's when ``index.statements.NameMatcher`` says so: whole names across scripts, never a
namesake, a spokesperson or an administration. ``/ask`` ("what did X say?"), quote alerts,
``/quotes`` and ``/follow``'s answer all go through ``Speakers``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from index.analysis.analyzers import analyzer_for
from index.analysis.glossary import translations
from index.analysis.tokenizers import words
from index.models import Said, Scope, Timeline
from index.search.query import parse_question
from index.statements import (
    NameMatcher,
    Statement,
    alias_map,
    entity_names,
    name_shapes,
    resolve,
    strip_titles,
)
from index.store import Store
from index.store.statements import StatementStore
from index.text import quote_key

__all__ = ["TIMELINE_LIMIT", "About", "Entity", "SpeakerSummary", "Speakers"]

_ALIASES_FOR_S = 60.0  # a server's alias map is rebuilt at most this often (or on a change)
_TIMELINE_ROWS = 5000  # statements read for one timeline, newest first
TIMELINE_LIMIT = 100  # quotes a timeline shows at most


@dataclass(frozen=True, slots=True)
class Entity:
    """A typed name, resolved: who it means in the corpus a server sees."""

    typed: str  # what the user typed
    name: str  # the fullest name the statements give ("Donald Trump"), or the typed one
    names: tuple[str, ...]  # every name it goes by there (aliases, other scripts' spellings)
    matcher: NameMatcher = field(repr=False, compare=False)

    def said(self, statement: Statement) -> bool:
        """Whether ``statement`` is this entity's."""
        return self.matcher.statement(statement)


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    """What the corpus holds of an entity: for ``/follow``'s answer."""

    entity: Entity
    statements: int
    articles: int
    languages: tuple[str, ...]


class Speakers:
    """Entities and their statements, over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rows = StatementStore(store)
        self._aliases: dict[tuple[tuple[str, ...], int | None], tuple[float, dict]] = {}

    def forget(self) -> None:
        """Statements or aliases changed: rebuild alias maps when next asked."""
        self._aliases.clear()

    async def aliases(self, scope: Scope, guild_id: int | None = None) -> dict[str, set[str]]:
        """Every name the articles this scope sees (and the server's admins) give another."""
        key = (scope.collections, guild_id)
        cached = self._aliases.get(key)
        if cached is not None and time.monotonic() - cached[0] < _ALIASES_FOR_S:
            return cached[1]
        found = alias_map(await self.rows.aliases(scope.collections, guild_id))
        self._aliases[key] = (time.monotonic(), found)
        return found

    async def resolve(self, typed: str, scope: Scope, guild_id: int | None = None) -> Entity:
        """The entity ``typed`` most likely means among the statements ``scope`` sees."""
        aliases = await self.aliases(scope, guild_id)
        names = entity_names(strip_titles(typed), aliases)
        counts = await self.rows.speakers(_shapes(names), scope.collections)
        name = resolve(typed, counts, aliases)
        if not counts.get(name):  # only another name of theirs: the one their statements use
            others = [resolve(other, counts, aliases) for other in names[1:]]
            if any(counts.get(n) for n in others):
                name = max(others, key=lambda n: counts.get(n, 0))
        matcher = NameMatcher(name, aliases)
        return Entity(typed, name, tuple(dict.fromkeys([name, *matcher.names, *names])), matcher)

    async def statements(
        self, entity: Entity, scope: Scope, *, since: str | None = None,
        limit: int = _TIMELINE_ROWS,
    ) -> list[tuple[str, Statement]]:
        """``(article id, statement)`` of the entity's statements in the scope, newest articles
        first."""
        rows = await self.rows.by_shapes(_shapes(entity.names), scope.collections, since=since,
                                         limit=limit)
        return [(article_id, s) for article_id, s in rows if entity.said(s)]

    async def summary(self, entity: Entity, scope: Scope) -> SpeakerSummary:
        found = await self.statements(entity, scope)
        return SpeakerSummary(entity, len(found), len({a for a, _s in found}),
                       tuple(sorted({s.lang for _a, s in found if s.lang})))

    async def timeline(
        self, entity: Entity, scope: Scope, *, about: str | None = None,
        since: str | None = None, limit: int = TIMELINE_LIMIT,
    ) -> Timeline:
        """What the entity said in the scope, newest articles first: one entry per quote (the
        same words in several outlets are one entry, listing the others), at most ``limit``;
        with ``about``, only statements in passages holding one of those words."""
        found = await self.statements(entity, scope, since=since)
        keys = list(dict.fromkeys((a, s.position) for a, s in found if s.position >= 0))
        passages, heads = await self.store.quotable(keys)
        heads |= await self.store.citations(
            {a for a, s in found if s.position < 0 and a not in heads})
        entries: dict[str, Said] = {}
        holds_about = About(about) if about else None
        for article_id, statement in found:
            article = heads.get(article_id)
            passage = passages.get((article_id, statement.position))
            text = passage.text if passage else (article.title if article and
                                                  statement.position < 0 else None)
            if article is None or not text:
                continue
            start, end = statement.sentence
            if holds_about and not holds_about(text, statement.lang or article.lang):
                continue
            key = quote_key(text[start:end])
            known = entries.get(key)
            if known is not None:
                if known.article.id != article_id and all(a.id != article_id
                                                          for a in known.also_in):
                    entries[key] = replace(known, also_in=(*known.also_in, article))
                continue
            if len(entries) >= limit:
                continue
            inside = statement.mention[0] >= start and statement.mention[1] <= end
            mention = (statement.mention[0] - start, statement.mention[1] - start) if (
                inside and statement.mention[1] > statement.mention[0]) else (0, 0)
            entries[key] = Said(statement.speaker, text[start:end], mention, article,
                                statement.position, statement.lang or article.lang)
        return Timeline(entity.typed, entity.name, tuple(entries.values()), about, since)

    async def of_articles(self, article_ids: Sequence[str]) -> dict[str, list[Statement]]:
        return await self.rows.of_articles(article_ids)

    async def set_alias(
        self, guild_id: int, name: str, alias: str, *, removed: bool, by: int | None = None
    ) -> None:
        await self.rows.set_alias(guild_id, name, alias, removed=removed, by=by)
        self.forget()


def _shapes(names: Iterable[str]) -> set[str]:
    return {shape for name in names for shape in name_shapes(strip_titles(name))}


class About:
    """The ``about`` words of a timeline or a follow, analysed once per article language:
    ``about(text, lang)`` says whether ``text`` (in ``lang``) holds one of them, by its term, a
    glossary counterpart in the text's language, or its phonetic key."""

    def __init__(self, about: str) -> None:
        self.about = about
        self._lists = parse_question(about).lists
        self._words = words(about)
        self._wanted: dict[str, list[tuple[str, str | None, frozenset[str]]]] = {}

    def _for(self, lang: str) -> list[tuple[str, str | None, frozenset[str]]]:
        """Each about word as ``lang``'s analyser sees it: term, key, glossary counterparts."""
        wanted = self._wanted.get(lang)
        if wanted is None:
            analyser = analyzer_for(lang)
            wanted = []
            for word in self._words:
                result = analyser.word(word)
                if result is not None:
                    term, key = result
                    wanted.append((term, key, frozenset(translations(word, self._lists, lang))))
            self._wanted[lang] = wanted
        return wanted

    def __call__(self, text: str, lang: str) -> bool:
        wanted = self._for(lang)
        if not wanted:
            return False
        analysed = analyzer_for(lang).words_with_terms(text)
        terms = {t for _w, t, _k in analysed}
        keys = {k for _w, _t, k in analysed if k}
        return any(term in terms or (key and key in keys) or not terms.isdisjoint(glosses)
                   for term, key, glosses in wanted)
