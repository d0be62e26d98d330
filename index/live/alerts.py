"""Quote alerts: "tell #channel when Microsoft is quoted", in any language the articles are in.

``scan`` looks at the articles a server can see that were ingested since its cursor (feeds,
uploads, the operator's shared ingests) and, for each follow, finds the sentences where the
speaker says something (``index.search.statements``: the name, matched across scripts by
phonetic keys, as the doer of a reporting verb of the article's language), and, when the
follow has ``about`` words, only in passages that also hold one of them. Each quote is keyed
by its normalised words, so the same quote carried by several outlets is one alert that lists
the others ("also in").

``due`` claims what is to be posted: per follow at most ``per_hour`` quotes an hour, and the
rest of the hour's quotes as one summary. Claiming marks an alert posted *before* it is sent, so
a crash can lose a post but never repeat one, and of several bot processes only one posts it.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import regex

from index.analysis.analyzers import analyzer_for
from index.analysis.glossary import translations
from index.analysis.tokenizers import words
from index.corpus.reading import Reader
from index.errors import BadInput, NotFound
from index.models import AlertPost, Article, Follow, Passage
from index.search.query import parse_question
from index.search.statements import Speaker, statements
from index.signals import AlertsQueued, Signal
from index.store.live import LiveStore
from index.workers import run_cpu

__all__ = ["MAX_FOLLOW_CHARS", "Alerts", "quote_key"]

MAX_FOLLOW_CHARS = 200
_HOUR = timedelta(hours=1)
_NOT_WORD = regex.compile(r"[^\p{L}\p{M}\p{N}]+")


def quote_key(text: str) -> str:
    """The identity of a quote across outlets: its words, case and punctuation aside."""
    canon = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:32]


def _who_words(who: str) -> tuple[str, ...]:
    return tuple(words(who))


def _matches(
    follow: Follow, passage: Passage, speakers: dict[tuple[int, str], Speaker | None]
) -> list[tuple[int, int]]:
    """Spans of the passage's sentences where the followed speaker says something."""
    key = (follow.id, passage.lang)
    if key not in speakers:
        speakers[key] = Speaker.of(_who_words(follow.who), passage.lang)
    speaker = speakers[key]
    if speaker is None:
        return []
    spans = [(a, b) for a, b, doer in statements(passage.text, passage.lang, speaker) if doer]
    if spans and follow.about and not _mentions(passage, follow.about):
        return []
    return spans


def _mentions(passage: Passage, about: str) -> bool:
    """Whether the passage holds one of the ``about`` words (its term, a glossary counterpart
    in the passage's language, or its phonetic key)."""
    analyser = analyzer_for(passage.lang)
    analysed = analyser.words_with_terms(passage.text)
    terms = {t for _w, t, _k in analysed}
    keys = {k for _w, _t, k in analysed if k}
    about_lang = parse_question(about).lists
    for word in words(about):
        result = analyser.word(word)
        if result is None:
            continue
        term, key = result
        if term in terms or (key and key in keys):
            return True
        if not terms.isdisjoint(translations(word, about_lang, passage.lang)):
            return True
    return False


def _find(
    follows: list[Follow], items: list[tuple[Article, list[Passage]]]
) -> list[tuple[int, str, str, int, list[list[int]]]]:
    """Every (follow, quote) in these articles: ``(follow id, quote key, article id, passage
    position, sentence spans)``. Runs in a worker thread."""
    speakers: dict[tuple[int, str], Speaker | None] = {}
    found = []
    for article, passages in items:
        for passage in passages:
            for follow in follows:
                spans = _matches(follow, passage, speakers)
                if spans:
                    quote = " ".join(passage.text[a:b] for a, b in spans)
                    found.append((follow.id, quote_key(quote), article.id, passage.position,
                                  [[a, b] for a, b in spans]))
    return found


