"""Quote alerts: "tell #channel when Microsoft is quoted", in any language the articles are in.

``scan`` looks at the articles a server can see that were ingested since its cursor (feeds,
uploads, the operator's shared ingests). Their statements are already in the store (extracted
at ingest, ``index.corpus.statements``); each follow's name resolves to an entity among the
statements the server sees (``index.corpus.speakers``: "Trump" is Donald Trump there, not a
namesake), and an article holding statements by it gives **one** alert per follow: its best
statement (the sentence naming the speaker with a verb, direct speech first), with how many
more it has. When the follow has ``about`` words, only statements in passages holding one of
them count. Two follows of one channel that are the same entity ("Trump" and "ट्रंप") give one
post, which names both. Each quote is keyed by its normalised words, so the same quote carried
by several outlets is one alert that lists the others ("also in").

``due`` claims what is to be posted: per follow at most ``per_hour`` quotes an hour, and the
rest of the hour's quotes as one summary. Claiming marks an alert posted *before* it is sent, so
a crash can lose a post but never repeat one, and of several bot processes only one posts it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from index.analysis.tokenizers import words
from index.corpus.reading import Reader
from index.corpus.speakers import About, Entity, Speakers, SpeakerSummary
from index.errors import BadInput, NotFound
from index.models import AlertPost, Article, Follow, FoundAlert, Passage
from index.signals import AlertsQueued, Signal
from index.statements import TITLE_POSITION, Statement
from index.store.live import LiveStore
from index.text import quote_key
from index.workers import run_cpu

__all__ = ["MAX_FOLLOW_CHARS", "Alerts"]

MAX_FOLLOW_CHARS = 200
_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class _Watch:
    """The follows of one channel that mean one entity (and ask about the same words)."""

    follows: tuple[Follow, ...]  # the first one's alerts are recorded
    entity: Entity


@dataclass(frozen=True, slots=True)
class _Item:
    article: Article
    passages: dict[int, Passage]
    statements: tuple[Statement, ...]


def _text_of(item: _Item, statement: Statement) -> str:
    if statement.position == TITLE_POSITION:
        return item.article.title or ""
    passage = item.passages.get(statement.position)
    return passage.text if passage else ""


def _find(watches: Sequence[_Watch], items: Sequence[_Item]) -> list[FoundAlert]:
    """One alert per watch and article holding statements by its entity (a worker thread)."""
    found = []
    holds_about = {id(w): About(w.follows[0].about) for w in watches if w.follows[0].about}
    for item in items:
        for watch in watches:
            about = holds_about.get(id(watch))
            hits = [s for s in item.statements if watch.entity.said(s) and (
                about is None or about(_text_of(item, s), s.lang or item.article.lang))]
            if not hits:
                continue
            best = min(hits, key=lambda s: s.alert_order)
            start, end = best.sentence
            quote = _text_of(item, best)[start:end]
            found.append(FoundAlert(
                follow_id=watch.follows[0].id, quote_key=quote_key(quote),
                article_id=item.article.id, position=best.position, sentences=(best.sentence,),
                speaker=best.speaker, mention=best.mention,
                others=len({s.sentence for s in hits if s.sentence != best.sentence}),
                matched=tuple(f.who for f in watch.follows),
            ))
    return found


class Alerts:
    """Follows and their alerts, over a read-only view of the corpus and its speakers."""

    def __init__(
        self, live: LiveStore, reader: Reader, speakers: Speakers, queued: Signal[AlertsQueued]
    ) -> None:
        self.live = live
        self.reader = reader
        self.speakers = speakers
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
        if not words(who):
            raise BadInput("follow", "name someone to follow, e.g. who:Microsoft")
        if len(who) > MAX_FOLLOW_CHARS or len(about or "") > MAX_FOLLOW_CHARS:
            raise BadInput("follow", f"keep who and about under {MAX_FOLLOW_CHARS} characters")
        added = await self.live.add_follow(guild_id, channel_id, who, about, now, created_by)
        if added is None:
            raise BadInput("follow", "that channel already follows exactly this")
        return added

    async def describe(self, follow: Follow) -> SpeakerSummary:
        """Who a follow's name resolves to in its server, and what of theirs the server holds."""
        scope = await self.reader.scope(follow.guild_id)
        entity = await self.speakers.resolve(follow.who, scope, follow.guild_id)
        return await self.speakers.summary(entity, scope)

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
        watches: list[_Watch] | None = None
        while True:
            cursor = await self.live.cursor(guild_id)
            batch = await self.live.new_articles(cursor, scope.collections)
            if not batch:
                return total
            if watches is None:  # resolved with the new articles' statements in the store
                watches = await self._watches(guild_id, follows, scope)
            ids = list(dict.fromkeys(article_id for _log_id, article_id in batch))
            statements = await self.speakers.of_articles(ids)
            items = []
            for article_id in ids:
                if not statements.get(article_id):
                    continue
                try:
                    article = await self.reader.article(article_id, scope)
                    passages = await self.reader.passages(article_id, scope)
                except NotFound:
                    continue  # deleted since
                items.append(_Item(article, {p.position: p for p in passages},
                                   tuple(statements[article_id])))
            found = await run_cpu(_find, watches, items)
            total += await self.live.record_alerts(guild_id, found, batch[-1][0], now)

    async def _watches(self, guild_id: int, follows: list[Follow], scope: Any) -> list[_Watch]:
        """The server's follows, resolved, one watch per channel, entity and ``about``."""
        grouped: dict[tuple[int, str, str | None], list[Follow]] = {}
        entities: dict[tuple[int, str, str | None], Entity] = {}
        for follow in sorted(follows, key=lambda f: f.id):
            entity = await self.speakers.resolve(follow.who, scope, guild_id)
            key = (follow.channel_id, entity.name, (follow.about or "").casefold() or None)
            grouped.setdefault(key, []).append(follow)
            entities.setdefault(key, entity)
        return [_Watch(tuple(group), entities[key]) for key, group in grouped.items()]

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

    async def _passages(self, rows: Sequence[Any]) -> list[tuple[Passage | None, Article | None]]:
        """The passage each alert row quotes (the title, for a headline) and its article: two
        reads of the store however many rows."""
        keys = [(str(row.article_id), int(row.passage_position)) for row in rows]
        wanted = [key for key in keys if key[1] != TITLE_POSITION]
        found, heads = await self.reader.quotable(wanted) if wanted else ({}, {})
        titled = sorted({article_id for article_id, position in keys
                         if position == TITLE_POSITION})
        if titled:
            heads = {**heads, **await self.reader.citations(titled)}
        out: list[tuple[Passage | None, Article | None]] = []
        for article_id, position in keys:
            article = heads.get(article_id)
            if position != TITLE_POSITION:
                out.append((found.get((article_id, position)), article))
            elif article is None or not article.title:
                out.append((None, article))
            else:
                out.append((Passage(f"{article.id}:title", article.id, TITLE_POSITION,
                                    article.title, 0, len(article.title), article.lang), article))
        return out

    async def _post(self, follow: Follow, row: Any) -> AlertPost:
        [(passage, article)] = await self._passages([row])
        also = await self.reader.citations(json.loads(row.also_in))
        mention = json.loads(row.mention) if row.mention else [0, 0]
        return AlertPost(
            follow=follow, quote_key=row.quote_key, article=article, passage=passage,
            sentences=tuple((a, b) for a, b in json.loads(row.sentences)),
            also_in=tuple(also.values()), speaker=row.speaker,
            mention=(int(mention[0]), int(mention[1])), others=int(row.others or 0),
            matched=tuple(json.loads(row.matched or "[]")) or (follow.who,),
        )

    async def _summary(self, follow: Follow, rows: list[Any]) -> AlertPost:
        summary = []
        for row, (passage, article) in zip(rows, await self._passages(rows), strict=True):
            if passage is None or article is None:
                continue
            quote = " ".join(passage.text[a:b] for a, b in json.loads(row.sentences))
            summary.append((article, quote))
        return AlertPost(follow, "summary", None, None, (), summary=tuple(summary))