class Alerts:
    """Follows and their alerts, over a read-only view of the corpus."""

    def __init__(self, live: LiveStore, reader: Reader, queued: Signal[AlertsQueued]) -> None:
        self.live = live
        self.reader = reader
        self.queued = queued  # emitted when a scan queued alerts: the bot posts them
        # The servers this process posts for (a bot running some shards serves only theirs);
        # None: every server.
        self.served: Callable[[], Collection[int]] | None = None

    async def run(self, now: datetime) -> int:
        """The alert-scan job: queue alerts for new articles; tells ``queued`` when there are
        any (and when earlier ones still wait to be posted)."""
        new = await self.scan(now, self.served() if self.served is not None else None)
        if new or await self.live.pending_alerts() or await self.live.alerts_to_edit():
            await self.queued.emit(AlertsQueued(new, now))
        return new

    async def follow(
        self, guild_id: int, channel_id: int, who: str, about: str | None, now: datetime,
        created_by: int | None = None,
    ) -> Follow:
        who = " ".join(who.split())
        about = " ".join((about or "").split()) or None
        if not _who_words(who):
            raise BadInput("follow", "name someone to follow, e.g. who:Microsoft")
        if len(who) > MAX_FOLLOW_CHARS or len(about or "") > MAX_FOLLOW_CHARS:
            raise BadInput("follow", f"keep who and about under {MAX_FOLLOW_CHARS} characters")
        added = await self.live.add_follow(guild_id, channel_id, who, about, now, created_by)
        if added is None:
            raise BadInput("follow", "that channel already follows exactly this")
        return added

    async def following(self, guild_id: int) -> list[Follow]:
        return await self.live.follows(guild_id)

    async def unfollow(self, guild_id: int, follow_id: int) -> Follow:
        removed = await self.live.remove_follow(guild_id, follow_id)
        if removed is None:
            raise NotFound("follow", str(follow_id))
        return removed

    async def scan(self, now: datetime, guilds: Collection[int] | None = None) -> int:
        """Queue alerts for articles ingested since each server's cursor (of ``guilds`` only:
        the servers this process serves); returns how many."""
        by_guild: dict[int, list[Follow]] = defaultdict(list)
        for follow in await self.live.follows():
            if guilds is None or follow.guild_id in guilds:
                by_guild[follow.guild_id].append(follow)
        new = 0
        for guild_id, follows in by_guild.items():
            new += await self._scan_guild(guild_id, follows, now)
        return new

    async def _scan_guild(self, guild_id: int, follows: list[Follow], now: datetime) -> int:
        scope = await self.reader.scope(guild_id)
        total = 0
        while True:
            cursor = await self.live.cursor(guild_id)
            batch = await self.live.new_articles(cursor, scope.collections)
            if not batch:
                return total
            items = []
            for _log_id, article_id in dict.fromkeys(batch):
                try:
                    article = await self.reader.article(article_id, scope)
                    passages = await self.reader.passages(article_id, scope)
                except NotFound:
                    continue  # deleted since
                items.append((article, passages))
            found = await run_cpu(_find, follows, items)
            total += await self.live.record_alerts(guild_id, found, batch[-1][0], now)

    async def due(
        self, now: datetime, per_hour: int, guilds: Collection[int] | None = None
    ) -> list[AlertPost]:
        """Claim the posts due now (for follows in ``guilds``, when given): per follow, pending
        quotes up to ``per_hour`` an hour, then the rest as one summary."""
        pending: dict[int, list[Any]] = defaultdict(list)
        for row in await self.live.pending_alerts():
            pending[int(row.follow_id)].append(row)
        posts = []
        for follow_id, rows in pending.items():
            follow = await self.live.follow(follow_id)
            if follow is None or (guilds is not None and follow.guild_id not in guilds):
                continue
            room = max(per_hour - await self.live.posted_since(follow_id, now - _HOUR), 0)
            for row in rows[:room]:
                if await self.live.claim_alert(follow_id, row.quote_key, "posted", now):
                    posts.append(await self._post(follow, row))
            rest = [row for row in rows[room:]
                    if await self.live.claim_alert(follow_id, row.quote_key, "summarised", now)]
            if rest:
                posts.append(await self._summary(follow, rest))
        return posts

    async def edits(self, guilds: Collection[int] | None = None) -> list[AlertPost]:
        """Posted alerts whose quote has since appeared in more outlets: their messages are to
        be edited to say so (claimed, so one process edits each)."""
        out = []
        for row in await self.live.alerts_to_edit():
            follow = await self.live.follow(int(row.follow_id))
            if follow is None or (guilds is not None and follow.guild_id not in guilds):
                continue
            if await self.live.claim_edit(follow.id, row.quote_key):
                post = await self._post(follow, row)
                out.append(replace(post, message_id=int(row.message_id)))
        return out

    async def posted(self, post: AlertPost, message_id: int) -> None:
        """Remember which message a post went out as (for later "also in" edits)."""
        if not post.summary:
            await self.live.set_message(post.follow.id, post.quote_key, message_id)

    async def _post(self, follow: Follow, row: Any) -> AlertPost:
        found, heads = await self.reader.quotable([(row.article_id, row.passage_position)])
        passage = found.get((row.article_id, row.passage_position))
        also = await self.reader.citations(json.loads(row.also_in))
        return AlertPost(
            follow=follow, quote_key=row.quote_key, article=heads.get(row.article_id),
            passage=passage, sentences=tuple((a, b) for a, b in json.loads(row.sentences)),
            also_in=tuple(also.values()),
        )

    async def _summary(self, follow: Follow, rows: list[Any]) -> AlertPost:
        keys = [(row.article_id, row.passage_position) for row in rows]
        found, heads = await self.reader.quotable(keys)
        summary = []
        for row in rows:
            passage = found.get((row.article_id, row.passage_position))
            if passage is None or row.article_id not in heads:
                continue
            quote = " ".join(passage.text[a:b] for a, b in json.loads(row.sentences))
            summary.append((heads[row.article_id], quote))
        return AlertPost(follow, "summary", None, None, (), summary=tuple(summary))

